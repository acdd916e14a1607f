"""The self-assessment's URLs, included under /p/<slug>/performance/self-assessment/ in the performance namespace."""

from django.urls import path

from performance.capability import views

urlpatterns = [
    path("", views.assessment_list, name="capability_list"),
    path("add/", views.assessment_add, name="capability_add"),
    path("<int:pk>/", views.assessment_detail, name="capability_detail"),
    path("<int:pk>/assign/", views.assessment_assign, name="capability_assign"),
    path("<int:pk>/indicators/", views.indicators, name="capability_indicators"),
    path("<int:pk>/indicators/edit/", views.indicators_edit, name="capability_indicators_edit"),
    path("<int:pk>/sign-off/", views.signoff_edit, name="capability_signoff"),
    path("activity/<int:pk>/", views.activity, name="capability_activity"),
    path("activity/<int:pk>/comment/", views.comment_add, name="capability_comment"),
    path("activity/<int:pk>/gap/", views.gap_add, name="capability_gap"),
]
