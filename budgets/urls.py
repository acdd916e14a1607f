"""URLs of the budgets spoke, mounted under /p/<slug>/ by yjplan/urls.py. Every view declares its capability."""

app_name = "budgets"

urlpatterns = []
