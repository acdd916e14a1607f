"""Bench data and pages for the budget spoke, appended to ``bench.generate.GENERATORS`` and ``bench.pages.PAGES``.

Every partnership gets five budget years (2019/20 to 2023/24), one line per agency of the reference list
for each council (so a joint service has twice the lines) plus two "Other" contributors; most lines are
confirmed by the finance officer, the latest year's police and probation lines are not.
"""

from decimal import Decimal

YEARS = range(2019, 2024)
AGENCIES = [
    ("local_authority", 900_000),
    ("police", 120_000),
    ("pcc", 80_000),
    ("probation", 70_000),
    ("health", 100_000),
    ("public_health", 60_000),
    ("education", 40_000),
    ("yjb_grant", 500_000),
    ("yjb_remand", 50_000),
]
OTHERS = ["Community Safety Partnership", "Violence Reduction Unit"]


def _amount(rng, base: int) -> Decimal:
    return Decimal(round(base * rng.uniform(0.6, 1.4)))


def generate_budgets(partnerships, rng) -> None:
    from bench.generate import bulk
    from budgets.models import BudgetYear, ContributionLine
    from yjplan.models import LocalAuthority, Membership

    years = bulk(
        BudgetYear, [BudgetYear(partnership=p, start_year=y, status="draft") for p in partnerships for y in YEARS]
    )
    councils: dict[int, list] = {}
    for council in LocalAuthority.objects.filter(partnership__in=partnerships).order_by("position", "name"):
        councils.setdefault(council.partnership_id, []).append(council)
    finance = dict(
        Membership.objects.filter(partnership__in=partnerships, is_finance=True)
        .order_by("partnership_id", "id")
        .values_list("partnership_id", "user_id")
    )
    lines = []
    for budget_year in years:
        own = councils.get(budget_year.partnership_id, [])
        joint = len(own) > 1
        for council in own if joint else [None]:
            for agency, base in AGENCIES:
                staffing = _amount(rng, base) if agency not in ("yjb_grant", "yjb_remand", "pcc") else Decimal(0)
                confirmed = budget_year.start_year < 2023 or agency not in ("police", "probation")
                lines.append(
                    ContributionLine(
                        budget_year=budget_year,
                        agency=agency,
                        council=council,
                        staffing_costs=staffing,
                        payments_in_kind=_amount(rng, base // 5) if agency in ("police", "health") else Decimal(0),
                        other_delegated_funds=_amount(rng, base // 3),
                        confirmed_by_id=finance.get(budget_year.partnership_id) if confirmed else None,
                        confirmed_at=budget_year.updated_at if confirmed else None,
                        confirmation_note="Confirmed for the partner by the finance officer" if confirmed else "",
                    )
                )
            for name in OTHERS:
                lines.append(
                    ContributionLine(
                        budget_year=budget_year,
                        agency="other",
                        other_name=name,
                        council=council,
                        other_delegated_funds=_amount(rng, 20_000),
                    )
                )
    bulk(ContributionLine, lines)


PAGES = [
    ("budget year, both layouts (11 lines a council)", "/p/{slug}/budget/2023/", "finance"),
    ("budget entry table", "/p/{slug}/budget/2023/edit/", "finance"),
    ("budget years and value for money", "/p/{slug}/budget/", "board"),
]
