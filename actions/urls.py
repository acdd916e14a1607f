"""URLs of the actions spoke, mounted under /p/<slug>/ by yjplan/urls.py. Every view declares its capability."""

app_name = "actions"

urlpatterns = []
