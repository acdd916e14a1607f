"""Every write of the actions spoke: keyword-only, validated, atomic."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import (
    Action,
    Completion,
    Impact,
    Priority,
    ProgressUpdate,
    ReminderDigest,
    ReminderOptOut,
    Risk,
    RiskCategory,
    Source,
)
from yjplan.history import save_with_links
from yjplan.models import Membership, Partnership, User
from yjplan.services import Conflict, email_send, is_stale

ACTION_FIELDS = [
    "reference",
    "priority",
    "text",
    "leads",
    "target_date",
    "completion",
    "impact",
    "outcome",
    "gap",
    "source",
    "source_reference",
    "link_text",
    "link_url",
]
RISK_FIELDS = [
    "title",
    "category",
    "description",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "review_date",
    "actions",
]


def can_update_action(membership: Membership, action: Action, lead_ids: set[int] | None = None) -> bool:
    """Managers update any action; a board member or chair only the actions they lead."""
    if membership.partnership_id != action.partnership_id:
        return False
    if membership.can("actions.edit"):
        return True
    if not membership.can("actions.update_led"):
        return False
    if lead_ids is None:
        lead_ids = {m.pk for m in action.leads.all()}
    return membership.pk in lead_ids


def _choice(value, choices, field: str, what: str, errors: dict) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if value not in {c.value for c in choices}:
        errors[field] = f"{what} must be one of: " + ", ".join(str(c.label) for c in choices)
    return value


def _leads(partnership: Partnership, leads, errors: dict) -> list[Membership]:
    ids = []
    for lead in leads or []:
        ids.append(lead.pk if isinstance(lead, Membership) else lead)
    try:
        ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        errors["leads"] = "Select leads from the partnership's members"
        return []
    found = list(Membership.objects.filter(partnership=partnership, pk__in=ids).select_related("user"))
    if len(found) != len(set(ids)):
        errors["leads"] = "Each lead must be a member of this partnership"
    return found


def _date(value, field: str, label: str, errors: dict) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    errors[field] = f"{label} must be a real date, like 31/3/2025"
    return None


def _clean_action(partnership: Partnership, data: dict, *, exclude_pk=None) -> tuple[dict, list[Membership]]:
    errors: dict[str, str] = {}
    clean = {}
    reference = str(data.get("reference") or "").strip()
    if not reference:
        errors["reference"] = "Enter a reference, like 2 or 3.1"
    elif len(reference) > 20:
        errors["reference"] = "Reference must be 20 characters or fewer"
    elif Action.objects.filter(partnership=partnership, reference__iexact=reference).exclude(pk=exclude_pk).exists():
        errors["reference"] = f"Action {reference} already exists: choose another reference"
    elif deleted := deleted_action(partnership=partnership, reference=reference):
        errors["reference"] = (
            f"Action {deleted.reference} was deleted on {deleted.history_date:%-d %B %Y} and its reference is not "
            "used again: choose another reference"
        )
    clean["reference"] = reference
    text = str(data.get("text") or "").strip()
    if not text:
        errors["text"] = "Enter the action"
    clean["text"] = text
    priority = data.get("priority")
    if priority is not None and not isinstance(priority, Priority):
        priority = Priority.objects.filter(partnership=partnership, pk=priority).first()
        if priority is None:
            errors["priority"] = "Select a priority of this partnership"
    if isinstance(priority, Priority) and priority.partnership_id != partnership.pk:
        errors["priority"] = "Select a priority of this partnership"
    clean["priority"] = priority
    clean["target_date"] = _date(data.get("target_date"), "target_date", "Target date", errors)
    clean["completion"] = _choice(
        data.get("completion") or Completion.NOT_STARTED, Completion, "completion", "Completion RAG", errors
    )
    clean["impact"] = _choice(data.get("impact") or Impact.NONE, Impact, "impact", "Impact RAG", errors)
    clean["source"] = _choice(data.get("source") or Source.PLAN_PRIORITY, Source, "source", "Source", errors)
    for field in ("outcome", "gap", "source_reference", "link_text"):
        clean[field] = str(data.get(field) or "").strip()
    if len(clean["source_reference"]) > 200:
        errors["source_reference"] = "Source reference must be 200 characters or fewer"
    if len(clean["link_text"]) > 200:
        errors["link_text"] = "Link text must be 200 characters or fewer"
    link_url = str(data.get("link_url") or "").strip()
    if link_url.startswith("/") and not link_url.startswith("//"):
        pass  # a page of this service, e.g. the board decision the action came from
    elif link_url:
        try:
            URLValidator(schemes=["http", "https"])(link_url)
        except ValidationError:
            errors["link_url"] = "Enter a web address starting https://"
    clean["link_url"] = link_url
    leads = _leads(partnership, data.get("leads"), errors)
    if errors:
        raise ValidationError(errors)
    return clean, leads


def _action_values(action: Action, leads=None) -> dict:
    values = {f: getattr(action, f) for f in ACTION_FIELDS if f != "leads"}
    values["completion"] = action.get_completion_display()
    values["impact"] = action.get_impact_display()
    values["source"] = action.get_source_display()
    values["priority"] = str(action.priority) if action.priority else ""
    values["leads"] = ", ".join(m.user.initials for m in (leads if leads is not None else action.leads.all()))
    return values


@transaction.atomic
def priority_create(*, partnership: Partnership, number: str, title: str) -> Priority:
    number, title = str(number or "").strip(), str(title or "").strip()
    errors = {}
    if not number:
        errors["number"] = "Enter the priority's number"
    elif Priority.objects.filter(partnership=partnership, number__iexact=number).exists():
        errors["number"] = f"Priority {number} already exists"
    if not title:
        errors["title"] = "Enter the priority's title"
    if errors:
        raise ValidationError(errors)
    return Priority.objects.create(partnership=partnership, number=number[:20], title=title[:500])


@transaction.atomic
def priority_update(*, priority: Priority, number: str, title: str, version: str | None = None) -> Priority:
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    number, title = str(number or "").strip(), str(title or "").strip()
    errors = {}
    if not number:
        errors["number"] = "Enter the priority's number"
    elif len(number) > 20:
        errors["number"] = "Number must be 20 characters or fewer"
    elif (
        Priority.objects.filter(partnership_id=priority.partnership_id, number__iexact=number)
        .exclude(pk=priority.pk)
        .exists()
    ):
        errors["number"] = f"Priority {number} already exists"
    if not title:
        errors["title"] = "Enter the priority's title"
    elif len(title) > 500:
        errors["title"] = "Title must be 500 characters or fewer"
    if errors:
        raise ValidationError(errors)
    if is_stale(priority, version):
        raise Conflict(
            record=priority,
            theirs={"number": priority.number, "title": priority.title},
            yours={"number": number, "title": title},
        )
    priority.number, priority.title = number, title
    priority.save()
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority, move_to: Priority | None = None, keep_ungrouped: bool = False) -> int:
    """Delete a priority. Its actions are never left behind silently: they move to ``move_to``, or to no
    priority when ``keep_ungrouped`` says so; otherwise a priority that still has actions is refused.
    Each moved action is saved on its own, so its history shows the move. Returns how many moved."""
    priority = Priority.objects.select_for_update().get(pk=priority.pk)
    actions = list(Action.objects.filter(priority=priority).order_by("pk"))
    if move_to is not None and (move_to.partnership_id != priority.partnership_id or move_to.pk == priority.pk):
        raise ValidationError({"move_to": "Choose another priority of this partnership"})
    if actions and move_to is None and not keep_ungrouped:
        raise ValidationError(
            {
                "move_to": f"Priority {priority.number} still has {len(actions)} "
                f"action{'s' if len(actions) != 1 else ''}: choose where they go"
            }
        )
    for action in actions:
        action.priority = move_to
        action.save()
    priority.delete()
    return len(actions)


def deleted_action(*, partnership: Partnership, reference: str):
    """The history record of a deleted action with this reference (references are never used again), or None."""
    return (
        Action.history.filter(partnership=partnership, history_type="-", reference__iexact=reference.strip())
        .order_by("-history_date")
        .first()
    )


def deleted_references(*, partnership: Partnership) -> set[str]:
    """References of deleted actions, lower case."""
    return {
        r.lower()
        for r in Action.history.filter(partnership=partnership, history_type="-").values_list("reference", flat=True)
    }


@transaction.atomic
def action_delete(*, action: Action) -> str:
    """Delete an action with its progress log. The history keeps every version (and the deletion), the risks it
    was linked to record the unlinking, and its reference is never used again. Returns the reference."""
    action = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    for risk in Risk.objects.filter(actions=action).order_by("pk"):
        risk.actions.remove(action)
    action.delete()
    return action.reference


@transaction.atomic
def risk_delete(*, risk: Risk) -> str:
    """Delete a risk; its history (and the deletion) stays in the audit trail. Returns its title."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    risk.delete()
    return risk.title


