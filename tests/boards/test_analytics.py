"""Attendance by agency, by member, by year and the YJB board attendance KPI on dated data."""

import datetime as dt
from decimal import Decimal

import pytest

from boards import selectors
from boards.models import Meeting
from tests.boards.factories import AttendanceFactory, BoardFactory, BoardMemberFactory, MeetingFactory, at

P, A, D, X = "present", "apologies", "deputy", "absent"


@pytest.fixture
def board_year(partnership):
    """A board's 2023/24: three meetings held, one cancelled (with stray attendance), one still scheduled."""
    board = BoardFactory(partnership=partnership, quorum=3)
    seat = {
        "A": BoardMemberFactory(board=board, name="Alex Police", agency="police", role="chair"),
        "B": BoardMemberFactory(board=board, name="Bea Council", agency="local_authority"),
        "C": BoardMemberFactory(board=board, name="Cal Probation", agency="probation", end_date=dt.date(2023, 9, 30)),
        "D": BoardMemberFactory(board=board, name="Dee Health", agency="health"),
        "E": BoardMemberFactory(board=board, name="Eli Commissioner", agency="pcc"),
        "F": BoardMemberFactory(board=board, name="Fay Education", agency="education", start_date=dt.date(2023, 10, 1)),
        "G": BoardMemberFactory(board=board, name="Gus Council", agency="local_authority"),
    }
    plan = {
        ("2023-05-10", Meeting.Status.HELD): {"A": P, "B": P, "C": D, "D": A, "E": P, "G": X},
        ("2023-07-12", Meeting.Status.CANCELLED): {"A": P, "B": P, "D": P},
        ("2023-08-20", Meeting.Status.HELD): {"A": A, "B": D, "G": P, "C": P, "D": P, "E": X},
        ("2023-11-15", Meeting.Status.HELD): {"A": P, "B": P, "D": D, "F": P, "E": A},
        ("2024-01-10", Meeting.Status.SCHEDULED): {"A": A},
    }
    meetings = {}
    for (day, status), marks in plan.items():
        meeting = MeetingFactory(board=board, starts_at=at(day), ends_at=at(day, "12:00"), status=status)
        meetings[day] = meeting
        for key, mark in marks.items():
            AttendanceFactory(
                meeting=meeting, member=seat[key], status=mark, deputy_name="A deputy" if mark == D else ""
            )
    return board, seat, meetings


def test_attendance_by_agency_counts_deputies_separately_and_leaves_out_cancelled_meetings(board_year):
    board, _, _ = board_year
    data = selectors.attendance_analytics(board=board)
    assert (data["held"], data["cancelled"]) == (3, 1)
    rows = [
        (
            r["agency"],
            r["statutory"],
            r["in_person"],
            r["deputy_only"],
            r["represented"],
            r["not_represented"],
            r["percent"],
        )
        for r in data["by_agency"]
    ]
    assert rows == [
        ("Local Authority", True, 3, 0, 3, 0, Decimal("100.0")),
        ("Police", True, 2, 0, 2, 1, Decimal("66.7")),
        ("Probation", True, 1, 1, 2, 1, Decimal("66.7")),
        ("Health (ICB / CCG)", True, 1, 1, 2, 1, Decimal("66.7")),
        ("Education", True, 1, 0, 1, 2, Decimal("33.3")),
        ("Police and Crime Commissioner", False, 1, 0, 1, 2, Decimal("33.3")),
    ]


def test_attendance_by_member_counts_only_meetings_held_while_they_had_a_seat(board_year):
    board, _, _ = board_year
    rows = [
        (
            r["name"],
            r["expected"],
            r["present"],
            r["deputy"],
            r["apologies"],
            r["absent"],
            r["not_recorded"],
            r["percent"],
        )
        for r in selectors.attendance_analytics(board=board)["by_member"]
    ]
    assert rows == [
        ("Alex Police", 3, 2, 0, 1, 0, 0, Decimal("66.7")),
        ("Bea Council", 3, 2, 1, 0, 0, 0, Decimal("66.7")),
        ("Cal Probation", 2, 1, 1, 0, 0, 0, Decimal("50.0")),
        ("Dee Health", 3, 1, 1, 1, 0, 0, Decimal("33.3")),
        ("Eli Commissioner", 3, 1, 0, 1, 1, 0, Decimal("33.3")),
        ("Fay Education", 1, 1, 0, 0, 0, 0, Decimal("100.0")),
        ("Gus Council", 3, 1, 0, 0, 1, 1, Decimal("33.3")),
    ]


