"""The budget's plan blocks, dashboard tile, navigation entry, attention source and audit trail."""

from django.urls import reverse
from django.utils import timezone

from budgets import selectors
from budgets.models import BudgetYear, ContributionLine
from budgets.money import format_money
from yjplan.registry import Attention, Block, BlockOption, NavItem, PlanCheck, Tile, registry


def contributions_block(partnership, *, layout: str = "", year=None, **options) -> dict:
    """One year's table (the latest when no year is given) in the YJB or joint-service layout."""
    if year in (None, ""):
        year = (
            BudgetYear.objects.filter(partnership=partnership)
            .order_by("-start_year")
            .values_list("start_year", flat=True)
            .first()
        )
    found = selectors.year_table(partnership=partnership, start_year=int(year)) if year else None
    if found is None:
        return {"partnership": partnership.name, "layout": layout or "yjb", "table": None}
    _, table = found
    if layout not in ("yjb", "joint"):
        layout = "joint" if table["joint"] else "yjb"
    return {"partnership": partnership.name, "layout": layout, "table": table}


def _budget_years(partnership) -> list[tuple[int, str]]:
    years = BudgetYear.objects.filter(partnership=partnership).order_by("-start_year")
    years = years.values_list("start_year", flat=True)
    return [(y, f"{y}/{str(y + 1)[-2:]}") for y in years]


YEAR = BlockOption("year", "Budget year", choices=_budget_years, default_label="The latest year", coerce=int)


def freeze(partnership, snapshot: dict, *, reason: str) -> BudgetYear | None:
    """Lock the year a signed rendition shows (``snapshot`` is this block's or year_on_year's JSON).

    For the hub to call when a plan rendition is signed (see the budgets issue's hand-over note); a
    year already locked stays as it is.
    """
    from budgets.services import budget_year_lock

    table = snapshot.get("table") if isinstance(snapshot, dict) else None
    start_year = (table or {}).get("start_year") or (snapshot or {}).get("start_year")
    budget_year = BudgetYear.objects.filter(partnership=partnership, start_year=start_year).first()
    if budget_year is None or budget_year.is_locked:
        return budget_year
    return budget_year_lock(budget_year=budget_year, reason=reason)


registry.register_block(
    Block(
        key="budgets.contributions_table",
        title="Partner contributions to the pooled budget",
        description="One year's pooled budget by agency: the YJB layout (staffing, in kind, other delegated, "
        "total) or the joint-service layout (cash and in kind for each council). Options: layout, year.",
        fetch=contributions_block,
        template="budgets/blocks/contributions_table.html",
        print_template="print/budgets/contributions_table.html",
        options={"layout": "", "year": None},
        option_fields=(
            YEAR,
            BlockOption(
                "layout",
                "Layout",
                kind="radios",
                choices=(("yjb", "The YJB's layout"), ("joint", "Joint service: cash and in kind for each council")),
                default_label="As the budget year is set up",
            ),
        ),
        freeze=freeze,
    )
)
registry.register_block(
    Block(
        key="budgets.year_on_year",
        title="Budget: year on year",
        description="Each agency's contribution against the year before, in pounds and per cent, reductions "
        "written out in words. Option: year.",
        fetch=lambda partnership, year=None, **options: selectors.year_on_year(
            partnership=partnership, start_year=int(year) if year else None
        ),
        template="budgets/blocks/year_on_year.html",
        print_template="print/budgets/year_on_year.html",
        freeze=freeze,
        options={"year": None},
        option_fields=(YEAR,),
    )
)
registry.register_block(
    Block(
        key="budgets.value_for_money",
        title="Value for money",
        description="The pooled budget per child worked with, per outcome and per head of the 10–17 population, "
        "over the last five years.",
        fetch=lambda partnership, **options: selectors.value_for_money(partnership=partnership),
        template="budgets/blocks/value_for_money.html",
        print_template="print/budgets/value_for_money.html",
    )
)
registry.register_tile(
    Tile(
        key="budgets.budget",
        title="Partnership budget",
        template="budgets/tiles/budget.html",
        fetch=lambda partnership, membership: selectors.tile(partnership=partnership, today=timezone.localdate()),
        order=40,
    )
)
registry.register_nav(NavItem(key="budgets.budget", label="Budget", url_name="budgets:index", order=40))
registry.register_attention(
    Attention(
        key="budgets.attention",
        title="Pooled budget",
        fetch=lambda partnership, since=None: selectors.attention(
            partnership=partnership, today=timezone.localdate(), since=since
        ),
        order=40,
    )
)


def _year_crumbs(budget_year, slug: str) -> list[tuple[str, str]]:
    year = reverse("budgets:year", kwargs={"slug": slug, "year": budget_year.start_year})
    return [("Budget", reverse("budgets:index", kwargs={"slug": slug})), (f"Budget {budget_year.label}", year)]


registry.register_audited(BudgetYear, crumbs=_year_crumbs)
registry.register_audited(
    ContributionLine,
    partnership_field="budget_year__partnership",
    formatters=dict.fromkeys(("staffing_costs", "payments_in_kind", "other_delegated_funds"), format_money),
    crumbs=lambda line, slug: _year_crumbs(line.budget_year, slug),
)


def plan_checks(partnership, *, first_year: int, markers: list) -> list[dict]:
    """The budget year each budget table in the plan shows (the latest when none is chosen) is confirmed."""
    keys = {"budgets.contributions_table", "budgets.year_on_year"}
    wanted = {int(o["year"]) for k, o in markers if k in keys and str(o.get("year") or "").isdigit()}
    years = list(BudgetYear.objects.filter(partnership=partnership).order_by("-start_year"))
    if any(k in keys and not o.get("year") for k, o in markers) and years:
        wanted.add(years[0].start_year)
    items = []
    for year in sorted(wanted):
        found = next((y for y in years if y.start_year == year), None)
        label = f"{year}/{str(year + 1)[-2:]}"
        hint = "No budget entered for that year" if found is None else f"Now {found.get_status_display().lower()}"
        items.append(
            {
                "done": found is not None and found.status != BudgetYear.Status.DRAFT,
                "text": f"The {label} budget is confirmed",
                "hint": hint,
            }
        )
    return items


registry.register_plan_check(PlanCheck(key="budgets.confirmed", check=plan_checks, order=20))
