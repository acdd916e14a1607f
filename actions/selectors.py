"""Every read the actions pages, blocks, tiles and reminders need, each with a fixed number of queries.

"Today" is a parameter everywhere (never read from the clock inside), so the flags are testable on dated data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from actions.models import (
    Action,
    Completion,
    Impact,
    Priority,
    ProgressUpdate,
    ReminderOptOut,
    Risk,
    natural_key,
    risk_band,
)
from yjplan.cache import version_of
from yjplan.models import Membership, Partnership

SORTS = {
    "reference": "Reference",
    "target_date": "Target date (soonest first)",
    "stale": "Last updated (longest ago first)",
    "rag": "Completion RAG (red first)",
}
RAG_ORDER = {
    Completion.RED: 0,
    Completion.AMBER: 1,
    Completion.NOT_STARTED: 2,
    Completion.GREEN: 3,
    Completion.COMPLETE: 4,
}


def stale_days() -> int:
    return int(getattr(settings, "ACTIONS_STALE_DAYS", 60))


def due_soon_days() -> int:
    return int(getattr(settings, "ACTIONS_DUE_SOON_DAYS", 14))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _leads_prefetch() -> Prefetch:
    return Prefetch("leads", queryset=Membership.objects.select_related("user").order_by("user__full_name"))


@dataclass
class Row:
    action: Action
    leads: list
    overdue: bool
    days_since_update: int
    stale: bool
    due_soon: bool
    last_updated: dt.date | None = None

    @property
    def initials(self) -> str:
        return "/".join(m.user.initials for m in self.leads)

    @property
    def pk_path(self) -> str:
        return f"{self.action.pk}/"

    @property
    def updated_text(self) -> str:
        days = self.days_since_update
        if days == 0:
            return "Last updated today"
        if self.long_ago:
            return f"Last updated on {self.last_updated:%-d %B %Y}"
        return "Last updated 1 day ago" if days == 1 else f"Last updated {days} days ago"

    @property
    def long_ago(self) -> bool:
        """A year or more: "2,547 days" means nothing to a reader; the date does."""
        return self.last_updated is not None and self.days_since_update >= 365

    @property
    def not_updated_text(self) -> str:
        if self.long_ago:
            return f"not updated since {self.last_updated:%-d %B %Y}"
        return f"not updated for {self.days_since_update} days"


@dataclass
class Group:
    priority: Priority | None
    rows: list[Row] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return str(self.priority) if self.priority else "Actions without a priority"


def _row(action: Action, today: dt.date) -> Row:
    leads = list(action.leads.all())
    last = timezone.localtime(action.last_activity).date()
    days = (today - last).days
    open_ = action.completion != Completion.COMPLETE
    overdue = bool(open_ and action.target_date and action.target_date < today)
    due_soon = bool(
        open_ and action.target_date and today <= action.target_date <= today + dt.timedelta(due_soon_days())
    )
    return Row(action, leads, overdue, days, open_ and days >= stale_days(), due_soon, last)


def _not_updated_since(day: dt.date) -> Q:
    cutoff = _start_of(day)
    return Q(last_update_at__lt=cutoff) | Q(last_update_at__isnull=True, created_at__lt=cutoff)


def lead_choices(*, partnership: Partnership) -> list[Membership]:
    return list(Membership.objects.filter(partnership=partnership).select_related("user").order_by("user__full_name"))


def priorities(*, partnership: Partnership) -> list[Priority]:
    return sorted(Priority.objects.filter(partnership=partnership), key=lambda p: natural_key(p.number))


def priority_list(*, partnership: Partnership) -> list[Priority]:
    """Priorities with ``action_count``, in number order (1 query)."""
    rows = Priority.objects.filter(partnership=partnership).annotate(action_count=Count("actions"))
    return sorted(rows, key=lambda p: natural_key(p.number))


def deleted_actions(*, partnership: Partnership) -> list:
    """The deletion records of the partnership's deleted actions, newest first (1 query)."""
    return list(
        Action.history.filter(partnership=partnership, history_type="-")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def priority_in_partnership(*, partnership: Partnership, pk) -> Priority | None:
    return Priority.objects.filter(partnership=partnership, pk=pk).annotate(action_count=Count("actions")).first()


def tracker(
    *,
    partnership: Partnership,
    today: dt.date,
    lead: int | None = None,
    completion: str = "",
    overdue: bool = False,
    source: str = "",
    not_updated_days: int | None = None,
    sort: str = "reference",
) -> dict:
    """The tracker grouped by priority (3 queries, whatever the number of actions)."""
    qs = (
        Action.objects.filter(partnership=partnership)
        .select_related("priority", "latest_update")
        .prefetch_related(_leads_prefetch())
    )
    if lead:
        qs = qs.filter(leads__pk=lead)
    if completion:
        qs = qs.filter(completion=completion)
    if source:
        qs = qs.filter(source=source)
    if overdue:
        qs = qs.filter(target_date__lt=today).exclude(completion=Completion.COMPLETE)
    if not_updated_days:
        qs = qs.filter(_not_updated_since(today - dt.timedelta(days=not_updated_days)))
    rows = [_row(a, today) for a in qs]
    rows.sort(key=lambda r: natural_key(r.action.reference))
    if sort == "target_date":
        rows.sort(key=lambda r: (r.action.target_date is None, r.action.target_date or dt.date.max))
    elif sort == "stale":
        rows.sort(key=lambda r: -r.days_since_update)
    elif sort == "rag":
        rows.sort(key=lambda r: RAG_ORDER[Completion(r.action.completion)])
    groups: dict = {}
    for row in rows:
        priority = row.action.priority
        key = priority.pk if priority else None
        groups.setdefault(key, Group(priority)).rows.append(row)
    ordered = sorted(
        groups.values(), key=lambda g: (g.priority is None, natural_key(g.priority.number) if g.priority else ())
    )
    glossary = {}
    for row in rows:
        for m in row.leads:
            glossary[m.pk] = (m.user.initials, m.user.full_name, m.job_title or m.organisation)
    return {
        "groups": ordered,
        "count": len(rows),
        "glossary": sorted(glossary.values()),
        "today": today,
        "stale_days": stale_days(),
        "counts": {
            "red": sum(r.action.completion == Completion.RED for r in rows),
            "overdue": sum(r.overdue for r in rows),
            "stale": sum(r.stale for r in rows),
        },
    }


def action_detail(*, partnership: Partnership, pk, today: dt.date) -> dict | None:
    action = (
        Action.objects.filter(partnership=partnership, pk=pk)
        .select_related("priority")
        .prefetch_related(
            _leads_prefetch(),
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-created_at", "-id")),
            Prefetch("risks", queryset=Risk.objects.order_by("title")),
        )
        .first()
    )
    if action is None:
        return None
    return {
        "row": _row(action, today),
        "action": action,
        "updates": list(action.updates.all()),
        "risks": list(action.risks.all()),
    }


def action_in_partnership(*, partnership: Partnership, pk) -> Action | None:
    return Action.objects.filter(partnership=partnership, pk=pk).prefetch_related(_leads_prefetch()).first()


SINCE_DEFAULT_MONTHS = 3


def default_since(today: dt.date) -> dt.date:
    """Where the since page starts when no date is given: 3 months back (31 May gives 28 or 29 February).

    The actions spoke cannot read board meetings (spokes do not import each other), so the user corrects it.
    """
    year, month = divmod(today.year * 12 + today.month - 1 - SINCE_DEFAULT_MONTHS, 12)
    return dt.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def since_meeting(*, partnership: Partnership, since: dt.date, today: dt.date) -> dict:
    """What changed since a date (the last board meeting): new actions, RAG changes, new updates."""
    start = _start_of(since)
    new_actions = sorted(
        Action.objects.filter(partnership=partnership, created_at__gte=start)
        .select_related("priority")
        .prefetch_related(_leads_prefetch()),
        key=lambda a: natural_key(a.reference),
    )
    updates = list(
        ProgressUpdate.objects.filter(partnership=partnership, created_at__gte=start)
        .select_related("action")
        .order_by("-created_at", "-id")
    )
    return {
        "since": since,
        "today": today,
        "new_actions": [_row(a, today) for a in new_actions],
        "rag_changes": [u for u in updates if u.rag_changed or u.impact_changed],
        "updates": updates,
    }


def risk_in_partnership(*, partnership: Partnership, pk) -> Risk | None:
    return (
        Risk.objects.filter(partnership=partnership, pk=pk)
        .select_related("owner__user")
        .prefetch_related("actions")
        .first()
    )


def action_choices(*, partnership: Partnership) -> list[Action]:
    return sorted(
        Action.objects.filter(partnership=partnership).only("pk", "reference", "text"),
        key=lambda a: natural_key(a.reference),
    )


def risk_register(*, partnership: Partnership) -> dict:
    """Risks by score with a 5×5 heat map: rows are likelihood 5 → 1, columns impact 1 → 5 (2 queries)."""
    risks = list(
        Risk.objects.filter(partnership=partnership)
        .select_related("owner__user")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.only("pk", "reference", "partnership_id")))
    )
    risks.sort(key=lambda r: (-r.score, -r.likelihood, r.title))
    for number, risk in enumerate(risks, start=1):
        risk.number = number
    cells = defaultdict(list)
    for risk in risks:
        cells[(risk.likelihood, risk.impact)].append(risk)
    heat = [
        {
            "likelihood": likelihood,
            "cells": [
                {
                    "impact": impact,
                    "score": likelihood * impact,
                    "band": risk_band(likelihood * impact),
                    "risks": cells[(likelihood, impact)],
                }
                for impact in range(1, 6)
            ],
        }
        for likelihood in range(5, 0, -1)
    ]
    return {"risks": risks, "heat": heat, "impacts": list(range(1, 6))}


