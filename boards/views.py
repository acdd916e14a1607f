"""Board pages: thin views that check the capability, call one selector or service, and render."""

import datetime as dt
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from boards import selectors, services
from boards.forms import (
    AgendaBuilderForm,
    AgendaItemEditForm,
    AgendaItemForm,
    AttendanceForm,
    BoardForm,
    DecisionForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
    MinutesForm,
    SummaryForm,
)
from boards.models import PAPER_TYPES
from yjplan.access import partnership_view
from yjplan.cache import cached_page, lazy
from yjplan.exports import Sheet, csv_response, xlsx_response
from yjplan.services import Conflict
from yjplan.views.util import apply_errors, crumbs, render_conflict

# --- helpers ------------------------------------------------------------------------------------------------


def _trail(request, *pairs):
    """Breadcrumbs: Home › Board › then (label, url) pairs."""
    return crumbs(request, ("Board", "boards:index")) + list(pairs)


def _board(request, pk):
    board = selectors.board_in_partnership(partnership=request.partnership, pk=pk)
    if board is None:
        raise Http404("No such board")
    return board


def _meeting(request, pk):
    meeting = selectors.meeting_in_partnership(partnership=request.partnership, pk=pk)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _member(request, pk):
    member = selectors.member_in_partnership(partnership=request.partnership, pk=pk)
    if member is None:
        raise Http404("No such board member")
    return member


def _item(request, pk):
    item = selectors.item_in_partnership(partnership=request.partnership, pk=pk)
    if item is None:
        raise Http404("No such agenda item")
    return item


def _board_url(board):
    return reverse("boards:board", kwargs={"slug": board.partnership.slug, "pk": board.pk})


def _meeting_url(meeting):
    return reverse("boards:meeting", kwargs={"slug": meeting.board.partnership.slug, "pk": meeting.pk})


def _meeting_crumbs(request, meeting):
    return _trail(
        request,
        (meeting.board.name, _board_url(meeting.board)),
        (str(meeting.day.strftime("%-d %B %Y")), _meeting_url(meeting)),
    )


def _apply(form, error, mapping=None):
    """A service error onto the form, renaming the service's fields to the form's where they differ."""
    mapping = mapping or {}
    if hasattr(error, "error_dict"):
        error = ValidationError({mapping.get(k, k): v for k, v in error.error_dict.items()})
    apply_errors(form, error)


# --- boards -------------------------------------------------------------------------------------------------


