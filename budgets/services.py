"""Every write to the budget: keyword-only, validated, atomic, audited (django-simple-history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from budgets.models import AGENCY_ORDER, Agency, BudgetYear, ContributionLine
from budgets.money import MAX_AMOUNT, format_money
from yjplan.models import Membership, Nation, Partnership
from yjplan.services import Conflict, is_stale, version_check

AMOUNT_COLUMNS = ("staffing_costs", "payments_in_kind", "other_delegated_funds")
COLUMN_LABELS = {
    "staffing_costs": "Staffing costs",
    "payments_in_kind": "Payments in kind",
    "other_delegated_funds": "Other delegated funds",
    "cash": "Cash",
    "other_name": "Name",
    "agency": "Agency",
    "council": "Council",
    "note": "Note",
}


@dataclass
class LineInput:
    """One line as sent by the entry page or an import. ``cash`` (joint layout) replaces the staffing/other split.

    ``key`` prefixes the names of the cells this line came from (``<key>-<column>``), so every error
    and conflict names the cell; ``label`` is the row as the person sees it ("Police, Cambridgeshire").
    """

    key: str
    label: str
    agency: str
    council_id: int | None = None
    other_name: str = ""
    staffing_costs: Decimal = Decimal("0.00")
    payments_in_kind: Decimal = Decimal("0.00")
    other_delegated_funds: Decimal = Decimal("0.00")
    cash: Decimal | None = None
    note: str | None = None
    name_key: str | None = None  # the cell holding the "Other" name, when not ``<key>-other_name``
    line_id: int | None = None  # the saved line this row shows (so an "Other" line can be renamed)

    def identity(self) -> tuple:
        return (self.agency, (self.other_name or "").strip().casefold(), self.council_id)


@dataclass
class Change:
    label: str
    column: str
    old: Decimal | str | None
    new: Decimal | str | None
    kind: str = "changed"  # "added", "changed", "removed"

    @property
    def description(self) -> str:
        column = COLUMN_LABELS.get(self.column, self.column)
        if self.kind == "removed":
            return f"{self.label}: line removed (was {format_money(self.old or 0)} in total)"
        old = format_money(self.old) if isinstance(self.old, Decimal) else (self.old or "blank")
        new = format_money(self.new) if isinstance(self.new, Decimal) else (self.new or "blank")
        if self.kind == "added":
            return f"{self.label}: {column.lower()} {new} (new line)"
        return f"{self.label}: {column.lower()} {old} → {new}"


@dataclass
class SaveResult:
    changes: list[Change] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    removed: int = 0
    unconfirmed: list[str] = field(default_factory=list)  # lines whose confirmation was cleared


def _check_year_open(budget_year: BudgetYear) -> None:
    if budget_year.is_locked:
        reason = budget_year.lock_reason or "it has been locked"
        raise ValidationError(f"The {budget_year.label} budget is locked and cannot be changed: {reason}")


def _cell(line_input: LineInput, column: str) -> str:
    if column == "other_name" and line_input.name_key:
        return line_input.name_key
    return f"{line_input.key}-{column}"


def validate_lines(*, budget_year: BudgetYear, inputs: list[LineInput], councils: dict) -> dict[str, list[str]]:
    """Errors by cell name; each message names the row and the column."""
    partnership = budget_year.partnership
    joint = len(councils) > 1
    errors: dict[str, list[str]] = {}
    seen: dict[tuple, LineInput] = {}

    def add(line_input, column, message):
        errors.setdefault(_cell(line_input, column), []).append(
            f"{line_input.label}, {COLUMN_LABELS.get(column, column).lower()}: {message}"
        )

    for item in inputs:
        if item.agency not in Agency.values:
            add(item, "agency", "choose an agency from the list")
            continue
        if item.agency == Agency.WELSH_GOVERNMENT and partnership.nation != Nation.WALES:
            add(item, "agency", "Welsh Government contributes only to partnerships in Wales")
        if item.agency == Agency.OTHER and not item.other_name.strip():
            add(item, "other_name", "enter the name of the other contributor")
        if item.agency != Agency.OTHER and item.other_name.strip():
            add(item, "other_name", "only an “Other” line has a name")
        if len(item.other_name) > 120:
            add(item, "other_name", "name must be 120 characters or fewer")
        if item.note is not None and len(item.note) > 300:
            add(item, "note", "note must be 300 characters or fewer")
        if item.council_id is not None and item.council_id not in councils:
            add(item, "council", f"{partnership.name} has no such council")
        elif joint and item.council_id is None:
            add(item, "council", "a joint service's line needs a council")
        for column in (*AMOUNT_COLUMNS, "cash"):
            value = getattr(item, column)
            if value is not None and (value < 0 or value > MAX_AMOUNT):
                add(item, column, "amount must be between £0 and £100,000,000")
        identity = item.identity()
        if identity in seen:
            add(item, "agency", f"this line repeats {seen[identity].label}")
        else:
            seen[identity] = item
    return errors


def _resolve_split(item: LineInput, existing: ContributionLine | None) -> tuple[Decimal, Decimal]:
    """Staffing and other delegated funds for a line sent as cash (the joint-service layout)."""
    if item.cash is None:
        return item.staffing_costs, item.other_delegated_funds
    if existing is not None and existing.cash == item.cash:
        return existing.staffing_costs, existing.other_delegated_funds
    if existing is not None and existing.staffing_costs <= item.cash:
        return existing.staffing_costs, item.cash - existing.staffing_costs
    return Decimal("0.00"), item.cash


def _line_identity(line: ContributionLine) -> tuple:
    return (line.agency, line.other_name.strip().casefold(), line.council_id)


def _is_empty(item: LineInput) -> bool:
    amounts = [item.staffing_costs, item.payments_in_kind, item.other_delegated_funds, item.cash or Decimal(0)]
    return all(a == 0 for a in amounts) and not (item.note or "").strip()


def plan_changes(
    *, budget_year: BudgetYear, inputs: list[LineInput], existing: list[ContributionLine], replace: bool = False
) -> tuple[list[Change], list[tuple[LineInput | None, ContributionLine | None, dict]]]:
    """What saving ``inputs`` would change, and the writes that do it: (changes, [(input, line, values)])."""
    by_identity = {_line_identity(line): line for line in existing}
    by_id = {line.pk: line for line in existing}
    changes: list[Change] = []
    writes = []
    sent = set()
    for item in inputs:
        line = by_id.get(item.line_id) if item.line_id else None
        line = line or by_identity.get(item.identity())
        if line is not None:
            sent.add(line.pk)
        if line is None and _is_empty(item):
            continue
        if line is None and _is_empty(item):
            continue
        staffing, other = _resolve_split(item, line)
        values = {
            "staffing_costs": staffing,
            "payments_in_kind": item.payments_in_kind,
            "other_delegated_funds": other,
        }
        if item.note is not None:
            values["note"] = item.note.strip()
        if item.agency == Agency.OTHER:
            values["other_name"] = item.other_name.strip()
        if line is None:
            for column in AMOUNT_COLUMNS:
                if values[column]:
                    changes.append(Change(item.label, column, None, values[column], "added"))
            if not any(values[c] for c in AMOUNT_COLUMNS):
                changes.append(Change(item.label, "note", None, values.get("note", ""), "added"))
            writes.append((item, None, values))
            continue
        differs = {k: v for k, v in values.items() if getattr(line, k) != v}
        for column, value in differs.items():
            changes.append(Change(item.label, column, getattr(line, column), value))
        if differs:
            writes.append((item, line, differs))
    if replace:
        for line in existing:
            if line.pk not in sent:
                label = line.agency_label + (f", {line.council.short_name}" if line.council_id else "")
                changes.append(Change(label, "total", line.total, None, "removed"))
                writes.append((None, line, {}))
    return changes, writes


def _councils(partnership: Partnership) -> dict:
    return {c.pk: c for c in partnership.local_authorities.all()}


def _version_conflict(budget_year, version, inputs, existing) -> None:
    if not is_stale(budget_year, version):
        return
    by_identity = {_line_identity(line): line for line in existing}
    by_id = {line.pk: line for line in existing}
    theirs, yours = {}, {}
    for item in inputs:
        line = (by_id.get(item.line_id) if item.line_id else None) or by_identity.get(item.identity())
        columns = ["cash", "payments_in_kind"] if item.cash is not None else list(AMOUNT_COLUMNS)
        for column in columns:
            saved = getattr(line, column) if line is not None else Decimal("0.00")
            mine = getattr(item, column)
            name = f"{item.key}-{column}"
            if saved != mine:
                theirs[name], yours[name] = format_money(saved), format_money(mine)
    if not theirs:  # someone saved, but nothing they saved differs from this page: still show the table's total
        total = sum((line.total for line in existing), Decimal(0))
        theirs["total"], yours["total"] = format_money(total), "(unchanged by you)"
    raise Conflict(record=budget_year, theirs=theirs, yours=yours)


def _apply(budget_year, writes, result: SaveResult) -> None:
    for item, line, values in sorted(writes, key=lambda w: w[0] is not None):  # removals first
        if item is None:
            line.delete()
            result.removed += 1
            continue
        if line is None:
            line = ContributionLine(budget_year=budget_year, agency=item.agency, council_id=item.council_id)
            result.created += 1
        else:
            result.updated += 1
            money_changed = any(c in values for c in AMOUNT_COLUMNS)
            if money_changed and line.is_confirmed:
                line.confirmed_by = None
                line.confirmed_at = None
                line.confirmation_note = ""
                result.unconfirmed.append(item.label)
        for column, value in values.items():
            setattr(line, column, value)
        line.full_clean(validate_constraints=False)
        line.save()


@transaction.atomic
def budget_lines_save(
    *,
    budget_year: BudgetYear,
    inputs: list[LineInput],
    version: str | None,
    user=None,
    replace: bool = False,
) -> SaveResult:
    """Save a year's lines in one go: all of them or none. A changed confirmed line loses its confirmation."""
    budget_year = BudgetYear.objects.select_for_update().select_related("partnership").get(pk=budget_year.pk)
    _check_year_open(budget_year)
    existing = list(budget_year.lines.select_related("council").select_for_update(of=("self",)))
    _version_conflict(budget_year, version, inputs, existing)
    councils = _councils(budget_year.partnership)
    errors = validate_lines(budget_year=budget_year, inputs=inputs, councils=councils)
    if errors:
        raise ValidationError(errors)
    changes, writes = plan_changes(budget_year=budget_year, inputs=inputs, existing=existing, replace=replace)
    result = SaveResult(changes=changes)
    try:
        with transaction.atomic():
            _apply(budget_year, writes, result)
    except IntegrityError:
        raise ValidationError(
            "Two lines would have the same agency, name and council: give the other contributors different names"
        ) from None
    if writes:
        if budget_year.status == BudgetYear.Status.CONFIRMED and result.unconfirmed:
            budget_year.status = BudgetYear.Status.DRAFT
        budget_year.save()  # moves the version on: stale pages get the conflict page
    return result


