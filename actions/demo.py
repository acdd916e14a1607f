# ruff: noqa: E501  (seed data: long sentences read better on one line)
"""Demo records: Leicester's tracker (seed 004), Cambridgeshire and Peterborough's risks to future delivery
(seed 000) and Warwickshire's key actions for 2019/20 (seed 003). References, leads' initials, dates and
RAG states follow the seeds; the wording is our own. Idempotent: records are found by their keys."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from actions.models import Action, Priority, ProgressUpdate, Risk
from yjplan.history import save_with_links
from yjplan.models import Membership, User
from yjplan.permissions import Role

# Leicester's glossary of key leads (initials as the tracker shows them).
LEICESTER_LEADS = {
    "KM": ("Karen Manville", "Head of Service, Children and Young People's Justice Service"),
    "BB": ("Brian Bodsworth", "Head of Service, Children's Social Care and Early Help"),
    "SHS": ("Sarah Hancock Smith", "Public Health Consultant"),
    "JH": ("Jim Hatton", "Police Superintendent"),
    "SW": ("Sue Welford", "Principal Education Officer"),
    "SM": ("Sophie Maltby", "Head of Service, SEND"),
    "JN": ("Jessica Nicholls", "SEND lead"),
    "KL": ("Kayleigh Lord", "Service Manager, CAMHS"),
    "GS": ("Grace Strong", "Violence Reduction Network"),
    "BOB": ("Bob Osborne Bearne", "Probation Service"),
}

LEICESTER_PRIORITIES = [
    ("1", "Reduce reoffending, especially by children looked after"),
    ("2", "Reduce the use of custody and remands"),
    ("3", "Interdependencies: health, equality and education"),
    ("4", "National Standards"),
    ("5", "Youth Justice Plan 2023-24 and the children's services strategy"),
]

# ref, priority, action, leads, target date, completion, impact, outcome, source, updates [(date, completion, text)]
LEICESTER_ACTIONS = [
    (
        "2",
        "1",
        "Strengthen interventions that cut reoffending, including work with children with learning needs or neurodiversity, and relaunch the early interventions team.",
        [],
        dt.date(2021, 11, 30),
        "amber",
        "progress_starting",
        "Frequency of reoffending falls in line with the smaller cohort; quarterly reports to the board.",
        "plan_priority",
        [
            (
                dt.date(2023, 1, 31),
                "amber",
                "Binary rate rose to 32.3% against 21.4% the year before: a smaller cohort committing more offences. A frequency action plan is in place and the top ten reoffenders are reviewed monthly.",
            )
        ],
    ),
    (
        "3",
        "2",
        "Write a remand strategy and look at targeted accommodation for children arrested, as an alternative to detention before court; review the court and resettlement team.",
        ["JH"],
        dt.date(2022, 9, 30),
        "green",
        "progress_starting",
        "Fewer remands and custodial sentences, including for children looked after.",
        "plan_priority",
        [
            (
                dt.date(2023, 6, 15),
                "green",
                "Remand strategy meetings part of the review; appropriate adults work extended by a year.",
            )
        ],
    ),
    (
        "4",
        "3",
        "Give children with adverse childhood experiences access to specialist support; strengthen substance misuse treatment; pilot a health dashboard for the cohort.",
        ["KL", "SHS", "KM", "BB"],
        dt.date(2021, 12, 31),
        "green",
        "progress_made",
        "Staff use the health data routinely; referral rates back to pre-pandemic levels.",
        "plan_priority",
        [
            (
                dt.date(2023, 9, 12),
                "green",
                "Mentalisation-based training well received; CAMHS referrals almost back to pre-Covid levels.",
            )
        ],
    ),
    (
        "5",
        "3",
        "Act on the HMIP thematic inspection of disproportionality: keep the task and finish group's action plan under board review and check the data every year.",
        ["KM", "BB"],
        dt.date(2022, 2, 28),
        "green",
        "progress_starting",
        "Court outcomes match proposals for every group of children; breach rates comparable.",
        "hmip",
        [
            (
                dt.date(2023, 6, 20),
                "green",
                "Deep dive into offences by Asian and Black boys under way; work started with the police on bail and stop and search.",
            )
        ],
    ),
    (
        "6",
        "3",
        "Reduce the number of children aged 16 and over not in education, training or employment, with accredited group work as a route into further learning.",
        ["SW", "SM"],
        dt.date(2023, 12, 31),
        "green",
        "progress_made",
        "Post-16 EET back to 72% or higher.",
        "plan_priority",
        [
            (
                dt.date(2023, 9, 5),
                "green",
                "REACH project showing strong results; connexions alert in place for every NEET child at the start of an order.",
            )
        ],
    ),
    (
        "6a",
        "3",
        "Identify additional SEND needs of children known to the service and oversee the ETE thematic inspection's recommendations.",
        ["SW", "SM", "JN"],
        dt.date(2023, 12, 31),
        "green",
        "progress_starting",
        "Children with EHCPs reach suitable education, training or employment.",
        "hmip",
        [
            (
                dt.date(2023, 4, 28),
                "green",
                "ETE action plan revised each quarter; link adviser allocated to children with open orders.",
            )
        ],
    ),
    (
        "7",
        "4",
        "Complete the National Standards self-audit with a board member leading each standard, then review it after six months.",
        ["BB"],
        dt.date(2022, 3, 31),
        "complete",
        "progress_made",
        "Recommendations carried out; gradings validated by the YJB.",
        "national_standards",
        [
            (dt.date(2022, 3, 25), "green", "Self-audit completed and gradings submitted."),
            (
                dt.date(2023, 9, 29),
                "complete",
                "Gradings validated: good operationally in all five standards, outstanding strategically for community.",
            ),
        ],
    ),
    (
        "12",
        "5",
        "Build a programme that supports young people through the move to probation: refresh the transitions protocol and use maturity assessments.",
        ["BB", "BOB"],
        dt.date(2021, 10, 31),
        "green",
        "progress_made",
        "Refreshed protocol; lower reoffending after transfer.",
        "plan_priority",
        [
            (
                dt.date(2023, 1, 20),
                "green",
                "Resettlement training arranged for February with the custodial establishments.",
            )
        ],
    ),
    (
        "13",
        "5",
        "Create one adolescent offer with a clear pathway of support by aligning services.",
        ["BB"],
        dt.date(2023, 11, 30),
        "green",
        "no_impact",
        "One adolescent service in place and presented to both boards.",
        "board_decision",
        [
            (
                dt.date(2023, 8, 30),
                "green",
                "Mapping of social care and early help provision in progress with the violence reduction network.",
            )
        ],
    ),
    (
        "14",
        "5",
        "Prepare the partnership for the serious violence duty, with a public health approach to serious youth violence.",
        ["BB", "GS"],
        dt.date(2021, 12, 31),
        "amber",
        "progress_starting",
        "Partners understand the duty; a local plan agreed.",
        "plan_priority",
        [
            (
                dt.date(2022, 6, 30),
                "amber",
                "Statutory guidance awaited; the safeguarding partnership executive will act as the local partnership.",
            )
        ],
    ),
]

# Cambridgeshire and Peterborough, "risks to future delivery" (seed 000): title, category, cause, L, I, mitigation, owner role
CAMBS_RISKS = [
    (
        "Financial pressure on both councils and partners",
        "financial",
        "The public sector's financial challenges; Cambridgeshire's council contribution fell by £40k for 2019/20.",
        4,
        4,
        "The board agreed the reduction and expects partners to flag further cuts early.",
        "chair",
    ),
    (
        "Performance under the new HMI Probation inspection framework",
        "performance",
        "A new inspection framework with higher expectations.",
        3,
        4,
        "Self-assessment and improvement plan reviewed monthly by managers and quarterly by the board.",
        "manager",
    ),
    (
        "Keeping a skilled YOS and targeted youth support workforce",
        "workforce",
        "Recruitment and retention are difficult across both councils.",
        3,
        3,
        "Workforce development plan; shared high risk team across both services.",
        "manager",
    ),
    (
        "Keeping skilled psychology and clinical staff",
        "workforce",
        "Clinical posts are hard to recruit to.",
        3,
        3,
        "Work with health partners on joint posts.",
        "board",
    ),
    (
        "Children missing education and NEET in Peterborough",
        "performance",
        "A rising number of children missing education and not in education, training or employment.",
        3,
        3,
        "Education partners report to the board on the cohort.",
        "board",
    ),
    (
        "More complex cohort and criminal exploitation",
        "demand",
        "Cases fell (Cambridgeshire 518 to 384, Peterborough 172 to 150) but complexity and exploitation rose.",
        4,
        4,
        "Carry out the safeguarding board's criminal exploitation strategy; launch the early intervention exploitation team.",
        "manager",
    ),
    (
        "Changing structures of partner agencies",
        "partnership",
        "Partner agencies are reorganising.",
        3,
        3,
        "Sustain joint working through the management board.",
        "chair",
    ),
    (
        "Over-representation of BAME children in reoffending",
        "data",
        "Live tracker data shows BAME children over-represented in reoffending.",
        3,
        3,
        "Task and finish group; business intelligence teams to improve the data.",
        "manager",
    ),
]

WARWICKSHIRE_PRIORITIES = [
    ("1", "Resources"),
    ("2", "Professional standards and practice"),
    ("3", "Service users at the heart of our work"),
    ("4", "Risk and offender management"),
    ("5", "Responding to early signs of concern about offending"),
]
# ref, priority, action, lead role, target date, completion, impact, source
WARWICKSHIRE_ACTIONS = [
    (
        "1.1",
        "1",
        "Maintain staffing levels.",
        "manager",
        dt.date(2020, 3, 31),
        "green",
        "progress_made",
        "plan_priority",
    ),
    (
        "1.2",
        "1",
        "Develop the resource centre for direct work with young people.",
        "manager",
        dt.date(2020, 3, 31),
        "amber",
        "progress_starting",
        "plan_priority",
    ),
    (
        "2.1",
        "2",
        "Implement the new Standards for Youth Justice, with a board lead for each of the five areas and the audit in spring 2020.",
        "board",
        dt.date(2020, 5, 31),
        "green",
        "progress_starting",
        "national_standards",
    ),
    (
        "2.2",
        "2",
        "Keep embedding the enriched case management (trauma-informed) approach.",
        "manager",
        dt.date(2020, 3, 31),
        "green",
        "progress_made",
        "plan_priority",
    ),
    (
        "2.3",
        "2",
        "Continue to address every aspect of disproportionality.",
        "chair",
        dt.date(2020, 3, 31),
        "amber",
        "no_impact",
        "plan_priority",
    ),
    (
        "2.4",
        "2",
        "Support restorative practice across the children and families directorate.",
        "manager",
        dt.date(2020, 3, 31),
        "not_started",
        "no_impact",
        "plan_priority",
    ),
    (
        "3.1",
        "3",
        "Collect more feedback from young people and use it to shape services.",
        "manager",
        dt.date(2020, 3, 31),
        "green",
        "progress_starting",
        "plan_priority",
    ),
    (
        "4.1",
        "4",
        "Modernise the response to every form of exploitation of children.",
        "board",
        dt.date(2020, 3, 31),
        "amber",
        "progress_starting",
        "plan_priority",
    ),
    (
        "4.2",
        "4",
        "Make sure programmes respond to serious crime, including weapons and violence.",
        "board",
        dt.date(2020, 3, 31),
        "red",
        "no_impact",
        "plan_priority",
    ),
    (
        "5.1",
        "5",
        "Continue improving out-of-court disposal delivery.",
        "manager",
        dt.date(2020, 3, 31),
        "green",
        "progress_made",
        "plan_priority",
    ),
    (
        "5.2",
        "5",
        "Realign prevention work with the wider early help strategy.",
        "manager",
        dt.date(2019, 10, 31),
        "red",
        "no_impact",
        "plan_priority",
    ),
]


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _role_member(partnership, role: str) -> Membership | None:
    return (
        Membership.objects.filter(partnership=partnership, **{f"is_{role}": True})
        .select_related("user")
        .order_by("pk")
        .first()
    )


def _lead(partnership, initials: str) -> Membership:
    name, title = LEICESTER_LEADS[initials]
    email = name.lower().replace(" ", ".") + f"@leads.{partnership.slug}.example"  # not a sign-in demo user
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, full_name=name, password=None
    )
    membership = Membership.objects.filter(user=user, partnership=partnership).first()
    if membership is None:
        membership = Membership(user=user, partnership=partnership, job_title=title)
        membership.set_roles([Role.BOARD])
        membership.save()
    return membership


def _action(
    partnership, priority, ref, text, leads, target, completion, impact, outcome, source, updates, author
) -> None:
    if Action.objects.filter(partnership=partnership, reference=ref).exists():
        return
    first = updates[0][0] if updates else target or dt.date(2021, 4, 1)
    action = Action(
        partnership=partnership,
        reference=ref,
        priority=priority,
        text=text,
        target_date=target,
        completion="not_started",
        impact="no_impact",
        outcome=outcome,
        source=source,
        created_at=_aware(first - dt.timedelta(days=90)),
    )
    save_with_links(action, leads=leads)
    state = "not_started"
    for index, (day, to, note) in enumerate(updates):
        last = index == len(updates) - 1
        entry = ProgressUpdate.objects.create(
            partnership=partnership,
            action=action,
            author=author.user if author else None,
            author_name=author.user.full_name if author else "Demo data",
            date=day,
            created_at=_aware(day),
            text=note,
            completion_from=state,
            completion_to=to if not last else completion,
            impact_from="no_impact",
            impact_to=impact if last else "no_impact",
        )
        state = entry.completion_to
        action.latest_update, action.last_update_at = entry, entry.created_at
    action.completion, action.impact = completion, impact
    action.save()


def _priorities(partnership, items) -> dict:
    return {
        number: Priority.objects.get_or_create(partnership=partnership, number=number, defaults={"title": title})[0]
        for number, title in items
    }


@transaction.atomic
def seed(partnerships: dict, stdout=None) -> None:
    leicester = partnerships.get("leicester")
    if leicester is not None:
        groups = _priorities(leicester, LEICESTER_PRIORITIES)
        manager = _role_member(leicester, "manager")
        board = _role_member(leicester, "board")
        for ref, group, text, initials, target, completion, impact, outcome, source, updates in LEICESTER_ACTIONS:
            leads = [_lead(leicester, i) for i in initials]
            if ref == "14" and board is not None:
                leads.append(board)  # the demo board member leads one action, so they can update it
            author = leads[0] if leads else manager
            _action(
                leicester, groups[group], ref, text, leads, target, completion, impact, outcome, source, updates, author
            )
    cambs = partnerships.get("cambs-peterborough")
    if cambs is not None:
        for title, category, cause, likelihood, impact, mitigation, role in CAMBS_RISKS:
            Risk.objects.get_or_create(
                partnership=cambs,
                title=title,
                defaults={
                    "category": category,
                    "description": cause,
                    "likelihood": likelihood,
                    "impact": impact,
                    "mitigation": mitigation,
                    "owner": _role_member(cambs, role),
                    "review_date": dt.date(2020, 3, 31),
                },
            )
        manager = _role_member(cambs, "manager")
        _action(
            cambs,
            None,
            "1",
            "Launch the early intervention exploitation team alongside the YOS, funded for 12 months with the PCC.",
            [manager] if manager else [],
            dt.date(2019, 8, 31),
            "complete",
            "progress_starting",
            "Interventions for children at moderate and significant risk of criminal exploitation.",
            "plan_priority",
            [
                (
                    dt.date(2019, 9, 2),
                    "complete",
                    "Team launched; outcomes reported to the Home Office through the board.",
                )
            ],
            manager,
        )
        exploitation = Risk.objects.filter(
            partnership=cambs, title="More complex cohort and criminal exploitation"
        ).first()
        action = Action.objects.filter(partnership=cambs, reference="1").first()
        if exploitation and action:
            exploitation.actions.add(action)
    warwickshire = partnerships.get("warwickshire")
    if warwickshire is not None:
        groups = _priorities(warwickshire, WARWICKSHIRE_PRIORITIES)
        for ref, group, text, role, target, completion, impact, source in WARWICKSHIRE_ACTIONS:
            lead = _role_member(warwickshire, role)
            updates = [
                (dt.date(2019, 12, 10), completion, "Reported to the Chief Officer Board in the quarterly RAG update.")
            ]
            _action(
                warwickshire,
                groups[group],
                ref,
                text,
                [lead] if lead else [],
                target,
                completion,
                impact,
                "",
                source,
                updates,
                lead,
            )
    if stdout is not None:
        stdout.write("Actions: demo trackers and risk registers ready.")
