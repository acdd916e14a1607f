"""Per-record history timelines built from django-simple-history records."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_m2m_reverse_field_name


@dataclass
class Change:
    field: str
    old: str | None  # None: the value the record was created with, so there is no "before"
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    kind: str
    changes: list[Change]


BLANK = "(blank)"
KIND = {"+": "Created", "~": "Changed", "-": "Deleted"}


def save_with_links(instance, **links) -> None:
    """Save a record and set its many-to-many ``links`` (``leads=[…]``) as ONE history record.

    django-simple-history (``m2m_fields=[…]``) writes a record for the save and another for every add or
    remove, so one edit would show as three "Changed" entries. History is paused while saving and linking,
    then written once with the links as they now are ("Created" for a new record)."""
    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        if created:
            instance.save()
        for name, values in links.items():
            getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    instance._history_created = created
    try:
        instance.save()
    finally:
        del instance._history_created


@receiver(pre_create_historical_record)
def _created_with_links(sender, instance, history_instance, **kwargs):
    if getattr(instance, "_history_created", False):
        history_instance.history_type = "+"


def _names(model, ids: set) -> dict:
    """How a linked record is named in a timeline: a member by name, anything else by its ``str``."""
    from yjplan.models import Membership

    queryset = model._base_manager.filter(pk__in=ids)
    if model is Membership:
        names = {m.pk: m.user.full_name or m.user.email for m in queryset.select_related("user")}
    else:
        names = {obj.pk: str(obj) for obj in queryset}
    missing = set(ids) - set(names)
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if missing and manager:  # a deleted record is named as it was when deleted
        for record in getattr(model, manager).filter(id__in=missing, history_type="-"):
            names[record.id] = f"{record.instance} (deleted)"
    return names


def _links(records: list) -> dict:
    """``{field: {history_id: [names]}}`` for the many-to-many fields kept with the records (one query a field)."""
    if not records:
        return {}
    result = {}
    for field in getattr(records[0], "_history_m2m_fields", []):
        m2m_model = HistoricalRecords.m2m_models[field]
        target = get_m2m_reverse_field_name(field)
        rows = list(
            m2m_model.objects.filter(history__in=[r.history_id for r in records]).values_list(
                "history_id", f"{target}_id"
            )
        )
        names = _names(field.remote_field.model, {pk for _, pk in rows})
        by_record = defaultdict(list)
        for history_id, pk in rows:
            by_record[history_id].append(names.get(pk, f"a removed record (#{pk})"))
        result[field] = {key: sorted(value) for key, value in by_record.items()}
    return result


def _when(value) -> str:
    """GOV.UK style: "10 December 2019", or "10 December 2019 at 10:00am" in local time."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{date_format(value, 'j F Y')} at {date_format(value, 'g:i')}{date_format(value, 'A').lower()}"
    return date_format(value, "j F Y")


def _show(field, value, names: dict, formatters: dict) -> str:
    """A value as a person reads it: a choice's label, Yes/No, a linked record's name, a GOV.UK date."""
    if value is None or value == "":
        return BLANK
    if field.name in formatters:
        return formatters[field.name](value)
    if field.is_relation:
        return names.get((field.related_model, value), f"a removed record (#{value})")
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, dt.date):
        return _when(value)
    return str(value)


def _shown_fields(model, *, hidden=frozenset(), skip=frozenset()) -> dict:
    """``{name: field}`` of the fields a person changes, in the model's order.

    Bookkeeping is left out by a rule: fields a form never edits (``editable=False``, so ``auto_now``
    timestamps like ``updated_at``), stamps defaulting to ``timezone.now`` (the entry has its own date),
    search vectors, the record's own id, and the names in ``hidden``
    (a counter or hash the code keeps, registered with the model: ``register_audited(…, hidden=…)``).
    ``skip`` is the link to the parent the page is scoped by (an action's partnership), never changed.
    """
    shown = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name in hidden or field.name in skip:
            continue
        if field.get_internal_type() == "SearchVectorField" or field.default is timezone.now:
            continue
        shown[field.name] = field
    return shown


def timeline(records: list, *, hidden=frozenset(), skip=frozenset(), formatters=None) -> list[Entry]:
    """``records`` newest first, with ``history_user`` loaded. Returns entries newest first.

    A creation lists the values the record was made with, other than the fields' defaults (a line made
    already confirmed shows who confirmed it); a change lists what changed. Linked records
    are named with one query per related model, whatever the number of records.
    """
    formatters = formatters or {}
    ordered = list(reversed(records))
    if not ordered:
        return []
    links = _links(ordered)
    m2m_names = {field.name for field in links}
    tracked = {f.name for f in ordered[0].tracked_fields}
    fields = {
        name: field
        for name, field in _shown_fields(ordered[0].instance_type, hidden=hidden, skip=skip).items()
        if name in tracked and name not in m2m_names
    }
    order = {name: position for position, name in enumerate(fields)}
    raw = []  # (record, [(field, old, new)]) with raw values, named once all linked ids are known
    wanted = defaultdict(set)
    for index, record in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        pairs = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, included_fields=list(fields))
            pairs = [(fields[c.field], c.old, c.new) for c in delta.changes if c.field in fields]
            pairs.sort(key=lambda pair: order[pair[0].name])  # the model's order, not the alphabet's
        elif record.history_type == "+":
            for field in fields.values():
                value = getattr(record, field.attname)
                if value not in (None, "") and value != field.get_default():
                    pairs.append((field, None, value))
        for field, old, new in pairs:
            if field.is_relation:
                wanted[field.related_model].update(v for v in (old, new) if v is not None)
        raw.append((record, pairs))
    names = {}
    for model, ids in wanted.items():
        names.update({(model, pk): name for pk, name in _names(model, ids).items()})
    entries = []
    for index, (record, pairs) in enumerate(raw):
        previous = ordered[index - 1] if index else None
        changes = [
            Change(
                capfirst(field.verbose_name),
                None if old is None and record.history_type == "+" else _show(field, old, names, formatters),
                _show(field, new, names, formatters),
            )
            for field, old, new in pairs
        ]
        for field, by_record in links.items():
            new = by_record.get(record.history_id, [])
            if record.history_type == "+" and new:
                changes.append(Change(capfirst(field.verbose_name), None, ", ".join(new)))
            elif previous is not None and record.history_type == "~":
                old = by_record.get(previous.history_id, [])
                if old != new:
                    changes.append(
                        Change(capfirst(field.verbose_name), ", ".join(old) or BLANK, ", ".join(new) or BLANK)
                    )
        user = record.history_user
        who = (user.full_name or user.email) if user else "The system"
        entries.append(
            Entry(
                when=record.history_date,
                who=who,
                kind=KIND.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return list(reversed(entries))