@transaction.atomic
def budget_year_create(*, partnership: Partnership, start_year: int, copy_from: BudgetYear | None = None) -> BudgetYear:
    if not 2000 <= start_year <= 2100:
        raise ValidationError({"start_year": "Enter a year between 2000 and 2100, like 2019 for 2019/20"})
    if BudgetYear.objects.filter(partnership=partnership, start_year=start_year).exists():
        raise ValidationError(
            {"start_year": f"There is already a budget for {start_year}/{(start_year + 1) % 100:02d}"}
        )
    budget_year = BudgetYear.objects.create(partnership=partnership, start_year=start_year)
    if copy_from is not None:
        if copy_from.partnership_id != partnership.pk:
            raise ValidationError({"copy_from": "Choose one of this partnership's budget years"})
        for line in copy_from.lines.all():
            ContributionLine.objects.create(
                budget_year=budget_year,
                agency=line.agency,
                other_name=line.other_name,
                council_id=line.council_id,
                staffing_costs=line.staffing_costs,
                payments_in_kind=line.payments_in_kind,
                other_delegated_funds=line.other_delegated_funds,
                note="",
            )
    return budget_year


DETAIL_FIELDS = ["notes", "children_worked_with", "outcomes"]


@transaction.atomic
def budget_year_update(*, budget_year: BudgetYear, data: dict, version: str | None = None) -> BudgetYear:
    budget_year = BudgetYear.objects.select_for_update().get(pk=budget_year.pk)
    _check_year_open(budget_year)
    version_check(
        budget_year,
        version,
        theirs={f: getattr(budget_year, f) for f in DETAIL_FIELDS},
        yours={f: data.get(f) for f in DETAIL_FIELDS},
    )
    for name in DETAIL_FIELDS:
        setattr(budget_year, name, data.get(name))
    budget_year.notes = budget_year.notes or ""
    budget_year.full_clean()
    budget_year.save()
    return budget_year


