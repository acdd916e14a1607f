"""Property-based tests (hypothesis): money parsing, indicator arithmetic, every import parser and every
form answer any input with a value or a clear error — never an unhandled exception, never a 500."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import imports as budget_imports
from budgets.money import MAX_AMOUNT, MoneyError, format_money, parse_money, plain_money
from performance import analysis
from tests.security.forms import forms_in
from tests.security.test_xss import NOT_POSTED, _html_pages, _role_for, _url_name
from tests.yjplan.test_authorization_matrix import _url
from yjplan.tabular import CellError, TableError, read_table

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# text people type, with the awkward characters: no surrogates (they cannot be sent as UTF-8)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
MONEYISH = st.one_of(
    TEXT,
    st.from_regex(r"\A[£ ]?-?\(?[0-9,]{0,12}(\.[0-9]{0,8})?\)?[ ]?\Z"),
    st.sampled_from(["-", "–", "nil", "n/a", "£1,234.56", "1,23,4", "1e5", "NaN", "Infinity", "0x10", "١٢٣", "²"]),
)
AMOUNTS = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)


@FAST
@given(MONEYISH)
def test_money_parsing_gives_an_amount_or_a_message(text):
    amount, refusal = _attempt(lambda: parse_money(text), MoneyError)
    if refusal is not None:
        return
    assert isinstance(amount, Decimal) and amount.is_finite()
    assert Decimal(0) <= amount <= MAX_AMOUNT and amount.as_tuple().exponent == -2


@FAST
@given(AMOUNTS)
def test_money_round_trips_through_what_the_page_shows(amount):
    assert parse_money(plain_money(amount)) == amount
    assert parse_money(format_money(amount, pence=True)) == amount


COUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999"), places=0, allow_nan=False, allow_infinity=False)
VALUES = st.decimals(min_value=0, max_value=Decimal("999999999999"), places=6, allow_nan=False, allow_infinity=False)
MULTIPLIERS = st.sampled_from([1, 100, 1000, 100_000])
MAYBE = lambda s: st.one_of(st.none(), s)  # noqa: E731


@FAST
@given(
    MAYBE(COUNTS),
    MAYBE(COUNTS),
    MULTIPLIERS,
    MAYBE(VALUES),
    MAYBE(VALUES),
    st.sampled_from(["higher", "lower", "none"]),
)
def test_indicator_arithmetic_always_answers(numerator, denominator, multiplier, current, previous, polarity):
    value = analysis.compute_value(numerator, denominator, multiplier)
    assert value is None or value.is_finite()
    change = analysis.percent_change(current, previous)
    assert change is None or change.is_finite()
    moved = analysis.direction(current, previous, polarity)
    assert moved.text
    if value is not None:
        assert analysis.value_agrees(value, value)
        assert analysis.format_value(value, 2)


@FAST
@given(
    MAYBE(VALUES),
    MAYBE(COUNTS),
    MAYBE(COUNTS),
    MAYBE(VALUES),
    MAYBE(COUNTS),
    MAYBE(COUNTS),
    st.sampled_from(["proportion", "poisson", "none"]),
    st.sampled_from(["higher", "lower", "none"]),
    MULTIPLIERS,
)
def test_significance_always_answers_in_words(v1, n1, d1, v2, n2, d2, test, polarity, multiplier):
    result = analysis.significance(
        analysis.Figure.of(v1, n1, d1),
        analysis.Figure.of(v2, n2, d2),
        test=test,
        polarity=polarity,
        multiplier=multiplier,
    )
    assert result.text and result.short and result.tag
    assert result.z is None or result.z.is_finite()


def _is_clear(error: Exception) -> bool:
    """A refusal a person can act on: every problem has words (and a row and column where they apply)."""
    if isinstance(error, TableError):
        return bool(error.errors) and all(isinstance(e, CellError) and str(e) for e in error.errors)
    if isinstance(error, ValidationError):
        return bool(error.messages)
    return bool(str(error))


def _attempt(call, *refusals):
    """(result, None), or (None, the refusal) when ``call`` refuses with one of ``refusals`` in clear words;
    anything else propagates and fails the test."""
    try:
        return call(), None
    except refusals as error:
        refusal = error
    assert _is_clear(refusal), repr(refusal)
    return None, refusal


def _csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


CELL = st.one_of(
    TEXT,
    MONEYISH,
    st.sampled_from(
        [
            "",
            "Police",
            "Other: Barnardo's",
            "Total",
            "31/03/2025",
            "2024-04-01",
            "Red",
            "Complete",
            "FTE",
            "PARTNERSHIP",
            "=1+1",
            "12.5",
            "-3",
            "1e400",
            "NaN",
            "30/02/2025",
            "99/99/9999",
        ]
    ),
)


def _table(columns):
    return st.lists(st.lists(CELL, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=6)


@FAST
@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a", "a.xls"]))
def test_read_table_reads_or_says_why(data, filename):
    frame, refusal = _attempt(lambda: read_table(data, filename=filename), TableError)
    if refusal is not None:
        return
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())


@FAST
@given(st.lists(st.lists(TEXT, min_size=1, max_size=4), min_size=1, max_size=6))
def test_read_table_reads_any_csv_of_text(rows):
    _attempt(lambda: read_table(_csv(rows[0], rows[1:]), filename="a.csv"), TableError)


def _parses(call):
    return _attempt(call, TableError, ValidationError)[0]


BUDGET_HEADER = ["Agency", "Council", "Staffing costs", "Payments in kind", "Other delegated funds", "Total", "Note"]


@SLOW
@given(_table(BUDGET_HEADER), st.sampled_from(["yjb", "joint"]))
def test_budget_import_parser(world, rows, layout):
    from tests.budgets.authz import _year

    budget_year = _year(world)
    councils = list(world["own"].local_authorities.order_by("position"))
    header = BUDGET_HEADER if layout == "yjb" else ["Agency", *[f"{c.short_name} cash" for c in councils], "Note"]
    rows = [r[: len(header)] + [""] * (len(header) - len(r)) for r in rows]
    parsed = budget_imports.parse(
        _csv(header, rows), filename="b.csv", layout=layout, budget_year=budget_year, councils=councils
    )
    assert all(str(e) for e in parsed.errors)


TRACKER_HEADER = [
    "Ref",
    "Improvement target",
    "Action",
    "Lead",
    "Target date",
    "RAG completed",
    "Evidence of impact",
    "RAG impact",
    "Progress",
]
PLAN_HEADER = ["Gap", "Risk", "Action", "Success criteria", "Owner", "Deadline", "Ref"]


@SLOW
@given(_table(TRACKER_HEADER), st.sampled_from(["tracker", "improvement_plan"]))
def test_actions_import_parser(world, rows, layout):
    from actions import imports

    header = TRACKER_HEADER if layout == "tracker" else PLAN_HEADER
    rows = [r[: len(header)] for r in rows]
    preview = _parses(
        lambda: imports.parse(partnership=world["own"], data=_csv(header, rows), filename="a.csv", layout=layout)
    )
    assert preview is None or all(str(e) for e in preview.errors)


LONG_HEADER = [
    "Indicator",
    "Area",
    "Period start",
    "Period end",
    "Numerator",
    "Denominator",
    "Value",
    "Label",
    "Source",
]


@SLOW
@given(_table(LONG_HEADER), st.sampled_from(["long", "wide"]))
def test_performance_import_parser(world, rows, layout):
    from performance import imports
    from tests.performance.authz import _indicator

    _indicator(world)
    header = LONG_HEADER if layout == "long" else ["Area", "FTE", "Value"]
    rows = [r[: len(header)] for r in rows]
    options = {"period_start": date(2024, 4, 1), "period_end": date(2025, 3, 31), "label": "2024/25"}
    parsed = _parses(
        lambda: imports.parse(
            _csv(header, rows),
            filename="p.csv",
            partnership=world["own"],
            layout=layout,
            **(options if layout == "wide" else {}),
        )
    )
    if parsed is not None:
        assert all(str(e) for e in parsed.errors)
        _parses(lambda: imports.preview(parsed, partnership=world["own"]))


@pytest.fixture
def every_form(world, client):
    """(form, role) for each distinct form the pages offer (as in the XSS walk)."""
    found, seen = [], set()
    for name, expect in _html_pages():
        role = _role_for(expect)
        client.force_login(world["members"][role].user)
        url = _url(name, expect, world)
        for form in forms_in(client.get(url, expect.data).content.decode(), url):
            target = _url_name(form.action)
            if form.signature in seen or target is None or target in NOT_POSTED or not form.text_fields():
                continue
            seen.add(form.signature)
            found.append((form, role))
    return found


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_arbitrary_text_in_any_form_never_gives_a_500(world, client, every_form, data):
    form, role = data.draw(st.sampled_from(every_form), label="form")
    client.force_login(world["members"][role].user)
    texts = {f.name: data.draw(st.one_of(TEXT, CELL), label=f.name) for f in form.text_fields()}
    method = client.post if form.method == "post" else client.get
    response = method(form.action, form.data(texts))
    assert response.status_code < 500, (form.action, texts)
