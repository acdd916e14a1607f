"""Importing figures from CSV or XLSX: read, check every row, preview, then one atomic write.

Two layouts:

* **long** — one figure a row: indicator, area, period start, period end, numerator, denominator, value
  (optional: label, source, date published);
* **wide** — one period (chosen on the form): a row per indicator, a column per area code, values only.

Every problem is a ``CellError`` naming the row and column as the person sees them in their
spreadsheet; with any error nothing is saved. On PostgreSQL the rows are copied (``COPY``) into a
temporary staging table and merged with one ``INSERT … ON CONFLICT DO UPDATE`` that only touches rows
whose figures differ, writing their history rows in the same statement; elsewhere (SQLite) Django's
bulk operations do the same. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from performance.models import ComparatorArea, Indicator, Observation
from performance.services import MAX_VALUE, areas_ensure
from yjplan.cache import partnership_changed
from yjplan.memory import collect_once_after
from yjplan.models import Partnership
from yjplan.tabular import MB, CellError, TableError, map_columns, read_table, spreadsheet_row

MAX_BYTES = 20 * MB
MAX_ROWS = 250_000
SIX_PLACES = Decimal("0.000001")
CHANGE_LIST_LIMIT = 200

LONG_COLUMNS = {
    "indicator": ["Indicator", "indicator code", "code"],
    "area": ["Area", "area code", "comparator"],
    "period_start": ["Period start", "start", "from"],
    "period_end": ["Period end", "end", "to"],
    "numerator": ["Numerator"],
    "denominator": ["Denominator"],
    "value": ["Value", "rate", "figure"],
    "label": ["Label", "period label", "period"],
    "source": ["Source"],
    "published_on": ["Date published", "published"],
}
LONG_REQUIRED = ["indicator", "area", "period_start", "period_end"]
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y", "%d %B %Y", "%d %b %Y")


@dataclass(slots=True)
class Row:
    row: int
    indicator_id: int
    area_id: int
    period_start: dt.date
    period_end: dt.date
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal
    label: str
    source: str
    published_on: dt.date | None

    @property
    def key(self) -> tuple:
        return (self.indicator_id, self.area_id, self.period_start, self.period_end)


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


@dataclass
class Change:
    row: int
    indicator: str
    area: str
    period: str
    old: str
    new: str


@dataclass
class Preview:
    parsed: Parsed
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)

    @property
    def errors(self) -> list[CellError]:
        return self.parsed.errors


class _Dates:
    """Dates people type, parsed once per distinct text."""

    def __init__(self):
        self.cache: dict[str, dt.date | None] = {}

    def __call__(self, text: str) -> dt.date | None:
        try:
            return self.cache[text]
        except KeyError:
            pass
        found = None
        try:
            found = dt.date.fromisoformat(text[:10]) if len(text) in (10, 19) else None
        except ValueError:
            found = None
        if found is None:
            for fmt in DATE_FORMATS:
                try:
                    found = dt.datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    continue
        self.cache[text] = found
        return found


def _number(text: str) -> Decimal | None:
    """Decimal from a cell; "" is None; raises InvalidOperation for text that is not a number."""
    if not text:
        return None
    number = Decimal(text.replace(",", "") if "," in text else text)
    if not number.is_finite():
        raise InvalidOperation
    return number


@dataclass(frozen=True, slots=True)
class _Definition:
    pk: int
    code: str
    is_share: bool
    multiplier: Decimal
    percent: bool


def _lookups(partnership: Partnership) -> tuple[dict[str, _Definition], dict[str, tuple[int, str]]]:
    indicators = {}
    for ind in Indicator.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership)).order_by(
        "partnership_id"
    ):
        indicators[ind.code.upper()] = _Definition(
            ind.pk, ind.code, ind.is_share, ind.multiplier, ind.unit == "percent" and ind.is_share
        )
    areas = {}
    # shared first, so the partnership's own code wins where both exist
    for area in ComparatorArea.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership)).order_by(
        "-partnership_id"
    ):
        areas[area.code.upper()] = (area.pk, area.name)
    return indicators, areas


def _check_row(
    errors: list[CellError],
    row: int,
    columns: dict[str, str],
    definition: _Definition,
    start: dt.date,
    end: dt.date,
    numerator: Decimal | None,
    denominator: Decimal | None,
    value: Decimal | None,
) -> Decimal | None:
    """The figure rules of ``services.check_figure``, reporting by spreadsheet column."""
    bad = False
    if end < start:
        errors.append(CellError(row, columns["period_end"], "The period must end on or after the day it starts"))
        bad = True
    if denominator is not None and denominator <= 0:
        errors.append(CellError(row, columns.get("denominator"), "The denominator must be more than 0"))
        bad = True
    if numerator is not None and numerator < 0:
        errors.append(CellError(row, columns.get("numerator"), "The numerator cannot be negative"))
        bad = True
    for name, number in (("numerator", numerator), ("denominator", denominator), ("value", value)):
        if number is not None and abs(number) > MAX_VALUE:
            errors.append(CellError(row, columns.get(name), "The number is too large"))
            bad = True
        elif name != "value" and number is not None and number.as_tuple().exponent < -2:
            errors.append(CellError(row, columns.get(name), "Give at most 2 decimal places"))
            bad = True
    if bad:
        return None
    if numerator is not None and denominator is not None:
        if definition.is_share and numerator > denominator:
            errors.append(
                CellError(
                    row,
                    columns.get("numerator"),
                    f"The numerator ({numerator}) cannot be more than the denominator ({denominator})",
                )
            )
            return None
        computed = (numerator * definition.multiplier / denominator).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        if abs(computed) > MAX_VALUE:
            errors.append(
                CellError(
                    row, columns.get("value"), "The figure worked out from the numerator and denominator is too large"
                )
            )
            return None
        if value is None:
            return computed
        if value is not None:
            exponent = max(value.as_tuple().exponent, -6)
            if computed.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) != value:
                errors.append(
                    CellError(
                        row,
                        columns.get("value"),
                        f"The value {value} does not match the numerator and denominator, "
                        f"which give {computed.normalize():f}",
                    )
                )
                return None
        return computed
    if value is None:
        errors.append(
            CellError(row, columns.get("value"), "Enter the value, or both the numerator and the denominator")
        )
        return None
    if definition.percent and not (0 <= value <= 100):
        errors.append(CellError(row, columns.get("value"), "A percentage must be between 0 and 100"))
        return None
    return value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def parse_long(frame, *, partnership: Partnership) -> Parsed:
    parsed = Parsed()
    columns, problems = map_columns(frame, LONG_COLUMNS, LONG_REQUIRED)
    if not problems and not ({"value", "numerator"} & set(columns)):
        problems.append(CellError(1, None, "A column called “Value” (or “Numerator” and “Denominator”) is missing"))
    if problems:
        parsed.errors = problems
        return parsed
    indicators, areas = _lookups(partnership)
    dates = _Dates()
    errors = parsed.errors
    rows = parsed.rows
    seen: dict[tuple, int] = {}
    blank = [""] * len(frame)
    numbers: dict[str, Decimal | None] = {"": None}  # each distinct number text is parsed once

    def column(name):
        return frame[columns[name]].tolist() if name in columns else blank

    data = zip(
        frame.index.tolist(),
        column("indicator"),
        column("area"),
        column("period_start"),
        column("period_end"),
        column("numerator"),
        column("denominator"),
        column("value"),
        column("label"),
        column("source"),
        column("published_on"),
        strict=True,
    )
    col_ind, col_area, col_start, col_end = (columns[n] for n in LONG_REQUIRED)
    for index, ind_code, area_code, start_text, end_text, num_text, den_text, value_text, label, source, pub in data:
        row = index + 2
        before = len(errors)
        definition = indicators.get(ind_code) or indicators.get(ind_code.upper())
        if definition is None:
            errors.append(
                CellError(row, col_ind, f"Unknown indicator code “{ind_code}”" if ind_code else "Enter an indicator")
            )
        area = areas.get(area_code) or areas.get(area_code.upper())
        if area is None:
            errors.append(
                CellError(row, col_area, f"Unknown area code “{area_code}”" if area_code else "Enter an area code")
            )
        start = dates(start_text)
        if start is None:
            errors.append(CellError(row, col_start, f"“{start_text}” is not a date (use 2018-01-31 or 31/01/2018)"))
        end = dates(end_text)
        if end is None:
            errors.append(CellError(row, col_end, f"“{end_text}” is not a date (use 2018-12-31 or 31/12/2018)"))
        published = None
        if pub:
            published = dates(pub)
            if published is None:
                errors.append(CellError(row, columns["published_on"], f"“{pub}” is not a date"))
        figures = []
        for name, text in (("numerator", num_text), ("denominator", den_text), ("value", value_text)):
            try:
                figures.append(numbers[text])
            except KeyError:
                try:
                    number = numbers[text] = _number(text)
                    figures.append(number)
                except (InvalidOperation, ValueError):
                    errors.append(CellError(row, columns[name], f"“{text}” is not a number"))
                    figures.append(None)
        if len(errors) != before:
            continue
        value = _check_row(errors, row, columns, definition, start, end, *figures)
        if value is None:
            continue
        key = (definition.pk, area[0], start, end)
        if key in seen:
            errors.append(
                CellError(row, col_ind, f"This row repeats row {seen[key]} (same indicator, area and period)")
            )
            continue
        seen[key] = row
        rows.append(
            Row(
                row,
                definition.pk,
                area[0],
                start,
                end,
                figures[0],
                figures[1],
                value,
                label[:60],
                source[:200],
                published,
            )
        )
    return parsed


def parse_wide(frame, *, partnership: Partnership, period_start: dt.date, period_end: dt.date, label: str) -> Parsed:
    parsed = Parsed()
    headers = list(frame.columns)
    if not headers:
        parsed.errors.append(CellError(1, None, "The file has no columns"))
        return parsed
    indicators, areas = _lookups(partnership)
    first = headers[0]
    area_columns = []
    for header in headers[1:]:
        area = areas.get(header.strip().upper())
        if area is None:
            parsed.errors.append(CellError(1, header, f"Unknown area code “{header}”"))
        else:
            area_columns.append((header, area))
    if period_end < period_start:
        parsed.errors.append(CellError(None, None, "The period must end on or after the day it starts"))
    if parsed.errors:
        return parsed
    seen: dict[tuple, int] = {}
    for index, record in zip(frame.index.tolist(), frame.to_dict("records"), strict=True):
        row = spreadsheet_row(index)
        code = record[first]
        definition = indicators.get(code.upper())
        if definition is None:
            parsed.errors.append(
                CellError(row, first, f"Unknown indicator code “{code}”" if code else "Enter an indicator")
            )
            continue
        for header, (area_pk, _name) in area_columns:
            text = record[header]
            if not text:
                continue
            try:
                value = _number(text)
            except (InvalidOperation, ValueError):
                parsed.errors.append(CellError(row, header, f"“{text}” is not a number"))
                continue
            checked = _check_row(
                parsed.errors,
                row,
                {"value": header, "period_end": None},
                definition,
                period_start,
                period_end,
                None,
                None,
                value,
            )
            if checked is None:
                continue
            key = (definition.pk, area_pk, period_start, period_end)
            if key in seen:
                parsed.errors.append(CellError(row, first, f"This row repeats row {seen[key]} (same indicator)"))
                continue
            seen[key] = row
            parsed.rows.append(
                Row(row, definition.pk, area_pk, period_start, period_end, None, None, checked, label, "", None)
            )
    return parsed


@collect_once_after()
def parse(
    data: bytes,
    *,
    filename: str,
    partnership: Partnership,
    layout: str = "long",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    label: str = "",
) -> Parsed:
    """Read and check a file; ``errors`` lists every problem, ``rows`` the figures when there are none."""
    try:
        frame = read_table(data, filename=filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    except TableError as error:
        return Parsed(errors=error.errors)
    if layout == "wide":
        if period_start is None or period_end is None:
            return Parsed(errors=[CellError(None, None, "Enter the period the wide layout's figures are for")])
        parsed = parse_wide(
            frame, partnership=partnership, period_start=period_start, period_end=period_end, label=label
        )
    else:
        parsed = parse_long(frame, partnership=partnership)
    if parsed.errors:
        parsed.rows = []
    return parsed


# --- Preview ----------------------------------------------------------------------------------


def _same(existing: Observation, row: Row) -> bool:
    return (
        existing.value == row.value
        and existing.numerator == row.numerator
        and existing.denominator == row.denominator
        and (not row.label or existing.label == row.label)
        and (not row.source or existing.source == row.source)
        and (row.published_on is None or existing.published_on == row.published_on)
    )


def preview(parsed: Parsed, *, partnership: Partnership) -> Preview:
    """What the write would do: rows added, changed (old → new) and unchanged."""
    result = Preview(parsed)
    if parsed.errors or not parsed.rows:
        return result
    indicator_ids = {r.indicator_id for r in parsed.rows}
    existing = {
        (o.indicator_id, o.area_id, o.period_start, o.period_end): o
        for o in Observation.objects.filter(partnership=partnership, indicator_id__in=indicator_ids)
    }
    names = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "code"))
    areas = dict(ComparatorArea.objects.filter(pk__in={r.area_id for r in parsed.rows}).values_list("pk", "name"))
    for row in parsed.rows:
        current = existing.get(row.key)
        if current is None:
            result.added += 1
            old = "—"
        elif _same(current, row):
            result.unchanged += 1
            continue
        else:
            result.changed += 1
            old = f"{current.value.normalize():f}"
        if len(result.changes) < CHANGE_LIST_LIMIT:
            result.changes.append(
                Change(
                    row.row,
                    names[row.indicator_id],
                    areas[row.area_id],
                    row.label or f"{row.period_start:%d/%m/%Y} to {row.period_end:%d/%m/%Y}",
                    old,
                    f"{row.value.normalize():f}",
                )
            )
    return result


# --- The write --------------------------------------------------------------------------------


@collect_once_after()
@transaction.atomic
def apply(parsed: Parsed, *, partnership: Partnership, user=None) -> dict:
    """Write every row in one transaction; returns counts of added, changed and unchanged."""
    if parsed.errors:
        raise ValueError("A file with errors is never written")
    if not parsed.rows:
        return {"added": 0, "changed": 0, "unchanged": 0}
    if connection.vendor == "postgresql":
        added, changed = _apply_postgresql(parsed.rows, partnership=partnership, user=user)
    else:
        added, changed = _apply_bulk(parsed.rows, partnership=partnership, user=user)
    partnership_changed(partnership)  # bulk writes send no signals
    return {"added": added, "changed": changed, "unchanged": len(parsed.rows) - added - changed}


STAGE_COLUMNS = (
    "indicator_id",
    "area_id",
    "period_start",
    "period_end",
    "label",
    "numerator",
    "denominator",
    "value",
    "source",
    "published_on",
)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def _copy_rows(cursor, table: str, rows: list[Row]) -> None:
    """COPY the rows in PostgreSQL's text format, built in one pass (faster than adapting row by row)."""
    columns = ", ".join(STAGE_COLUMNS)
    text = _copy_text
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - fixed names
        batch = []
        for r in rows:
            batch.append(
                f"{r.indicator_id}\t{r.area_id}\t{r.period_start}\t{r.period_end}\t{text(r.label)}\t"
                f"{text(r.numerator)}\t{text(r.denominator)}\t{r.value}\t{text(r.source)}\t"
                f"{text(r.published_on)}\n"
            )
            if len(batch) == 10000:
                copy.write("".join(batch))
                batch = []
        if batch:
            copy.write("".join(batch))


