"""Signing in with an e-mail address, lock-out, sign-out, password reset and CSRF failures."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, PartnershipFactory, UserFactory, member
from yjplan.permissions import Role


@pytest.fixture
def person(db):
    partnership = PartnershipFactory(slug="northshire", name="Northshire Youth Justice Service")
    return member(partnership, Role.MANAGER, user=UserFactory(email="sam@northshire.gov.uk", full_name="Sam Lee"))


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_with_email_lands_on_the_partnership_dashboard(client, person):
    response = sign_in(client, "Sam@Northshire.gov.uk".lower(), PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain == [("/p/northshire/", 302)]
    assert "As YOS manager:" in response.content.decode()


def test_wrong_password_gets_a_generic_message(client, person):
    response = sign_in(client, "sam@northshire.gov.uk", "not-the-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a correct email address and password" in html
    assert "govuk-error-summary" in html
    unknown = sign_in(client, "nobody@northshire.gov.uk", "not-the-password").content.decode()
    assert "Enter a correct email address and password" in unknown


def test_lock_out_after_repeated_failures(client, person, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, "sam@northshire.gov.uk", "wrong").status_code == 200
    locked = sign_in(client, "sam@northshire.gov.uk", "wrong")
    assert locked.status_code == 429
    assert "You cannot sign in for now" in locked.content.decode()
    # even the right password is refused while locked out
    assert sign_in(client, "sam@northshire.gov.uk", PASSWORD).status_code == 429


def test_sign_out_is_a_post(client, person):
    client.force_login(person.user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("dashboard", kwargs={"slug": "northshire"})).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "sam@northshire.gov.uk"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@northshire.gov.uk"]
    assert message.subject == "Set your password for the youth justice plan service"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert sign_in(Client(), "sam@northshire.gov.uk", "a-new-long-passphrase").status_code == 302


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(
    client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@northshire.gov.uk"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_weak_password_is_refused_by_the_validators(client, person):
    client.force_login(person.user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 10 characters." in html
    assert "This password is entirely numeric." in html


def test_missing_csrf_token_gets_the_styled_403(person):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "sam@northshire.gov.uk", "password": PASSWORD})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_sessions_expire_after_inactivity_and_activity_extends_them(client, person, settings):
    assert settings.SESSION_COOKIE_AGE == 120 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True
    from django.contrib.sessions.models import Session

    client.force_login(person.user)
    url = reverse("dashboard", kwargs={"slug": "northshire"})
    client.get(url)
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    client.get(url)  # within the refresh interval: no write
    assert Session.objects.get(session_key=key).expire_date == first
    session = client.session
    session["_last_activity"] -= settings.SESSION_ACTIVITY_REFRESH_SECONDS
    session.save()
    saved = Session.objects.get(session_key=key).expire_date
    client.get(url)  # after it: the idle clock restarts
    assert Session.objects.get(session_key=key).expire_date > saved


def test_role_names_read_as_words_inside_a_sentence():
    assert [role.in_sentence for role in Role] == [
        "YOS manager",
        "finance officer",
        "board member",
        "board chair",
        "viewer",
        "partnership administrator",
    ]