def test_kpi_per_quarter_and_by_year(board_year):
    board, _, _ = board_year
    data = selectors.attendance_analytics(board=board)
    assert data["kpi"] == {"meetings": 3, "represented": 10, "possible": 15, "percent": Decimal("66.7")}
    assert [(q["quarter"], q["represented"], q["possible"], q["percent"]) for q in data["by_quarter"]] == [
        ("Q1 2023/24 (April to June 2023)", 3, 5, Decimal("60.0")),
        ("Q2 2023/24 (July to September 2023)", 3, 5, Decimal("60.0")),
        ("Q3 2023/24 (October to December 2023)", 4, 5, Decimal("80.0")),
    ]
    assert data["by_year"] == [
        {
            "year": "2023/24",
            "held": 3,
            "cancelled": 1,
            "members_present": 9,
            "deputies": 3,
            "apologies": 3,
            "absent": 2,
            "kpi": Decimal("66.7"),
        }
    ]
    # a period: only the first half of the year
    part = selectors.attendance_analytics(board=board, start=dt.date(2023, 4, 1), end=dt.date(2023, 9, 30))
    assert (part["held"], part["cancelled"], part["kpi"]["percent"]) == (2, 1, Decimal("60.0"))


def test_quorum_on_each_meeting(board_year):
    board, _, meetings = board_year
    by_day = {m.day.isoformat(): m.quorum for m in selectors.board_meetings(board=board)}
    assert by_day["2023-05-10"] == {
        "required": 3,
        "represented": 3,
        "agencies": ["Local Authority", "Police", "Probation"],
        "met": True,
        "label": "Quorate",
    }
    assert by_day["2023-11-15"]["represented"] == 4
    assert by_day["2023-07-12"]["label"] == "Cancelled"
    assert by_day["2024-01-10"]["label"] == "Not quorate"
    board.quorum = 4
    board.save()
    assert selectors.board_meetings(board=board)[-1].quorum["label"] == "Not quorate"


def test_analytics_cost_three_queries_whatever_the_size(board_year, django_assert_num_queries):
    board, _, _ = board_year
    with django_assert_num_queries(3):
        selectors.attendance_analytics(board=board)


def test_quarter_helpers():
    assert selectors.quarter_start(dt.date(2024, 2, 29)) == dt.date(2024, 1, 1)
    assert selectors.quarter_start(dt.date(2024, 4, 1)) == dt.date(2024, 4, 1)
    assert selectors.quarter_start(dt.date(2024, 12, 31)) == dt.date(2024, 10, 1)
    assert selectors.next_quarter(dt.date(2024, 10, 1)) == dt.date(2025, 1, 1)
    assert selectors.previous_quarter(dt.date(2025, 1, 1)) == dt.date(2024, 10, 1)
    assert selectors.quarter_label(dt.date(2025, 1, 1)) == "Q4 2024/25 (January to March 2025)"
    assert selectors.parse_quarter("2024-05-17", dt.date(2000, 1, 1)) == dt.date(2024, 4, 1)
    assert selectors.parse_quarter("nonsense", dt.date(2000, 1, 1)) == dt.date(2000, 1, 1)


def test_advisers_do_not_represent_an_agency(partnership):
    board = BoardFactory(partnership=partnership, quorum=3)
    meeting = MeetingFactory(board=board)
    for name, agency, role in (
        ("Head of Service", "local_authority", "adviser"),
        ("Police Member", "police", "member"),
        ("Health Member", "health", "member"),
    ):
        AttendanceFactory(meeting=meeting, member=BoardMemberFactory(board=board, name=name, agency=agency, role=role))
    (listed,) = selectors.board_meetings(board=board)
    assert (listed.quorum["represented"], listed.quorum["label"]) == (2, "Not quorate")
    data = selectors.attendance_analytics(board=board)
    assert data["kpi"]["represented"] == 2
    assert [r["present"] for r in data["by_member"]] == [1, 1, 1]
