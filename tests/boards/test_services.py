"""Bad input to the boards services is refused with the field named, and nothing is written."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from boards import services
from boards.models import AgendaItem, Attendance, BoardMember, Meeting
from tests.boards.factories import AgendaItemFactory, BoardFactory, BoardMemberFactory, MeetingFactory, at
from tests.factories import member
from yjplan.permissions import Role
from yjplan.services import Conflict


def zipped(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def board(partnership):
    return BoardFactory(partnership=partnership, name="Youth Justice Management Board")


def test_a_meeting_cannot_end_before_it_starts(board):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_create(
            board=board, starts_at=at("2024-06-04", "14:00"), ends_at=at("2024-06-04", "13:00"), place="Shire Hall"
        )
    assert excinfo.value.message_dict == {"ends_at": ["The meeting must end after it starts"]}
    assert Meeting.objects.count() == 0


def test_a_meeting_needs_a_place_or_online(board):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_create(board=board, starts_at=at("2024-06-04", "14:00"), ends_at=at("2024-06-04", "16:00"))
    assert excinfo.value.message_dict == {"place": ["Enter where the meeting is held, or say it is online"]}
    meeting = services.meeting_create(
        board=board, starts_at=at("2024-06-04", "14:00"), ends_at=at("2024-06-04", "16:00"), online=True
    )
    assert meeting.where == "Online"


def test_a_duplicate_member_entry_overlapping_in_time_is_refused(board):
    services.member_add(
        board=board, name="Helen Brook", agency="police", start_date=dt.date(2023, 1, 1), end_date=dt.date(2023, 12, 31)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.member_add(board=board, name=" helen brook ", agency="police", start_date=dt.date(2023, 6, 1))
    assert excinfo.value.message_dict == {
        "start_date": ["Helen Brook is already a member of this board from 1 January 2023 until 31 December 2023"]
    }
    # a later, separate seat is fine
    services.member_add(board=board, name="Helen Brook", agency="police", start_date=dt.date(2024, 1, 1))
    assert BoardMember.objects.filter(board=board).count() == 2


def test_a_member_linked_to_the_same_user_twice_is_refused(board, partnership):
    person = member(partnership, Role.CHAIR)
    services.member_add(board=board, name="H. Brook", agency="police", start_date=dt.date(2023, 1, 1), user=person.user)
    with pytest.raises(ValidationError) as excinfo:
        services.member_add(
            board=board, name="Helen Brook", agency="police", start_date=dt.date(2024, 1, 1), user=person.user
        )
    assert list(excinfo.value.message_dict) == ["start_date"]


def test_a_member_may_only_link_a_user_of_the_partnership(board, other_partnership):
    stranger = member(other_partnership, Role.BOARD)
    with pytest.raises(ValidationError) as excinfo:
        services.member_add(
            board=board, name="Stranger", agency="police", start_date=dt.date(2023, 1, 1), user=stranger.user
        )
    assert excinfo.value.message_dict == {"user": ["Choose someone who belongs to this partnership"]}


def test_member_end_date_before_start_is_refused(board):
    seat = services.member_add(board=board, name="Ann Other", agency="health", start_date=dt.date(2023, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.member_end(member=seat, end_date=dt.date(2023, 4, 30))
    assert excinfo.value.message_dict == {"end_date": ["The end date must be on or after the start date, 1 May 2023"]}
    services.member_end(member=seat, end_date=dt.date(2024, 3, 31))
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2024, 3, 31)


def test_attendance_only_for_someone_who_is_a_member_on_that_date(board):
    meeting = MeetingFactory(board=board, starts_at=at("2023-05-10"), ends_at=at("2023-05-10", "12:00"))
    early = BoardMemberFactory(board=board, name="Gone Before", end_date=dt.date(2023, 3, 31))
    late = BoardMemberFactory(board=board, name="Joined After", start_date=dt.date(2023, 6, 1))
    elsewhere = BoardMemberFactory(name="Other Board")
    current = BoardMemberFactory(board=board, name="Sitting Member")
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(
            meeting=meeting,
            rows=[
                {"member": current, "status": "present"},
                {"member": early, "status": "present"},
                {"member": late, "status": "apologies"},
                {"member": elsewhere, "status": "present"},
            ],
        )
    assert excinfo.value.messages == [
        "Gone Before was not a member of the board on 10 May 2023",
        "Joined After was not a member of the board on 10 May 2023",
        "Other Board was not a member of the board on 10 May 2023",
    ]
    assert Attendance.objects.count() == 0


def test_a_deputy_needs_a_name_and_a_cancelled_meeting_takes_no_attendance(board):
    meeting = MeetingFactory(board=board)
    seat = BoardMemberFactory(board=board, name="Dee Health", agency="health")
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(meeting=meeting, rows=[{"member": seat, "status": "deputy", "deputy_name": " "}])
    assert excinfo.value.messages == ["Dee Health: enter the name of the deputy who attended"]
    saved = services.attendance_record(
        meeting=meeting, rows=[{"member": seat, "status": "deputy", "deputy_name": "Dr Ray"}]
    )
    assert [(a.status, a.deputy_name) for a in saved] == [("deputy", "Dr Ray")]
    services.attendance_record(meeting=meeting, rows=[{"member": seat, "status": ""}])
    assert Attendance.objects.count() == 0
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(meeting=meeting, rows=[{"member": seat, "status": "present"}])
    assert excinfo.value.messages == ["The meeting was cancelled: there is no attendance to record"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("paper.txt", b"hello", "The paper must be a PDF, DOCX or XLSX file"),
        ("paper.exe", b"MZ\x90\x00", "The paper must be a PDF, DOCX or XLSX file"),
        ("paper.pdf", b"<html>not a pdf</html>", "The file's content is not a PDF document"),
        ("paper.docx", b"%PDF-1.7 pretending", "The file's content is not a DOCX document"),
        ("paper.docx", zipped("xl/"), "The file's content is not a DOCX document"),
        ("paper.xlsx", zipped("word/"), "The file's content is not a XLSX document"),
        ("paper.xlsx", b"PK\x03\x04broken zip", "The file's content is not a XLSX document"),
        ("paper.pdf", b"", "The paper is empty"),
    ],
)
def test_papers_of_the_wrong_type_or_content_are_refused(board, name, content, message):
    meeting = MeetingFactory(board=board)
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_add(meeting=meeting, title="Budget", paper=SimpleUploadedFile(name, content))
    assert excinfo.value.message_dict == {"paper": [message]}
    assert AgendaItem.objects.count() == 0


def test_a_paper_over_10_mb_is_refused(board):
    meeting = MeetingFactory(board=board)
    big = SimpleUploadedFile("pack.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_add(meeting=meeting, title="Budget", paper=big)
    assert excinfo.value.message_dict == {"paper": ["The paper must be smaller than 10 MB"]}


@pytest.mark.parametrize(
    ("name", "content"),
    [("Budget 2024.pdf", b"%PDF-1.7\nbody"), ("Tracker.docx", zipped("word/")), ("Figures.xlsx", zipped("xl/"))],
)
def test_good_papers_are_stored_through_the_storage_api(board, name, content):
    meeting = MeetingFactory(board=board)
    item = services.agenda_item_add(meeting=meeting, title="Budget", paper=SimpleUploadedFile(name, content))
    assert item.paper_name == name
    assert item.paper.name.startswith("boards/papers/")
    assert item.paper.name.endswith("." + name.rsplit(".", 1)[1])
    with item.paper.open("rb") as stored:
        assert stored.read() == content


def test_minutes_are_sanitised(board):
    meeting = MeetingFactory(board=board)
    saved = services.minutes_save(
        meeting=meeting,
        minutes='<p onclick="steal()">Agreed the <strong>budget</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">link</a><img src=x onerror="alert(2)">',
    )
    assert saved.minutes == '<p>Agreed the <strong>budget</strong></p><a rel="noopener noreferrer">link</a>'


def test_two_people_editing_the_same_meeting_from_stale_pages_conflict(board):
    meeting = MeetingFactory(board=board, starts_at=at("2024-06-04", "10:00"), ends_at=at("2024-06-04", "12:00"))
    stale = meeting.updated_at.isoformat()
    services.minutes_save(meeting=meeting, minutes="<p>First version</p>", version=stale)
    with pytest.raises(Conflict) as excinfo:
        services.minutes_save(meeting=meeting, minutes="<p>Second version</p>", version=stale)
    assert excinfo.value.theirs == {"minutes": "<p>First version</p>"}
    assert excinfo.value.yours == {"minutes": "<p>Second version</p>"}
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>First version</p>"
    data = {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": "Online room",
        "online": True,
        "status": "held",
    }
    with pytest.raises(Conflict) as excinfo:
        services.meeting_update(meeting=meeting, data=data, version=stale)
    assert excinfo.value.yours == {
        "date": "4/6/2024",
        "start_time": "10:00",
        "end_time": "12:00",
        "place": "Online room",
        "online": "Yes",
        "status": "Held",
    }
    assert excinfo.value.theirs["place"] == "Shire Hall, Committee Room 2"


def test_apologies_only_for_a_scheduled_meeting_and_a_current_seat(board):
    meeting = MeetingFactory(board=board, status=Meeting.Status.SCHEDULED)
    seat = BoardMemberFactory(board=board, name="Rae Board")
    record = services.apologies_record(meeting=meeting, member=seat)
    assert (record.status, record.member_id) == ("apologies", seat.pk)
    meeting.status = Meeting.Status.HELD
    meeting.save()
    with pytest.raises(ValidationError) as excinfo:
        services.apologies_record(meeting=meeting, member=seat)
    assert excinfo.value.messages == ["The meeting is held: apologies are no longer taken"]


def test_decisions_and_action_reference(board, no_action_tracker):
    meeting = MeetingFactory(board=board)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_add(meeting=meeting, text="  ")
    assert excinfo.value.message_dict == {"text": ["Enter the decision"]}
    decision = services.decision_add(meeting=meeting, text="Adopt the remand strategy", action_requested=True)
    assert (decision.action_requested, decision.action_reference) == (True, "")
    assert services.decision_link_action(decision=decision, reference=" ACT-12 ").action_reference == "ACT-12"


def test_carried_over_items_keep_their_source(board):
    old = AgendaItemFactory(meeting=MeetingFactory(board=board), title="Reoffending deep dive", kind="decision")
    new_meeting = MeetingFactory(board=board, starts_at=at("2023-08-01"), ends_at=at("2023-08-01", "12:00"))
    created = services.agenda_accept(
        meeting=new_meeting,
        accepted=[
            {
                "title": "Reoffending deep dive (part 2)",
                "kind": "decision",
                "links": "",
                "source": "",
                "carried_over_from": old.pk,
            }
        ],
    )
    assert [(i.title, i.order, i.carried_over_from_id) for i in created] == [
        ("Reoffending deep dive (part 2)", 1, old.pk)
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_accept(meeting=new_meeting, accepted=[{"title": " ", "kind": "information"}])
    assert excinfo.value.messages == ["Proposal 1: enter a title"]


def test_membership_dates_must_keep_recorded_attendance_inside(board):
    seat = BoardMemberFactory(board=board, name="Cal Probation", agency="probation", start_date=dt.date(2023, 1, 1))
    services.attendance_record(meeting=MeetingFactory(board=board), rows=[{"member": seat, "status": "present"}])
    data = {f: getattr(seat, f) for f in services.MEMBER_FIELDS}
    with pytest.raises(ValidationError) as excinfo:
        services.member_update(member=seat, data={**data, "start_date": dt.date(2023, 6, 1)})
    assert excinfo.value.message_dict == {
        "start_date": ["Attendance is recorded for Cal Probation on 10 May 2023: keep that date inside the membership"]
    }
    with pytest.raises(ValidationError) as excinfo:
        services.member_end(member=seat, end_date=dt.date(2023, 5, 1))
    assert excinfo.value.message_dict == {
        "end_date": ["Attendance is recorded for this person after that date: choose a later date"]
    }