def _apply_postgresql(rows: list[Row], *, partnership: Partnership, user) -> tuple[int, int]:
    table = Observation._meta.db_table
    history = Observation.history.model._meta.db_table
    with connection.cursor() as django_cursor:
        raw = django_cursor.connection  # psycopg 3 connection
        with raw.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS performance_import_stage ("
                "indicator_id bigint, area_id bigint, period_start date, period_end date, label varchar(60), "
                "numerator numeric(14, 2), denominator numeric(14, 2), value numeric(18, 6), source varchar(200), "
                "published_on date) ON COMMIT DELETE ROWS"
            )
            cursor.execute("TRUNCATE performance_import_stage")
            _copy_rows(cursor, "performance_import_stage", rows)
            cursor.execute(
                f"""
                WITH up AS (
                    INSERT INTO {table} AS o (partnership_id, indicator_id, area_id, period_start, period_end, label,
                        numerator, denominator, value, source, published_on, updated_at)
                    SELECT %(p)s, indicator_id, area_id, period_start, period_end, label, numerator, denominator,
                        value, source, published_on, %(now)s
                    FROM performance_import_stage
                    ON CONFLICT (partnership_id, indicator_id, area_id, period_start, period_end) DO UPDATE SET
                        label = COALESCE(NULLIF(EXCLUDED.label, ''), o.label),
                        numerator = EXCLUDED.numerator,
                        denominator = EXCLUDED.denominator,
                        value = EXCLUDED.value,
                        source = COALESCE(NULLIF(EXCLUDED.source, ''), o.source),
                        published_on = COALESCE(EXCLUDED.published_on, o.published_on),
                        updated_at = EXCLUDED.updated_at
                    WHERE (o.numerator, o.denominator, o.value) IS DISTINCT FROM
                          (EXCLUDED.numerator, EXCLUDED.denominator, EXCLUDED.value)
                       OR (EXCLUDED.label <> '' AND EXCLUDED.label <> o.label)
                       OR (EXCLUDED.source <> '' AND EXCLUDED.source <> o.source)
                       OR (EXCLUDED.published_on IS NOT NULL AND EXCLUDED.published_on IS DISTINCT FROM o.published_on)
                    RETURNING o.*, (o.xmax = 0) AS created
                ), hist AS (
                    INSERT INTO {history} (id, partnership_id, indicator_id, area_id, period_start, period_end, label,
                        numerator, denominator, value, source, published_on, updated_at, history_date,
                        history_change_reason, history_type, history_user_id)
                    SELECT id, partnership_id, indicator_id, area_id, period_start, period_end, label, numerator,
                        denominator, value, source, published_on, updated_at, %(now)s, 'Spreadsheet import',
                        CASE WHEN created THEN '+' ELSE '~' END, %(user)s
                    FROM up
                    RETURNING history_type
                )
                SELECT count(*) FILTER (WHERE history_type = '+'), count(*) FILTER (WHERE history_type = '~')
                FROM hist
                """,  # noqa: S608 - table names come from the models
                {"p": partnership.pk, "now": timezone.now(), "user": getattr(user, "pk", None)},
            )
            added, changed = cursor.fetchone()
    return added, changed


