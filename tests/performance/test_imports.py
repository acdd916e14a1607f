"""Importing figures: both layouts, every bad-input rule by row and column, nothing saved on error,
re-importing the same file changes nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest

from performance import imports
from performance.models import Observation
from tests.performance.factories import observation
from yjplan.tabular import MB

HEADER = "indicator,area,period start,period end,numerator,denominator,value,label\n"
GOOD = (
    HEADER
    + "REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,42,130,,Jan–Dec 2020\n"
    + "REOFF_BINARY,PARTNERSHIP,2019-01-01,2019-12-31,40,187,21.4,Jan–Dec 2019\n"
    + "REOFF_BINARY,ENGLAND,2020-01-01,2020-12-31,,,34.2,Jan–Dec 2020\n"
    + "fte,region-east,01/01/2018,31/12/2018,,,190,Jan–Dec 2018\n"
)


def run(partnership, text, **options):
    return imports.import_file(text.encode(), filename="figures.csv", partnership=partnership, **options)


def errors_of(parsed):
    return [(e.row, e.column, e.message) for e in parsed.errors]


def test_long_layout_imports_and_reimport_changes_nothing(partnership, areas):
    parsed, counts = run(partnership, GOOD)
    assert parsed.errors == []
    assert counts == {"added": 4, "changed": 0, "unchanged": 0}
    values = {
        (o.indicator.code, o.area.code, o.period_end): (o.numerator, o.denominator, o.value, o.label)
        for o in Observation.objects.select_related("indicator", "area")
    }
    assert values == {
        ("REOFF_BINARY", "PARTNERSHIP", date(2020, 12, 31)): (
            Decimal(42),
            Decimal(130),
            Decimal("32.307692"),
            "Jan–Dec 2020",
        ),
        ("REOFF_BINARY", "PARTNERSHIP", date(2019, 12, 31)): (
            Decimal(40),
            Decimal(187),
            Decimal("21.390374"),
            "Jan–Dec 2019",
        ),
        ("REOFF_BINARY", "ENGLAND", date(2020, 12, 31)): (None, None, Decimal("34.2"), "Jan–Dec 2020"),
        ("FTE", "REGION-EAST", date(2018, 12, 31)): (None, None, Decimal("190"), "Jan–Dec 2018"),
    }
    history = Observation.history.model.objects.count()
    assert history == 4
    parsed, counts = run(partnership, GOOD)
    assert counts == {"added": 0, "changed": 0, "unchanged": 4}
    assert Observation.history.model.objects.count() == history
    preview = imports.preview(
        imports.parse(GOOD.encode(), filename="f.csv", partnership=partnership), partnership=partnership
    )
    assert (preview.added, preview.changed, preview.unchanged, preview.changes) == (0, 0, 4, [])


def test_preview_lists_added_and_changed(partnership, areas):
    run(partnership, GOOD)
    text = GOOD.replace("34.2", "35.0") + "FTE,ENGLAND,2018-01-01,2018-12-31,,,236,Jan–Dec 2018\n"
    preview = imports.preview(
        imports.parse(text.encode(), filename="f.csv", partnership=partnership), partnership=partnership
    )
    assert (preview.added, preview.changed, preview.unchanged) == (1, 1, 3)
    assert [(c.row, c.indicator, c.area, c.period, c.old, c.new) for c in preview.changes] == [
        (4, "REOFF_BINARY", "England", "Jan–Dec 2020", "34.2", "35"),
        (6, "FTE", "England", "Jan–Dec 2018", "—", "236"),
    ]
    parsed, counts = run(partnership, text)
    assert counts == {"added": 1, "changed": 1, "unchanged": 3}
    changed = Observation.objects.get(area__code="ENGLAND", indicator__code="REOFF_BINARY")
    assert (changed.value, changed.history.count(), changed.history.first().history_type) == (
        Decimal("35.000000"),
        2,
        "~",
    )


def test_wide_layout(partnership, areas):
    text = "Indicator,PARTNERSHIP,REGION-EAST,ENGLAND\nFTE,185,190,236\nCUSTODY_RATE,0.18,0.28,\n"
    parsed, counts = run(
        partnership,
        text,
        layout="wide",
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        label="Jan–Dec 2018",
    )
    assert parsed.errors == []
    assert counts == {"added": 5, "changed": 0, "unchanged": 0}
    assert sorted(Observation.objects.values_list("indicator__code", "area__code", "value", "label")) == [
        ("CUSTODY_RATE", "PARTNERSHIP", Decimal("0.18"), "Jan–Dec 2018"),
        ("CUSTODY_RATE", "REGION-EAST", Decimal("0.28"), "Jan–Dec 2018"),
        ("FTE", "ENGLAND", Decimal("236"), "Jan–Dec 2018"),
        ("FTE", "PARTNERSHIP", Decimal("185"), "Jan–Dec 2018"),
        ("FTE", "REGION-EAST", Decimal("190"), "Jan–Dec 2018"),
    ]


def test_wide_layout_errors(partnership, areas):
    text = "Indicator,PARTNERSHIP,NOWHERE\nFTE,185,190\n"
    parsed, _ = run(partnership, text, layout="wide", period_start=date(2018, 1, 1), period_end=date(2018, 12, 31))
    assert errors_of(parsed) == [(1, "NOWHERE", "Unknown area code “NOWHERE”")]
    text = "Indicator,PARTNERSHIP\nFTE,lots\nNOPE,3\nREOFF_BINARY,101\n"
    parsed, _ = run(partnership, text, layout="wide", period_start=date(2018, 1, 1), period_end=date(2018, 12, 31))
    assert errors_of(parsed) == [
        (2, "PARTNERSHIP", "“lots” is not a number"),
        (3, "Indicator", "Unknown indicator code “NOPE”"),
        (4, "PARTNERSHIP", "A percentage must be between 0 and 100"),
    ]
    assert Observation.objects.count() == 0


BAD_ROWS = [
    ("NOPE,PARTNERSHIP,2020-01-01,2020-12-31,1,10,", (2, "indicator", "Unknown indicator code “NOPE”")),
    ("FTE,NOWHERE,2020-01-01,2020-12-31,,,185", (2, "area", "Unknown area code “NOWHERE”")),
    (
        "FTE,PARTNERSHIP,31/02/2020,2020-12-31,,,185",
        (2, "period start", "“31/02/2020” is not a date (use 2018-01-31 or 31/01/2018)"),
    ),
    (
        "FTE,PARTNERSHIP,2020-01-01,next year,,,185",
        (2, "period end", "“next year” is not a date (use 2018-12-31 or 31/12/2018)"),
    ),
    (
        "FTE,PARTNERSHIP,2020-12-31,2020-01-01,,,185",
        (2, "period end", "The period must end on or after the day it starts"),
    ),
    ("REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,4,0,", (2, "denominator", "The denominator must be more than 0")),
    ("REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,4,-2,", (2, "denominator", "The denominator must be more than 0")),
    (
        "REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,131,130,",
        (2, "numerator", "The numerator (131) cannot be more than the denominator (130)"),
    ),
    (
        "REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,42,130,40",
        (2, "value", "The value 40 does not match the numerator and denominator, which give 32.307692"),
    ),
    ("REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,forty,130,", (2, "numerator", "“forty” is not a number")),
    (
        "REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,,,",
        (2, "value", "Enter the value, or both the numerator and the denominator"),
    ),
    (
        "FTE,PARTNERSHIP,2020-01-01,2020-12-31,999999999999,0.01,",
        (2, "value", "The figure worked out from the numerator and denominator is too large"),
    ),
    ("FTE,PARTNERSHIP,2020-01-01,2020-12-31,1.234,100,", (2, "numerator", "Give at most 2 decimal places")),
    ("FTE,PARTNERSHIP,2020-01-01,2020-12-31,,,1e20", (2, "value", "The number is too large")),
    ("FTE,PARTNERSHIP,2020-01-01,2020-12-31,,,NaN", (2, "value", "“NaN” is not a number")),
]


@pytest.mark.parametrize(("line", "error"), BAD_ROWS, ids=[e[2][:40] for e in [b[1] for b in BAD_ROWS]])
def test_each_bad_row_is_reported_by_row_and_column_and_nothing_is_saved(partnership, areas, line, error):
    parsed, counts = run(partnership, HEADER.replace(",label", "") + line + "\n")
    assert (errors_of(parsed), counts) == ([error], {})
    assert Observation.objects.count() == 0


def test_good_rows_are_not_saved_when_another_row_is_bad(partnership, areas):
    text = GOOD + "FTE,NOWHERE,2020-01-01,2020-12-31,,,185,\n"
    parsed, counts = run(partnership, text)
    assert errors_of(parsed) == [(6, "area", "Unknown area code “NOWHERE”")]
    assert parsed.rows == []
    assert Observation.objects.count() == 0


def test_duplicate_row_in_the_file(partnership, areas):
    text = GOOD + "REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,42,130,32.3,\n"
    parsed, _ = run(partnership, text)
    assert errors_of(parsed) == [(6, "indicator", "This row repeats row 2 (same indicator, area and period)")]
    assert Observation.objects.count() == 0


def test_every_error_is_listed_not_only_the_first(partnership, areas):
    text = HEADER + "NOPE,NOWHERE,yesterday,2020-12-31,,,1,\nFTE,PARTNERSHIP,2020-01-01,2020-12-31,,,x,\n"
    parsed, _ = run(partnership, text)
    assert errors_of(parsed) == [
        (2, "indicator", "Unknown indicator code “NOPE”"),
        (2, "area", "Unknown area code “NOWHERE”"),
        (2, "period start", "“yesterday” is not a date (use 2018-01-31 or 31/01/2018)"),
        (3, "value", "“x” is not a number"),
    ]


def test_empty_file_header_only_and_missing_columns(partnership, areas):
    assert errors_of(run(partnership, "")[0]) == [(None, None, "The file is empty")]
    assert errors_of(run(partnership, HEADER)[0]) == [(None, None, "The file has a header but no rows")]
    assert errors_of(run(partnership, "indicator,area,value\nFTE,ENGLAND,1\n")[0]) == [
        (1, None, "A column called “Period start” is missing"),
        (1, None, "A column called “Period end” is missing"),
    ]


def test_file_over_20_mb_is_refused(partnership, areas):
    big = (GOOD + "x" * (20 * MB)).encode()
    parsed, counts = imports.import_file(big, filename="big.csv", partnership=partnership)
    assert errors_of(parsed) == [(None, None, "The file must be smaller than 20 MB")]
    assert Observation.objects.count() == 0


def test_xlsx_reads_like_csv(partnership, areas):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    parsed, counts = imports.import_file(buffer.getvalue(), filename="figures.xlsx", partnership=partnership)
    assert (parsed.errors, counts) == ([], {"added": 4, "changed": 0, "unchanged": 0})


def test_import_keeps_labels_and_sources_typed_before(partnership, areas):
    observation(
        partnership,
        "FTE",
        "ENGLAND",
        date(2018, 1, 1),
        date(2018, 12, 31),
        value="236",
        label="Jan–Dec 2018",
        source="MoJ",
    )
    text = "indicator,area,period start,period end,value\nFTE,ENGLAND,2018-01-01,2018-12-31,236\n"
    parsed, counts = run(partnership, text)
    assert counts == {"added": 0, "changed": 0, "unchanged": 1}
    obs = Observation.objects.get()
    assert (obs.label, obs.source) == ("Jan–Dec 2018", "MoJ")


def test_labels_with_tabs_and_backslashes_survive_the_copy(partnership, areas):
    text = HEADER + 'FTE,ENGLAND,2018-01-01,2018-12-31,,,236,"Jan\\Dec\t2018 \\N"\n'
    parsed, counts = run(partnership, text)
    assert counts == {"added": 1, "changed": 0, "unchanged": 0}
    assert Observation.objects.get().label == "Jan\\Dec\t2018 \\N"
