"""Every read the boards pages, blocks and documents need: scoped to a partnership, fixed query counts.

Attendance analytics (the YJB "management board attendance" KPI) are computed here from three queries
(meetings, members, attendance rows) whatever the number of meetings or members.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from boards.models import AgendaItem, Attendance, Board, BoardMember, Decision, Meeting, QuarterlySummary
from yjplan.cache import version_of
from yjplan.models import STATUTORY_AGENCIES, AgencyType, Membership
from yjplan.registry import registry

# The five statutory partners in the order AgencyType lists them.
STATUTORY_ORDER = [a for a in AgencyType if a in STATUTORY_AGENCIES]
KPI_FORMULA = (
    "For each meeting held, count the statutory partner agencies (local authority, police, probation, health, "
    "education) represented by a member present or by a deputy. The figure is that count added up over the "
    "meetings held in the period, divided by five times the number of meetings held, as a percentage. "
    "Advisers (such as the head of service) do not count as representing an agency. "
    "Cancelled meetings and meetings not yet marked as held are left out; an agency with no seat on the board "
    "counts as not represented."
)


# --- Quarters and years (financial: April to March, as the YJB reports) ------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    month = ((day.month - 4) % 12) // 3 * 3 + 4
    month = month if month <= 12 else month - 12
    year = day.year if day.month >= month else day.year - 1
    return dt.date(year, month, 1)


def next_quarter(start: dt.date) -> dt.date:
    month = start.month + 3
    return dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


def previous_quarter(start: dt.date) -> dt.date:
    month = start.month - 3
    return dt.date(start.year - (month < 1), (month - 1) % 12 + 1, 1)


def financial_year(day: dt.date) -> int:
    """The year a financial year starts in: 1 April 2024 to 31 March 2025 is 2024."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def quarter_label(start: dt.date) -> str:
    number = ((start.month - 4) % 12) // 3 + 1
    end = next_quarter(start) - dt.timedelta(days=1)
    return f"Q{number} {year_label(financial_year(start))} ({start:%B} to {end:%B %Y})"


def parse_quarter(value: str | None, default: dt.date) -> dt.date:
    """``2024-04-01`` → that quarter's start; anything else → ``default``."""
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return default
    return quarter_start(day) if 1990 <= day.year <= 2100 else default


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Boards and members -------------------------------------------------------------------------------------


def boards_for(*, partnership) -> list[Board]:
    today = timezone.localdate()
    now = timezone.now()
    return list(
        Board.objects.filter(partnership=partnership)
        .annotate(
            current_members=Count(
                "members",
                filter=Q(members__start_date__lte=today)
                & (Q(members__end_date__isnull=True) | Q(members__end_date__gte=today)),
                distinct=True,
            ),
            meetings_held=Count("meetings", filter=Q(meetings__status=Meeting.Status.HELD), distinct=True),
            next_meeting=Min(
                "meetings__starts_at",
                filter=Q(meetings__status=Meeting.Status.SCHEDULED, meetings__starts_at__gte=now),
            ),
        )
        .order_by("kind", "name")
    )


def board_in_partnership(*, partnership, pk) -> Board | None:
    return Board.objects.filter(partnership=partnership, pk=pk).select_related("partnership").first()


def board_members(*, board: Board, on: dt.date | None = None) -> list[BoardMember]:
    """Every seat on the board, current first (chair, vice-chair, members, advisers), then past ones."""
    on = on or timezone.localdate()
    members = list(BoardMember.objects.filter(board=board).select_related("user"))
    role_rank = {r: i for i, r in enumerate(BoardMember.Role)}
    members.sort(key=lambda m: (not m.active_on(on), role_rank.get(m.role, 9), m.name.lower(), m.start_date))
    return members


def member_in_partnership(*, partnership, pk) -> BoardMember | None:
    return (
        BoardMember.objects.filter(board__partnership=partnership, pk=pk)
        .select_related("board", "board__partnership", "user")
        .first()
    )