@transaction.atomic
def action_create(*, partnership: Partnership, data: dict) -> Action:
    clean, leads = _clean_action(partnership, data)
    action = Action(partnership=partnership, **clean)
    try:
        with transaction.atomic():
            save_with_links(action, leads=leads)
    except IntegrityError:
        raise ValidationError(
            {"reference": f"Action {clean['reference']} already exists: choose another reference"}
        ) from None
    return action


SOURCE_PREFIX = {
    Source.PLAN_PRIORITY: "P",
    Source.HMIP: "H",
    Source.NATIONAL_STANDARDS: "NS",
    Source.SELF_ASSESSMENT: "G",
    Source.PEER_REVIEW: "PR",
    Source.SERIOUS_CASE_REVIEW: "S",
    Source.OFSTED: "O",
    Source.BOARD_DECISION: "D",
}


@transaction.atomic
def action_create_from(
    partnership: Partnership,
    *,
    title: str,
    detail: str,
    source: str,
    source_reference: str,
    source_url: str,
    lead: Membership | int | None = None,
    target_date: dt.date | None = None,
    requested_by=None,
) -> str:
    """Turn a board decision, inspection recommendation or self-assessment gap into a tracked action (the hub's
    ``ActionCreator``): the next free reference for its source (D1, D2 … for decisions), in the caller's transaction."""
    if source not in {c.value for c in Source}:
        raise ValidationError({"source": "Source must be one of: " + ", ".join(str(c.label) for c in Source)})
    prefix = SOURCE_PREFIX[Source(source)]
    # one at a time per partnership, so two decisions recorded at once get D1 and D2, not D1 and an error
    # (NO KEY UPDATE: rows that only refer to the partnership are still written meanwhile)
    Partnership.objects.select_for_update(no_key=True).filter(pk=partnership.pk).first()
    taken = {
        r.lower()
        for r in Action.objects.filter(partnership=partnership, reference__istartswith=prefix).values_list(
            "reference", flat=True
        )
    } | deleted_references(partnership=partnership)
    number = 1
    while f"{prefix}{number}".lower() in taken:
        number += 1
    text = title.strip() + (f"\n\n{detail.strip()}" if detail and detail.strip() else "")
    action = action_create(
        partnership=partnership,
        data={
            "reference": f"{prefix}{number}",
            "text": text,
            "source": source,
            "source_reference": (source_reference or "")[:200],
            "link_text": f"{Source(source).label}: {source_reference}"[:200] if source_url else "",
            "link_url": source_url or "",
            "target_date": target_date,
            "leads": [lead] if lead else [],
        },
    )
    return action.reference


