"""URLs of the actions spoke, mounted under /p/<slug>/actions/ by yjplan/urls.py. Every view declares its capability."""

from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("since/", views.since, name="since"),
    path("deleted/", views.deleted, name="deleted"),
    path("add/", views.action_add, name="action_add"),
    path("priorities/", views.priority_list, name="priorities"),
    path("priorities/add/", views.priority_add, name="priority_add"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/delete/", views.priority_delete, name="priority_delete"),
    path("<int:pk>/", views.action_detail, name="action_detail"),
    path("<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("<int:pk>/update/", views.update_add, name="update_add"),
    path("<int:pk>/delete/", views.action_delete, name="action_delete"),
    path("risks/", views.risks, name="risks"),
    path("risks/add/", views.risk_add, name="risk_add"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/delete/", views.risk_delete, name="risk_delete"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("export/", views.export, name="export"),
    path("print/", views.tracker_print, name="tracker_print"),
    path("reminders/", views.reminders, name="reminders"),
]
