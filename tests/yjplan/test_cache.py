"""Cached page fragments (``yjplan.cache``): a committed write shows at once, a rolled-back one changes
nothing, and no fragment reaches another partnership, another member (so another role) or another session.

The tests' own transaction never commits, so each write runs inside ``django_capture_on_commit_callbacks
(execute=True)``: what a real commit runs, it runs.
"""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets import services as budget_services
from budgets.demo import CAMBS_2018, create_year
from budgets.models import BudgetYear
from tests.factories import PartnershipFactory, UserFactory, member
from yjplan.cache import CSRF_PLACEHOLDER, cacheable
from yjplan.models import DataVersion, PlanSection, PlanTemplate
from yjplan.permissions import Role
from yjplan.plans import services as plan_services

COUNCILS = ["Cambridgeshire County Council", "Peterborough City Council"]
NOTE = "Confirmed by e-mail from the agency's finance lead"


def version(partnership) -> int:
    return DataVersion.objects.filter(partnership=partnership).values_list("version", flat=True).first() or 0


def text(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def year_url(partnership, year=2018) -> str:
    return reverse("budgets:year", kwargs={"slug": partnership.slug, "year": year})


def set_notes(budget_year, notes, commit):
    with commit(execute=True):
        budget_services.budget_year_update(budget_year=budget_year, data={"notes": notes})


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.fixture
def cambs(db, django_capture_on_commit_callbacks):
    partnership = PartnershipFactory(slug="cambs", name="Cambridgeshire and Peterborough YOS", councils=COUNCILS)
    with django_capture_on_commit_callbacks(execute=True):
        budget_year = create_year(partnership, 2018, CAMBS_2018)
    return partnership, budget_year


# --- The version -----------------------------------------------------------------------------


def test_a_committed_write_bumps_only_its_own_partnerships_version(cambs, django_capture_on_commit_callbacks):
    partnership, budget_year = cambs
    other = PartnershipFactory()
    before, other_before = version(partnership), version(other)
    assert before > 0  # creating the year and its lines bumped it
    set_notes(budget_year, "Agreed at the March board", django_capture_on_commit_callbacks)
    assert version(partnership) > before
    assert version(other) == other_before


def test_a_rolled_back_write_bumps_nothing(cambs, django_capture_on_commit_callbacks):
    partnership, budget_year = cambs
    before = version(partnership)

    def failing_request():
        with transaction.atomic():
            budget_services.budget_year_update(budget_year=budget_year, data={"notes": "Never saved"})
            raise RuntimeError("the request failed after the write")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_request()
    assert callbacks == []
    assert version(partnership) == before


def test_reference_data_outside_any_partnership_bumps_every_partnership(db, django_capture_on_commit_callbacks):
    first, second = PartnershipFactory(), PartnershipFactory()
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)  # raw: sends no bump
    template = PlanTemplate.objects.get(key="yjb-four-key-areas")
    with django_capture_on_commit_callbacks(execute=True):
        template.name = "YJB four key areas (2025 wording)"
        template.save()
    assert (version(first), version(second)) == (1, 1)


def test_a_bulk_write_that_sends_no_signal_still_bumps(db, django_capture_on_commit_callbacks):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_services.plan_create(
            partnership=partnership,
            template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
            title="Plan 2024/25",
            first_year=2024,
            last_year=2024,
        )
    before = version(partnership)
    last = plan.sections.order_by("position").last()
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.section_move(section=last, direction="up")  # PlanSection positions: QuerySet.update
    assert version(partnership) == before + 1


