"""Every state-changing request needs POST and a CSRF token. The URL lists come from the authorization
matrix (which fails when a URL has no expectation), so a new view is covered without touching this file."""

from __future__ import annotations

from django.apps import apps
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from tests.yjplan.test_authorization_matrix import PARTNERSHIP_URLS, _url
from yjplan.permissions import Role

ORDER = [Role.MANAGER, Role.ADMIN, Role.FINANCE, Role.CHAIR, Role.BOARD, Role.VIEWER]


def _role_for(expect):
    return next(r for r in ORDER if r in expect.allowed and expect.overrides.get(r, 200) < 400)


def _views(patterns=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _views(p.url_patterns)
        elif isinstance(p, URLPattern):
            yield p


def _history_counts() -> dict[str, int]:
    """Rows in every history table: any write to a domain record adds one. (A person's history is left out:
    signing in records their last sign-in.)"""
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and m._meta.label != "yjplan.HistoricalUser"
    }


def test_no_view_is_exempt_from_csrf():
    exempt = [str(p.pattern) for p in _views() if getattr(p.callback, "csrf_exempt", False)]
    assert exempt == []


def test_post_without_a_csrf_token_is_refused_everywhere(world):
    """Every partnership URL, POSTed by a member who may use it but without the token: 403, nothing written."""
    client = Client(enforce_csrf_checks=True)
    urls = {name: _url(name, expect, world) for name, expect in PARTNERSHIP_URLS.items()}
    before = _history_counts()
    refused = {}
    for name, expect in sorted(PARTNERSHIP_URLS.items()):
        client.force_login(world["members"][_role_for(expect)].user)
        refused[name] = client.post(urls[name], expect.data or {"text": "Agreed", "title": "A title"}).status_code
    assert refused == dict.fromkeys(PARTNERSHIP_URLS, 403)
    assert _history_counts() == before


def test_post_with_the_token_is_accepted(world):
    """The refusal above is the token's doing: the same POSTs with the token do what they should."""
    client = Client(enforce_csrf_checks=True)
    accepted = 0
    for name, expect in sorted(PARTNERSHIP_URLS.items()):
        if expect.method != "post" or expect.content_type != "text/html":
            continue
        client.force_login(world["members"][_role_for(expect)].user)
        client.get(reverse("dashboard", kwargs={"slug": world["own"].slug}))
        token = client.cookies["csrftoken"].value
        response = client.post(_url(name, expect, world), expect.data, HTTP_X_CSRFTOKEN=token)
        assert response.status_code == expect.ok, name
        accepted += 1
    assert accepted >= 10


def test_global_posts_need_the_token(world):
    client = Client(enforce_csrf_checks=True)
    for name in ("login", "password_reset", "logout"):
        assert client.post(reverse(name), {"username": "x", "email": "x@example.org"}).status_code == 403, name
    client.force_login(world["members"][Role.VIEWER].user)
    assert client.post(reverse("logout")).status_code == 403
    assert client.post(reverse("password_change"), {"old_password": "x"}).status_code == 403


def test_state_changing_views_refuse_get_and_gets_change_nothing(world, client):
    """A view the matrix lists as POST answers a GET with 405; no GET of any page writes a record."""
    urls = {}
    for name, expect in sorted(PARTNERSHIP_URLS.items()):
        urls[name] = (expect, _url(name, expect, world))

    def get_everything():
        for name, (expect, url) in urls.items():
            client.force_login(world["members"][_role_for(expect)].user)
            response = client.get(url, expect.data if expect.method == "get" else {})
            if expect.method == "post":
                assert response.status_code == 405, f"{name} answered {response.status_code} to a GET"

    get_everything()  # first visits may create defaults a page needs (e.g. a partnership's comparator areas)
    before = _history_counts()
    get_everything()
    assert _history_counts() == before
    assert sum(1 for e, _ in urls.values() if e.method == "post") >= 10
