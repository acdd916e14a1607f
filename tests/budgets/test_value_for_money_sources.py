"""Value for money takes its counts from the performance data (through the registry) when a year has none
entered, and says which figures were entered and which were measured."""

from datetime import date
from decimal import Decimal

from budgets import selectors
from performance import services as performance_services
from tests.budgets.factories import warwickshire
from tests.budgets.test_pages import text, url
from tests.factories import member
from tests.performance.factories import load_definitions, observation
from yjplan.permissions import Role
from yjplan.registry import Figure, registry

QUARTERS = [
    (date(2019, 4, 1), date(2019, 6, 30)),
    (date(2019, 7, 1), date(2019, 9, 30)),
    (date(2019, 10, 1), date(2019, 12, 31)),
    (date(2020, 1, 1), date(2020, 3, 31)),
]


def _performance(partnership, *, quarters=QUARTERS):
    load_definitions()
    performance_services.areas_ensure(partnership=partnership)
    for (start, end), worked_with, ended in zip(quarters, (80, 75, 70, 65), (20, 25, 30, 25), strict=False):
        observation(partnership, "KPI3.1", "PARTNERSHIP", start, end, numerator=10, denominator=worked_with)
        observation(partnership, "KPI6.1", "PARTNERSHIP", start, end, numerator=15, denominator=ended)
    observation(
        partnership, "CUSTODY_SHARE", "PARTNERSHIP", date(2019, 4, 1), date(2020, 3, 31), numerator=3, denominator=60
    )
    observation(partnership, "FTE", "PARTNERSHIP", date(2019, 4, 1), date(2020, 3, 31), numerator=41, denominator=55900)
    # a comparator's figures are never counted as the partnership's
    observation(partnership, "KPI3.1", "ENGLAND", *QUARTERS[0], numerator=900, denominator=9000)


def test_the_performance_provider_counts_a_whole_financial_year(db):
    partnership, _ = warwickshire()
    _performance(partnership)
    figures = registry.metrics(partnership, [2019, 2020])
    assert figures == {
        2019: {
            "children_worked_with": Figure(
                290, "children the service worked with in the four quarterly KPI returns, April 2019 to March 2020"
            ),
            "outcomes": Figure(
                160,
                "60 court disposals (use of custody indicator) and 100 out-of-court disposals (KPI 6), "
                "April 2019 to March 2020",
            ),
            "first_time_entrants": Figure(41, "first time entrants indicator, April 2019 to March 2020"),
        },
        2020: {},
    }


def test_a_year_with_a_quarter_missing_gives_no_count(db):
    partnership, _ = warwickshire()
    _performance(partnership, quarters=QUARTERS[:3])
    assert "children_worked_with" not in registry.metrics(partnership, [2019])[2019]
    row = selectors.value_for_money(partnership=partnership)["rows"][0]
    assert (row["children"], row["children_source"], row["outcomes"], row["per_outcome"]) == (None, "", None, None)


def test_page_and_block_label_measured_and_entered_counts(client, db):
    partnership, year = warwickshire()
    _performance(partnership)
    client.force_login(member(partnership, Role.BOARD).user)
    page = text(client.get(url("index", partnership)))
    assert (
        "2019/20 £2,493,798 290 from performance data £8,599.30 160 from performance data £15,586.24 Not recorded"
        in page
    )
    assert "2019/20 outcomes: 60 court disposals (use of custody indicator) and 100 out-of-court disposals" in page

    year.children_worked_with = 300
    year.save()
    row = selectors.value_for_money(partnership=partnership)["rows"][0]
    assert (row["children"], row["children_source"], row["per_child"]) == (300, "entered", Decimal("8312.66"))
    assert (row["outcomes"], row["outcomes_source"]) == (160, "from performance data")

    block = registry.block("budgets.value_for_money")
    screen = block.render(block.data(partnership))
    assert '300<br><span class="govuk-body-s">entered</span>' in screen
    assert '160<br><span class="govuk-body-s">from performance data</span>' in screen
    printed = block.render_snapshot(block.snapshot(partnership))
    assert "300 (entered)" in printed and "160 (from performance data)" in printed