def test_a_cascading_delete_bumps_its_partnership(client, cambs, django_capture_on_commit_callbacks):
    partnership, budget_year = cambs
    client.force_login(member(partnership, Role.VIEWER).user)
    url = reverse("budgets:index", kwargs={"slug": partnership.slug})
    for _ in range(2):
        assert "2018/19" in text(client.get(url))
    before = version(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        budget_year.delete()  # and its 16 lines
    assert version(partnership) == before + 17
    assert "2018/19" not in text(client.get(url))


# --- Pages -----------------------------------------------------------------------------------


def test_the_budget_year_page_shows_a_committed_write_at_once(client, cambs, django_capture_on_commit_callbacks):
    partnership, budget_year = cambs
    client.force_login(member(partnership, Role.VIEWER).user)
    url = year_url(partnership)
    first = queries(client, url)
    assert queries(client, url) < first  # the second visit is served from the cache
    assert "Agreed at the March board" not in text(client.get(url))
    set_notes(budget_year, "Agreed at the March board", django_capture_on_commit_callbacks)
    assert "Notes Agreed at the March board" in text(client.get(url))
    set_notes(budget_year, "Changed after the audit", django_capture_on_commit_callbacks)
    page = text(client.get(url))
    assert "Notes Changed after the audit" in page
    assert "Agreed at the March board" not in page


def test_the_budget_year_page_shows_a_confirmed_line_at_once(client, cambs, django_capture_on_commit_callbacks):
    partnership, budget_year = cambs
    finance = member(partnership, Role.FINANCE)
    client.force_login(finance.user)
    url = year_url(partnership)
    assert "16 of 16 lines not confirmed" in text(client.get(url))
    line = budget_year.lines.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        budget_services.line_confirm(line=line, membership=finance, note=NOTE)
    assert "15 of 16 lines not confirmed" in text(client.get(url))


def test_fragments_never_cross_partnerships_even_for_the_same_person(db, client, django_capture_on_commit_callbacks):
    person = UserFactory()
    pages = {}
    for slug, notes in (("north", "North's own notes"), ("south", "South's own notes")):
        partnership = PartnershipFactory(slug=slug, councils=COUNCILS)
        with django_capture_on_commit_callbacks(execute=True):
            budget_year = create_year(partnership, 2018, CAMBS_2018)
            BudgetYear.objects.filter(pk=budget_year.pk).update(notes=notes)
        member(partnership, Role.VIEWER, user=person)
        pages[slug] = year_url(partnership)
    client.force_login(person)
    for _ in range(2):  # the second round is served from the cache
        north, south = text(client.get(pages["north"])), text(client.get(pages["south"]))
        assert "North's own notes" in north and "South's own notes" not in north
        assert "South's own notes" in south and "North's own notes" not in south


def test_fragments_never_cross_roles(cambs):
    partnership, _ = cambs
    viewer, finance = Client(), Client()
    viewer.force_login(member(partnership, Role.VIEWER).user)
    finance.force_login(member(partnership, Role.FINANCE).user)
    url = year_url(partnership)
    for _ in range(2):
        assert "Change the figures in the YJB layout" not in text(viewer.get(url))
        assert "Change the figures in the YJB layout" in text(finance.get(url))
        assert "Confirm" not in re.findall(r">(Confirm)<", viewer.get(url).content.decode())


def test_the_home_tiles_show_a_committed_write_at_once(client, cambs, django_capture_on_commit_callbacks):
    partnership, budget_year = cambs
    finance = member(partnership, Role.FINANCE)
    client.force_login(finance.user)
    url = reverse("dashboard", kwargs={"slug": partnership.slug})
    for _ in range(2):
        assert "16 of 16 lines not yet confirmed by the partner" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        budget_services.line_confirm(line=budget_year.lines.order_by("pk").first(), membership=finance, note=NOTE)
    assert "15 of 16 lines not yet confirmed by the partner" in text(client.get(url))


# --- CSRF tokens and nonces ------------------------------------------------------------------


@pytest.fixture
def plan_world(db, django_capture_on_commit_callbacks):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory(slug="warks", councils=["Warwickshire County Council"])
    manager = member(partnership, Role.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_services.plan_create(
            partnership=partnership,
            template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
            title="Warwickshire Youth Justice Plan 2024/25",
            first_year=2024,
            last_year=2024,
        )
    return partnership, manager, plan


def section_titles(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="[^"]*/sections/\d+/">\d+\. ([^<]+)</a>', html)


def test_a_cached_form_carries_each_sessions_own_csrf_token(plan_world, django_capture_on_commit_callbacks):
    partnership, manager, plan = plan_world
    url = reverse("plan_detail", kwargs={"slug": partnership.slug, "plan": plan.pk})
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(manager.user)
    second.force_login(manager.user)  # the same member, another session: another CSRF secret
    first.get(url)  # fills the cache
    html = second.get(url).content.decode()
    assert CSRF_PLACEHOLDER not in html
    token = re.search(
        r'action="[^"]*/move/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', html
    )
    assert token is not None
    titles = section_titles(html)
    last = plan.sections.order_by("position").last()
    move = reverse("section_move", kwargs={"slug": partnership.slug, "plan": plan.pk, "section": last.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = second.post(move, {"direction": "up", "csrfmiddlewaretoken": token[1]})
    assert response.status_code == 302  # the token was this session's own, not the first session's
    assert PlanSection.objects.get(pk=last.pk).position == len(titles) - 1
    moved = section_titles(first.get(url).content.decode())
    assert moved == [*titles[:-2], titles[-1], titles[-2]]


def test_html_holding_a_real_csrf_token_or_a_nonce_is_never_stored(rf):
    request = rf.get("/")
    placeholder = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'
    assert cacheable(request, f"<form>{placeholder}</form>")
    assert not cacheable(request, '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>')
    request._csp_nonce = "n0nce"
    assert not cacheable(request, '<script nonce="n0nce"></script>')
