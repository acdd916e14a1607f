"""The demo boards: the seeds' facts, a year of meetings with a cancelled one and deputies, idempotent."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from boards import demo, selectors
from boards.models import Attendance, Board, BoardMember, Meeting
from yjplan.management.commands.seed_demo import DEMO_FILE, Command


@pytest.fixture
def demo_partnerships(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 21 demo accounts, quickly
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    command = Command()
    return {p["slug"]: command.seed_partnership(p, spec["password"]) for p in spec["partnerships"]}


def test_demo_boards(demo_partnerships, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2024, 7, 20))
    demo.seed(demo_partnerships)
    demo.seed(demo_partnerships)  # a second run changes nothing
    assert Board.objects.count() == 3
    cambs = Board.objects.get(partnership__slug="cambs-peterborough")
    chair = cambs.members.get(role="chair")
    assert (chair.name, chair.seniority, chair.organisation, chair.agency, chair.user.email) == (
        "Helen Brook",
        "Assistant Chief Constable",
        "Cambridgeshire Constabulary",
        "police",
        "chair@cambs-peterborough.demo",
    )
    statutory = {
        m.get_agency_display() for m in cambs.members.all() if m.is_statutory and m.active_on(dt.date(2024, 7, 20))
    }
    assert statutory == {"Local Authority", "Police", "Probation", "Health (ICB / CCG)", "Education"}
    assert cambs.reports_to_list == [
        "Cambridgeshire and Peterborough Safeguarding Executive Board",
        "Countywide Community Safety Board",
    ]
    warwickshire = Board.objects.get(partnership__slug="warwickshire")
    assert [
        (m.role, m.seniority) for m in warwickshire.members.filter(role__in=["chair", "vice_chair"]).order_by("role")
    ] == [
        ("chair", "Strategic Director for People and Director of Children's Services"),
        ("vice_chair", "Director of Public Health"),
    ]
    leicester = Board.objects.get(partnership__slug="leicester")
    assert sorted(leicester.members.filter(agency__in=["youth_court", "pcc"]).values_list("agency", flat=True)) == [
        "pcc",
        "youth_court",
    ]
    for board, held in ((cambs, 5), (warwickshire, 3), (leicester, 5)):
        statuses = list(board.meetings.order_by("starts_at").values_list("status", flat=True))
        assert statuses.count("cancelled") == 1, board.name
        assert statuses.count("held") == held, board.name
        assert statuses[-1] == "scheduled"
        assert Attendance.objects.filter(meeting__board=board, status="deputy").exclude(deputy_name="").exists()
        assert not Attendance.objects.filter(meeting__board=board, meeting__status=Meeting.Status.CANCELLED).exists()
    upcoming = cambs.meetings.get(status="scheduled")
    assert timezone.localtime(upcoming.starts_at).date() == dt.date(2024, 9, 10)
    carried = [p["title"] for p in selectors.agenda_proposals(meeting=upcoming) if p["origin"] == "carried"]
    assert carried == []  # the unfinished item of the last meeting is already on the next agenda
    assert upcoming.items.filter(carried_over_from__isnull=False).count() == 1
    data = selectors.attendance_analytics(board=cambs)
    assert (data["held"], data["cancelled"]) == (5, 1)
    assert BoardMember.objects.filter(user__isnull=False).count() == 9
