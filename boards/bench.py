"""Bench data and pages for the boards spoke, appended to ``bench.generate.GENERATORS`` and ``bench.pages.PAGES``.

Every partnership gets a management board with 10 members and a year of meetings; the bench partnership's
board is bigger: 16 members, two years of monthly meetings (24, two cancelled), 10 agenda items each and
attendance for every member, deputies included.
"""

import datetime as dt

from django.utils import timezone

AGENCIES = ["police", "local_authority", "probation", "health", "education", "pcc", "youth_court", "voluntary"]
TITLES = [
    "Performance report",
    "Budget monitoring",
    "Action tracker: exceptions",
    "Spotlight: reparation",
    "Remand strategy",
    "Serious violence duty",
    "National Standards self-audit",
    "Disproportionality action plan",
    "ETE thematic inspection",
    "Risk register",
]
STATUSES = ["present"] * 6 + ["apologies", "deputy", "absent"]


def generate_boards(partnerships, rng) -> None:
    from bench.generate import bulk
    from boards.models import AgendaItem, Attendance, Board, BoardMember, Meeting
    from yjplan.models import User

    today = timezone.localdate()
    boards = bulk(
        Board,
        [
            Board(partnership=p, name=f"{p.name} Management Board", quorum=3, reports_to="Safeguarding Partnership")
            for p in partnerships
        ],
    )
    first = partnerships[0]
    linked = {
        u.email: u for u in User.objects.filter(email__in=[f"chair@{first.slug}.bench", f"board@{first.slug}.bench"])
    }
    seats, meetings = [], []
    for index, board in enumerate(boards):
        big = index == 0
        for n in range(16 if big else 10):
            user = None
            if big and n < 2:
                user = linked.get(f"{'chair' if n == 0 else 'board'}@{first.slug}.bench")
            seats.append(
                BoardMember(
                    board=board,
                    name=f"Member {n + 1:02d} of board {index + 1}",
                    user=user,
                    organisation="Partner agency",
                    agency=AGENCIES[n % len(AGENCIES)] if n else "police",
                    role="chair" if n == 0 else "vice_chair" if n == 1 else "member",
                    seniority="Director",
                    start_date=today - dt.timedelta(days=800),
                )
            )
        count = 24 if big else 6
        for m in range(count):
            day = today - dt.timedelta(days=(count - m) * (30 if big else 60))
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
            status = "cancelled" if m in (5, 17) else "held"
            meetings.append(
                Meeting(
                    board=board,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    place="Town Hall",
                    status=status,
                )
            )
        upcoming = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=21), dt.time(10)))
        meetings.append(
            Meeting(board=board, starts_at=upcoming, ends_at=upcoming + dt.timedelta(hours=2), place="Town Hall")
        )
    seats = bulk(BoardMember, seats)
    meetings = bulk(Meeting, meetings)
    seats_by_board = {}
    for seat in seats:
        seats_by_board.setdefault(seat.board_id, []).append(seat)
    items, attendance = [], []
    for meeting in meetings:
        big = meeting.board_id == boards[0].pk
        for n in range(10 if big else 4):
            items.append(
                AgendaItem(
                    meeting=meeting, order=n + 1, title=TITLES[n % len(TITLES)], finished=n != 3, kind="information"
                )
            )
        if meeting.status != "held":
            continue
        for seat in seats_by_board[meeting.board_id]:
            status = rng.choice(STATUSES)
            attendance.append(
                Attendance(
                    meeting=meeting, member=seat, status=status, deputy_name="A deputy" if status == "deputy" else ""
                )
            )
    bulk(AgendaItem, items)
    bulk(Attendance, attendance)


def board_path(partnership) -> str:
    board = partnership.boards.order_by("pk").first()
    return f"/p/{partnership.slug}/board/{board.pk}/"


def meetings_path(partnership) -> str:
    return board_path(partnership) + "meetings/"


def analytics_path(partnership) -> str:
    return board_path(partnership) + "attendance/"


def meeting_path(partnership) -> str:
    board = partnership.boards.order_by("pk").first()
    meeting = board.meetings.filter(status="held").order_by("-starts_at").first()
    return f"/p/{partnership.slug}/board/meetings/{meeting.pk}/"


PAGES = [
    ("board detail (16 members)", board_path, "manager"),
    ("board meetings (25 meetings, attendance)", meetings_path, "manager"),
    ("board meeting (10 items, 16 attendance)", meeting_path, "board"),
    ("board attendance analytics (2 years)", analytics_path, "viewer"),
]