def tile_counts(*, partnership: Partnership, membership: Membership, today: dt.date) -> dict:
    """Red, overdue and not-updated counts for the board and for the actions the person leads (1 query)."""
    cutoff = today - dt.timedelta(days=stale_days())
    open_ = ~Q(completion=Completion.COMPLETE)
    mine = Q(leads=membership)
    qs = Action.objects.filter(partnership=partnership)
    stale = Q(last_update_at__lt=_start_of(cutoff + dt.timedelta(days=1))) | Q(
        last_update_at__isnull=True, created_at__lt=_start_of(cutoff + dt.timedelta(days=1))
    )
    figures = qs.aggregate(
        total=Count("pk", distinct=True),
        red=Count("pk", filter=Q(completion=Completion.RED), distinct=True),
        overdue=Count("pk", filter=open_ & Q(target_date__lt=today), distinct=True),
        stale=Count("pk", filter=open_ & stale, distinct=True),
        mine_total=Count("pk", filter=mine, distinct=True),
        mine_red=Count("pk", filter=mine & Q(completion=Completion.RED), distinct=True),
        mine_overdue=Count("pk", filter=mine & open_ & Q(target_date__lt=today), distinct=True),
        mine_stale=Count("pk", filter=mine & open_ & stale, distinct=True),
    )
    return {
        "board": {k: figures[k] for k in ("total", "red", "overdue", "stale")},
        "mine": {k: figures[f"mine_{k}"] for k in ("total", "red", "overdue", "stale")},
        "stale_days": stale_days(),
    }


