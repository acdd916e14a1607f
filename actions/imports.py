"""Import actions from a spreadsheet: a Leicester-like tracker, or the 2010 improvement plan (action + risk).

Every row is checked first and every problem reported with its row and column; then one atomic write,
or nothing at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction

from actions import services
from actions.models import Action, Completion, Impact, Priority, RiskCategory, Source
from yjplan.models import Membership, Partnership
from yjplan.tabular import MB, CellError, TableError, map_columns, read_table, spreadsheet_row

MAX_BYTES = 2 * MB
MAX_ROWS = 1000

TRACKER_COLUMNS = {
    "reference": ["Ref", "reference", "ref no"],
    "priority": ["Improvement target", "target", "priority"],
    "text": ["Action", "actions"],
    "leads": ["Lead", "overall lead", "leads", "lead initials"],
    "target_date": ["Target date", "date"],
    "completion": ["RAG completed", "rag action", "completion rag", "completion", "rag"],
    "outcome": ["Evidence of impact", "evidence of impact outcome measure", "outcome measure", "outcome"],
    "impact": ["RAG impact", "impact rag", "impact"],
    "progress": ["Progress", "progress update"],
}
TRACKER_REQUIRED = ["reference", "text"]

PLAN_COLUMNS = {
    "gap": ["Gap", "gaps"],
    "risk": ["Risk", "risks"],
    "text": ["Action", "actions"],
    "outcome": ["Success criteria", "success criterion"],
    "owner": ["Owner", "lead"],
    "target_date": ["Deadline", "target date"],
    "reference": ["Ref", "reference"],
}
PLAN_REQUIRED = ["gap", "risk", "text", "outcome", "owner", "target_date"]

COMPLETION_WORDS = {
    "": Completion.NOT_STARTED,
    "not started": Completion.NOT_STARTED,
    "red": Completion.RED,
    "amber": Completion.AMBER,
    "green": Completion.GREEN,
    "on track": Completion.GREEN,
    "complete": Completion.COMPLETE,
    "completed": Completion.COMPLETE,
}
IMPACT_WORDS = {
    "": Impact.NONE,
    "no impact": Impact.NONE,
    "progress starting": Impact.STARTING,
    "progress made": Impact.MADE,
}


@dataclass
class ImportRow:
    row: int
    action: dict
    leads: list[Membership]
    priority_title: str = ""
    progress: str = ""
    risk: dict | None = None

    @property
    def lead_initials(self) -> str:
        return "/".join(m.user.initials for m in self.leads)

    @property
    def rag(self) -> str:
        completion, impact = self.action.get("completion"), self.action.get("impact")
        if completion is None or impact is None:
            return "–"
        return f"{Completion(completion).label} / {Impact(impact).label}"


@dataclass
class Preview:
    layout: str
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def parse_date(text: str) -> dt.date | None:
    """31/3/2025, 2025-03-31, 31/03/25, "Mar 2025" or "March 25" (the month's last day). None when not a date."""
    text = text.strip()
    text = re.sub(r"\s+00:00:00$", "", text)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    for fmt in ("%b %Y", "%B %Y", "%b %y", "%B %y"):
        try:
            month = dt.datetime.strptime(text.replace("Sept", "Sep"), fmt).date()
        except ValueError:
            continue
        return month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return None


class _People:
    def __init__(self, partnership: Partnership):
        self.members = list(Membership.objects.filter(partnership=partnership).select_related("user"))

    def find(self, token: str) -> tuple[list[Membership], str | None]:
        token = token.strip()
        low = token.lower()
        exact = [m for m in self.members if m.user.email.lower() == low or m.user.full_name.lower() == low]
        if exact:
            return exact[:1], None
        by_initials = [m for m in self.members if m.user.initials == token.upper()]
        if len(by_initials) == 1:
            return by_initials, None
        if len(by_initials) > 1:
            names = ", ".join(m.user.full_name for m in by_initials)
            return [], f"the initials {token} match more than one member ({names}): write the full name"
        return [], f"{token} is not a member of this partnership"

    def many(self, text: str) -> tuple[list[Membership], list[str]]:
        found, problems = [], []
        for token in re.split(r"[/,;&]+|\s+and\s+", text):
            token = token.strip()
            if not token:
                continue
            people, problem = self.find(token)
            if problem:
                problems.append(problem)
            for person in people:
                if person not in found:
                    found.append(person)
        return found, problems


def _row_common(get, row: int, column, errors: list, taken: set, deleted: set) -> dict:
    data = {}
    reference = get("reference")
    if not reference:
        errors.append(CellError(row, column("reference"), "Enter a reference, like 2 or 3.1"))
    elif len(reference) > 20:
        errors.append(CellError(row, column("reference"), "Reference must be 20 characters or fewer"))
    elif reference.lower() in deleted:
        errors.append(
            CellError(row, column("reference"), f"Action {reference} was deleted and its reference is not used again")
        )
    elif reference.lower() in taken:
        errors.append(
            CellError(row, column("reference"), f"Action {reference} already exists or repeats an earlier row")
        )
    else:
        taken.add(reference.lower())
    data["reference"] = reference
    data["text"] = get("text")
    if not data["text"]:
        errors.append(CellError(row, column("text"), "Enter the action"))
    raw = get("target_date")
    data["target_date"] = parse_date(raw) if raw else None
    if raw and data["target_date"] is None:
        errors.append(CellError(row, column("target_date"), f"“{raw}” is not a date: write it like 31/3/2025"))
    data["outcome"] = get("outcome")
    return data


def parse(*, partnership: Partnership, data: bytes, filename: str, layout: str) -> Preview:
    """Read and check every row; raises TableError when the file itself is unusable."""
    frame = read_table(data, filename=filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    aliases, required = (TRACKER_COLUMNS, TRACKER_REQUIRED) if layout == "tracker" else (PLAN_COLUMNS, PLAN_REQUIRED)
    columns, problems = map_columns(frame, aliases, required)
    if problems:
        raise TableError(problems)
    people = _People(partnership)
    taken = {r.lower() for r in Action.objects.filter(partnership=partnership).values_list("reference", flat=True)}
    deleted = services.deleted_references(partnership=partnership)
    preview = Preview(layout=layout)
    next_number = len(taken) + 1
    for index, record in frame.iterrows():
        row = spreadsheet_row(index)

        values = {name: str(record[header]).replace("\x00", "").strip() for name, header in columns.items()}
        if layout == "improvement_plan" and not values.get("reference"):
            while f"ip{next_number}" in taken or f"ip{next_number}" in deleted:
                next_number += 1
            values["reference"] = f"IP{next_number}"

        def get(name, values=values):
            return values.get(name, "")

        def column(name):
            return columns.get(name, aliases[name][0])

        errors: list[CellError] = []
        action = _row_common(get, row, column, errors, taken, deleted)
        item = ImportRow(row=row, action=action, leads=[])
        if layout == "tracker":
            action["completion"] = COMPLETION_WORDS.get(get("completion").lower())
            if action["completion"] is None:
                errors.append(
                    CellError(
                        row,
                        column("completion"),
                        f"“{get('completion')}” is not a completion RAG: "
                        "use Not started, Red, Amber, On track or Complete",
                    )
                )
            action["impact"] = IMPACT_WORDS.get(get("impact").lower())
            if action["impact"] is None:
                errors.append(
                    CellError(
                        row,
                        column("impact"),
                        f"“{get('impact')}” is not an impact RAG: use No impact, Progress starting or Progress made",
                    )
                )
            action["source"] = Source.PLAN_PRIORITY
            item.leads, lead_problems = people.many(get("leads"))
            errors += [CellError(row, column("leads"), p) for p in lead_problems]
            item.priority_title = get("priority")[:500]
            item.progress = get("progress")
        else:
            action.update(completion=Completion.NOT_STARTED, impact=Impact.NONE, source=Source.SELF_ASSESSMENT)
            action["gap"] = get("gap")
            if not action["gap"]:
                errors.append(CellError(row, column("gap"), "Enter the gap"))
            if not action["outcome"]:
                errors.append(CellError(row, column("outcome"), "Enter the success criteria"))
            if not get("target_date"):
                errors.append(CellError(row, column("target_date"), "Enter the deadline, like 31/3/2025"))
            owner, problem = people.find(get("owner")) if get("owner") else ([], "Enter the owner's initials or name")
            if problem:
                errors.append(CellError(row, column("owner"), problem))
            item.leads = owner
            risk = get("risk")
            if not risk:
                errors.append(CellError(row, column("risk"), "Enter the risk"))
            item.risk = {
                "title": risk[:300],
                "category": RiskCategory.OTHER,
                "description": action["gap"],
                "likelihood": 3,
                "impact": 3,
                "mitigation": action["text"],
                "owner": owner[0].pk if owner else None,
                "review_date": action["target_date"],
            }
        preview.errors += errors
        preview.rows.append(item)
    return preview


@transaction.atomic
def apply(*, partnership: Partnership, preview: Preview, membership: Membership) -> list[Action]:
    """Write every row or none: any failure rolls the whole import back."""
    if not preview.ok:
        raise TableError(preview.errors or [CellError(None, None, "There is nothing to import")])
    existing = {p.title.lower(): p for p in Priority.objects.filter(partnership=partnership)}
    numbers = {p.number.lower() for p in existing.values()}
    created = []
    for item in preview.rows:
        priority = None
        title = item.priority_title
        if title:
            priority = existing.get(title.lower())
            if priority is None:
                lead = re.match(r"\d+", item.action["reference"])
                number = lead.group(0) if lead else item.action["reference"]
                if number.lower() in numbers:
                    number = item.action["reference"]
                suffix = 2
                base = number
                while number.lower() in numbers:
                    number = f"{base}-{suffix}"
                    suffix += 1
                priority = Priority.objects.create(partnership=partnership, number=number[:20], title=title)
                existing[title.lower()] = priority
                numbers.add(number.lower())
        data = {**item.action, "priority": priority, "leads": [m.pk for m in item.leads]}
        action = services.action_create(partnership=partnership, data=data)
        if item.progress:
            services.progress_add(action=action, membership=membership, text=item.progress)
        if item.risk:
            services.risk_create(partnership=partnership, data={**item.risk, "actions": [action.pk]})
        created.append(action)
    return created
