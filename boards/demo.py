"""Demo boards built from the seeds' facts (our own wording):

* Cambridgeshire and Peterborough's joint Youth Justice Management Board (seed 000): an Assistant Chief
  Constable in the chair since January 2018; senior members from social care, the National Probation
  Service, the constabulary, the PCC's office, the clinical commissioning group and the voluntary sector;
  education represented by the new Assistant Director of Education from May 2019; reports quarterly to
  the Safeguarding Executive Board and the Countywide Community Safety Board.
* Warwickshire's Youth Justice Chief Officer Board (seed 003): quarterly; chaired by the Director of
  Children's Services with the Director of Public Health as vice-chair; all five statutory partners,
  the chair of the youth court panel and the PCC; a practitioner spotlight at every meeting.
* Leicester's Youth Justice Management Board (seed 004), with the youth court panel chair and the PCC.

Each board gets a year of meetings up to today (one cancelled), attendance with apologies and deputies,
agendas, minutes and decisions, and one meeting scheduled ahead. Idempotent: a board that exists is
left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from boards import services
from boards.models import AgendaItem, Board, Meeting
from yjplan.models import User

# (name, seniority, organisation, agency, role, start, end, induction, demo user's role or None)
CAMBS_MEMBERS = [
    (
        "Helen Brook",
        "Assistant Chief Constable",
        "Cambridgeshire Constabulary",
        "police",
        "chair",
        "2018-01-01",
        None,
        "2018-01-15",
        "chair",
    ),
    (
        "Ruth Adeyemi",
        "Service Director, Children's Social Care",
        "Cambridgeshire County Council",
        "local_authority",
        "vice_chair",
        "2017-04-01",
        None,
        "2017-05-02",
        None,
    ),
    (
        "Colin Marsh",
        "Assistant Director, Children's Services",
        "Peterborough City Council",
        "local_authority",
        "member",
        "2017-04-01",
        None,
        "2017-05-02",
        None,
    ),
    (
        "Gareth Lyle",
        "Head of Service",
        "National Probation Service",
        "probation",
        "member",
        "2017-04-01",
        None,
        "2017-05-02",
        "board",
    ),
    (
        "Nadia Shah",
        "Head of Policy and Commissioning",
        "Office of the Police and Crime Commissioner",
        "pcc",
        "member",
        "2017-09-01",
        None,
        "2017-10-03",
        None,
    ),
    (
        "Joanne Price",
        "Designated Nurse, Safeguarding Children",
        "Cambridgeshire and Peterborough CCG",
        "health",
        "member",
        "2017-04-01",
        None,
        None,
        None,
    ),
    (
        "Paul Okafor",
        "Chief Executive",
        "Cambridgeshire Council for Voluntary Service",
        "voluntary",
        "member",
        "2018-06-01",
        None,
        "2018-07-10",
        None,
    ),
    (
        "Ian Dunmore",
        "Head of Education Inclusion",
        "Cambridgeshire County Council",
        "education",
        "member",
        "2017-04-01",
        "2019-04-30",
        "2017-05-02",
        None,
    ),
    (
        "Grace Ellery",
        "Assistant Director of Education",
        "Cambridgeshire County Council",
        "education",
        "member",
        "2019-05-01",
        None,
        None,
        None,
    ),
    (
        "Sam Whitfield",
        "Head of Youth Offending Service",
        "Cambridgeshire County Council",
        "local_authority",
        "adviser",
        "2018-02-01",
        None,
        None,
        "manager",
    ),
]

WARWICKSHIRE_MEMBERS = [
    (
        "Nigel Marsh",
        "Strategic Director for People and Director of Children's Services",
        "Warwickshire County Council",
        "local_authority",
        "chair",
        "2018-09-01",
        None,
        "2018-09-20",
        "chair",
    ),
    (
        "Amrit Dhillon",
        "Director of Public Health",
        "Warwickshire County Council",
        "public_health",
        "vice_chair",
        "2017-04-01",
        None,
        "2017-05-11",
        None,
    ),
    (
        "Rachel Hume",
        "Superintendent",
        "Warwickshire Police",
        "police",
        "member",
        "2018-04-01",
        None,
        "2018-05-10",
        "board",
    ),
    (
        "Dominic Reilly",
        "Head of Probation Delivery Unit",
        "National Probation Service",
        "probation",
        "member",
        "2017-04-01",
        None,
        "2017-05-11",
        None,
    ),
    (
        "Helen Carver",
        "Head of Safeguarding and Children Looked After Commissioning",
        "Warwickshire North and South CCGs",
        "health",
        "member",
        "2017-04-01",
        None,
        None,
        None,
    ),
    (
        "Marcus Bell",
        "Assistant Director, Education Services",
        "Warwickshire County Council",
        "education",
        "member",
        "2018-11-01",
        None,
        "2018-11-22",
        None,
    ),
    (
        "Margaret Ashby JP",
        "Chair of the Youth Court Panel",
        "Warwickshire Youth Court",
        "youth_court",
        "member",
        "2017-04-01",
        None,
        "2017-05-11",
        None,
    ),
    (
        "Philip Seccombe",
        "Police and Crime Commissioner",
        "Office of the Warwickshire PCC",
        "pcc",
        "member",
        "2017-04-01",
        None,
        None,
        None,
    ),
    (
        "Claire Danson",
        "Youth Justice Service Manager",
        "Warwickshire County Council",
        "local_authority",
        "adviser",
        "2018-10-01",
        None,
        None,
        "manager",
    ),
    (
        "Lee Harrington",
        "Area Head of Oversight",
        "Youth Justice Board",
        "yjb",
        "adviser",
        "2017-04-01",
        None,
        None,
        None,
    ),
]

LEICESTER_MEMBERS = [
    (
        "Laura Finch",
        "Director of Children's Social Care",
        "Leicester City Council",
        "local_authority",
        "chair",
        "2021-04-01",
        None,
        "2021-04-20",
        "chair",
    ),
    (
        "Kerry Vaughan",
        "Designated Nurse",
        "Leicester, Leicestershire and Rutland ICB",
        "health",
        "member",
        "2021-04-01",
        None,
        "2021-04-20",
        "board",
    ),
    (
        "Jim Hatton",
        "Superintendent",
        "Leicestershire Police",
        "police",
        "vice_chair",
        "2021-04-01",
        None,
        "2021-04-20",
        None,
    ),
    (
        "Bob Osborne Bearne",
        "Head of Probation Delivery Unit",
        "Probation Service",
        "probation",
        "member",
        "2021-04-01",
        None,
        None,
        None,
    ),
    (
        "Sue Welford",
        "Principal Education Officer",
        "Leicester City Council",
        "education",
        "member",
        "2021-04-01",
        None,
        "2021-06-01",
        None,
    ),
    (
        "Rupert Matthews",
        "Police and Crime Commissioner",
        "Leicester, Leicestershire and Rutland OPCC",
        "pcc",
        "member",
        "2021-05-13",
        None,
        "2021-06-01",
        None,
    ),
    (
        "Anne Whitlock JP",
        "Chair of the Youth Court Panel",
        "Leicester Youth Court",
        "youth_court",
        "member",
        "2021-04-01",
        None,
        None,
        None,
    ),
    (
        "Grace Strong",
        "Director",
        "Violence Reduction Network",
        "other",
        "member",
        "2021-04-01",
        None,
        "2021-06-01",
        None,
    ),
    (
        "Mark Ellison",
        "Head of Service, Children and Young People's Justice",
        "Leicester City Council",
        "local_authority",
        "adviser",
        "2021-04-01",
        None,
        None,
        "manager",
    ),
]

BOARDS = {
    "cambs-peterborough": {
        "name": "Cambridgeshire and Peterborough Joint Youth Justice Management Board",
        "reports_to": "Cambridgeshire and Peterborough Safeguarding Executive Board\nCountywide Community Safety Board",
        "terms_of_reference": (
            "Holds the joint youth justice partnership to account and oversees youth justice services in both "
            "councils, including inspection preparation and improvement plans. A decision-making board: members "
            "bring the delegated authority of their organisations and send a suitable deputy when they cannot "
            "attend. New members are inducted into their role and the board's statutory functions. After each "
            "meeting the lead officer writes a quarterly summary for the partner boards."
        ),
        "members": CAMBS_MEMBERS,
        "every": 2,  # months between meetings
    },
    "warwickshire": {
        "name": "Warwickshire Youth Justice Chief Officer Board",
        "reports_to": "Warwickshire Safeguarding Children's Partnership\nSafer Warwickshire Partnership Board",
        "terms_of_reference": (
            "Meets quarterly to oversee the youth justice plan and receives RAG-rated action plan updates, "
            "performance and finance reports. Every meeting opens with a practitioner spotlight so strategic "
            "decisions stay close to practice."
        ),
        "members": WARWICKSHIRE_MEMBERS,
        "every": 3,
    },
    "leicester": {
        "name": "Leicester Youth Justice Management Board",
        "reports_to": "Leicester Safeguarding Children Partnership\nSafer Leicester Partnership",
        "terms_of_reference": (
            "Works together strategically to prevent offending, reduce reoffending and the use of custody, and "
            "is accountable for the key actions and priorities of the youth justice plan."
        ),
        "members": LEICESTER_MEMBERS,
        "every": 2,
    },
}

AGENDAS = {
    "cambs-peterborough": [
        ("Live reoffending tracker: cohort analysis", "decision", "Head of Youth Offending Service"),
        ("Performance: first time entrants, custody and reoffending in both areas", "information", "Performance lead"),
        ("Criminal exploitation strategy: partnership delivery", "decision", "Safeguarding Board manager"),
        ("Transfer of information to the secure estate", "information", "Peterborough team manager"),
        ("Early Intervention Youth Fund exploitation team", "decision", "Head of Youth Offending Service"),
        ("Over-representation of BAME children in reoffending", "decision", "Joint Head of Service"),
    ],
    "warwickshire": [
        ("Spotlight: out of court disposals panel", "spotlight", "YJS practitioner"),
        ("Quarterly performance and finance report", "information", "Information and Performance Officer"),
        ("Inspection improvement plan: RAG update", "decision", "Youth Justice Service Manager"),
        ("National Standards: leads for the five strands", "decision", "Youth Justice Service Manager"),
        ("Service user feedback system", "information", "Team manager"),
    ],
    "leicester": [
        ("Reoffending: 12-month cohort and frequency action plan", "decision", "Head of Service"),
        ("Remand strategy", "decision", "Superintendent"),
        ("Health dashboard pilot review", "information", "Designated Nurse"),
        ("Disproportionality deep dive", "decision", "Head of Service"),
        ("ETE thematic inspection recommendations", "information", "Principal Education Officer"),
    ],
}

DECISIONS = {
    "cambs-peterborough": [
        "Approved the £40k reduction in Cambridgeshire's local authority contribution for 2019/20, noting that "
        "further reductions could affect partner contributions.",
        "Asked the YOS to report the live reoffending tracker to the board every six months.",
    ],
    "warwickshire": ["Appointed a board lead for each of the five National Standards strands."],
    "leicester": ["Agreed to present the remand strategy at the July board and consult children on it."],
}

# status by (seat, meeting): cycles through present, present, apologies, present, deputy, present, absent
PATTERN = ["present", "present", "apologies", "present", "deputy", "present", "absent"]
DEPUTIES = ["Chief Inspector Ahmed", "Dr Lewis", "Ms Patel", "Mr Green", "Ms Hughes", "Mr Owen"]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _month_offset(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _second_tuesday(first: dt.date) -> dt.date:
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def seed_board(partnership, spec: dict, slug: str, today: dt.date | None = None) -> Board | None:
    if Board.objects.filter(partnership=partnership, name=spec["name"]).exists():
        return None
    today = today or timezone.localdate()
    board = services.board_create(
        partnership=partnership,
        name=spec["name"],
        terms_of_reference=spec["terms_of_reference"],
        quorum=3,
        reports_to=spec["reports_to"],
    )
    users = {u.email: u for u in User.objects.filter(email__endswith=f"@{slug}.demo")}
    seats = []
    for name, seniority, organisation, agency, role, start, end, induction, demo_role in spec["members"]:
        seats.append(
            services.member_add(
                board=board,
                name=name,
                seniority=seniority,
                organisation=organisation,
                agency=agency,
                role=role,
                start_date=_date(start),
                end_date=_date(end),
                induction_date=_date(induction),
                user=users.get(f"{demo_role}@{slug}.demo") if demo_role else None,
            )
        )
    # a year of meetings up to this month, then one ahead
    every = spec["every"]
    months = list(range(-12 + every, 1, every)) + [every]
    agenda = AGENDAS[slug]
    previous_items: list[AgendaItem] = []
    held = 0
    for number, offset in enumerate(months):
        day = _second_tuesday(_month_offset(today, offset))
        future = day >= today
        cancelled = number == 2
        status = Meeting.Status.SCHEDULED if future else Meeting.Status.CANCELLED if cancelled else Meeting.Status.HELD
        meeting = services.meeting_create(
            board=board,
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            place="" if number % 2 else "Council Chamber, Shire Hall",
            online=bool(number % 2),
            status=status,
        )
        if cancelled:
            continue
        items = [
            services.agenda_item_add(meeting=meeting, title="Minutes and actions of the last meeting", kind="standing")
        ]
        for previous in previous_items:
            if not previous.finished:
                items.append(
                    services.agenda_item_add(
                        meeting=meeting,
                        title=previous.title,
                        kind=previous.kind,
                        presenter=previous.presenter,
                        carried_over_from=previous,
                    )
                )
        for offset_in_list in range(2):
            title, kind, presenter = agenda[(number * 2 + offset_in_list) % len(agenda)]
            if any(i.title == title for i in items):
                continue
            items.append(services.agenda_item_add(meeting=meeting, title=title, kind=kind, presenter=presenter))
        if future:
            break
        # all but the last item of each meeting finished
        for item in items[:-1]:
            AgendaItem.objects.filter(pk=item.pk).update(finished=True)
            item.finished = True
        previous_items = items
        rows = []
        for index, seat in enumerate(seats):
            if not seat.active_on(day):
                continue
            status_word = PATTERN[(index * 3 + held) % len(PATTERN)]
            if seat.role == "chair" and status_word != "present":
                status_word = "present" if held % 3 else "apologies"
            rows.append(
                {
                    "member": seat,
                    "status": status_word,
                    "deputy_name": DEPUTIES[(index + held) % len(DEPUTIES)] if status_word == "deputy" else "",
                }
            )
        services.attendance_record(meeting=meeting, rows=rows)
        titles = ", ".join(i.title.lower() for i in items[1:])
        services.minutes_save(
            meeting=meeting,
            minutes=f"<p>The board received reports on {titles}.</p>"
            "<p>Members agreed the actions recorded below and confirmed the date of the next meeting.</p>",
        )
        if held < len(DECISIONS[slug]):
            services.decision_add(meeting=meeting, text=DECISIONS[slug][held], action_requested=held == 0)
        held += 1
    return board


def seed(partnerships, stdout=None) -> None:
    made = []
    for slug, spec in BOARDS.items():
        partnership = partnerships.get(slug)
        if partnership is None:
            continue
        if seed_board(partnership, spec, slug) is not None:
            made.append(spec["name"])
    if stdout is not None and made:
        stdout.write(f"Boards: {len(made)} demo board{'s' if len(made) != 1 else ''} with a year of meetings.")
