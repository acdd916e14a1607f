"""URLs of the boards spoke, mounted under /p/<slug>/board/ by yjplan/urls.py. Every view declares its capability."""

from django.urls import path

from boards import views

app_name = "boards"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.board_add, name="board_add"),
    path("<int:pk>/", views.board, name="board"),
    path("<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("<int:pk>/meetings/", views.meetings, name="meetings"),
    path("<int:pk>/meetings/add/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/attendance/", views.analytics, name="analytics"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/summary/edit/", views.summary_edit, name="summary_edit"),
    path("<int:pk>/summary/export/", views.summary_export, name="summary_export"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/apologies/", views.apologies, name="apologies"),
    path("meetings/<int:pk>/items/add/", views.item_add, name="item_add"),
    path("meetings/<int:pk>/agenda-builder/", views.agenda_builder, name="agenda_builder"),
    path("meetings/<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("items/<int:pk>/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("items/<int:pk>/paper/", views.paper, name="paper"),
]