@transaction.atomic
def budget_year_set_status(*, budget_year: BudgetYear, status: str, reason: str = "") -> BudgetYear:
    """draft ⇄ confirmed (every line confirmed) → locked (with a reason). A locked year stays locked."""
    budget_year = BudgetYear.objects.select_for_update().get(pk=budget_year.pk)
    _check_year_open(budget_year)
    if status == BudgetYear.Status.CONFIRMED:
        waiting = [str(line) for line in budget_year.lines.select_related("council") if not line.is_confirmed]
        if waiting:
            raise ValidationError(
                f"{len(waiting)} line{'s' if len(waiting) != 1 else ''} still need their partner's confirmation"
            )
        if not budget_year.lines.exists():
            raise ValidationError("The budget has no lines to confirm")
    elif status == BudgetYear.Status.LOCKED:
        if not reason.strip():
            raise ValidationError({"reason": "Enter why the budget is being locked"})
        budget_year.lock_reason = reason.strip()[:300]
    elif status != BudgetYear.Status.DRAFT:
        raise ValidationError({"status": "Choose draft, confirmed or locked"})
    budget_year.status = status
    budget_year.save()
    return budget_year


def budget_year_lock(*, budget_year: BudgetYear, reason: str) -> BudgetYear:
    """For the plan: a signed rendition that shows this budget locks it."""
    return budget_year_set_status(budget_year=budget_year, status=BudgetYear.Status.LOCKED, reason=reason)


