"""Every page renders for every role that may see it, in the GOV.UK layout, with one <h1>."""

import re

import pytest
from django.urls import reverse

from tests.yjplan.test_authorization_matrix import FILL, GLOBAL_URLS, PARTNERSHIP_URLS, ROLES, _url
from yjplan.permissions import Role


def assert_govuk_page(response, url):
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html"), url
    assert len(re.findall(r"<h1[ >]", html)) == 1, f"{url} should have exactly one <h1>"
    assert 'class="govuk-skip-link"' in html, url
    assert 'href="/accessibility/"' in html, url
    assert "<title>" in html and "Youth justice plan</title>" in html, url


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_every_partnership_page_renders_for_each_role(role, world, client):
    client.force_login(world["members"][role].user)
    rendered = 0
    for name, expect in PARTNERSHIP_URLS.items():
        if expect.method != "get" or role not in expect.allowed:
            continue
        url = _url(name, expect, world)
        response = client.get(url, expect.data)
        assert response.status_code == 200, f"{name} answered {response.status_code}"
        rendered += 1
        if expect.content_type != "text/html":
            assert response["Content-Type"] == expect.content_type
            continue
        assert_govuk_page(response, url)
        assert world["own"].name in response.content.decode(), f"{url} does not name the partnership"
    assert rendered == sum(1 for e in PARTNERSHIP_URLS.values() if e.method == "get" and role in e.allowed)


def test_every_global_page_renders(world, client):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(world["members"][Role.MANAGER].user)
        for name, (anonymous, member_status, kwargs) in GLOBAL_URLS.items():
            status = member_status if signed_in else anonymous
            if status != 200 or name == "healthz":
                continue
            url = reverse(name, kwargs={k: (FILL[v](world) if v in FILL else v) for k, v in kwargs.items()} or None)
            response = client.get(url)
            assert response.status_code == 200, url
            if response["Content-Type"].startswith("text/html"):
                assert_govuk_page(response, url)


def test_error_pages_are_styled(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert_govuk_page(response, "/no-such-page/")

    client.force_login(world["members"][Role.VIEWER].user)
    response = client.get(reverse("members", kwargs={"slug": world["own"].slug}))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()

    response = client.get(reverse("dashboard", kwargs={"slug": world["other"].slug}))
    assert response.status_code == 404
    assert world["other"].name not in response.content.decode()


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("errors/500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-skip-link" in html


def test_bad_request_page(rf):
    from yjplan.views.errors import bad_request

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = bad_request(request)
    assert response.status_code == 400
    assert "Sorry, there is a problem with the request" in response.content.decode()
