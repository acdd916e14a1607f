"""The demo budgets: the published tables exactly, illustrative neighbours marked so, idempotent."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from budgets import selectors
from budgets.models import BudgetYear
from yjplan.models import Partnership

D = Decimal


@pytest.mark.django_db
def test_demo_budgets(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    cambs = Partnership.objects.get(slug="cambs-peterborough")
    warwickshire = Partnership.objects.get(slug="warwickshire")
    leicester = Partnership.objects.get(slug="leicester")
    assert list(BudgetYear.objects.filter(partnership=cambs).values_list("start_year", flat=True)) == [2019, 2018, 2017]
    _, table = selectors.year_table(partnership=cambs, start_year=2018)
    assert [(c["council"], c["cash"], c["in_kind"]) for c in table["by_council"]] == [
        ("Cambridgeshire", D("1816514.00"), D("229172.00")),
        ("Peterborough", D("1062386.00"), D("178740.00")),
    ]
    assert table["totals"]["total"] == D("3286812.00")
    _, table = selectors.year_table(partnership=warwickshire, start_year=2019)
    assert (table["totals"]["staffing"], table["totals"]["in_kind"], table["totals"]["other"]) == (
        D("1826448.00"),
        D("0.00"),
        D("667350.00"),
    )
    assert table["totals"]["total"] == D("2493798.00")
    for partnership, year in ((cambs, 2017), (cambs, 2019), (warwickshire, 2018), (leicester, 2022), (leicester, 2023)):
        assert "Illustrative" in BudgetYear.objects.get(partnership=partnership, start_year=year).notes
    # the demo's board members have lines to confirm: Probation (Cambs board), Police (Warwickshire board)
    assert table["unconfirmed"] == 2
    assert selectors.year_on_year(partnership=cambs, start_year=2019)["reductions"][0]["sentence"] == (
        "Local Authority contribution down £40,000 (3.0%) on 2018/19"
    )