def attention(*, partnership: Partnership, today: dt.date, since=None) -> list[dict]:
    """Red, overdue and not-updated actions and high risks, for the board's agenda."""
    slug = partnership.slug
    items = []
    actions = (
        Action.objects.filter(partnership=partnership)
        .exclude(completion=Completion.COMPLETE)
        .prefetch_related(_leads_prefetch())
    )
    for action in sorted(actions, key=lambda a: natural_key(a.reference)):
        row = _row(action, today)
        url = reverse("actions:action_detail", kwargs={"slug": slug, "pk": action.pk})
        if action.completion == Completion.RED:
            items.append(
                {
                    "title": f"Action {action.reference} is red",
                    "detail": action.text[:200],
                    "url": url,
                    "kind": "action",
                    "severity": "high",
                }
            )
        if row.overdue:
            items.append(
                {
                    "title": f"Action {action.reference} is overdue",
                    "detail": f"Target date {action.target_date:%-d %B %Y}",
                    "url": url,
                    "kind": "action",
                    "severity": "high" if action.completion == Completion.RED else "medium",
                }
            )
        if row.stale:
            items.append(
                {
                    "title": f"Action {action.reference} {row.not_updated_text}",
                    "detail": action.text[:200],
                    "url": url,
                    "kind": "action",
                    "severity": "medium",
                }
            )
    risks_url = reverse("actions:risks", kwargs={"slug": slug})
    for risk in Risk.objects.filter(partnership=partnership).order_by("title"):
        if risk.score >= 10:
            items.append(
                {
                    "title": f"{risk.band} risk: {risk.title}",
                    "detail": f"Likelihood {risk.likelihood} × impact {risk.impact} = {risk.score}",
                    "url": risks_url,
                    "kind": "risk",
                    "severity": "high",
                }
            )
    return items


