"""Every write of the boards spoke: keyword-only, validated, atomic; stale edits raise ``Conflict``."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from boards.models import PAPER_TYPES, AgendaItem, Attendance, Board, BoardMember, Decision, Meeting, QuarterlySummary
from yjplan.models import AgencyType, Membership
from yjplan.registry import registry
from yjplan.richtext import sanitise
from yjplan.services import version_check

PAPER_MAX_BYTES = 10 * 1024 * 1024
PAPER_ZIP_FOLDERS = {"docx": "word/", "xlsx": "xl/"}


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


# --- Boards -------------------------------------------------------------------------------------------------

BOARD_FIELDS = ["name", "kind", "terms_of_reference", "quorum", "reports_to"]


def _board_validate(partnership, name: str, exclude: int | None = None) -> None:
    qs = Board.objects.filter(partnership=partnership, name__iexact=name.strip())
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise ValidationError({"name": f"{partnership.name} already has a board called {name.strip()}"})


@transaction.atomic
def board_create(
    *, partnership, name: str, kind: str = Board.Kind.MANAGEMENT, terms_of_reference: str = "", quorum: int = 3,
    reports_to: str = "",
) -> Board:  # fmt: skip
    _board_validate(partnership, name)
    board = Board(
        partnership=partnership,
        name=name.strip(),
        kind=kind,
        terms_of_reference=terms_of_reference,
        quorum=quorum,
        reports_to=reports_to,
    )
    board.full_clean(validate_constraints=False)
    board.save()
    return board


@transaction.atomic
def board_update(*, board: Board, data: dict, version: str | None = None) -> Board:
    board = Board.objects.select_for_update().get(pk=board.pk)
    version_check(
        board,
        version,
        theirs={f: getattr(board, f) for f in BOARD_FIELDS},
        yours={f: data.get(f) for f in BOARD_FIELDS},
    )
    _board_validate(board.partnership, data["name"], exclude=board.pk)
    for field in BOARD_FIELDS:
        setattr(board, field, data[field])
    board.name = board.name.strip()
    board.full_clean(validate_constraints=False)
    board.save()
    return board


# --- Members ------------------------------------------------------------------------------------------------

MEMBER_FIELDS = [
    "name", "user", "organisation", "agency", "role", "seniority", "start_date", "end_date", "induction_date",
]  # fmt: skip


def _member_validate(member: BoardMember) -> None:
    errors = {}
    if not member.name.strip():
        errors["name"] = "Enter the person's name"
    if member.agency not in AgencyType.values:
        errors["agency"] = "Select the agency the person represents"
    if member.end_date and member.start_date and member.end_date < member.start_date:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if (
        member.user_id
        and not Membership.objects.filter(partnership_id=member.board.partnership_id, user_id=member.user_id).exists()
    ):
        errors["user"] = "Choose someone who belongs to this partnership"
    if errors:
        raise ValidationError(errors)
    far = dt.date.max
    others = BoardMember.objects.filter(board_id=member.board_id).exclude(pk=member.pk)
    for other in others:
        same = other.name.strip().lower() == member.name.strip().lower() or (
            member.user_id and other.user_id == member.user_id
        )
        overlaps = other.start_date <= (member.end_date or far) and member.start_date <= (other.end_date or far)
        if same and overlaps:
            until = f"until {_day(other.end_date)}" if other.end_date else "with no end date"
            raise ValidationError(
                {"start_date": f"{other.name} is already a member of this board from {_day(other.start_date)} {until}"}
            )


@transaction.atomic
def member_add(
    *, board: Board, name: str, agency: str, start_date: dt.date, role: str = BoardMember.Role.MEMBER, user=None,
    organisation: str = "", seniority: str = "", end_date: dt.date | None = None,
    induction_date: dt.date | None = None,
) -> BoardMember:  # fmt: skip
    Board.objects.select_for_update().get(pk=board.pk)  # one seat change at a time per board
    member = BoardMember(
        board=board,
        name=name.strip(),
        user=user,
        organisation=organisation.strip(),
        agency=agency,
        role=role,
        seniority=seniority.strip(),
        start_date=start_date,
        end_date=end_date,
        induction_date=induction_date,
    )
    _member_validate(member)
    member.save()
    return member


@transaction.atomic
def member_update(*, member: BoardMember, data: dict, version: str | None = None) -> BoardMember:
    Board.objects.select_for_update().get(pk=member.board_id)
    member = BoardMember.objects.select_for_update().select_related("board").get(pk=member.pk)
    version_check(
        member,
        version,
        theirs={f: getattr(member, f) for f in MEMBER_FIELDS},
        yours={f: data.get(f) for f in MEMBER_FIELDS},
    )
    for field in MEMBER_FIELDS:
        setattr(member, field, data[field])
    member.name = member.name.strip()
    _member_validate(member)
    _attendance_within(member)
    member.save()
    return member


def _attendance_within(member: BoardMember) -> None:
    """Recorded attendance must stay inside the membership's dates."""
    outside = [
        a.meeting.day
        for a in Attendance.objects.filter(member=member).select_related("meeting")
        if not member.active_on(a.meeting.day)
    ]
    if outside:
        raise ValidationError(
            {
                "start_date": f"Attendance is recorded for {member.name} on {_day(min(outside))}: "
                "keep that date inside the membership"
            }
        )


