"""The agenda builder proposes exactly the registered attention items since the last meeting, then the
unfinished items of that meeting; the author keeps, edits or drops each."""

import datetime as dt

import pytest
from django.urls import reverse

from boards import selectors
from boards.models import AgendaItem, Meeting
from tests.boards.factories import AgendaItemFactory, BoardFactory, MeetingFactory, at
from tests.factories import member
from yjplan.permissions import Role
from yjplan.registry import Attention, registry

CALLS = []


def _actions_source(partnership, since=None):
    CALLS.append(("tests.actions", partnership.pk, since))
    items = [
        (dt.date(2024, 2, 1), {"title": "Old news", "detail": "", "url": "", "kind": "action", "severity": "low"}),
        (
            dt.date(2024, 4, 10),
            {
                "title": "3 actions overdue",
                "detail": "ACT-3, ACT-7 and ACT-9 are past their target dates",
                "url": "/p/x/actions/?overdue=1",
                "kind": "action",
                "severity": "high",
            },
        ),
        (
            dt.date(2024, 5, 2),
            {
                "title": "Budget update",
                "detail": "already on the agenda",
                "url": "",
                "kind": "budget",
                "severity": "low",
            },
        ),
    ]
    return [item for day, item in items if since is None or day >= since]


def _performance_source(partnership, since=None):
    CALLS.append(("tests.performance", partnership.pk, since))
    return [
        {
            "title": "First time entrants worse than the YOT family",
            "detail": "Rate 262 per 100,000 against 203",
            "url": "/p/x/performance/fte/",
            "kind": "indicator",
            "severity": "medium",
        }
    ]


@pytest.fixture
def sources(monkeypatch):
    """Only the sources registered here (the real spokes' sources are set aside for the test)."""
    monkeypatch.setattr(registry, "attention", {})
    CALLS.clear()
    registry.register_attention(
        Attention(key="tests.performance", title="Indicators", fetch=_performance_source, order=2)
    )
    registry.register_attention(Attention(key="tests.actions", title="Actions", fetch=_actions_source, order=1))
    yield
    registry.unregister("tests.performance")
    registry.unregister("tests.actions")


@pytest.fixture
def prepared(partnership):
    board = BoardFactory(partnership=partnership)
    last = MeetingFactory(board=board, starts_at=at("2024-03-05"), ends_at=at("2024-03-05", "12:00"))
    AgendaItemFactory(meeting=last, order=1, title="Minutes of the last meeting", kind="standing", finished=True)
    deep_dive = AgendaItemFactory(
        meeting=last, order=2, title="Reoffending deep dive", kind="decision", links="/p/x/reoffending/"
    )
    remand = AgendaItemFactory(meeting=last, order=3, title="Remand strategy", kind="information")
    spotlight = AgendaItemFactory(
        meeting=last, order=4, title="Spotlight: reparation", kind="spotlight", presenter="Case worker"
    )
    MeetingFactory(
        board=board, starts_at=at("2024-04-16"), ends_at=at("2024-04-16", "12:00"), status=Meeting.Status.CANCELLED
    )
    older = MeetingFactory(board=board, starts_at=at("2023-12-05"), ends_at=at("2023-12-05", "12:00"))
    AgendaItemFactory(meeting=older, title="Never finished long ago")
    upcoming = MeetingFactory(
        board=board, starts_at=at("2024-06-04"), ends_at=at("2024-06-04", "12:00"), status=Meeting.Status.SCHEDULED
    )
    AgendaItemFactory(meeting=upcoming, order=1, title="Budget update", kind="standing")
    AgendaItemFactory(meeting=upcoming, order=2, title="Remand strategy: next steps", carried_over_from=remand)
    return {"board": board, "upcoming": upcoming, "deep_dive": deep_dive, "spotlight": spotlight, "remand": remand}


def test_it_proposes_exactly_the_expected_items(sources, prepared, partnership):
    proposals = selectors.agenda_proposals(meeting=prepared["upcoming"])
    assert [
        ("tests.actions", partnership.pk, dt.date(2024, 3, 5)),
        ("tests.performance", partnership.pk, dt.date(2024, 3, 5)),
    ] == CALLS
    assert [
        (p["origin"], p["title"], p["kind"], p["source"], p["links"], p["carried_over_from"]) for p in proposals
    ] == [
        ("attention", "3 actions overdue", "decision", "tests.actions", "/p/x/actions/?overdue=1", None),
        (
            "attention",
            "First time entrants worse than the YOT family",
            "information",
            "tests.performance",
            "/p/x/performance/fte/",
            None,
        ),
        ("carried", "Reoffending deep dive", "decision", "", "/p/x/reoffending/", prepared["deep_dive"].pk),
        ("carried", "Spotlight: reparation", "spotlight", "", "", prepared["spotlight"].pk),
    ]
    assert proposals[2]["detail"] == "Not finished at the meeting on 5 March 2024"
    assert len({p["key"] for p in proposals}) == 4


def test_no_sources_registered_and_no_earlier_meeting(partnership, monkeypatch):
    monkeypatch.setattr(registry, "attention", {})
    meeting = MeetingFactory(board=BoardFactory(partnership=partnership), status=Meeting.Status.SCHEDULED)
    assert selectors.agenda_proposals(meeting=meeting) == []


def test_the_author_keeps_edits_and_drops_proposals(sources, prepared, partnership, client):
    client.force_login(member(partnership, Role.MANAGER).user)
    meeting = prepared["upcoming"]
    url = reverse("boards:agenda_builder", kwargs={"slug": partnership.slug, "pk": meeting.pk})
    page = client.get(url).content.decode()
    proposals = selectors.agenda_proposals(meeting=meeting)
    keys = [p["key"] for p in proposals]
    for p in proposals:
        assert f'name="title_{p["key"]}"' in page
        assert f'name="accept_{p["key"]}"' in page
    data = {f"title_{k}": p["title"] for k, p in zip(keys, proposals, strict=True)}
    data[f"title_{keys[0]}"] = "Overdue actions: ACT-3, ACT-7, ACT-9"
    data.update({f"accept_{keys[0]}": "on", f"accept_{keys[2]}": "on", f"accept_{keys[3]}": "on"})
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(
        AgendaItem.objects.filter(meeting=meeting).values_list("order", "title", "kind", "source", "carried_over_from")
    ) == [
        (1, "Budget update", "standing", "", None),
        (2, "Remand strategy: next steps", "information", "", prepared["remand"].pk),
        (3, "Overdue actions: ACT-3, ACT-7, ACT-9", "decision", "tests.actions", None),
        (4, "Reoffending deep dive", "decision", "", prepared["deep_dive"].pk),
        (5, "Spotlight: reparation", "spotlight", "", prepared["spotlight"].pk),
    ]
    # what was added (even retitled) is not proposed again; the dropped one still is
    assert [p["title"] for p in selectors.agenda_proposals(meeting=meeting)] == [
        "First time entrants worse than the YOT family"
    ]


def test_an_accepted_proposal_with_an_empty_title_names_the_row(sources, prepared, partnership, client):
    client.force_login(member(partnership, Role.MANAGER).user)
    meeting = prepared["upcoming"]
    url = reverse("boards:agenda_builder", kwargs={"slug": partnership.slug, "pk": meeting.pk})
    key = selectors.agenda_proposals(meeting=meeting)[1]["key"]
    response = client.post(url, {f"accept_{key}": "on", f"title_{key}": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_title_{key}"' in html
    assert "Proposal 2: enter a title for the agenda item" in html
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2