def partnership_people(*, partnership) -> list[Membership]:
    return list(Membership.objects.filter(partnership=partnership).select_related("user").order_by("user__full_name"))


# --- Meetings -----------------------------------------------------------------------------------------------


def quorum(meeting: Meeting, attendance: list[Attendance]) -> dict:
    """Statutory agencies represented (present or by deputy) against the board's quorum."""
    required = meeting.board.quorum
    agencies = {agency for agency in _represented(attendance) if agency in STATUTORY_AGENCIES}
    labels = [AgencyType(a).label for a in STATUTORY_ORDER if a in agencies]
    if meeting.status == Meeting.Status.CANCELLED:
        state, met = "Cancelled", None
    elif not attendance:
        state, met = "Attendance not recorded", None
    else:
        met = len(agencies) >= required
        state = "Quorate" if met else "Not quorate"
    return {"required": required, "represented": len(agencies), "agencies": labels, "met": met, "label": state}


def board_meetings(*, board: Board) -> list[Meeting]:
    meetings = list(
        Meeting.objects.filter(board=board)
        .select_related("board")
        .annotate(item_count=Count("items", distinct=True), decision_count=Count("decisions", distinct=True))
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.select_related("member")))
        .order_by("-starts_at")
    )
    for meeting in meetings:
        meeting.quorum = quorum(meeting, list(meeting.attendance.all()))
    return meetings


def meeting_in_partnership(*, partnership, pk) -> Meeting | None:
    return (
        Meeting.objects.filter(board__partnership=partnership, pk=pk)
        .select_related("board", "board__partnership")
        .first()
    )


def previous_meeting(*, meeting: Meeting) -> Meeting | None:
    """The board's last meeting before this one that was not cancelled."""
    return (
        Meeting.objects.filter(board_id=meeting.board_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("board")
        .order_by("-starts_at")
        .first()
    )


def meeting_detail(*, meeting: Meeting) -> dict:
    items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related("carried_over_from__meeting").order_by("order", "id")
    )
    attendance = list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__name"))
    decisions = list(Decision.objects.filter(meeting=meeting).order_by("created_at", "id"))
    seats = [m for m in BoardMember.objects.filter(board_id=meeting.board_id) if m.active_on(meeting.day)]
    recorded = {a.member_id: a for a in attendance}
    role_rank = {r: i for i, r in enumerate(BoardMember.Role)}
    seats.sort(key=lambda m: (role_rank.get(m.role, 9), m.name.lower()))
    for seat in seats:
        seat.recorded = recorded.get(seat.pk)
    return {
        "meeting": meeting,
        "items": items,
        "attendance": attendance,
        "seats": seats,
        "decisions": decisions,
        "quorum": quorum(meeting, attendance),
    }


def own_seat(*, meeting: Meeting, user) -> BoardMember | None:
    """The seat on the meeting's board linked to ``user`` on the meeting's date."""
    for seat in BoardMember.objects.filter(board_id=meeting.board_id, user=user).order_by("-start_date"):
        if seat.active_on(meeting.day):
            return seat
    return None


def item_in_partnership(*, partnership, pk) -> AgendaItem | None:
    return (
        AgendaItem.objects.filter(meeting__board__partnership=partnership, pk=pk)
        .select_related("meeting", "meeting__board")
        .first()
    )


# --- Agenda builder -----------------------------------------------------------------------------------------


def _key(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:12]


