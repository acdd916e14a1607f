"""URLs of the performance spoke, mounted under /p/<slug>/ by yjplan/urls.py. Every view declares its capability."""

from django.urls import include, path

from performance import views

app_name = "performance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/add/", views.indicator_add, name="indicator_add"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/csv/", views.indicator_csv, name="indicator_csv"),
    path("kpis/", views.kpi_return, name="kpis"),
    path("figures/add/", views.observation_add, name="observation_add"),
    path("figures/<int:pk>/", views.observation_edit, name="observation_edit"),
    path("grid/", views.grid, name="grid"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("settings/", views.settings_edit, name="settings"),
    path("areas/add/", views.area_add, name="area_add"),
    path("self-assessment/", include("performance.capability.urls")),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:pk>/remove/", views.area_remove, name="area_remove"),
    path("", include("performance.standards.urls")),
]
