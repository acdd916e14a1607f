"""The boards spoke's plan blocks, dashboard tile, navigation entry, meeting pack and audited models."""

from django.http import Http404
from django.utils import timezone

from boards import selectors
from boards.models import AgendaItem, Attendance, Board, BoardMember, Decision, Meeting, QuarterlySummary
from yjplan.registry import Attention, Block, BlockOption, DocumentKind, NavItem, Tile, registry


def _financial_years(partnership) -> list[tuple[int, str]]:
    this = selectors.financial_year(timezone.localdate())
    return [(y, selectors.year_label(y)) for y in range(this + 1, this - 5, -1)]


FINANCIAL_YEAR = BlockOption(
    "year", "Financial year", choices=_financial_years, default_label="This financial year", coerce=int
)

registry.register_block(
    Block(
        key="boards.membership",
        title="Board membership",
        description="The boards' current members: role, seniority, organisation, agency and statutory partners "
        "(for Structure and governance).",
        fetch=selectors.membership_block,
        template="boards/blocks/membership.html",
        print_template="print/boards/blocks/membership.html",
    )
)
registry.register_block(
    Block(
        key="boards.meeting_schedule",
        title="Board meeting schedule",
        description="The boards' meetings in the financial year: date, time, place and whether held or cancelled.",
        fetch=selectors.schedule_block,
        template="boards/blocks/meeting_schedule.html",
        option_fields=(FINANCIAL_YEAR,),
        print_template="print/boards/blocks/meeting_schedule.html",
    )
)
registry.register_block(
    Block(
        key="boards.attendance_summary",
        title="Board attendance by partner agency",
        description="Attendance at the management board by partner agency and the YJB board attendance figure "
        "per quarter.",
        fetch=selectors.attendance_block,
        template="boards/blocks/attendance_summary.html",
        option_fields=(FINANCIAL_YEAR,),
        print_template="print/boards/blocks/attendance_summary.html",
    )
)


def _tile(partnership, membership):
    # the agenda builder, where proposals are taken or left, is the board's secretariat's page alone
    return {**selectors.dashboard_tile(partnership), "sees_proposals": membership.can("boards.edit")}


registry.register_tile(
    Tile(key="boards.board", title="Board", template="boards/tiles/board.html", fetch=_tile, order=50)
)
registry.register_nav(NavItem(key="boards.board", label="Board", url_name="boards:index", order=50))
registry.register_attention(
    Attention(
        key="boards.decisions",
        title="Board decisions awaiting a tracked action",
        fetch=selectors.decisions_awaiting_action,
        order=90,
    )
)

for _model, _field in (
    (Board, "partnership"),
    (BoardMember, "board__partnership"),
    (Meeting, "board__partnership"),
    (AgendaItem, "meeting__board__partnership"),
    (Attendance, "meeting__board__partnership"),
    (Decision, "meeting__board__partnership"),
    (QuarterlySummary, "board__partnership"),
):
    registry.register_audited(_model, partnership_field=_field)


# --- The meeting pack ---------------------------------------------------------------------------------------


def _pack_meeting(partnership, params) -> Meeting:
    raw = str((params or {}).get("p_meeting", ""))
    meeting = selectors.meeting_in_partnership(partnership=partnership, pk=int(raw)) if raw.isdigit() else None
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _pack_title(partnership, params) -> str:
    meeting = _pack_meeting(partnership, params)
    return f"{meeting.board.name}: meeting pack for {meeting.day:%-d %B %Y}"[:200]


def _pack_state(partnership, params) -> str:
    return selectors.pack_state(meeting=_pack_meeting(partnership, params))


def pack_html(job) -> str:
    from yjplan.documents import print_html

    meeting = _pack_meeting(job.partnership, job.params)
    data = selectors.pack_data(meeting=meeting)
    sections = [
        {"title": block.title, "html": block.render(block.data(job.partnership), media="print")}
        for block in data["blocks"]
    ]
    return print_html(
        "print/boards/pack.html", partnership=job.partnership, title=job.title, context={**data, "sections": sections}
    )


registry.register_document(DocumentKind(key="boards.pack", title=_pack_title, state=_pack_state, build=pack_html))