def reminder_digests(*, today: dt.date) -> list[tuple]:
    """Each lead (not opted out) with their actions due within 14 days, overdue, or not updated for 60 days."""
    soon = today + dt.timedelta(days=due_soon_days())
    cutoff = today - dt.timedelta(days=stale_days() - 1)
    opted_out = ReminderOptOut.objects.values("user_id")
    links = (
        Action.leads.through.objects.filter(
            Q(action__target_date__lte=soon) | _prefixed(_not_updated_since(cutoff), "action__")
        )
        .exclude(action__completion=Completion.COMPLETE)
        .exclude(membership__user_id__in=opted_out)
        .filter(membership__user__is_active=True)
        .select_related("action__partnership", "membership__user")
        .order_by("membership__user_id", "action__partnership__name", "action__reference")
    )
    by_user: dict = {}
    for link in links:
        action, user = link.action, link.membership.user
        row = _row_plain(action, today)
        reasons = []
        if row["overdue"]:
            reasons.append(f"overdue since {action.target_date:%-d %B %Y}")
        elif action.target_date and action.target_date <= soon:
            reasons.append(f"due {action.target_date:%-d %B %Y}")
        if row["stale"]:
            reasons.append(f"last updated {row['days']} days ago")
        if not reasons:
            continue
        slug = action.partnership.slug
        by_user.setdefault(user.pk, (user, []))[1].append(
            {
                "partnership": action.partnership.name,
                "reference": action.reference,
                "summary": action.text[:80],
                "reasons": reasons,
                "url": reverse("actions:action_detail", kwargs={"slug": slug, "pk": action.pk}),
                "settings_url": reverse("actions:reminders", kwargs={"slug": slug}),
            }
        )
    return list(by_user.values())


def _prefixed(q: Q, prefix: str) -> Q:
    new = Q()
    new.connector, new.negated = q.connector, q.negated
    for child in q.children:
        new.children.append(_prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1]))
    return new


def _row_plain(action: Action, today: dt.date) -> dict:
    last = timezone.localtime(action.last_activity).date()
    days = (today - last).days
    open_ = action.completion != Completion.COMPLETE
    return {
        "overdue": bool(open_ and action.target_date and action.target_date < today),
        "stale": open_ and days >= stale_days(),
        "days": days,
    }


def tracker_cache_key(*, partnership: Partnership, today: dt.date, filters: dict, viewer: str) -> str:
    """Changes whenever the rendered tracker would: any committed write to the partnership's records (its
    data version, ``yjplan.cache``: no query), the day, the filters, or what the viewer may update."""
    wanted = "|".join(f"{k}={filters[k]}" for k in sorted(filters))
    raw = f"{partnership.pk}|{version_of(partnership)}|{today}|{stale_days()}|{viewer}|{wanted}"
    return "actions.tracker." + hashlib.sha256(raw.encode()).hexdigest()


