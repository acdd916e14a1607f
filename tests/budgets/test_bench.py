"""The budget's bench data at a tiny scale, and its pages in the bench list."""

import pytest

from bench.generate import generate, partnership_specs
from bench.pages import PAGES
from budgets import selectors
from budgets.models import BudgetYear, ContributionLine


@pytest.mark.django_db
def test_generator_makes_five_years_of_lines():
    specs = partnership_specs(3)
    partnerships = generate(count=3)
    assert BudgetYear.objects.count() == 3 * 5
    councils = sum(len(s.councils) if len(s.councils) > 1 else 1 for s in specs)
    assert ContributionLine.objects.count() == 5 * councils * 11
    assert ContributionLine.history.count() == ContributionLine.objects.count()
    first = partnerships[0]
    _, table = selectors.year_table(partnership=first, start_year=2023)
    assert table["unconfirmed"] == len(table["councils"] if table["joint"] else [1]) * 4
    assert table["totals"]["total"] == sum(line["total"] for line in table["lines"])


def test_budget_pages_are_benchmarked():
    paths = [path for _, path, _ in PAGES]
    assert "/p/{slug}/budget/2023/" in paths
    assert "/p/{slug}/budget/2023/edit/" in paths
    assert "/p/{slug}/budget/" in paths
