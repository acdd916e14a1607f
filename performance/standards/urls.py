"""URLs of the National Standards self-audit and HMIP inspections, included in ``performance/urls.py``.

Names are prefixed ``standards_`` and ``inspection_`` in the ``performance`` namespace.
"""

from django.urls import path

from performance.standards import views

urlpatterns = [
    path("standards/", views.overview, name="standards"),
    path("standards/audits/add/", views.audit_add, name="standards_audit_add"),
    path("standards/audits/<int:pk>/", views.audit_detail, name="standards_audit"),
    path("standards/audits/<int:pk>/edit/", views.audit_edit, name="standards_audit_edit"),
    path("standards/audits/<int:pk>/comment/", views.audit_comment, name="standards_audit_comment"),
    path("standards/grades/<int:pk>/", views.grade_edit, name="standards_grade_edit"),
    path("standards/grades/<int:pk>/action/", views.grade_action, name="standards_grade_action"),
    path("inspections/add/", views.inspection_add, name="inspection_add"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/comment/", views.inspection_comment, name="inspection_comment"),
    path("inspections/<int:pk>/recommendations/add/", views.recommendation_add, name="inspection_recommendation_add"),
    path("inspections/<int:pk>/actions/", views.recommendations_actions, name="inspection_actions"),
    path(
        "inspections/recommendations/<int:pk>/action/",
        views.recommendation_action,
        name="inspection_recommendation_action",
    ),
]
