"""Sign-in, sign-out and password views: Django's own, with GOV.UK forms and queued e-mail."""

from django.contrib.auth import views as auth_views

from yjplan.forms import QueuedPasswordResetForm, SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