@transaction.atomic
def member_end(*, member: BoardMember, end_date: dt.date) -> BoardMember:
    member = BoardMember.objects.select_for_update().select_related("board").get(pk=member.pk)
    if end_date < member.start_date:
        raise ValidationError(
            {"end_date": f"The end date must be on or after the start date, {_day(member.start_date)}"}
        )
    later = Attendance.objects.filter(member=member).select_related("meeting")
    if any(a.meeting.day > end_date for a in later):
        raise ValidationError(
            {"end_date": "Attendance is recorded for this person after that date: choose a later date"}
        )
    member.end_date = end_date
    _member_validate(member)
    member.save()
    return member


# --- Meetings -----------------------------------------------------------------------------------------------

MEETING_FIELDS = ["starts_at", "ends_at", "place", "online", "status"]


def _meeting_validate(meeting: Meeting) -> None:
    errors = {}
    if meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = "The meeting must end after it starts"
    if meeting.status not in Meeting.Status.values:
        errors["status"] = "Select the meeting's status"
    if not meeting.online and not meeting.place.strip():
        errors["place"] = "Enter where the meeting is held, or say it is online"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(
    *, board: Board, starts_at: dt.datetime, ends_at: dt.datetime, place: str = "", online: bool = False,
    status: str = Meeting.Status.SCHEDULED,
) -> Meeting:  # fmt: skip
    meeting = Meeting(
        board=board, starts_at=starts_at, ends_at=ends_at, place=place.strip(), online=online, status=status
    )
    _meeting_validate(meeting)
    meeting.save()
    return meeting


def _meeting_view(values: dict) -> dict:
    """The meeting's fields as the edit form names and shows them (for the conflict page)."""

    def local(value):
        return timezone.localtime(value) if isinstance(value, dt.datetime) else None

    starts, ends = local(values.get("starts_at")), local(values.get("ends_at"))
    status = values.get("status")
    return {
        "date": f"{starts:%-d/%-m/%Y}" if starts else "",
        "start_time": f"{starts:%H:%M}" if starts else "",
        "end_time": f"{ends:%H:%M}" if ends else "",
        "place": values.get("place"),
        "online": "Yes" if values.get("online") else "No",
        "status": Meeting.Status(status).label if status in Meeting.Status.values else "",
    }


