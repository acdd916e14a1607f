"""Tenant isolation, black box: everything partnership A's manager can reach is closed to everyone else.

The demo world (``seed_demo``: three partnerships with plans, budgets, indicators, actions, boards, signed
renditions and their PDFs) gets a unique marker planted in one record of each kind of A's data. A's manager
crawls every page reachable from the home page; each URL is then replayed as B's manager, as each of B's
roles and anonymously. Each must be refused (404/403, or sign-in for anonymous) and none may show a marker.
The same URLs with B's address in place of A's (A's record ids under B) must not show a marker either.
The figures go to build/reliability/isolation.json for docs/reliability.md.
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from actions.models import Action, ProgressUpdate, Risk
from boards.models import AgendaItem, Board, Decision, Meeting
from budgets.models import BudgetYear
from tests.security.crawl import crawl
from yjplan.models import Comment, PlanSection, User
from yjplan.permissions import Role

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "build" / "reliability" / "isolation.json"
A, B = "cambs-peterborough", "warwickshire"
# Pages that are not partnership data: the same for everyone who may see them. They still must not show a marker.
SHARED = ("/", "/partnerships/", "/accessibility/", "/healthz/", "/accounts/", "/published/")


def plant_markers(slug: str) -> dict[str, str]:
    """Write a unique string into one of A's records of each kind, past the services (the page must show it)."""
    markers = {}

    def plant(label, queryset, field):
        row = queryset.order_by("pk").first()
        assert row is not None, f"the demo has no {label} for {slug}"
        marker = f"Isolationmarker{label.title().replace(' ', '')}Qx{row.pk}"
        value = getattr(row, field)
        type(row).objects.filter(pk=row.pk).update(**{field: f"{marker} {value}"[: _max_length(row, field)]})
        markers[label] = marker

    plant("action", Action.objects.filter(partnership__slug=slug), "text")
    plant("progress update", ProgressUpdate.objects.filter(partnership__slug=slug), "text")
    plant("risk", Risk.objects.filter(partnership__slug=slug), "description")
    plant("budget note", BudgetYear.objects.filter(partnership__slug=slug), "notes")
    plant("board", Board.objects.filter(partnership__slug=slug), "name")
    plant("meeting place", Meeting.objects.filter(board__partnership__slug=slug), "place")
    plant("agenda item", AgendaItem.objects.filter(meeting__board__partnership__slug=slug), "title")
    plant("decision", Decision.objects.filter(meeting__board__partnership__slug=slug), "text")
    plant("plan text", PlanSection.objects.filter(plan__partnership__slug=slug), "body")
    return markers


def _max_length(row, field):
    return row._meta.get_field(field).max_length or 100_000


def shows(response, markers) -> list[str]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    return [label for label, marker in markers.items() if marker in body]


@pytest.mark.django_db
def test_nothing_partnership_a_can_reach_is_open_to_another_partnership(client, settings):
    settings.DEBUG = True
    settings.DEMO_RENDER_PDFS = True
    call_command("seed_demo", verbosity=0)
    markers = plant_markers(A)
    Comment.objects.create(
        section=PlanSection.objects.filter(plan__partnership__slug=A).order_by("pk").first(),
        author=User.objects.get(email=f"manager@{A}.demo"),
        text="Isolationmarkercomment on the foreword",
    )
    markers["comment"] = "Isolationmarkercomment"

    client.force_login(User.objects.get(email=f"manager@{A}.demo"))
    seen_by_a = set()
    statuses = crawl(client, on_response=lambda url, response: seen_by_a.update(shows(response, markers)))
    assert all(status in (200, 302) for status in statuses.values()), {
        u: s for u, s in statuses.items() if s not in (200, 302)
    }
    urls = sorted(statuses)
    assert seen_by_a == set(markers), f"A's manager never saw {set(markers) - seen_by_a}: the crawl missed pages"

    identities = {f"B {role.value}": User.objects.get(email=f"{role.value}@{B}.demo") for role in Role}
    identities["anonymous"] = None
    leaks, wrong_status, replayed = [], [], 0
    for who, user in identities.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            replayed += 1
            if leaked := shows(response, markers):
                leaks.append((who, url, leaked))
            if url.startswith(f"/p/{A}/"):
                allowed = {302} if user is None else {403, 404}
                if response.status_code not in allowed or (
                    user is None and not response["Location"].startswith("/accounts/login/")
                ):
                    wrong_status.append((who, url, response.status_code))

    client.logout()
    client.force_login(identities[f"B {Role.MANAGER.value}"])
    swapped = [url.replace(f"/p/{A}/", f"/p/{B}/", 1) for url in urls if url.startswith(f"/p/{A}/")]
    swapped_statuses = {}
    for url in swapped:
        response = client.get(url)
        swapped_statuses[url] = response.status_code
        if leaked := shows(response, markers):
            leaks.append(("B manager, B's address", url, leaked))

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {
                "urls_crawled": len(urls),
                "partnership_urls": sum(url.startswith(f"/p/{A}/") for url in urls),
                "shared_urls": [url for url in urls if not url.startswith(f"/p/{A}/")],
                "identities": list(identities),
                "requests_replayed": replayed + len(swapped),
                "markers": sorted(markers),
                "a_records_under_b_address": {
                    str(code): sum(1 for s in swapped_statuses.values() if s == code)
                    for code in sorted(set(swapped_statuses.values()))
                },
                "leaks": leaks,
                "wrong_status": wrong_status,
            },
            indent=2,
        )
        + "\n"
    )
    assert not leaks
    assert not wrong_status
    assert len(urls) > 100
