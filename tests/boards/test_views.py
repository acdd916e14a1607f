"""The board pages through the test client: forms name the field at fault, stale edits get the conflict
page with nothing lost, papers download, exports, fixed query counts."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from boards import services
from boards.models import AgendaItem, Attendance, BoardMember, Decision, Meeting, QuarterlySummary
from tests.boards.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    BoardMemberFactory,
    MeetingFactory,
    at,
)
from tests.factories import member
from yjplan.permissions import Role


@pytest.fixture
def board(partnership):
    return BoardFactory(partnership=partnership, name="Youth Justice Management Board")


@pytest.fixture
def manager_client(client, partnership):
    client.force_login(member(partnership, Role.MANAGER).user)
    return client


def url(name, partnership, **kwargs):
    return reverse(f"boards:{name}", kwargs={"slug": partnership.slug, **kwargs})


def test_adding_a_board_member_and_a_duplicate(manager_client, partnership, board):
    target = url("member_add", partnership, pk=board.pk)
    data = {
        "name": "Helen Brook",
        "seniority": "Assistant Chief Constable",
        "organisation": "Cambridgeshire Constabulary",
        "agency": "police",
        "role": "chair",
        "user": "",
        "start_date": "1/1/2018",
        "end_date": "",
        "induction_date": "15 January 2018",
    }
    assert manager_client.post(target, data).status_code == 302
    seat = BoardMember.objects.get()
    assert (seat.role, seat.agency, seat.is_statutory, seat.start_date, seat.induction_date) == (
        "chair",
        "police",
        True,
        dt.date(2018, 1, 1),
        dt.date(2018, 1, 15),
    )
    response = manager_client.post(target, {**data, "start_date": "1/6/2019"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_start_date"' in html
    assert "Helen Brook is already a member of this board from 1 January 2018 with no end date" in html
    response = manager_client.post(target, {**data, "start_date": "31/2/2019", "agency": "martian"})
    html = response.content.decode()
    assert "Start date must be a real date, like 27/3/2024" in html
    assert 'href="#id_agency"' in html
    assert BoardMember.objects.count() == 1
    page = manager_client.get(url("board", partnership, pk=board.pk)).content.decode()
    assert "Helen Brook" in page and "Assistant Chief Constable" in page
    assert '<strong class="govuk-tag govuk-tag--blue">Yes</strong>' in page


def test_a_meeting_that_ends_before_it_starts_names_the_end_time(manager_client, partnership, board):
    data = {
        "date": "4/6/2024",
        "start_time": "14:00",
        "end_time": "13:30",
        "place": "Shire Hall",
        "status": "scheduled",
    }
    response = manager_client.post(url("meeting_add", partnership, pk=board.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_end_time"' in html
    assert "The meeting must end after it starts" in html
    assert Meeting.objects.count() == 0
    response = manager_client.post(url("meeting_add", partnership, pk=board.pk), {**data, "end_time": "16:00"})
    meeting = Meeting.objects.get()
    assert response["Location"] == url("meeting", partnership, pk=meeting.pk)
    assert (meeting.starts_at, meeting.ends_at) == (at("2024-06-04", "14:00"), at("2024-06-04", "16:00"))


def test_stale_meeting_edit_shows_the_conflict_page_and_loses_nothing(client, partnership, board):
    first, second = member(partnership, Role.MANAGER), member(partnership, Role.ADMIN)
    meeting = MeetingFactory(board=board, starts_at=at("2024-06-04", "10:00"), ends_at=at("2024-06-04", "12:00"))
    target = url("meeting_edit", partnership, pk=meeting.pk)
    client.force_login(first.user)
    stale = client.get(target).context["form"].initial["version"]
    form = {"date": "4/6/2024", "start_time": "10:00", "end_time": "12:00", "status": "held", "version": stale}
    assert client.post(target, {**form, "place": "Room A"}).status_code == 302
    client.force_login(second.user)
    response = client.post(target, {**form, "place": "Room B"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this while you were editing" in html
    assert "Room A" in html and 'value="Room B"' in html
    meeting.refresh_from_db()
    assert meeting.place == "Room A"
    # sending theirs again with the fresh version saves it
    fresh = meeting.updated_at.isoformat()
    assert client.post(target, {**form, "place": "Room B", "version": fresh}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Room B"


def test_stale_minutes_edit_conflicts_and_saved_minutes_are_sanitised(manager_client, partnership, board):
    meeting = MeetingFactory(board=board)
    target = url("minutes", partnership, pk=meeting.pk)
    stale = meeting.updated_at.isoformat()
    response = manager_client.post(
        target, {"minutes": '<p onmouseover="x()">Agreed</p><script>alert(1)</script>', "version": stale}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>Agreed</p>"
    response = manager_client.post(target, {"minutes": "<p>My other minutes</p>", "version": stale})
    assert response.status_code == 409
    assert "My other minutes" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>Agreed</p>"
    page = manager_client.get(url("meeting", partnership, pk=meeting.pk)).content.decode()
    assert "<p>Agreed</p>" in page and "alert(1)" not in page


def test_paper_upload_errors_name_the_field_and_good_papers_download(manager_client, partnership, board):
    meeting = MeetingFactory(board=board)
    target = url("item_add", partnership, pk=meeting.pk)
    bad = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf")
    response = manager_client.post(target, {"title": "Budget", "kind": "decision", "paper": bad})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_paper"' in html
    assert "The file&#x27;s content is not a PDF document" in html
    assert AgendaItem.objects.count() == 0
    good = SimpleUploadedFile("Budget Q1.pdf", b"%PDF-1.7\nthe budget")
    assert manager_client.post(target, {"title": "Budget", "kind": "decision", "paper": good}).status_code == 302
    item = AgendaItem.objects.get()
    download = manager_client.get(url("paper", partnership, pk=item.pk))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Budget Q1.pdf"'
    assert b"".join(download.streaming_content) == b"%PDF-1.7\nthe budget"
    # an item without a paper has nothing to download
    plain = AgendaItemFactory(meeting=meeting)
    assert manager_client.get(url("paper", partnership, pk=plain.pk)).status_code == 404


def test_attendance_form_records_deputies_and_names_the_row_at_fault(manager_client, partnership, board):
    meeting = MeetingFactory(board=board)
    chair = BoardMemberFactory(board=board, name="Alex Chair", agency="police", role="chair")
    health = BoardMemberFactory(board=board, name="Dee Health", agency="health")
    BoardMemberFactory(board=board, name="Gone Before", end_date=dt.date(2023, 1, 31))
    target = url("attendance", partnership, pk=meeting.pk)
    page = manager_client.get(target).content.decode()
    assert "Alex Chair" in page and "Dee Health" in page and "Gone Before" not in page
    response = manager_client.post(
        target, {f"status_{chair.pk}": "present", f"status_{health.pk}": "deputy", f"deputy_{health.pk}": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_deputy_{health.pk}"' in html
    assert "Dee Health: enter the name of the deputy who attended" in html
    response = manager_client.post(
        target, {f"status_{chair.pk}": "present", f"status_{health.pk}": "deputy", f"deputy_{health.pk}": "Dr Ray"}
    )
    assert response.status_code == 302
    assert sorted(Attendance.objects.values_list("member__name", "status", "deputy_name")) == [
        ("Alex Chair", "present", ""),
        ("Dee Health", "deputy", "Dr Ray"),
    ]
    response = manager_client.post(target, {f"status_{chair.pk}": "teleported"})
    assert "Alex Chair: select present, apologies, sent a deputy or absent" in response.content.decode()


def test_a_board_member_records_their_own_apologies_only(client, partnership, board):
    meeting = MeetingFactory(board=board, status="scheduled")
    mine = member(partnership, Role.BOARD)
    BoardMemberFactory(board=board, name=mine.user.full_name, user=mine.user, agency="probation")
    BoardMemberFactory(board=board, name="Someone Else", agency="police")
    target = url("apologies", partnership, pk=meeting.pk)
    client.force_login(mine.user)
    assert "Send my apologies" in client.get(url("meeting", partnership, pk=meeting.pk)).content.decode()
    assert client.post(target).status_code == 302
    assert list(Attendance.objects.values_list("member__name", "status")) == [(mine.user.full_name, "apologies")]
    # a board-role user with no seat on this board gets 403
    stranger = member(partnership, Role.BOARD)
    client.force_login(stranger.user)
    assert client.post(target).status_code == 403
    assert client.get(target).status_code == 403
    assert Attendance.objects.count() == 1


def test_decisions_with_a_tracked_action_request(manager_client, partnership, board):
    meeting = MeetingFactory(board=board)
    target = url("decision_add", partnership, pk=meeting.pk)
    response = manager_client.post(target, {"text": ""})
    assert response.status_code == 200
    assert 'href="#id_text"' in response.content.decode()
    manager_client.post(target, {"text": "Adopt the remand strategy", "action_requested": "on"})
    decision = Decision.objects.get()
    # the actions spoke's creator (through the registry) makes the tracked action in the same step
    assert (decision.text, decision.action_requested, decision.action_reference) == (
        "Adopt the remand strategy",
        True,
        "D1",
    )
    page = manager_client.get(url("meeting", partnership, pk=meeting.pk)).content.decode()
    assert "Waiting for the action tracker" not in page
    assert ">D1<" in page


def test_quarterly_summary_prefill_save_conflict_and_export(manager_client, partnership, board):
    meeting = MeetingFactory(board=board, starts_at=at("2024-05-14"), ends_at=at("2024-05-14", "12:00"))
    services.decision_add(meeting=meeting, text="Approved the youth justice plan 2024/25")
    summary_url = url("summary", partnership, pk=board.pk) + "?quarter=2024-04-01"
    page = manager_client.get(summary_url).content.decode()
    assert "Q1 2024/25 (April to June 2024)" in page
    assert "14 May: Approved the youth justice plan 2024/25" in page
    edit = url("summary_edit", partnership, pk=board.pk) + "?quarter=2024-04-01"
    data = {
        "achieved": "- Plan approved",
        "support_needed": "- Safeguarding partnership: exploitation data",
        "priorities": "- Remand strategy",
        "risks": "- Grant reduced by 1%",
        "version": "",
    }
    assert manager_client.post(edit, data).status_code == 302
    saved = QuarterlySummary.objects.get()
    assert (saved.quarter_start, saved.achieved) == (dt.date(2024, 4, 1), "- Plan approved")
    response = manager_client.post(edit, {**data, "achieved": "- Something else"})
    assert response.status_code == 409
    saved.refresh_from_db()
    assert saved.achieved == "- Plan approved"
    csv = manager_client.get(url("summary_export", partnership, pk=board.pk) + "?quarter=2024-04-01&format=csv")
    assert csv.content.decode("utf-8-sig").splitlines() == [
        "Section,Point",
        "Achieved in the last quarter,Plan approved",
        "Support needed from partner boards,Safeguarding partnership: exploitation data",
        "Priorities for the next three months,Remand strategy",
        "Identified risks,Grant reduced by 1%",
    ]
    from openpyxl import load_workbook

    xlsx = manager_client.get(url("summary_export", partnership, pk=board.pk) + "?quarter=2024-04-01")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Q1 2024-25"
    assert [c.value for c in sheet[2]] == ["Achieved in the last quarter", "Plan approved"]


def test_another_partnership_s_records_are_404(client, partnership, other_partnership, board):
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting)
    seat = BoardMemberFactory(board=board)
    client.force_login(member(other_partnership, Role.MANAGER, Role.ADMIN).user)
    for name, pk in (("board", board.pk), ("meeting", meeting.pk), ("item_edit", item.pk), ("member_edit", seat.pk)):
        assert client.get(url(name, other_partnership, pk=pk)).status_code == 404


# --- fixed query counts ----------------------------------------------------------------------------------------


def _year_of_meetings(board, n):
    seats = [BoardMemberFactory(board=board, agency=a) for a in ("police", "health", "probation")]
    for i in range(n):
        day = dt.date(2023, 4, 3) + dt.timedelta(days=7 * i)
        meeting = MeetingFactory(board=board, starts_at=at(day.isoformat()), ends_at=at(day.isoformat(), "12:00"))
        AgendaItemFactory(meeting=meeting)
        for seat in seats:
            AttendanceFactory(
                meeting=meeting, member=seat, status="deputy" if i % 2 else "present", deputy_name="D" if i % 2 else ""
            )


def test_board_pages_have_fixed_query_counts(manager_client, partnership, board, query_guard):
    query_guard.assert_fixed(
        manager_client,
        url("index", partnership),
        add_rows=lambda n: [BoardFactory(partnership=partnership) for _ in range(n)],
        limit=10,
    )
    query_guard.assert_fixed(
        manager_client,
        url("board", partnership, pk=board.pk),
        add_rows=lambda n: [BoardMemberFactory(board=board) for _ in range(n)],
        limit=10,
    )
    _year_of_meetings(board, 1)  # with no meetings at all, the attendance prefetch is skipped
    query_guard.assert_fixed(
        manager_client,
        url("meetings", partnership, pk=board.pk),
        add_rows=lambda n: _year_of_meetings(board, n),
        limit=10,
    )
    query_guard.assert_fixed(
        manager_client,
        url("analytics", partnership, pk=board.pk),
        add_rows=lambda n: _year_of_meetings(board, n),
        limit=10,
    )


def test_meeting_pages_have_fixed_query_counts(manager_client, partnership, board, query_guard):
    meeting = MeetingFactory(board=board)

    def fill(n):
        for _ in range(n):
            seat = BoardMemberFactory(board=board)
            AttendanceFactory(meeting=meeting, member=seat, status="present")
            AgendaItemFactory(meeting=meeting, carried_over_from=AgendaItemFactory(meeting=MeetingFactory(board=board)))
            services.decision_add(meeting=meeting, text="Agreed")

    for name in ("meeting", "attendance"):
        query_guard.assert_fixed(manager_client, url(name, partnership, pk=meeting.pk), add_rows=fill, limit=14)


def test_boards_list_shows_the_soonest_meeting_and_board_edits_conflict(client, partnership, board):
    from django.utils import timezone

    soon = timezone.now() + dt.timedelta(days=10)
    for days in (40, 10):
        starts = timezone.now() + dt.timedelta(days=days)
        MeetingFactory(board=board, starts_at=starts, ends_at=starts + dt.timedelta(hours=1), status="scheduled")
    client.force_login(member(partnership, Role.ADMIN).user)
    page = client.get(url("index", partnership)).content.decode()
    assert timezone.localtime(soon).strftime("%-d %B %Y") in page
    response = client.post(
        url("board_add", partnership),
        {"name": "youth justice management board", "kind": "management", "quorum": "3"},
    )
    assert "already has a board called youth justice management board" in response.content.decode()
    response = client.post(
        url("board_add", partnership), {"name": "Performance sub-group", "kind": "sub_group", "quorum": "9"}
    )
    assert "Quorum must be a whole number from 0 to 5" in response.content.decode()
    target = url("board_edit", partnership, pk=board.pk)
    stale = board.updated_at.isoformat()
    data = {"name": board.name, "kind": "management", "quorum": "4", "reports_to": "", "version": stale}
    assert client.post(target, data).status_code == 302
    response = client.post(target, {**data, "quorum": "2"})
    assert response.status_code == 409
    board.refresh_from_db()
    assert board.quorum == 4


def test_ending_a_membership_through_the_page(manager_client, partnership, board):
    seat = BoardMemberFactory(board=board, name="Ian Dunmore", agency="education", start_date=dt.date(2017, 4, 1))
    target = url("member_end", partnership, pk=seat.pk)
    response = manager_client.post(target, {"end_date": "31/3/2017"})
    assert 'href="#id_end_date"' in response.content.decode()
    assert manager_client.post(target, {"end_date": "30/4/2019"}).status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2019, 4, 30)
    page = manager_client.get(url("board", partnership, pk=board.pk)).content.decode()
    assert "Past and future members" in page and "From 1 Apr 2017 to 30 Apr 2019" in page


def test_analytics_page_explains_the_kpi_formula(client, partnership, board):
    seat = BoardMemberFactory(board=board, agency="police")
    AttendanceFactory(meeting=MeetingFactory(board=board), member=seat, status="present")
    client.force_login(member(partnership, Role.VIEWER).user)
    html = client.get(url("analytics", partnership, pk=board.pk)).content.decode()
    assert "20.0% (1 of 5 statutory agency places represented)" in html
    assert "divided by five times the number of meetings held" in html
    assert "Q1 2023/24 (April to June 2023)" in html


def test_the_chair_sends_apologies_but_not_for_a_held_meeting(client, partnership, board):
    chair = member(partnership, Role.CHAIR)
    BoardMemberFactory(board=board, name="Helen Brook", user=chair.user, agency="police", role="chair")
    held = MeetingFactory(board=board, status="held")
    client.force_login(chair.user)
    response = client.post(url("apologies", partnership, pk=held.pk))
    assert response.status_code == 200
    assert "The meeting is held: apologies are no longer taken" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_out_of_range_dates_and_quarters_never_fail(manager_client, partnership, board):
    for quarter in ("0001-01-01", "9999-12-31", "2024-13-01", ""):
        for name in ("summary", "summary_edit", "summary_export"):
            response = manager_client.get(url(name, partnership, pk=board.pk) + f"?quarter={quarter}")
            assert response.status_code == 200, (name, quarter)
    data = {"date": "1/1/0001", "start_time": "10:00", "end_time": "11:00", "place": "Hall", "status": "scheduled"}
    response = manager_client.post(url("meeting_add", partnership, pk=board.pk), data)
    assert response.status_code == 200
    assert "Date must be between 1990 and 2100" in response.content.decode()
    response = manager_client.post(
        url("meeting_add", partnership, pk=board.pk), {**data, "date": "1/1/2024", "start_time": "25:00"}
    )
    assert "Start time must be a time on the 24-hour clock, like 14:30" in response.content.decode()
    assert Meeting.objects.count() == 0


GARBAGE = [
    {},
    {"name": "x" * 500, "kind": "nonsense", "quorum": "-1", "version": "not-a-version"},
    {"date": "31/2/2024", "start_time": "xx", "end_time": "", "status": "exploded", "online": "maybe"},
    {"title": "", "kind": "decision", "order": "1e9", "paper": "not a file", "finished": "yes"},
    {"minutes": "<script>alert(1)</script>" * 50, "text": "\x00", "version": "2000-01-01T00:00:00+00:00"},
    {"start_date": "yesterday", "end_date": "1/1/1", "user": "99999", "agency": "police", "role": "emperor"},
    {"status_1": "present", "deputy_999": "X", "accept_abc": "on", "title_abc": "T", "end_date": "0/0/0"},
]


def test_nothing_a_browser_sends_to_the_board_pages_causes_a_500(manager_client, partnership, board):
    meeting = MeetingFactory(board=board, status="scheduled")
    item = AgendaItemFactory(meeting=meeting)
    seat = BoardMemberFactory(board=board)
    targets = [
        url("board_add", partnership),
        url("board_edit", partnership, pk=board.pk),
        url("member_add", partnership, pk=board.pk),
        url("member_edit", partnership, pk=seat.pk),
        url("member_end", partnership, pk=seat.pk),
        url("meeting_add", partnership, pk=board.pk),
        url("meeting_edit", partnership, pk=meeting.pk),
        url("minutes", partnership, pk=meeting.pk),
        url("attendance", partnership, pk=meeting.pk),
        url("item_add", partnership, pk=meeting.pk),
        url("item_edit", partnership, pk=item.pk),
        url("decision_add", partnership, pk=meeting.pk),
        url("agenda_builder", partnership, pk=meeting.pk),
        url("summary_edit", partnership, pk=board.pk) + "?quarter=2024-04-01",
    ]
    for target in targets:
        for data in GARBAGE:
            response = manager_client.post(target, data)
            assert response.status_code in (200, 302, 409), (target, data, response.status_code)
