"""Factories and published tables for the budget tests."""

from decimal import Decimal

import factory

from budgets.demo import CAMBS_2018, WARWICKSHIRE_2019, create_year
from budgets.models import BudgetYear, ContributionLine
from tests.factories import PartnershipFactory


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear

    partnership = factory.SubFactory(PartnershipFactory)
    start_year = 2019


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributionLine

    budget_year = factory.SubFactory(BudgetYearFactory)
    agency = "police"
    staffing_costs = Decimal("1000.00")


def cambs(slug="cambs-peterborough"):
    """The joint service of seed 000, with its published 2018/19 table."""
    partnership = PartnershipFactory(
        slug=slug,
        name="Cambridgeshire and Peterborough Youth Offending Service",
        councils=["Cambridgeshire County Council", "Peterborough City Council"],
    )
    return partnership, create_year(partnership, 2018, CAMBS_2018)


def warwickshire(slug="warwickshire"):
    partnership = PartnershipFactory(
        slug=slug, name="Warwickshire Youth Justice Service", councils=["Warwickshire County Council"]
    )
    return partnership, create_year(partnership, 2019, WARWICKSHIRE_2019)