@transaction.atomic
def action_update(*, action: Action, data: dict, version: str | None = None) -> Action:
    action = Action.objects.select_for_update(of=("self",)).select_related("priority").get(pk=action.pk)
    clean, leads = _clean_action(action.partnership, data, exclude_pk=action.pk)
    if is_stale(action, version):
        theirs = _action_values(action, list(action.leads.select_related("user")))
        mine = Action(partnership=action.partnership, **clean)
        raise Conflict(record=action, theirs=theirs, yours=_action_values(mine, leads))
    for field, value in clean.items():
        setattr(action, field, value)
    try:
        with transaction.atomic():
            save_with_links(action, leads=leads)
    except IntegrityError:
        raise ValidationError(
            {"reference": f"Action {clean['reference']} already exists: choose another reference"}
        ) from None
    return action


@transaction.atomic
def progress_add(
    *,
    action: Action,
    membership: Membership,
    text: str,
    completion: str | None = None,
    impact: str | None = None,
    date: dt.date | None = None,
    version: str | None = None,
) -> ProgressUpdate:
    """Add a dated entry to the log; optionally change the RAG. A board member or chair only for actions they lead."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not can_update_action(membership, action):
        raise PermissionDenied("Only the action's leads and managers can update it")
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter a progress note: what has happened since the last update"
    completion = completion or action.completion
    impact = impact or action.impact
    _choice(completion, Completion, "completion", "Completion RAG", errors)
    _choice(impact, Impact, "impact", "Impact RAG", errors)
    today = timezone.localdate()
    date = date or today
    if not isinstance(date, dt.date):
        errors["date"] = "Date must be a real date"
    elif date > today:
        errors["date"] = "Date of the update cannot be in the future"
    if errors:
        raise ValidationError(errors)
    if is_stale(action, version):
        theirs = {
            "completion": action.get_completion_display(),
            "impact": action.get_impact_display(),
            "text": action.latest_update.text if action.latest_update_id else "",
        }
        yours = {"completion": Completion(completion).label, "impact": Impact(impact).label, "text": text}
        raise Conflict(record=action, theirs=theirs, yours=yours)
    now = timezone.now()
    update = ProgressUpdate.objects.create(
        partnership_id=action.partnership_id,
        action=action,
        author=membership.user,
        author_name=membership.user.full_name or membership.user.email,
        date=date,
        created_at=now,
        text=text,
        completion_from=action.completion,
        completion_to=completion,
        impact_from=action.impact,
        impact_to=impact,
    )
    action.completion = completion
    action.impact = impact
    action.last_update_at = now
    action.latest_update = update
    action.save()
    return update


def _clean_risk(partnership: Partnership, data: dict) -> tuple[dict, list[Action]]:
    errors: dict[str, str] = {}
    clean = {}
    clean["title"] = str(data.get("title") or "").strip()
    if not clean["title"]:
        errors["title"] = "Enter the risk"
    elif len(clean["title"]) > 300:
        errors["title"] = "Risk must be 300 characters or fewer"
    clean["category"] = _choice(
        data.get("category") or RiskCategory.OTHER, RiskCategory, "category", "Category", errors
    )
    for field, label in (("likelihood", "Likelihood"), ("impact", "Impact")):
        value = data.get(field)
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 5:
            errors[field] = f"{label} must be a whole number from 1 to 5"
        clean[field] = value
    clean["description"] = str(data.get("description") or "").strip()
    clean["mitigation"] = str(data.get("mitigation") or "").strip()
    clean["review_date"] = _date(data.get("review_date"), "review_date", "Review date", errors)
    owner = data.get("owner")
    if owner not in (None, ""):
        owner_pk = owner.pk if isinstance(owner, Membership) else owner
        owner = Membership.objects.filter(partnership=partnership, pk=owner_pk).select_related("user").first()
        if owner is None:
            errors["owner"] = "The owner must be a member of this partnership"
    else:
        owner = None
    clean["owner"] = owner
    action_ids = [a.pk if isinstance(a, Action) else a for a in data.get("actions") or []]
    actions = list(Action.objects.filter(partnership=partnership, pk__in=action_ids))
    if len(actions) != len(set(action_ids)):
        errors["actions"] = "Linked actions must be actions of this partnership"
    if errors:
        raise ValidationError(errors)
    return clean, actions


def _risk_values(risk: Risk, actions) -> dict:
    values = {f: getattr(risk, f) for f in RISK_FIELDS if f not in ("actions",)}
    values["category"] = risk.get_category_display()
    values["owner"] = risk.owner.user.full_name if risk.owner else ""
    values["actions"] = ", ".join(a.reference for a in actions)
    return values


@transaction.atomic
def risk_create(*, partnership: Partnership, data: dict) -> Risk:
    clean, actions = _clean_risk(partnership, data)
    risk = Risk(partnership=partnership, **clean)
    save_with_links(risk, actions=actions)
    return risk


@transaction.atomic
def risk_create_from(
    partnership: Partnership,
    *,
    title: str,
    description: str,
    likelihood: int,
    impact: int,
    mitigation: str,
    owner: Membership | int | None,
    review_date: dt.date | None,
    action_reference: str = "",
) -> str:
    """Add a risk found elsewhere (a self-assessment gap) to the register (the hub's ``ActionCreator.create_risk``),
    linked to the action of ``action_reference``, in the caller's transaction; returns the risk's id."""
    actions = Action.objects.filter(partnership=partnership, reference=action_reference) if action_reference else []
    data = {
        "title": title[:300],
        "description": description,
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": mitigation,
        "owner": owner,
        "review_date": review_date,
        "actions": list(actions),
    }
    return str(risk_create(partnership=partnership, data=data).pk)


@transaction.atomic
def risk_update(*, risk: Risk, data: dict, version: str | None = None) -> Risk:
    risk = Risk.objects.select_for_update(of=("self",)).select_related("owner__user").get(pk=risk.pk)
    clean, actions = _clean_risk(risk.partnership, data)
    if is_stale(risk, version):
        mine = Risk(partnership=risk.partnership, **clean)
        raise Conflict(record=risk, theirs=_risk_values(risk, risk.actions.all()), yours=_risk_values(mine, actions))
    for field, value in clean.items():
        setattr(risk, field, value)
    save_with_links(risk, actions=actions)
    return risk


@transaction.atomic
def reminder_opt_out_set(*, user: User, opted_out: bool) -> bool:
    if opted_out:
        ReminderOptOut.objects.get_or_create(user=user)
    else:
        ReminderOptOut.objects.filter(user=user).delete()
    return opted_out


def _digest_body(user: User, items: list[dict]) -> str:
    lines = [f"Hello {user.get_short_name()},", "", "These actions you lead need attention:", ""]
    base = settings.SITE_URL.rstrip("/")
    for item in items:
        lines.append(f"- {item['partnership']}: action {item['reference']} – {item['summary']}")
        lines.append(f"  {', '.join(item['reasons'])}. {base}{item['url']}")
    lines += [
        "",
        "Add a progress update to each, with its RAG rating.",
        f"To stop these reminders, change your reminder setting: {base}{items[0]['settings_url']}",
    ]
    return "\n".join(lines)


def reminders_send(*, today: dt.date | None = None) -> dict:
    """E-mail each lead one digest of their actions due soon, overdue or not updated; at most one a day."""
    from actions.selectors import reminder_digests

    today = today or timezone.localdate()
    sent, skipped = [], []
    for user, items in reminder_digests(today=today):
        with transaction.atomic():
            _, created = ReminderDigest.objects.get_or_create(
                user=user, date=today, defaults={"action_count": len(items)}
            )
            if not created:
                skipped.append(user.pk)
                continue
            email_send(
                to=[user.email],
                subject=(
                    "1 action you lead needs an update"
                    if len(items) == 1
                    else f"{len(items)} actions you lead need an update"
                ),
                body=_digest_body(user, items),
            )
            sent.append(user.pk)
    return {"sent": sent, "skipped": skipped}
