"""URLs of the boards spoke, mounted under /p/<slug>/ by yjplan/urls.py. Every view declares its capability."""

app_name = "boards"

urlpatterns = []
