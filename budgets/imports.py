"""Reading a budget table from CSV or XLSX, in either layout, into lines to preview and save.

Every problem is a ``CellError`` naming the spreadsheet row and column; a file with any error saves
nothing. The rules on the lines themselves (agency, council, duplicates, Wales only) are the
service's own ``validate_lines``, mapped back to the cell they came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgets.models import Agency, BudgetYear
from budgets.money import MoneyError, parse_money
from budgets.services import COLUMN_LABELS, LineInput, validate_lines
from yjplan.tabular import CellError, TableError, map_columns, normalise_header, read_table, spreadsheet_row

MAX_BYTES = 5 * 1024 * 1024

AGENCY_ALIASES = {
    Agency.LOCAL_AUTHORITY: ["local authority", "la", "council", "local authorities", "children s services"],
    Agency.POLICE: ["police", "constabulary", "police force"],
    Agency.PCC: [
        "police and crime commissioner",
        "pcc",
        "pcc office",
        "office of the police and crime commissioner",
        "opcc",
    ],
    Agency.PROBATION: ["probation", "national probation service", "nps", "probation service"],
    Agency.HEALTH: ["health", "ccg", "clinical commissioning group", "icb", "integrated care board", "nhs"],
    Agency.PUBLIC_HEALTH: ["public health"],
    Agency.EDUCATION: ["education"],
    Agency.YJB_GRANT: [
        "yjb",
        "yjb youth justice grant",
        "youth justice grant",
        "yjb effective practice grant",
        "effective practice grant",
        "yjb grant",
    ],
    Agency.YJB_REMAND: ["yjb remand grant", "remand grant", "remand"],
    Agency.WELSH_GOVERNMENT: ["welsh government"],
    Agency.OTHER: ["other"],
}
AGENCY_LOOKUP = {normalise_header(alias): agency for agency, aliases in AGENCY_ALIASES.items() for alias in aliases}
AGENCY_LOOKUP.update({normalise_header(a.label): a for a in Agency})

YJB_ALIASES = {
    "agency": ["Agency", "Partner", "Contributor"],
    "council": ["Council", "Local authority area"],
    "staffing_costs": ["Staffing costs", "Staffing"],
    "payments_in_kind": ["Payments in kind", "Payment in kind", "In kind"],
    "other_delegated_funds": ["Other delegated funds", "Delegated funds", "Other delegated"],
    "total": ["Total"],
    "note": ["Note", "Notes"],
}
AMOUNTS = ("staffing_costs", "payments_in_kind", "other_delegated_funds")
YJB_OPTIONAL = ("total", "note")
JOINT_OPTIONAL = ("note",)
CASH_WORDS = ("cash", "financial contribution", "financial")
KIND_WORDS = ("in kind", "payment in kind", "payments in kind")


@dataclass
class Parsed:
    inputs: list[LineInput] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    rows: int = 0


def _agency(text: str) -> tuple[str, str]:
    """(agency, other name) from the agency cell: a known name, "Other: X", or any other name as Other."""
    cleaned = text.strip()
    match = re.match(r"^other\s*[:(\-–]\s*(.+?)\)?$", cleaned, flags=re.IGNORECASE)
    if match:
        return Agency.OTHER, match.group(1).strip()
    agency = AGENCY_LOOKUP.get(normalise_header(cleaned))
    if agency is None:
        return Agency.OTHER, cleaned
    if agency == Agency.OTHER:
        return Agency.OTHER, "Other"
    return agency, ""


def _is_total(text: str) -> bool:
    return normalise_header(text) in ("total", "totals", "grand total")


def _money(value: str, row: int, column: str, errors: list[CellError]) -> Decimal:
    try:
        return parse_money(value)
    except MoneyError as error:
        errors.append(CellError(row, column, str(error)))
        return Decimal("0.00")


def _council_lookup(councils: list) -> dict:
    lookup = {}
    for council in councils:
        lookup[normalise_header(council.short_name)] = council
        lookup[normalise_header(council.name)] = council
    return lookup


def _joint_columns(frame, councils: list) -> tuple[dict, list[CellError]]:
    """{council pk: {"cash": header, "in_kind": header}} from headers like "Peterborough cash"."""
    lookup = _council_lookup(councils)
    found: dict[int, dict[str, str]] = {}
    errors = []
    for header in frame.columns:
        norm = normalise_header(header)
        for kind, words in (("in_kind", KIND_WORDS), ("cash", CASH_WORDS)):
            word = next((w for w in words if norm.endswith(" " + w)), None)
            if word is None:
                continue
            place = norm[: -len(word) - 1].strip()
            council = lookup.get(place)
            if council is None and len(councils) == 1 and place in ("", "council"):
                council = councils[0]
            if council is None:
                names = ", ".join(c.short_name for c in councils)
                errors.append(CellError(1, header, f"“{place}” is not one of this partnership's councils ({names})"))
            elif kind in found.setdefault(council.pk, {}):
                errors.append(CellError(1, header, f"This column repeats “{found[council.pk][kind]}”"))
            else:
                found[council.pk][kind] = header
            break
    for council in councils:
        for kind, label in (("cash", "cash"), ("in_kind", "in kind")):
            if kind not in found.get(council.pk, {}):
                errors.append(CellError(1, None, f"A column called “{council.short_name} {label}” is missing"))
    return found, errors


@dataclass(frozen=True)
class Columns:
    """The columns a layout reads, by their first name in ``YJB_ALIASES``: the import page shows these."""

    required: list[str]
    optional: list[str]
    per_council: list[str] = field(default_factory=list)  # joint layout: "Peterborough cash", ...
    other_names: dict[str, list[str]] = field(default_factory=dict)  # a column's other accepted names
    other_endings: dict[str, list[str]] = field(default_factory=dict)  # joint layout: "cash" -> "financial", ...


def _header(name: str) -> str:
    return YJB_ALIASES[name][0]


def _column_keys(layout: str, councils: list) -> tuple[list[str], list[str]]:
    """(required, optional) keys of ``YJB_ALIASES`` that ``parse`` reads in this layout."""
    if layout == "joint":
        return ["agency"], list(JOINT_OPTIONAL)
    if len(councils) > 1:
        return ["agency", "council", *AMOUNTS], list(YJB_OPTIONAL)
    return ["agency", *AMOUNTS], ["council", *YJB_OPTIONAL]


def expected_columns(layout: str, councils: list) -> Columns:
    """What ``parse`` reads in this layout: a column not listed here is ignored."""
    required, optional = _column_keys(layout, councils)
    joint = layout == "joint"
    return Columns(
        required=[_header(key) for key in required],
        optional=[_header(key) for key in optional],
        per_council=[f"{c.short_name} {w[0]}" for c in councils for w in (CASH_WORDS, KIND_WORDS)] if joint else [],
        other_names={_header(key): YJB_ALIASES[key][1:] for key in [*required, *optional] if YJB_ALIASES[key][1:]},
        other_endings={words[0]: list(words[1:]) for words in (CASH_WORDS, KIND_WORDS)} if joint else {},
    )


def parse(data: bytes, *, filename: str, layout: str, budget_year: BudgetYear, councils: list) -> Parsed:
    """Every line of the file, or every error in it (all of them, not just the first)."""
    result = Parsed()
    try:
        frame = read_table(data, filename=filename, max_bytes=MAX_BYTES, max_rows=500)
    except TableError as error:
        result.errors = list(error.errors)
        return result
    required, _ = _column_keys(layout, councils)
    mapped, errors = map_columns(frame, YJB_ALIASES, [key for key in required if key != "council"])
    joint_cols = {}
    if layout == "joint":
        joint_cols, more = _joint_columns(frame, councils)
        errors += more
    elif "council" in required and "council" not in mapped:
        errors.append(CellError(1, None, "A column called “Council” is missing (this is a joint service)"))
    if errors:
        result.errors = errors
        return result

    council_lookup = _council_lookup(councils)
    joint_service = len(councils) > 1
    cells: dict[str, tuple[int, str]] = {}  # service cell name -> (row, header)
    for index, record in frame.iterrows():
        row = spreadsheet_row(index)
        agency_text = record[mapped["agency"]]
        if _is_total(agency_text):
            continue
        result.rows += 1
        if not agency_text:
            if any(v for v in record.values):
                errors.append(CellError(row, mapped["agency"], "Enter the agency"))
            continue
        agency, other_name = _agency(agency_text)
        label = f"Row {row} ({agency_text})"
        note = record[mapped["note"]] if "note" in mapped else None
        if layout == "joint":
            for council in councils:
                headers = joint_cols[council.pk]
                cash = _money(record[headers["cash"]], row, headers["cash"], errors)
                kind = _money(record[headers["in_kind"]], row, headers["in_kind"], errors)
                key = f"row{row}_c{council.pk}"
                item = LineInput(
                    key=key,
                    label=f"{label}, {council.short_name}" if joint_service else label,
                    agency=agency,
                    council_id=council.pk if joint_service else None,
                    other_name=other_name,
                    cash=cash,
                    payments_in_kind=kind,
                    note=note,
                )
                result.inputs.append(item)
                cells.update(
                    {f"{key}-cash": (row, headers["cash"]), f"{key}-payments_in_kind": (row, headers["in_kind"])}
                )
                cells.update({f"{key}-{c}": (row, mapped["agency"]) for c in ("agency", "other_name", "council")})
            continue
        amounts = {column: _money(record[mapped[column]], row, mapped[column], errors) for column in AMOUNTS}
        if "total" in mapped and record[mapped["total"]]:
            try:
                stated = parse_money(record[mapped["total"]])
            except MoneyError as error:
                errors.append(CellError(row, mapped["total"], str(error)))
            else:
                added = sum(amounts.values(), Decimal(0))
                if stated != added:
                    errors.append(
                        CellError(
                            row,
                            mapped["total"],
                            f"The total £{stated:,.2f} is not staffing + in kind + other delegated (£{added:,.2f})",
                        )
                    )
        council_id = None
        council_header = mapped.get("council")
        council_text = record[council_header] if council_header else ""
        if council_text:
            council = council_lookup.get(normalise_header(council_text))
            if council is None:
                names = ", ".join(c.short_name for c in councils)
                errors.append(
                    CellError(
                        row, council_header, f"“{council_text}” is not one of this partnership's councils ({names})"
                    )
                )
            elif joint_service:
                council_id = council.pk
        elif joint_service:
            errors.append(CellError(row, council_header, "Enter the council this line is for"))
        key = f"row{row}"
        result.inputs.append(
            LineInput(
                key=key,
                label=label,
                agency=agency,
                council_id=council_id,
                other_name=other_name,
                note=note,
                **amounts,
            )
        )
        cells.update({f"{key}-{c}": (row, mapped[c]) for c in amounts})
        cells.update({f"{key}-{c}": (row, mapped["agency"]) for c in ("agency", "other_name")})
        cells[f"{key}-council"] = (row, council_header or mapped["agency"])
    # The line rules too (agency, council, duplicates), so the preview lists every problem at once.
    known = {c.pk: c for c in councils}
    for cell, messages in validate_lines(budget_year=budget_year, inputs=result.inputs, councils=known).items():
        row, header = cells.get(cell, (None, None))
        for message in messages:
            errors.append(CellError(row, header, message.split(": ", 1)[-1]))
    errors.sort(key=lambda e: (e.row or 0, str(e.column or "")))
    result.errors = errors
    return result


def column_label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)
