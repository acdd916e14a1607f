"""Per-record history timelines built from django-simple-history records."""

from dataclasses import dataclass
from datetime import datetime


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


def timeline(records: list) -> list[Entry]:
    """``records`` newest first, with ``history_user`` loaded. Returns entries newest first."""
    entries = []
    ordered = list(reversed(records))
    for index, record in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            opts = record.instance_type._meta
            for change in delta.changes:
                try:
                    field_name = str(opts.get_field(change.field).verbose_name)
                except Exception:  # noqa: BLE001 - a field removed since; show its raw name
                    field_name = change.field
                changes.append(Change(field_name.capitalize(), _show(change.old), _show(change.new)))
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
