"""URLs of the budgets spoke, mounted under /p/<slug>/budget/ by yjplan/urls.py. Every view declares its capability."""

from django.urls import path

from budgets import views

app_name = "budgets"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.year_add, name="year_add"),
    path("<int:year>/", views.year, name="year"),
    path("<int:year>/edit/", views.edit, name="edit"),
    path("<int:year>/details/", views.details, name="details"),
    path("<int:year>/status/", views.status, name="status"),
    path("<int:year>/lines/<int:pk>/confirm/", views.confirm, name="confirm"),
]
urlpatterns += [
    path("<int:year>/import/", views.import_upload, name="import"),
    path("<int:year>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:year>/export/<str:layout>.<str:fmt>", views.export, name="export"),
]