def can_confirm(membership: Membership, line: ContributionLine) -> bool:
    """A board member (or chair) of the line's agency, or the finance officer on their behalf."""
    if membership.is_finance:
        return True
    return (membership.is_board or membership.is_chair) and membership.agency == line.confirming_agency


@transaction.atomic
def line_confirm(*, line: ContributionLine, membership: Membership, note: str = "") -> ContributionLine:
    line = (
        ContributionLine.objects.select_for_update(of=("self",))
        .select_related("budget_year", "council")
        .get(pk=line.pk)
    )
    if line.budget_year.partnership_id != membership.partnership_id:
        raise PermissionDenied("Not a line of this partnership")
    own_agency = (membership.is_board or membership.is_chair) and membership.agency == line.confirming_agency
    if not own_agency and not membership.is_finance:
        raise PermissionDenied("Only a board member of this agency, or the finance officer, can confirm this line")
    _check_year_open(line.budget_year)
    note = note.strip()
    if not own_agency and not note:
        raise ValidationError(
            {"note": "Enter a note saying on whose behalf you confirm this line, and how they agreed"}
        )
    if len(note) > 300:
        raise ValidationError({"note": "Note must be 300 characters or fewer"})
    line.confirmed_by = membership.user
    line.confirmed_at = timezone.now()
    line.confirmation_note = note
    line.save()
    return line


def sort_key(agency: str, other_name: str = "") -> tuple:
    return (AGENCY_ORDER.get(agency, 99), other_name.casefold())
