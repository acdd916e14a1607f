"""Per-record history timelines built from django-simple-history records."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_m2m_reverse_field_name


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: str
    kind: str
    changes: list[Change]


KIND = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _show(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return str(value)


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


def timeline(records: list) -> list[Entry]:
    """``records`` newest first, with ``history_user`` loaded. Returns entries newest first."""
    entries = []
    ordered = list(reversed(records))
    links = _links(ordered)
    m2m_names = [field.name for field in links]
    for index, record in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=m2m_names)
            opts = record.instance_type._meta
            for change in delta.changes:
                try:
                    field_name = str(opts.get_field(change.field).verbose_name)
                except Exception:  # noqa: BLE001 - a field removed since; show its raw name
                    field_name = change.field
                changes.append(Change(field_name.capitalize(), _show(change.old), _show(change.new)))
            for field, by_record in links.items():
                old, new = by_record.get(previous.history_id, []), by_record.get(record.history_id, [])
                if old != new:
                    changes.append(
                        Change(str(field.verbose_name).capitalize(), _show(", ".join(old)), _show(", ".join(new)))
                    )
        if record.history_type == "+":
            for field, by_record in links.items():
                if by_record.get(record.history_id):
                    changes.append(
                        Change(str(field.verbose_name).capitalize(), "(blank)", ", ".join(by_record[record.history_id]))
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
