"""The meeting pack PDF (agenda, last minutes, the spokes' blocks), the plan blocks, the tile and the nav entry."""

import datetime as dt
import subprocess
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from boards import selectors
from tests.boards.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    BoardMemberFactory,
    MeetingFactory,
    at,
)
from tests.factories import PartnershipFactory, member
from yjplan import documents
from yjplan.models import DocumentJob
from yjplan.permissions import Role
from yjplan.registry import Attention, Block, registry


def pdftotext(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@dataclass(frozen=True)
class TextBlock(Block):
    def render(self, data, *, media="screen", request=None):
        return f"<p>{data['text']} ({media})</p>"


def _text_block(key, title, text):
    return TextBlock(key=key, title=title, description="", fetch=lambda partnership, **o: {"text": text}, template="")


@pytest.fixture
def spoke_blocks(monkeypatch):
    """Only the blocks registered here stand for the other spokes' (theirs are set aside for the test)."""
    kept = {k: v for k, v in registry.blocks.items() if not k.startswith(("actions.", "performance.", "budgets."))}
    monkeypatch.setattr(registry, "blocks", kept)
    registry.register_block(
        _text_block("actions.test_tracker_extract", "Action tracker extract", "ACT-3 Remand strategy: red, overdue")
    )
    registry.register_block(
        _text_block("performance.test_summary", "Performance summary", "First time entrants 262 per 100,000")
    )
    registry.register_block(_text_block("plan.other", "Not in the pack", "This must not appear"))
    yield
    for key in ("actions.test_tracker_extract", "performance.test_summary", "plan.other"):
        registry.unregister(key)


@pytest.fixture
def pack_meeting(partnership):
    board = BoardFactory(partnership=partnership, name="Youth Justice Management Board")
    MeetingFactory(
        board=board,
        starts_at=at("2024-03-05"),
        ends_at=at("2024-03-05", "12:00"),
        minutes="<p>The board approved the remand strategy and asked for a custody audit.</p>",
    )
    meeting = MeetingFactory(
        board=board, starts_at=at("2024-06-04"), ends_at=at("2024-06-04", "12:00"), status="scheduled"
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Minutes and matters arising", kind="standing")
    AgendaItemFactory(
        meeting=meeting, order=2, title="Spotlight: reparation project", kind="spotlight", presenter="Case worker"
    )
    AgendaItemFactory(meeting=meeting, order=3, title="Youth justice plan 2024/25 for approval", kind="decision")
    return meeting


def test_the_meeting_pack_pdf_holds_the_agenda_last_minutes_and_spoke_blocks(spoke_blocks, pack_meeting, partnership):
    params = {"p_meeting": str(pack_meeting.pk)}
    job = documents.document_request(partnership=partnership, kind="boards.pack", params=params)
    assert job.title == "Youth Justice Management Board: meeting pack for 4 June 2024"
    assert documents.document_request(partnership=partnership, kind="boards.pack", params=params).pk == job.pk
    done = documents.document_render(job_id=job.pk)
    assert done.status == DocumentJob.Status.DONE, done.error
    text = " ".join(pdftotext(done.file.read()).split())
    for expected in (
        "Agenda",
        "Minutes and matters arising",
        "Spotlight: reparation project",
        "Youth justice plan 2024/25 for approval",
        "Minutes of the last meeting",
        "The board approved the remand strategy and asked for a custody audit.",
        "Action tracker extract",
        "ACT-3 Remand strategy: red, overdue (print)",
        "Performance summary",
        "First time entrants 262 per 100,000 (print)",
    ):
        assert expected in text, expected
    assert "This must not appear" not in text
    assert text.index("Action tracker extract") < text.index("Performance summary")
    # a change to the agenda is a new state, so a new pack
    AgendaItemFactory(meeting=pack_meeting, order=4, title="Any other business")
    assert documents.document_request(partnership=partnership, kind="boards.pack", params=params).pk != job.pk


def test_the_pack_works_with_no_spoke_blocks_registered(monkeypatch, pack_meeting, partnership):
    monkeypatch.setattr(registry, "blocks", {k: v for k, v in registry.blocks.items() if k.startswith("boards.")})
    job = documents.document_request(
        partnership=partnership, kind="boards.pack", params={"p_meeting": str(pack_meeting.pk)}
    )
    done = documents.document_render(job_id=job.pk)
    assert done.status == DocumentJob.Status.DONE, done.error
    assert "Youth justice plan 2024/25 for approval" in pdftotext(done.file.read())


def test_requesting_a_pack_for_a_missing_or_foreign_meeting_is_404(
    client, partnership, other_partnership, pack_meeting
):
    client.force_login(member(other_partnership, Role.MANAGER).user)
    target = reverse("document_request", kwargs={"slug": other_partnership.slug, "kind": "boards.pack"})
    assert client.post(target, {"p_meeting": str(pack_meeting.pk)}).status_code == 404
    assert client.post(target, {"p_meeting": "nonsense"}).status_code == 404
    assert client.post(target).status_code == 404
    assert DocumentJob.objects.count() == 0


def test_membership_block_snapshot_and_print(partnership):
    board = BoardFactory(
        partnership=partnership, name="Youth Justice Management Board", reports_to="Safeguarding Partnership"
    )
    BoardMemberFactory(
        board=board,
        name="Helen Brook",
        role="chair",
        agency="police",
        seniority="Assistant Chief Constable",
        organisation="Cambridgeshire Constabulary",
    )
    BoardMemberFactory(
        board=board, name="Pat Commissioner", role="member", agency="pcc", seniority="Deputy PCC", organisation="OPCC"
    )
    BoardMemberFactory(board=board, name="Gone Away", agency="health", end_date=dt.date(2023, 6, 30))
    block = registry.block("boards.membership")
    snapshot = block.snapshot(partnership, on=dt.date(2024, 1, 1))
    assert snapshot == {
        "on": "2024-01-01",
        "boards": [
            {
                "name": "Youth Justice Management Board",
                "kind": "Management board",
                "reports_to": ["Safeguarding Partnership"],
                "quorum": 3,
                "members": [
                    {
                        "name": "Helen Brook",
                        "role": "Chair",
                        "seniority": "Assistant Chief Constable",
                        "organisation": "Cambridgeshire Constabulary",
                        "agency": "Police",
                        "statutory": True,
                    },
                    {
                        "name": "Pat Commissioner",
                        "role": "Member",
                        "seniority": "Deputy PCC",
                        "organisation": "OPCC",
                        "agency": "Police and Crime Commissioner",
                        "statutory": False,
                    },
                ],
            }
        ],
    }
    html = block.render_snapshot(snapshot)
    assert (
        '<th scope="row">Helen Brook</th><td>Chair</td>'
        "<td>Assistant Chief Constable, Cambridgeshire Constabulary</td><td>Police</td><td>Yes</td>" in html
    )
    assert "Gone Away" not in html


def test_schedule_and_attendance_blocks(partnership):
    board = BoardFactory(partnership=partnership, name="Chief Officer Board")
    police = BoardMemberFactory(board=board, agency="police")
    held = MeetingFactory(board=board, starts_at=at("2023-06-01"), ends_at=at("2023-06-01", "12:00"))
    AttendanceFactory(meeting=held, member=police, status="present")
    MeetingFactory(
        board=board,
        starts_at=at("2023-09-01"),
        ends_at=at("2023-09-01", "12:00"),
        status="cancelled",
        online=True,
        place="",
    )
    schedule = registry.block("boards.meeting_schedule").snapshot(partnership, year=2023)
    assert schedule == {
        "year": "2023/24",
        "meetings": [
            {
                "board": "Chief Officer Board",
                "date": "2023-06-01",
                "time": "10:00 to 12:00",
                "where": "Shire Hall, Committee Room 2",
                "status": "Held",
            },
            {
                "board": "Chief Officer Board",
                "date": "2023-09-01",
                "time": "10:00 to 12:00",
                "where": "Online",
                "status": "Cancelled",
            },
        ],
    }
    printed = registry.block("boards.meeting_schedule").render_snapshot(schedule, media="print")
    assert '<th scope="row">1 June 2023</th>' in printed and "2023-06-01" not in printed
    attendance = registry.block("boards.attendance_summary").snapshot(partnership, year=2023)
    assert (attendance["board"], attendance["held"], attendance["cancelled"], attendance["kpi"]) == (
        "Chief Officer Board",
        1,
        1,
        "20.0",
    )
    assert attendance["by_quarter"] == [
        {
            "quarter": "Q1 2023/24 (April to June 2023)",
            "meetings": 1,
            "represented": 1,
            "possible": 5,
            "percent": "20.0",
        }
    ]
    assert "Board attendance figure: 20.0%" in registry.block("boards.attendance_summary").render_snapshot(attendance)


def test_dashboard_tile_and_nav(client, partnership, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(registry, "attention", {})
    registry.register_attention(
        Attention(
            key="tests.one", title="One", fetch=lambda p, since=None: [{"title": "Overdue action", "severity": "high"}]
        )
    )
    board = BoardFactory(partnership=partnership)
    police = BoardMemberFactory(board=board, agency="police")
    today = timezone.localdate()
    year_start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    held = MeetingFactory(
        board=board, starts_at=at(year_start.isoformat()), ends_at=at(year_start.isoformat(), "12:00")
    )
    AttendanceFactory(meeting=held, member=police, status="present")
    soon = timezone.now() + dt.timedelta(days=3)
    upcoming = MeetingFactory(board=board, starts_at=soon, ends_at=soon + dt.timedelta(hours=2), status="scheduled")
    data = selectors.dashboard_tile(partnership)
    assert (data["next"], data["proposed"], data["kpi"]["percent"]) == (
        {"pk": upcoming.pk, "starts_at": upcoming.starts_at},
        1,
        selectors.percent(1, 5),
    )
    client.force_login(member(partnership, Role.VIEWER).user)
    html = client.get(reverse("dashboard", kwargs={"slug": partnership.slug})).content.decode()
    assert "proposed for its agenda" not in html  # the agenda builder is not a viewer's page
    assert "20.0%" in html
    client.force_login(member(partnership, Role.MANAGER).user)
    html = client.get(reverse("dashboard", kwargs={"slug": partnership.slug})).content.decode()
    builder = reverse("boards:agenda_builder", kwargs={"slug": partnership.slug, "pk": upcoming.pk})
    assert f'<a class="govuk-link" href="{builder}">1 item proposed for its agenda</a>.' in html
    client.force_login(member(partnership, Role.VIEWER).user)
    html = client.get(reverse("dashboard", kwargs={"slug": partnership.slug})).content.decode()
    assert f'href="{reverse("boards:index", kwargs={"slug": partnership.slug})}"' in html
    assert registry.nav["boards.board"].order == 50
    # the figures are cached for two minutes: a warm tile costs one query
    with django_assert_num_queries(1):
        selectors.dashboard_tile(partnership)


def test_audited_models_have_a_history_page(client, partnership):
    board = BoardFactory(partnership=partnership)
    client.force_login(member(partnership, Role.VIEWER).user)
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting)
    for label, pk in (("boards.board", board.pk), ("boards.meeting", meeting.pk), ("boards.agendaitem", item.pk)):
        target = reverse("record_history", kwargs={"slug": partnership.slug, "label": label, "pk": pk})
        assert client.get(target).status_code == 200, label
    other = member(PartnershipFactory(), Role.VIEWER)
    client.force_login(other.user)
    target = reverse(
        "record_history", kwargs={"slug": other.partnership.slug, "label": "boards.meeting", "pk": meeting.pk}
    )
    assert client.get(target).status_code == 404
    assert sorted(k for k in registry.audited if k.startswith("boards.")) == [
        "boards.agendaitem",
        "boards.attendance",
        "boards.board",
        "boards.boardmember",
        "boards.decision",
        "boards.meeting",
        "boards.quarterlysummary",
    ]


def test_decisions_awaiting_a_tracked_action_are_an_attention_source(partnership, no_action_tracker):
    from boards import services

    board = BoardFactory(partnership=partnership)
    meeting = MeetingFactory(board=board, starts_at=at("2024-05-14"), ends_at=at("2024-05-14", "12:00"))
    wanted = services.decision_add(meeting=meeting, text="Commission a custody audit", action_requested=True)
    services.decision_add(meeting=meeting, text="Noted the report")
    linked = services.decision_add(meeting=meeting, text="Refresh the remand strategy", action_requested=True)
    services.decision_link_action(decision=linked, reference="ACT-14")
    items = [i for i in registry.attention_items(partnership) if i["source"] == "boards.decisions"]
    assert items == [
        {
            "title": "Decision of 14 May 2024 needs a tracked action",
            "detail": "Commission a custody audit",
            "url": reverse("boards:meeting", kwargs={"slug": partnership.slug, "pk": meeting.pk}) + "#decisions",
            "kind": "decision",
            "severity": "medium",
            "decision_id": wanted.pk,
            "source": "boards.decisions",
        }
    ]