def agenda_proposals(*, meeting: Meeting) -> list[dict]:
    """What the next agenda could hold: every registered attention item since the board's last meeting,
    then the unfinished items of that meeting not yet carried over. Items already on the agenda
    (same title) are not proposed again."""
    last = previous_meeting(meeting=meeting)
    since = last.day if last else None
    existing = list(
        AgendaItem.objects.filter(meeting=meeting).values_list("title", "carried_over_from_id", "source", "links")
    )
    titles = {title.strip().lower() for title, *_ in existing}
    carried = {origin for _, origin, _, _ in existing if origin}
    linked = {(source, links.strip()) for _, _, source, links in existing if source and links.strip()}
    proposals = []
    for item in registry.attention_items(meeting.board.partnership, since=since):
        title = str(item.get("title", "")).strip()[:200]
        url = str(item.get("url", "")).strip()
        if not title or title.lower() in titles or (str(item.get("source", "")), url) in linked:
            continue
        severity = item.get("severity", "medium")
        proposals.append(
            {
                "key": _key("attention", item.get("source", ""), title, item.get("url", "")),
                "title": title,
                "detail": str(item.get("detail", "")),
                "kind": AgendaItem.Kind.DECISION if severity == "high" else AgendaItem.Kind.INFORMATION,
                "severity": severity,
                "links": str(item.get("url", "")),
                "source": str(item.get("source", ""))[:100],
                "carried_over_from": None,
                "origin": "attention",
            }
        )
    if last is not None:
        for item in AgendaItem.objects.filter(meeting=last, finished=False).order_by("order", "id"):
            if item.pk in carried or item.title.strip().lower() in titles:
                continue
            proposals.append(
                {
                    "key": _key("carried", item.pk),
                    "title": item.title,
                    "detail": f"Not finished at the meeting on {last.day:%-d %B %Y}",
                    "kind": item.kind,
                    "severity": "",
                    "links": item.links,
                    "source": item.source,
                    "carried_over_from": item.pk,
                    "presenter": item.presenter,
                    "origin": "carried",
                }
            )
    return proposals


# --- Attendance analytics -----------------------------------------------------------------------------------


def _represented(rows: list[Attendance]) -> dict[str, str]:
    """agency → "present" when a member attended in person, else "deputy" when only a deputy came."""
    found: dict[str, str] = {}
    for row in rows:
        if row.member.role == BoardMember.Role.ADVISER:
            continue  # advisers (the head of service, the YJB) do not represent a partner agency
        agency = row.member.agency
        if row.status == Attendance.Status.PRESENT:
            found[agency] = "present"
        elif row.status == Attendance.Status.DEPUTY and found.get(agency) != "present":
            found[agency] = "deputy"
    return found


def _kpi(meetings: list[Meeting], rows_by_meeting: dict) -> dict:
    represented = sum(
        sum(1 for agency in _represented(rows_by_meeting[m.pk]) if agency in STATUTORY_AGENCIES) for m in meetings
    )
    possible = len(STATUTORY_AGENCIES) * len(meetings)
    return {
        "meetings": len(meetings),
        "represented": represented,
        "possible": possible,
        "percent": percent(represented, possible),
    }