@transaction.atomic
def meeting_update(*, meeting: Meeting, data: dict, version: str | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    version_check(
        meeting,
        version,
        theirs=_meeting_view({f: getattr(meeting, f) for f in MEETING_FIELDS}),
        yours=_meeting_view(data),
    )
    for field in MEETING_FIELDS:
        setattr(meeting, field, data[field])
    meeting.place = meeting.place.strip()
    _meeting_validate(meeting)
    if (
        meeting.status == Meeting.Status.CANCELLED
        and meeting.attendance.filter(status__in=[Attendance.Status.PRESENT, Attendance.Status.DEPUTY]).exists()
    ):
        raise ValidationError({"status": "People are recorded as present: clear the attendance before cancelling"})
    meeting.save()
    return meeting


@transaction.atomic
def minutes_save(*, meeting: Meeting, minutes: str, version: str | None = None) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    clean = sanitise(minutes)
    version_check(meeting, version, theirs={"minutes": meeting.minutes}, yours={"minutes": clean})
    meeting.minutes = clean
    meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


# --- Agenda items and papers --------------------------------------------------------------------------------


def paper_check(upload) -> str:
    """The upload's extension when it is a PDF, DOCX or XLSX no bigger than 10 MB whose content matches."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in PAPER_TYPES:
        raise ValidationError({"paper": "The paper must be a PDF, DOCX or XLSX file"})
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError({"paper": "The paper must be smaller than 10 MB"})
    if upload.size == 0:
        raise ValidationError({"paper": "The paper is empty"})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        ok = head.startswith(b"%PDF-")
    else:
        ok = False
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(upload) as archive:
                    ok = any(n.startswith(PAPER_ZIP_FOLDERS[extension]) for n in archive.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                ok = False
        upload.seek(0)
    if not ok:
        raise ValidationError({"paper": f"The file's content is not a {extension.upper()} document"})
    return extension


def _next_order(meeting: Meeting) -> int:
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _item_validate(item: AgendaItem) -> None:
    errors = {}
    if not item.title.strip():
        errors["title"] = "Enter the item's title"
    if item.kind not in AgendaItem.Kind.values:
        errors["kind"] = "Select the kind of item"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, kind: str = AgendaItem.Kind.INFORMATION, presenter: str = "", links: str = "",
    paper=None, order: int | None = None, carried_over_from: AgendaItem | None = None, source: str = "",
) -> AgendaItem:  # fmt: skip
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem(
        meeting=meeting,
        order=order if order is not None else _next_order(meeting),
        title=title.strip(),
        kind=kind,
        presenter=presenter.strip(),
        links=links.strip(),
        carried_over_from=carried_over_from,
        source=source,
    )
    _item_validate(item)
    if paper:
        paper_check(paper)
        item.paper_name = PurePath(paper.name).name[:200]
        item.paper.save(paper.name, paper, save=False)
    item.save()
    return item


ITEM_FIELDS = ["title", "kind", "presenter", "links", "order", "finished"]


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, data: dict, paper=None, remove_paper: bool = False, version: str | None = None
) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    version_check(
        item, version, theirs={f: getattr(item, f) for f in ITEM_FIELDS}, yours={f: data.get(f) for f in ITEM_FIELDS}
    )
    for field in ITEM_FIELDS:
        setattr(item, field, data[field])
    item.title, item.presenter, item.links = item.title.strip(), item.presenter.strip(), item.links.strip()
    _item_validate(item)
    old = item.paper.name if item.paper else ""
    if paper:
        paper_check(paper)
        item.paper_name = PurePath(paper.name).name[:200]
        item.paper.save(paper.name, paper, save=False)
    elif remove_paper:
        item.paper = ""
        item.paper_name = ""
    item.save()
    if old and (paper or remove_paper):
        storage = AgendaItem._meta.get_field("paper").storage
        transaction.on_commit(lambda: storage.delete(old))
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem) -> None:
    old = item.paper.name if item.paper else ""
    item.delete()
    if old:
        storage = AgendaItem._meta.get_field("paper").storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def agenda_accept(*, meeting: Meeting, accepted: list[dict]) -> list[AgendaItem]:
    """Add the proposals the author kept (each ``title``, ``kind``, ``links``, ``source``, ``carried_over_from``)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    errors = [f"Proposal {i}: enter a title" for i, p in enumerate(accepted, start=1) if not p["title"].strip()]
    if errors:
        raise ValidationError(errors)
    order = _next_order(meeting)
    created = []
    sources = {
        i.pk: i
        for i in AgendaItem.objects.filter(
            pk__in=[p["carried_over_from"] for p in accepted if p.get("carried_over_from")],
            meeting__board_id=meeting.board_id,
        )
    }
    for proposal in accepted:
        item = AgendaItem(
            meeting=meeting,
            order=order,
            title=proposal["title"].strip()[:200],
            kind=proposal["kind"],
            presenter=proposal.get("presenter", "")[:150],
            links=proposal.get("links", ""),
            source=proposal.get("source", "")[:100],
            carried_over_from=sources.get(proposal.get("carried_over_from")),
        )
        _item_validate(item)
        item.save()
        created.append(item)
        order += 1
    return created


# --- Attendance ---------------------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, rows: list[dict]) -> list[Attendance]:
    """Record attendance: each row ``member`` (a BoardMember), ``status`` ("" clears it), ``deputy_name``."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("The meeting was cancelled: there is no attendance to record")
    errors = []
    for row in rows:
        member, status, deputy = row["member"], row["status"], row.get("deputy_name", "").strip()
        if member.board_id != meeting.board_id or not member.active_on(meeting.day):
            errors.append(f"{member.name} was not a member of the board on {_day(meeting.day)}")
        if status and status not in Attendance.Status.values:
            errors.append(f"{member.name}: select present, apologies, sent a deputy or absent")
        if status == Attendance.Status.DEPUTY and not deputy:
            errors.append(f"{member.name}: enter the name of the deputy who attended")
        if deputy and status != Attendance.Status.DEPUTY:
            errors.append(f"{member.name}: a deputy's name is only for someone who sent a deputy")
    if errors:
        raise ValidationError(errors)
    saved = []
    existing = {a.member_id: a for a in Attendance.objects.select_for_update().filter(meeting=meeting)}
    for row in rows:
        member, status = row["member"], row["status"]
        current = existing.get(member.pk)
        if not status:
            if current:
                current.delete()
            continue
        record = current or Attendance(meeting=meeting, member=member)
        deputy = row.get("deputy_name", "").strip()
        if current and current.status == status and current.deputy_name == deputy:
            saved.append(current)
            continue
        record.status, record.deputy_name = status, deputy
        record.save()
        saved.append(record)
    return saved


@transaction.atomic
def apologies_record(*, meeting: Meeting, member: BoardMember) -> Attendance:
    """A board member sends their own apologies for a meeting that has not happened yet."""
    meeting = Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(f"The meeting is {meeting.get_status_display().lower()}: apologies are no longer taken")
    if member.board_id != meeting.board_id or not member.active_on(meeting.day):
        raise ValidationError(f"{member.name} was not a member of the board on {_day(meeting.day)}")
    record, _ = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, member=member, defaults={"status": Attendance.Status.APOLOGIES}
    )
    if record.status != Attendance.Status.APOLOGIES or record.deputy_name:
        record.status, record.deputy_name = Attendance.Status.APOLOGIES, ""
        record.save()
    return record


# --- Decisions ----------------------------------------------------------------------------------------------


@transaction.atomic
def decision_add(*, meeting: Meeting, text: str, action_requested: bool = False) -> Decision:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the decision"})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"text": "The meeting was cancelled: it made no decisions"})
    decision = Decision.objects.create(meeting=meeting, text=text, action_requested=action_requested)
    creator = registry.action_creator()
    if action_requested and creator is not None:
        board = meeting.board
        when = timezone.localtime(meeting.starts_at)
        decision.action_reference = creator.create(
            board.partnership,
            title=text,
            detail=f"Decided by {board.name} on {when:%-d %B %Y}.",
            source="board_decision",
            source_reference=f"{board.name}, {when:%-d %B %Y}",
            source_url=reverse("boards:meeting", kwargs={"slug": board.partnership.slug, "pk": meeting.pk}),
        )[:60]
        decision.save(update_fields=["action_reference", "updated_at"])
    return decision


@transaction.atomic
def decision_link_action(*, decision: Decision, reference: str) -> Decision:
    """Called by whoever creates the tracked action (the actions spoke, through a registry hook)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    decision.action_reference = reference.strip()[:60]
    decision.save(update_fields=["action_reference", "updated_at"])
    return decision


# --- Quarterly summary --------------------------------------------------------------------------------------

SUMMARY_FIELDS = ["achieved", "support_needed", "priorities", "risks"]


@transaction.atomic
def summary_save(*, board: Board, quarter_start: dt.date, data: dict, version: str | None = None) -> QuarterlySummary:
    Board.objects.select_for_update().get(pk=board.pk)
    summary = QuarterlySummary.objects.filter(board=board, quarter_start=quarter_start).first()
    if summary is not None:
        # a form opened before the first save sends an empty version: someone has saved since
        version_check(
            summary,
            version,
            theirs={f: getattr(summary, f) for f in SUMMARY_FIELDS},
            yours={f: data[f] for f in SUMMARY_FIELDS},
        )
    summary = summary or QuarterlySummary(board=board, quarter_start=quarter_start)
    for field in SUMMARY_FIELDS:
        setattr(summary, field, data[field].strip())
    summary.save()
    return summary
