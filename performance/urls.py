"""URLs of the performance spoke, mounted under /p/<slug>/ by yjplan/urls.py. Every view declares its capability."""

app_name = "performance"

urlpatterns = []
