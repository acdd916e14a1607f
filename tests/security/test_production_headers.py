"""Headers and cookies in production settings (DEBUG=0), on every kind of response.

The production values are read by running yjplan/settings.py with the production environment, not copied
here, and applied to the test's settings: what the deployed service sends is what is checked.
"""

import json
import re
import runpy
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD, PartnershipFactory, UserFactory, member
from yjplan.permissions import Role

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-secret-key-for-the-headers-test-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "testserver",
}
APPLIED = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|CONTENT_SECURITY_POLICY$|X_FRAME_OPTIONS$|PASSWORD_RESET)"
)


@pytest.fixture
def production(settings, monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "PASSWORD_RESET_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    values = runpy.run_path(str(ROOT / "yjplan" / "settings.py"))
    settings.DEBUG = False
    applied = {name: value for name, value in values.items() if APPLIED.match(name)}
    for name, value in applied.items():
        setattr(settings, name, value)
    settings.ROOT_URLCONF = "tests.security.boom_urls"
    return applied


@pytest.fixture
def people(db):
    partnership = PartnershipFactory(slug="northshire", name="Northshire Youth Justice Service")
    manager = member(partnership, Role.MANAGER, user=UserFactory(email="sam@northshire.gov.uk"))
    viewer = member(partnership, Role.VIEWER)
    return {"manager": manager, "viewer": viewer}


def assert_secure_headers(response, what, document=True):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", what
    assert response["X-Content-Type-Options"] == "nosniff", what
    assert response["Referrer-Policy"] == "same-origin", what
    if document:
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp, what
        assert "frame-ancestors 'none'" in csp, what
        assert "object-src 'none'" in csp, what
        assert response["X-Frame-Options"] == "DENY", what


def test_production_settings_are_production_grade(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31536000
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production["PASSWORD_RESET_TIMEOUT"] == 2 * 60 * 60


def test_every_kind_of_response_carries_the_security_headers(production, people, settings):
    client = Client(raise_request_exception=False)
    slug = "northshire"
    responses = {
        "200 sign-in page": client.get("/accounts/login/", secure=True),
        "302 to sign-in": client.get(f"/p/{slug}/", secure=True),
        "404 unknown page": client.get("/no-such-page/", secure=True),
        "500 server error": client.get("/boom-for-the-headers-test/", secure=True),
        "301 plain http to https": client.get("/accounts/login/"),
    }
    client.force_login(people["viewer"].user)
    responses["403 missing capability"] = client.get(f"/p/{slug}/members/add/", secure=True)
    responses["404 another partnership"] = client.get("/p/elsewhere/", secure=True)
    client.force_login(people["manager"].user)
    responses["200 dashboard"] = client.get(f"/p/{slug}/", secure=True)
    responses["200 CSV export"] = client.get(f"/p/{slug}/actions/export/?format=csv", secure=True)
    strict = Client(enforce_csrf_checks=True)
    responses["403 CSRF failure"] = strict.post("/accounts/login/", {"username": "x", "password": "y"}, secure=True)

    expected = {
        "200 sign-in page": 200,
        "302 to sign-in": 302,
        "404 unknown page": 404,
        "500 server error": 500,
        "301 plain http to https": 301,
        "403 missing capability": 403,
        "404 another partnership": 404,
        "200 dashboard": 200,
        "200 CSV export": 200,
        "403 CSRF failure": 403,
    }
    assert {what: response.status_code for what, response in responses.items()} == expected
    assert responses["301 plain http to https"]["Location"] == "https://testserver/accounts/login/"
    for what, response in responses.items():
        if what == "301 plain http to https":
            continue  # answered by SecurityMiddleware before anything else: HSTS is only sent over https
        assert_secure_headers(response, what)
    report = ROOT / "build" / "reliability" / "headers.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"responses_checked": sorted(expected)}, indent=2) + "\n")
    assert "Page not found" in responses["404 unknown page"].content.decode()
    assert "Sorry, there is a problem with the service" in responses["500 server error"].content.decode()


def test_static_files_carry_the_transport_headers(production, db):
    client = Client()
    response = client.get("/static/js/" + sorted(p.name for p in (ROOT / "static" / "js").glob("*.js"))[0], secure=True)
    assert response.status_code == 200
    assert_secure_headers(response, "static file", document=False)


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(production, people):
    client = Client()
    form = client.get("/accounts/login/", secure=True)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post("/accounts/login/", {"username": "sam@northshire.gov.uk", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["max-age"] == 120 * 60


def test_lock_out_in_production_answers_429_with_its_message_and_headers(production, people, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "sam@northshire.gov.uk", "password": "x"}, secure=True)
        assert response.status_code == 200
    locked = client.post("/accounts/login/", {"username": "sam@northshire.gov.uk", "password": "x"}, secure=True)
    assert locked.status_code == 429
    assert "You cannot sign in for now" in locked.content.decode()
    assert_secure_headers(locked, "lock-out page")


def _reset_link(user, issued_ago: timedelta) -> str:
    """A reset link as if sent ``issued_ago``: the token carries the time it was made."""
    generator = default_token_generator
    issued = generator._num_seconds(generator._now()) - int(issued_ago.total_seconds())
    token = generator._make_token_with_timestamp(user, issued, generator.secret)
    return reverse(
        "password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}
    )


def test_a_reset_link_works_until_it_expires_after_two_hours(production, people):
    user = people["manager"].user
    client = Client()
    fresh = client.get(_reset_link(user, timedelta(hours=1, minutes=59)), secure=True)
    assert fresh.status_code == 302
    assert fresh["Location"].endswith("/set-password/")
    form = client.get(fresh["Location"], secure=True)
    assert "Set a new password" in form.content.decode()

    expired = Client().get(_reset_link(user, timedelta(hours=2, seconds=5)), secure=True)
    assert expired.status_code == 200
    html = expired.content.decode()
    assert "This link has expired" in html
    assert "Set a new password" not in html
    assert "<form" not in html.split("<main", 1)[1]
    assert_secure_headers(expired, "expired reset link")
