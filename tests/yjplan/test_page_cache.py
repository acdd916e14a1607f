"""Whole partnership pages kept until the partnership's data changes (``yjplan.cache.cached_page``, ADR 015).

``test_cache.py`` shows that a committed write reaches these pages at once and that nothing crosses
partnerships, members or sessions; here: what a kept page costs, that it carries the visitor's own CSRF
token and this response's CSP nonce, and what is never kept.
"""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.demo import CAMBS_2018, create_year
from tests.factories import PartnershipFactory, member
from tests.pages import without_tokens
from yjplan.cache import CSRF_PLACEHOLDER, NONCE_PLACEHOLDER, _keepable
from yjplan.models import DocumentJob, PlanTemplate
from yjplan.permissions import Role
from yjplan.plans import services as plan_services

COUNCILS = ["Cambridgeshire County Council", "Peterborough City Council"]


@pytest.fixture
def cambs(db, django_capture_on_commit_callbacks):
    partnership = PartnershipFactory(slug="cambs", councils=COUNCILS)
    with django_capture_on_commit_callbacks(execute=True):
        create_year(partnership, 2018, CAMBS_2018)
    return partnership


@pytest.fixture
def warks(db):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory(slug="warks", councils=["Warwickshire County Council"])
    plan = plan_services.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Warwickshire Youth Justice Plan 2024/25",
        first_year=2024,
        last_year=2024,
    )
    return partnership, member(partnership, Role.MANAGER), plan


def year_url(partnership) -> str:
    return reverse("budgets:year", kwargs={"slug": partnership.slug, "year": 2018})


def test_a_kept_page_runs_no_view_and_costs_two_queries(client, cambs):
    client.force_login(member(cambs, Role.FINANCE).user)
    first = client.get(year_url(cambs))
    assert first.context is not None  # rendered
    with CaptureQueriesContext(connection) as queries:
        again = client.get(year_url(cambs))
    assert again.status_code == 200
    assert again.context is None  # no template rendered, no view code run
    assert len(queries) == 2  # the user; the membership with its partnership and data version
    assert without_tokens(again) == without_tokens(first)
    assert "<title>Budget 2018/19" in again.content.decode()


def test_a_kept_page_carries_the_visitors_own_token_and_this_responses_nonce(cambs):
    visitor = Client(enforce_csrf_checks=True)
    visitor.force_login(member(cambs, Role.VIEWER).user)
    visitor.get(year_url(cambs))  # kept
    kept = visitor.get(year_url(cambs))
    html = kept.content.decode()
    assert kept.context is None
    assert CSRF_PLACEHOLDER not in html and NONCE_PLACEHOLDER not in html
    nonce = re.search(r'<script nonce="([^"]+)">', html)[1]
    assert f"'nonce-{nonce}'" in kept["Content-Security-Policy"]
    again = visitor.get(year_url(cambs))
    assert re.search(r'<script nonce="([^"]+)">', again.content.decode())[1] != nonce  # a nonce a response
    token = re.search(
        r'action="/accounts/logout/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', html
    )
    signed_out = visitor.post("/accounts/logout/", {"csrfmiddlewaretoken": token[1]})
    assert signed_out.status_code == 302  # the token in the kept page was this session's own


def test_messages_show_once_on_a_fresh_render_and_the_page_is_kept_again(client, warks):
    partnership, manager, plan = warks
    client.force_login(manager.user)
    url = reverse("plan_detail", kwargs={"slug": partnership.slug, "plan": plan.pk})
    client.get(url)  # kept
    section = plan.sections.order_by("position").first()
    move = reverse("section_move", kwargs={"slug": partnership.slug, "plan": plan.pk, "section": section.pk})
    client.post(move, {"direction": "sideways"})
    shown = client.get(url)
    assert shown.context is not None  # a message waited: rendered afresh
    assert "Choose to move the section up or down" in shown.content.decode()
    after = client.get(url)
    assert after.context is None
    assert "Choose to move the section up or down" not in after.content.decode()


def test_the_plan_page_follows_its_print_jobs_which_change_no_data(client, warks):
    partnership, manager, plan = warks
    rendition = plan_services.rendition_request(plan=plan, requested_by=manager.user)  # never committed: no bump
    client.force_login(manager.user)
    url = reverse("plan_detail", kwargs={"slug": partnership.slug, "plan": plan.pk})
    assert ">Queued<" in client.get(url).content.decode()
    assert client.get(url).context is None  # kept
    DocumentJob.objects.filter(pk=rendition.job_id).update(status=DocumentJob.Status.FAILED)  # a worker's update
    moved = client.get(url)
    assert moved.context is not None
    assert ">Failed<" in moved.content.decode() and ">Queued<" not in moved.content.decode()


def test_htmx_requests_and_posts_are_never_kept(client, cambs):
    client.force_login(member(cambs, Role.VIEWER).user)
    for _ in range(2):
        assert client.get(year_url(cambs), headers={"HX-Request": "true"}).context is not None


def test_the_cache_can_be_turned_off(client, cambs, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(member(cambs, Role.VIEWER).user)
    for _ in range(2):
        assert client.get(year_url(cambs)).context is not None


def test_only_a_plain_html_page_without_a_real_token_cookie_or_attachment_is_kept(rf):
    request = rf.get("/")
    page = f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}"></form>'
    assert _keepable(request, HttpResponse(page)) == page
    request._csp_nonce = "n0nce"
    assert _keepable(request, HttpResponse('<script nonce="n0nce"></script>')) == (
        f'<script nonce="{NONCE_PLACEHOLDER}"></script>'
    )
    assert _keepable(request, HttpResponse('<input name="csrfmiddlewaretoken" value="real123">')) is None
    assert _keepable(request, HttpResponse(page, status=404)) is None
    assert _keepable(request, HttpResponse("{}", content_type="application/json")) is None
    with_cookie = HttpResponse(page)
    with_cookie.set_cookie("layout", "joint")
    assert _keepable(request, with_cookie) is None
    attachment = HttpResponse(page)
    attachment["Content-Disposition"] = 'attachment; filename="plan.html"'
    assert _keepable(request, attachment) is None
    request._messages = CookieStorage(request)
    assert _keepable(request, HttpResponse(page)) is not None
    messages.info(request, "Shown once")  # a view that says something as it renders
    assert _keepable(request, HttpResponse(page)) is None