def attendance_analytics(*, board: Board, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """Attendance by agency, by member, by financial year and the KPI per quarter. Three queries."""
    meetings_qs = Meeting.objects.filter(board=board).exclude(status=Meeting.Status.SCHEDULED).order_by("starts_at")
    all_meetings = [m for m in meetings_qs if (start is None or m.day >= start) and (end is None or m.day <= end)]
    held = [m for m in all_meetings if m.status == Meeting.Status.HELD]
    cancelled = [m for m in all_meetings if m.status == Meeting.Status.CANCELLED]
    members = list(BoardMember.objects.filter(board=board).order_by("name", "start_date"))
    rows = list(
        Attendance.objects.filter(meeting__in=[m.pk for m in held]).select_related("member").order_by("member__name")
    )
    by_meeting: dict[int, list[Attendance]] = defaultdict(list)
    for row in rows:
        by_meeting[row.meeting_id].append(row)
    by_member_meeting = {(row.member_id, row.meeting_id): row.status for row in rows}

    # By agency: every statutory partner, then the other agencies that have a seat.
    seated_agencies = {m.agency for m in members}
    agencies = STATUTORY_ORDER + [a for a in AgencyType if a in seated_agencies and a not in STATUTORY_AGENCIES]
    presence = {m.pk: _represented(by_meeting[m.pk]) for m in held}
    by_agency = []
    for agency in agencies:
        in_person = sum(1 for m in held if presence[m.pk].get(agency) == "present")
        deputy = sum(1 for m in held if presence[m.pk].get(agency) == "deputy")
        by_agency.append(
            {
                "agency": AgencyType(agency).label,
                "code": str(agency),
                "statutory": agency in STATUTORY_AGENCIES,
                "seated": agency in seated_agencies,
                "meetings": len(held),
                "in_person": in_person,
                "deputy_only": deputy,
                "represented": in_person + deputy,
                "not_represented": len(held) - in_person - deputy,
                "percent": percent(in_person + deputy, len(held)),
            }
        )

    # By member: the meetings held while they had a seat.
    by_member = []
    for member in members:
        expected = [m for m in held if member.active_on(m.day)]
        if not expected:
            continue
        counts = defaultdict(int)
        for m in expected:
            counts[by_member_meeting.get((member.pk, m.pk), "not_recorded")] += 1
        by_member.append(
            {
                "name": member.name,
                "agency": member.get_agency_display(),
                "role": member.get_role_display(),
                "expected": len(expected),
                "present": counts[Attendance.Status.PRESENT],
                "deputy": counts[Attendance.Status.DEPUTY],
                "apologies": counts[Attendance.Status.APOLOGIES],
                "absent": counts[Attendance.Status.ABSENT],
                "not_recorded": counts["not_recorded"],
                "percent": percent(counts[Attendance.Status.PRESENT], len(expected)),
            }
        )

    # By financial year and by quarter.
    years = sorted({financial_year(m.day) for m in all_meetings})
    by_year = []
    for year in years:
        in_year = [m for m in held if financial_year(m.day) == year]
        year_rows = [r for m in in_year for r in by_meeting[m.pk]]
        by_year.append(
            {
                "year": year_label(year),
                "held": len(in_year),
                "cancelled": sum(1 for m in cancelled if financial_year(m.day) == year),
                "members_present": sum(1 for r in year_rows if r.status == Attendance.Status.PRESENT),
                "deputies": sum(1 for r in year_rows if r.status == Attendance.Status.DEPUTY),
                "apologies": sum(1 for r in year_rows if r.status == Attendance.Status.APOLOGIES),
                "absent": sum(1 for r in year_rows if r.status == Attendance.Status.ABSENT),
                "kpi": _kpi(in_year, by_meeting)["percent"],
            }
        )
    quarters = sorted({quarter_start(m.day) for m in held})
    by_quarter = [
        {"quarter": quarter_label(q), "start": q, **_kpi([m for m in held if quarter_start(m.day) == q], by_meeting)}
        for q in quarters
    ]
    return {
        "held": len(held),
        "cancelled": len(cancelled),
        "by_agency": by_agency,
        "by_member": by_member,
        "by_year": by_year,
        "by_quarter": by_quarter,
        "kpi": _kpi(held, by_meeting),
        "formula": KPI_FORMULA,
    }


# --- Quarterly summary --------------------------------------------------------------------------------------


def summary_for(*, board: Board, quarter: dt.date) -> QuarterlySummary | None:
    return QuarterlySummary.objects.filter(board=board, quarter_start=quarter).first()


def summary_prefill(*, board: Board, quarter: dt.date) -> dict:
    """A first draft from the records: decisions of the quarter's meetings, the attention items since its start."""
    end = next_quarter(quarter)
    decisions = list(
        Decision.objects.filter(meeting__board=board, meeting__status=Meeting.Status.HELD)
        .select_related("meeting")
        .order_by("meeting__starts_at", "id")
    )
    decisions = [d for d in decisions if quarter <= d.meeting.day < end]
    items = registry.attention_items(board.partnership, since=quarter)
    high = [i for i in items if i.get("severity") == "high"]
    other = [i for i in items if i.get("severity") != "high"]

    def lines(entries):
        return "\n".join(f"- {e}" for e in entries)

    return {
        "achieved": lines(f"{d.meeting.day:%-d %B}: {d.text}" for d in decisions),
        "support_needed": lines(f"{i['title']}: {i.get('detail', '')}".rstrip(": ") for i in high),
        "priorities": lines(i["title"] for i in other),
        "risks": lines(f"{i['title']}: {i.get('detail', '')}".rstrip(": ") for i in high),
    }


SUMMARY_FIELDS = ["achieved", "support_needed", "priorities", "risks"]
SUMMARY_LABELS = {
    "achieved": "Achieved in the last quarter",
    "support_needed": "Support needed from partner boards",
    "priorities": "Priorities for the next three months",
    "risks": "Identified risks",
}


def decisions_awaiting_action(partnership, since=None) -> list[dict]:
    """Attention source: decisions that asked for a tracked action the tracker has not linked yet.

    Each item carries ``decision_id``: the actions spoke can read these through the registry and, once the
    hub offers a way to write the reference back, turn each into a tracked action in one step."""
    from django.urls import reverse

    decisions = (
        Decision.objects.filter(meeting__board__partnership=partnership, action_requested=True, action_reference="")
        .select_related("meeting", "meeting__board")
        .order_by("meeting__starts_at", "id")
    )
    return [
        {
            "title": f"Decision of {d.meeting.day:%-d %B %Y} needs a tracked action",
            "detail": d.text[:300],
            "url": reverse("boards:meeting", kwargs={"slug": partnership.slug, "pk": d.meeting_id}) + "#decisions",
            "kind": "decision",
            "severity": "medium",
            "decision_id": d.pk,
        }
        for d in decisions
    ]


# --- Blocks, tile and the meeting pack ----------------------------------------------------------------------


def _main_board(partnership) -> Board | None:
    return (
        Board.objects.filter(partnership=partnership).order_by(
            # the management board first
            "kind",
            "name",
        )
    ).first()


def membership_block(partnership, *, on: dt.date | None = None, **options) -> dict:
    """The current members of the partnership's boards: the plan's "Structure and governance" table."""
    on = on or timezone.localdate()
    boards = list(Board.objects.filter(partnership=partnership).order_by("kind", "name"))
    members = BoardMember.objects.filter(board__partnership=partnership).filter(
        Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    )
    role_rank = {r: i for i, r in enumerate(BoardMember.Role)}
    by_board = defaultdict(list)
    for m in members:
        by_board[m.board_id].append(m)
    return {
        "on": on.isoformat(),
        "boards": [
            {
                "name": b.name,
                "kind": b.get_kind_display(),
                "reports_to": b.reports_to_list,
                "quorum": b.quorum,
                "members": [
                    {
                        "name": m.name,
                        "role": m.get_role_display(),
                        "seniority": m.seniority,
                        "organisation": m.organisation,
                        "agency": m.get_agency_display(),
                        "statutory": m.is_statutory,
                    }
                    for m in sorted(by_board[b.pk], key=lambda m: (role_rank.get(m.role, 9), m.name.lower()))
                ],
            }
            for b in boards
        ],
    }


def schedule_block(partnership, *, year: int | None = None, **options) -> dict:
    """Meetings of the boards in a financial year (this one unless given)."""
    year = year or financial_year(timezone.localdate())
    start = timezone.make_aware(dt.datetime(year, 4, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 4, 1))
    meetings = Meeting.objects.filter(
        board__partnership=partnership, starts_at__gte=start, starts_at__lt=end
    ).select_related("board")
    return {
        "year": year_label(year),
        "meetings": [
            {
                "board": m.board.name,
                "date": m.day.isoformat(),
                "time": f"{timezone.localtime(m.starts_at):%H:%M} to {timezone.localtime(m.ends_at):%H:%M}",
                "where": m.where,
                "status": m.get_status_display(),
            }
            for m in meetings.order_by("starts_at")
        ],
    }


def attendance_block(partnership, *, year: int | None = None, **options) -> dict:
    """The management board's attendance by agency and the KPI per quarter, in a financial year."""
    year = year or financial_year(timezone.localdate())
    board = _main_board(partnership)
    if board is None:
        return {
            "board": "",
            "year": year_label(year),
            "by_agency": [],
            "by_quarter": [],
            "kpi": None,
            "formula": KPI_FORMULA,
        }
    data = attendance_analytics(board=board, start=dt.date(year, 4, 1), end=dt.date(year + 1, 3, 31))
    return {
        "board": board.name,
        "year": year_label(year),
        "held": data["held"],
        "cancelled": data["cancelled"],
        "by_agency": [
            {k: r[k] for k in ("agency", "statutory", "meetings", "in_person", "deputy_only", "represented", "percent")}
            for r in data["by_agency"]
        ],
        "by_quarter": [
            {k: q[k] for k in ("quarter", "meetings", "represented", "possible", "percent")} for q in data["by_quarter"]
        ],
        "kpi": data["kpi"]["percent"],
        "formula": KPI_FORMULA,
    }


TILE_SECONDS = 120


def dashboard_tile(partnership) -> dict:
    """The home tile: the next meeting (one query), then the items proposed for it and this year's board
    attendance figure, cached for two minutes (and until the partnership's data changes, ``yjplan.cache``) so
    the dashboard does not pay for every attention source."""
    now = timezone.now()
    upcoming = Meeting.objects.filter(
        board=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__gte=now
    ).order_by("starts_at")
    boards = list(
        Board.objects.filter(partnership=partnership)
        .annotate(next_id=Subquery(upcoming.values("pk")[:1]), next_at=Subquery(upcoming.values("starts_at")[:1]))
        .order_by("kind", "name")
    )
    year = financial_year(timezone.localdate())
    if not boards:
        return {"next": None, "proposed": None, "kpi": None, "year": year_label(year), "board": None}
    soonest = min((b for b in boards if b.next_id), key=lambda b: b.next_at, default=None)
    key = f"boards:tile:{partnership.pk}:{version_of(partnership)}:{soonest.next_id if soonest else 0}"
    figures = cache.get(key)
    if figures is None:
        proposed = None
        if soonest is not None:
            meeting = Meeting.objects.select_related("board", "board__partnership").get(pk=soonest.next_id)
            proposed = len(agenda_proposals(meeting=meeting))
        analytics = attendance_analytics(board=boards[0], start=dt.date(year, 4, 1), end=dt.date(year + 1, 3, 31))
        figures = {"proposed": proposed, "kpi": analytics["kpi"]}
        cache.set(key, figures, TILE_SECONDS)
    return {
        "next": {"pk": soonest.next_id, "starts_at": soonest.next_at} if soonest else None,
        **figures,
        "year": year_label(year),
        "board": boards[0].name,
    }


def pack_data(*, meeting: Meeting) -> dict:
    """What a meeting pack is made from: the agenda, the previous meeting's minutes, the spokes' blocks."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id"))
    last = previous_meeting(meeting=meeting)
    blocks = [
        registry.blocks[key]
        for key in sorted(registry.blocks)
        if key.startswith(("actions.", "performance.", "budgets."))
    ]
    return {"meeting": meeting, "items": items, "last": last, "blocks": blocks}


def pack_state(*, meeting: Meeting) -> str:
    data = pack_data(meeting=meeting)
    state = {
        "meeting": [
            meeting.pk,
            meeting.starts_at.isoformat(),
            meeting.ends_at.isoformat(),
            meeting.where,
            meeting.status,
        ],
        "agenda": [[i.order, i.title, i.presenter, i.kind, i.paper_name] for i in data["items"]],
        "minutes": data["last"].minutes if data["last"] else "",
        "blocks": {b.key: b.snapshot(meeting.board.partnership) for b in data["blocks"]},
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()