def _apply_bulk(rows: list[Row], *, partnership: Partnership, user) -> tuple[int, int]:
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    existing = {
        (o.indicator_id, o.area_id, o.period_start, o.period_end): o
        for o in Observation.objects.select_for_update().filter(
            partnership=partnership, indicator_id__in={r.indicator_id for r in rows}
        )
    }
    now = timezone.now()
    new, changed = [], []
    for r in rows:
        current = existing.get(r.key)
        if current is None:
            new.append(
                Observation(
                    partnership=partnership,
                    indicator_id=r.indicator_id,
                    area_id=r.area_id,
                    period_start=r.period_start,
                    period_end=r.period_end,
                    label=r.label,
                    numerator=r.numerator,
                    denominator=r.denominator,
                    value=r.value,
                    source=r.source,
                    published_on=r.published_on,
                    updated_at=now,
                )
            )
        elif not _same(current, r):
            current.numerator, current.denominator, current.value = r.numerator, r.denominator, r.value
            current.label = r.label or current.label
            current.source = r.source or current.source
            current.published_on = r.published_on or current.published_on
            current.updated_at = now
            changed.append(current)
    if new:
        bulk_create_with_history(
            new, Observation, batch_size=500, default_user=user, default_change_reason="Spreadsheet import"
        )
    if changed:
        bulk_update_with_history(
            changed,
            Observation,
            ["numerator", "denominator", "value", "label", "source", "published_on", "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason="Spreadsheet import",
        )
    return len(new), len(changed)


def import_file(data: bytes, *, filename: str, partnership: Partnership, user=None, **options) -> tuple[Parsed, dict]:
    """Parse and, when the file has no errors, write it: the whole import in one call (used by the bench)."""
    areas_ensure(partnership=partnership)
    parsed = parse(data, filename=filename, partnership=partnership, **options)
    if parsed.errors:
        return parsed, {}
    return parsed, apply(parsed, partnership=partnership, user=user)
