from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from yjplan.forms import GDSPasswordChangeForm, GDSSetPasswordForm
from yjplan.views import accounts, documents, members, pages, partnership

account_patterns = [
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=GDSPasswordChangeForm),
        name="password_change",
    ),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=GDSSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

partnership_patterns = [
    path("", partnership.dashboard, name="dashboard"),
    path("partnership/", partnership.partnership_detail, name="partnership_detail"),
    path("partnership/edit/", partnership.partnership_edit, name="partnership_edit"),
    path("partnership/councils/add/", partnership.council_add, name="council_add"),
    path("partnership/councils/<int:pk>/remove/", partnership.council_remove, name="council_remove"),
    path("partnership/population/", partnership.population_edit, name="population_edit"),
    path("members/", members.members, name="members"),
    path("members/add/", members.member_add, name="member_add"),
    path("members/<int:pk>/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", members.member_remove, name="member_remove"),
    path("history/<str:label>/<int:pk>/", partnership.record_history, name="record_history"),
    path("documents/new/<str:kind>/", documents.document_request, name="document_request"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("plans/", include("yjplan.plans.urls")),
    path("budget/", include("budgets.urls")),
    path("performance/", include("performance.urls")),
    path("actions/", include("actions.urls")),
    path("board/", include("boards.urls")),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("partnerships/", pages.partnership_choose, name="partnership_choose"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("healthz/", pages.healthz, name="healthz"),
    path("accounts/", include(account_patterns)),
    path("admin/", admin.site.urls),
    path("p/<slug:slug>/", include(partnership_patterns)),
    path("published/", include("yjplan.plans.public_urls")),
]

handler400 = "yjplan.views.errors.bad_request"
handler403 = "yjplan.views.errors.permission_denied"
handler404 = "yjplan.views.errors.page_not_found"
handler500 = "yjplan.views.errors.server_error"