@require_safe
@partnership_view("view")
def index(request):
    return render(
        request,
        "boards/index.html",
        {
            "boards": selectors.boards_for(partnership=request.partnership),
            "can_edit": request.membership.can("boards.edit"),
            "breadcrumbs": crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def board_add(request):
    form = BoardForm(request.POST or None, initial={"kind": "management", "quorum": 3})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            board = services.board_create(partnership=request.partnership, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{board.name} added")
            return redirect(_board_url(board))
    return render(
        request, "boards/board_form.html", {"form": form, "heading": "Add a board", "breadcrumbs": _trail(request)}
    )


def _members_today(board) -> dict:
    today = timezone.localdate()
    members = selectors.board_members(board=board, on=today)
    current = [m for m in members if m.active_on(today)]
    return {"current": current, "past": [m for m in members if not m.active_on(today)]}


@require_safe
@partnership_view("view")
@cached_page()
def board(request, pk):
    board = _board(request, pk)
    return render(
        request,
        "boards/board_detail.html",
        {
            "board": board,
            "members": lazy(_members_today, board),
            "can_edit": request.membership.can("boards.edit"),
            "breadcrumbs": _trail(request),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def board_edit(request, pk):
    board = _board(request, pk)
    initial = {f: getattr(board, f) for f in services.BOARD_FIELDS}
    initial["version"] = board.updated_at.isoformat()
    form = BoardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_update(board=board, data=form.cleaned_data, version=form.cleaned_data["version"] or None)
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Board details saved")
            return redirect(_board_url(board))
    return render(
        request,
        "boards/board_form.html",
        {
            "form": form,
            "heading": f"Change {board.name}",
            "breadcrumbs": _trail(request, (board.name, _board_url(board))),
        },
    )


# --- members ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def member_add(request, pk):
    board = _board(request, pk)
    people = selectors.partnership_people(partnership=request.partnership)
    form = MemberForm(
        request.POST or None, people=people, initial={"role": "member", "start_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            member = services.member_add(board=board, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{member.name} added to {board.name}")
            return redirect(_board_url(board))
    return render(
        request,
        "boards/member_form.html",
        {
            "form": form,
            "heading": "Add a member",
            "board": board,
            "breadcrumbs": _trail(request, (board.name, _board_url(board))),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def member_edit(request, pk):
    member = _member(request, pk)
    people = selectors.partnership_people(partnership=request.partnership)
    initial = {f: getattr(member, f) for f in services.MEMBER_FIELDS}
    initial.update(user=member.user_id or "", version=member.updated_at.isoformat())
    form = MemberForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, data=form.cleaned_data, version=form.cleaned_data["version"] or None)
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']}'s membership saved")
            return redirect(_board_url(member.board))
    return render(
        request,
        "boards/member_form.html",
        {
            "form": form,
            "heading": f"Change {member.name}'s membership",
            "board": member.board,
            "member": member,
            "breadcrumbs": _trail(request, (member.board.name, _board_url(member.board))),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def member_end(request, pk):
    member = _member(request, pk)
    form = MemberEndForm(request.POST or None, initial={"end_date": member.end_date or timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(member=member, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{member.name}'s membership ends on {form.cleaned_data['end_date']:%-d %B %Y}")
            return redirect(_board_url(member.board))
    return render(
        request,
        "boards/member_end.html",
        {"form": form, "member": member, "breadcrumbs": _trail(request, (member.board.name, _board_url(member.board)))},
    )


# --- meetings -----------------------------------------------------------------------------------------------


@require_safe
@partnership_view("view")
@cached_page()
def meetings(request, pk):
    board = _board(request, pk)
    return render(
        request,
        "boards/meetings.html",
        {
            "board": board,
            "meetings": lazy(selectors.board_meetings, board=board),
            "can_edit": request.membership.can("boards.edit"),
            "breadcrumbs": _trail(request, (board.name, _board_url(board))),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def meeting_add(request, pk):
    board = _board(request, pk)
    form = MeetingForm(
        request.POST or None, initial={"status": "scheduled", "start_time": dt.time(10), "end_time": dt.time(12)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(board=board, **form.meeting_data())
        except ValidationError as error:
            _apply(form, error, MeetingForm.error_fields)
        else:
            messages.success(request, f"Meeting on {meeting.day:%-d %B %Y} added")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "boards/meeting_form.html",
        {
            "form": form,
            "heading": f"Add a meeting of {board.name}",
            "breadcrumbs": _trail(request, (board.name, _board_url(board))),
        },
    )


@require_safe
@partnership_view("view")
@cached_page()
def meeting(request, pk):
    meeting = _meeting(request, pk)
    seat = (
        selectors.own_seat(meeting=meeting, user=request.user) if request.membership.can("boards.apologies") else None
    )
    return render(
        request,
        "boards/meeting_detail.html",
        {
            "meeting": meeting,
            "detail": lazy(selectors.meeting_detail, meeting=meeting),
            "can_edit": request.membership.can("boards.edit"),
            "own_seat": seat,
            "decision_form": DecisionForm(),
            "breadcrumbs": _trail(request, (meeting.board.name, _board_url(meeting.board))),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting, data=form.meeting_data(), version=form.cleaned_data["version"] or None
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            _apply(form, error, MeetingForm.error_fields)
        else:
            messages.success(request, "Meeting details saved")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "boards/meeting_form.html",
        {
            "form": form,
            "heading": f"Change the meeting on {meeting.day:%-d %B %Y}",
            "breadcrumbs": _meeting_crumbs(request, meeting),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def minutes(request, pk):
    meeting = _meeting(request, pk)
    form = MinutesForm(
        request.POST or None, initial={"minutes": meeting.minutes, "version": meeting.updated_at.isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(
                meeting=meeting, minutes=form.cleaned_data["minutes"], version=form.cleaned_data["version"] or None
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        else:
            messages.success(request, "Minutes saved")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "boards/minutes_form.html",
        {"form": form, "meeting": meeting, "breadcrumbs": _meeting_crumbs(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def attendance(request, pk):
    meeting = _meeting(request, pk)
    detail = selectors.meeting_detail(meeting=meeting)
    form = AttendanceForm(request.POST or None, seats=detail["seats"])
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, rows=form.attendance_rows())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(form.field_for(message), message)
        else:
            messages.success(request, "Attendance saved")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "boards/attendance_form.html",
        {
            "form": form,
            "meeting": meeting,
            "quorum": detail["quorum"],
            "breadcrumbs": _meeting_crumbs(request, meeting),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.apologies")
def apologies(request, pk):
    meeting = _meeting(request, pk)
    seat = selectors.own_seat(meeting=meeting, user=request.user)
    if seat is None:
        raise PermissionDenied("Only members of this board can send apologies for its meetings")
    error = None
    if request.method == "POST":
        try:
            services.apologies_record(meeting=meeting, member=seat)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"Your apologies for {meeting.day:%-d %B %Y} are recorded")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "boards/apologies.html",
        {"meeting": meeting, "seat": seat, "error": error, "breadcrumbs": _meeting_crumbs(request, meeting)},
    )


# --- agenda items, papers, decisions ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def item_add(request, pk):
    meeting = _meeting(request, pk)
    form = AgendaItemForm(request.POST or None, request.FILES or None, initial={"kind": "information"})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{item.title} added to the agenda")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "boards/item_form.html",
        {
            "form": form,
            "heading": "Add an agenda item",
            "meeting": meeting,
            "breadcrumbs": _meeting_crumbs(request, meeting),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def item_edit(request, pk):
    item = _item(request, pk)
    initial = {f: getattr(item, f) for f in services.ITEM_FIELDS}
    initial["version"] = item.updated_at.isoformat()
    form = AgendaItemEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_update(
                item=item,
                data=data,
                paper=data["paper"],
                remove_paper=data["remove_paper"],
                version=data["version"] or None,
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{data['title']} saved")
            return redirect(_meeting_url(item.meeting))
    return render(
        request,
        "boards/item_form.html",
        {
            "form": form,
            "heading": f"Change {item.title}",
            "meeting": item.meeting,
            "item": item,
            "breadcrumbs": _meeting_crumbs(request, item.meeting),
        },
    )


@require_POST
@partnership_view("boards.edit")
def item_remove(request, pk):
    item = _item(request, pk)
    services.agenda_item_remove(item=item)
    messages.success(request, f"{item.title} removed from the agenda")
    return redirect(_meeting_url(item.meeting))


@require_safe
@partnership_view("view")
def paper(request, pk):
    item = _item(request, pk)
    if not item.paper:
        raise Http404("This item has no paper")
    extension = PurePath(item.paper.name).suffix.lower().lstrip(".")
    try:
        handle = item.paper.open("rb")
    except FileNotFoundError:
        raise Http404("The paper's file is missing") from None
    name = (item.paper_name or f"paper.{extension}").replace('"', "").replace("/", "-")
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=PAPER_TYPES.get(extension, "application/octet-stream")
    )


@require_POST
@partnership_view("boards.edit")
def decision_add(request, pk):
    meeting = _meeting(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Decision recorded")
            return redirect(_meeting_url(meeting) + "#decisions")
    return render(
        request,
        "boards/decision_form.html",
        {"form": form, "meeting": meeting, "breadcrumbs": _meeting_crumbs(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def agenda_builder(request, pk):
    meeting = _meeting(request, pk)
    proposals = selectors.agenda_proposals(meeting=meeting)
    form = AgendaBuilderForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        accepted = form.accepted()
        try:
            created = services.agenda_accept(meeting=meeting, accepted=accepted)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{len(created)} item{'s' if len(created) != 1 else ''} added to the agenda")
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "boards/agenda_builder.html",
        {"form": form, "meeting": meeting, "breadcrumbs": _meeting_crumbs(request, meeting)},
    )


# --- analytics and the quarterly summary --------------------------------------------------------------------


@require_safe
@partnership_view("view")
@cached_page()
def analytics(request, pk):
    board = _board(request, pk)
    return render(
        request,
        "boards/analytics.html",
        {
            "board": board,
            "data": lazy(selectors.attendance_analytics, board=board),
            "breadcrumbs": _trail(request, (board.name, _board_url(board))),
        },
    )


def _quarter(request) -> dt.date:
    default = selectors.previous_quarter(selectors.quarter_start(timezone.localdate()))
    return selectors.parse_quarter(request.GET.get("quarter"), default)


def _summary_values(board, quarter):
    summary = selectors.summary_for(board=board, quarter=quarter)
    if summary is not None:
        return summary, {f: getattr(summary, f) for f in services.SUMMARY_FIELDS}
    return None, selectors.summary_prefill(board=board, quarter=quarter)


@require_safe
@partnership_view("view")
def summary(request, pk):
    board = _board(request, pk)
    quarter = _quarter(request)
    saved, values = _summary_values(board, quarter)
    sections = [
        {
            "label": selectors.SUMMARY_LABELS[f],
            "lines": [ln.strip().removeprefix("- ") for ln in values[f].splitlines() if ln.strip()],
        }
        for f in services.SUMMARY_FIELDS
    ]
    return render(
        request,
        "boards/summary.html",
        {
            "board": board,
            "quarter": quarter,
            "quarter_label": selectors.quarter_label(quarter),
            "previous": selectors.previous_quarter(quarter),
            "next": selectors.next_quarter(quarter),
            "saved": saved,
            "sections": sections,
            "can_edit": request.membership.can("boards.edit"),
            "breadcrumbs": _trail(request, (board.name, _board_url(board))),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("boards.edit")
def summary_edit(request, pk):
    board = _board(request, pk)
    quarter = _quarter(request)
    saved, values = _summary_values(board, quarter)
    initial = {**values, "version": saved.updated_at.isoformat() if saved else ""}
    form = SummaryForm(request.POST or None, initial=initial)
    back = reverse("boards:summary", kwargs={"slug": request.partnership.slug, "pk": board.pk}) + f"?quarter={quarter}"
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_save(
                board=board, quarter_start=quarter, data=form.cleaned_data, version=form.cleaned_data["version"]
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.get_full_path())
        else:
            messages.success(request, "Quarterly summary saved")
            return redirect(back)
    return render(
        request,
        "boards/summary_form.html",
        {
            "form": form,
            "board": board,
            "quarter_label": selectors.quarter_label(quarter),
            "prefilled": saved is None,
            "breadcrumbs": _trail(request, (board.name, _board_url(board))),
        },
    )


@require_safe
@partnership_view("view")
def summary_export(request, pk):
    board = _board(request, pk)
    quarter = _quarter(request)
    _, values = _summary_values(board, quarter)
    rows = [
        [selectors.SUMMARY_LABELS[f], line.strip().removeprefix("- ")]
        for f in services.SUMMARY_FIELDS
        for line in values[f].splitlines()
        if line.strip()
    ]
    header = ["Section", "Point"]
    filename = f"{board.name} summary {quarter:%Y-%m}".replace("/", "-").replace('"', "")
    if request.GET.get("format") == "csv":
        return csv_response(f"{filename}.csv", header, rows)
    title = f"Q{((quarter.month - 4) % 12) // 3 + 1} {selectors.year_label(selectors.financial_year(quarter))}"
    return xlsx_response(f"{filename}.xlsx", [Sheet(title=title, header=header, rows=rows, widths={0: 36, 1: 90})])
