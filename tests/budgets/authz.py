"""The budget pages in the authorization matrix and the page smoke test."""

from decimal import Decimal

from budgets.models import BudgetYear, ContributionLine
from tests.yjplan.test_authorization_matrix import Expect
from yjplan.exports import XLSX_TYPE
from yjplan.permissions import ALL_ROLES, Role, roles_with

EDIT = roles_with("budget.edit")
YEAR = {"year": "{budget_year}"}


def _year(world) -> BudgetYear:
    budget_year, created = BudgetYear.objects.get_or_create(partnership=world["own"], start_year=2019)
    if created:
        ContributionLine.objects.create(
            budget_year=budget_year,
            agency="police",
            council=world["own"].local_authorities.order_by("position").first(),
            staffing_costs=Decimal("187479.00"),
        )
    return budget_year


PARTNERSHIP_URLS = {
    "budgets:index": Expect(ALL_ROLES),
    "budgets:year_add": Expect(EDIT),
    "budgets:year": Expect(ALL_ROLES, kwargs=YEAR),
    "budgets:edit": Expect(EDIT, kwargs=YEAR),
    "budgets:details": Expect(EDIT, kwargs=YEAR),
    "budgets:status": Expect(EDIT, kwargs=YEAR, method="post", ok=302, data={"status": "draft"}),
    # Object-level: a board member or chair confirms only their own agency's line (none in this world),
    # the finance officer on the partner's behalf.
    "budgets:confirm": Expect(
        frozenset({Role.FINANCE}), kwargs={**YEAR, "pk": "{budget_line}"}, declared="budget.confirm"
    ),
    "budgets:import": Expect(EDIT, kwargs=YEAR),
    "budgets:import_confirm": Expect(EDIT, kwargs=YEAR, method="post", ok=302),
    "budgets:export": Expect(EDIT, kwargs={**YEAR, "layout": "yjb", "fmt": "xlsx"}, content_type=XLSX_TYPE),
}

FILL = {
    "{budget_year}": lambda world: _year(world).start_year,
    "{budget_line}": lambda world: _year(world).lines.first().pk,
}