def tracker_state(*, partnership: Partnership) -> str:
    """Changes whenever the tracker would: for reusing a PDF already made."""
    figures = Action.objects.filter(partnership=partnership).aggregate(n=Count("pk"), last=Max("updated_at"))
    updates = ProgressUpdate.objects.filter(partnership=partnership).aggregate(n=Count("pk"), last=Max("created_at"))
    return f"{figures['n']}:{figures['last']}:{updates['n']}:{updates['last']}:{timezone.localdate()}"


# --- Blocks: display-ready, JSON-safe data --------------------------------------------------


def _date_text(day) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def action_plan_block(*, partnership: Partnership) -> dict:
    data = tracker(partnership=partnership, today=timezone.localdate())
    return {
        "groups": [
            {
                "heading": g.heading,
                "rows": [
                    {
                        "reference": r.action.reference,
                        "action": r.action.text,
                        "leads": r.initials,
                        "target_date": _date_text(r.action.target_date),
                        "completion": r.action.get_completion_display(),
                        "completion_tag": r.action.completion_tag,
                        "impact": r.action.get_impact_display(),
                        "impact_tag": r.action.impact_tag,
                        "outcome": r.action.outcome,
                    }
                    for r in g.rows
                ],
            }
            for g in data["groups"]
        ],
        "glossary": [list(item) for item in data["glossary"]],
        "completion_key": [str(c.label) for c in Completion],
        "impact_key": [str(c.label) for c in Impact],
    }


def _plan_year_start(today: dt.date) -> dt.date:
    return dt.date(today.year - 1 if today.month >= 4 else today.year - 2, 4, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def plan_review_block(*, partnership: Partnership, start: str | None = None) -> dict:
    """Last plan year's review table: priorities, actions taken, progress, RAG at 6 and at 12 months."""
    begin = dt.date.fromisoformat(start) if start else _plan_year_start(timezone.localdate())
    six, twelve = _add_months(begin, 6), _add_months(begin, 12)
    actions = list(
        Action.objects.filter(partnership=partnership)
        .select_related("priority", "latest_update")
        .prefetch_related(Prefetch("updates", queryset=ProgressUpdate.objects.order_by("created_at", "id")))
    )

    def state_at(action: Action, day: dt.date) -> str:
        if timezone.localtime(action.created_at).date() > day:
            return "Not yet an action"
        state = None
        for update in action.updates.all():
            if update.date <= day and update.completion_to:
                state = update.completion_to
        if state is None:
            first = next((u for u in action.updates.all() if u.completion_from), None)
            state = first.completion_from if first else action.completion
        return str(Completion(state).label)

    groups: dict = {}
    for action in sorted(actions, key=lambda a: natural_key(a.reference)):
        key = action.priority.pk if action.priority else None
        groups.setdefault(key, {"priority": action.priority, "rows": []})["rows"].append(
            {
                "reference": action.reference,
                "action": action.text,
                "progress": action.latest_update.text if action.latest_update else "No progress recorded",
                "six_months": state_at(action, six),
                "twelve_months": state_at(action, twelve),
            }
        )
    ordered = sorted(
        groups.values(),
        key=lambda g: (g["priority"] is None, natural_key(g["priority"].number) if g["priority"] else ()),
    )
    return {
        "start": _date_text(begin),
        "six": _date_text(six),
        "twelve": _date_text(twelve),
        "priorities": [
            {"priority": str(g["priority"]) if g["priority"] else "Other actions", "rows": g["rows"]} for g in ordered
        ],
    }


def risk_register_block(*, partnership: Partnership) -> dict:
    data = risk_register(partnership=partnership)
    return {
        "risks": [
            {
                "number": r.number,
                "title": r.title,
                "category": r.get_category_display(),
                "description": r.description,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "score": r.score,
                "band": r.band,
                "band_tag": r.band_tag,
                "mitigation": r.mitigation,
                "owner": r.owner.user.full_name if r.owner else "",
                "review_date": _date_text(r.review_date),
                "actions": ", ".join(a.reference for a in r.actions.all()),
            }
            for r in data["risks"]
        ]
    }
