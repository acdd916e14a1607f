"""Demo budgets: the two published tables exactly (seed 000 Table 1, seed 003 Appendix 1), and
illustrative neighbouring years (each says so in its note). ``seed`` is idempotent.

A line is (agency, other name, council short name or None, staffing, in kind, other delegated, note).
The joint-service table publishes cash and in kind per council only, so its cash is held as other
delegated funds (staffing 0): the cash, in-kind and total figures are exactly the published ones.
"""

from decimal import Decimal

from django.utils import timezone

from budgets.models import Agency, BudgetYear, ContributionLine
from yjplan.models import Membership

A = Agency
CAMBS, PBORO = "Cambridgeshire", "Peterborough"

# Cambridgeshire and Peterborough 2018/19 (seed 000, Table 1).
CAMBS_2018 = [
    (A.LOCAL_AUTHORITY, "", CAMBS, 0, 0, 912_016, ""),
    (A.LOCAL_AUTHORITY, "", PBORO, 0, 0, 443_179, ""),
    (A.POLICE, "", CAMBS, 0, 90_000, 0, ""),
    (A.POLICE, "", PBORO, 0, 45_000, 0, ""),
    (A.PCC, "", CAMBS, 0, 0, 127_000, "PCC Office"),
    (A.PCC, "", PBORO, 0, 0, 136_000, "PCC Office"),
    (A.PUBLIC_HEALTH, "", CAMBS, 0, 0, 95_000, ""),
    (A.HEALTH, "", CAMBS, 0, 79_172, 28_220, "Clinical Commissioning Group"),
    (A.HEALTH, "", PBORO, 0, 113_740, 0, "Clinical Commissioning Group"),
    (A.PROBATION, "", CAMBS, 0, 60_000, 10_000, "National Probation Service"),
    (A.PROBATION, "", PBORO, 0, 20_000, 5_000, "National Probation Service"),
    (A.YJB_GRANT, "", CAMBS, 0, 0, 544_123, "YJB Effective Practice Grant"),
    (A.YJB_GRANT, "", PBORO, 0, 0, 448_988, "YJB Effective Practice Grant"),
    (A.YJB_REMAND, "", CAMBS, 0, 0, 59_740, ""),
    (A.YJB_REMAND, "", PBORO, 0, 0, 29_219, ""),
    (A.OTHER, "Peterborough CCC", CAMBS, 0, 0, 40_415, ""),
]

# Warwickshire 2019/20 (seed 003, Appendix 1): the YJB layout.
WARWICKSHIRE_2019 = [
    (A.POLICE, "", None, 187_479, 0, 0, ""),
    (A.PCC, "", None, 75_000, 0, 5_000, ""),
    (A.PROBATION, "", None, 72_624, 0, 5_000, ""),
    (A.HEALTH, "", None, 98_000, 0, 5_000, ""),
    (A.LOCAL_AUTHORITY, "", None, 1_037_856, 0, 542_479, ""),
    (A.YJB_GRANT, "", None, 335_489, 0, 87_428, "Published as one YJB figure (Youth Justice and remand grants)"),
    (A.OTHER, "Other funding", None, 20_000, 0, 22_443, "Published as “Other” without a name"),
]

ILLUSTRATIVE = "Illustrative figures for the demo, not published."


def _scaled(lines, factors: dict, default: Decimal) -> list:
    """A plausible neighbouring year: each agency's figures scaled (rounded to pounds)."""
    out = []
    for agency, name, council, staffing, kind, other, note in lines:
        f = factors.get((agency, council), factors.get(agency, default))
        out.append((agency, name, council, round(staffing * f), round(kind * f), round(other * f), note))
    return out


CAMBS_2017 = _scaled(
    CAMBS_2018,
    {A.YJB_GRANT: Decimal("1.01"), A.YJB_REMAND: Decimal("0.82"), (A.LOCAL_AUTHORITY, CAMBS): Decimal("1.0")},
    Decimal("1"),
)
# 2019/20: the seed's own story — £40k less from Cambridgeshire's council, the YJB grant 1% lower, remand up.
CAMBS_2019 = [
    (a, n, c, s, k, (o - 40_000) if (a, c) == (A.LOCAL_AUTHORITY, CAMBS) else o, note)
    for a, n, c, s, k, o, note in _scaled(
        CAMBS_2018, {A.YJB_GRANT: Decimal("0.99"), A.YJB_REMAND: Decimal("1.15")}, Decimal("1")
    )
]
WARWICKSHIRE_2018 = _scaled(
    WARWICKSHIRE_2019,
    {A.LOCAL_AUTHORITY: Decimal("1.02"), A.YJB_GRANT: Decimal("1.01"), A.PCC: Decimal("0.9")},
    Decimal("1"),
)
LEICESTER_2023 = [
    (A.LOCAL_AUTHORITY, "", None, 1_412_000, 96_000, 388_000, ""),
    (A.POLICE, "", None, 121_500, 0, 0, ""),
    (A.PCC, "", None, 0, 0, 64_000, ""),
    (A.PROBATION, "", None, 61_200, 0, 5_000, ""),
    (A.HEALTH, "", None, 93_400, 28_000, 0, ""),
    (A.EDUCATION, "", None, 0, 42_000, 0, ""),
    (A.YJB_GRANT, "", None, 0, 0, 742_310, ""),
    (A.YJB_REMAND, "", None, 0, 0, 38_900, ""),
]
LEICESTER_2022 = _scaled(
    LEICESTER_2023, {A.YJB_GRANT: Decimal("0.96"), A.LOCAL_AUTHORITY: Decimal("0.98")}, Decimal("1")
)

# slug -> [(start year, lines, note, children worked with, outcomes)]
DEMO = {
    "cambs-peterborough": [
        (2017, CAMBS_2017, ILLUSTRATIVE, 488, 560),
        (
            2018,
            CAMBS_2018,
            "As published in the joint Youth Justice Plan 2019–2022 (Table 1). Outcomes: 384 in Cambridgeshire "
            "and 150 in Peterborough; children worked with is illustrative.",
            460,
            534,
        ),
        (
            2019,
            CAMBS_2019,
            ILLUSTRATIVE + " They follow the plan's account: £40k less from Cambridgeshire's "
            "council, the YJB grant 1% lower and more remand grant.",
            None,
            None,
        ),
    ],
    "warwickshire": [
        (2018, WARWICKSHIRE_2018, ILLUSTRATIVE + " About 300 children worked with, as the plan says.", 300, 310),
        (2019, WARWICKSHIRE_2019, "As published in the Youth Justice Plan 2019/20 (Appendix 1).", 290, 305),
    ],
    "leicester": [
        (2022, LEICESTER_2022, ILLUSTRATIVE, 412, 455),
        (2023, LEICESTER_2023, ILLUSTRATIVE, 398, 441),
    ],
}
CONFIRM_EXCEPT = {A.POLICE, A.PROBATION}  # left for the demo board members to confirm


def create_year(partnership, start_year: int, lines, *, note: str = "", children=None, outcomes=None, confirmer=None):
    """Create a budget year with its lines (no-op when it exists); returns it."""
    existing = BudgetYear.objects.filter(partnership=partnership, start_year=start_year).first()
    if existing is not None:
        return existing
    budget_year = BudgetYear.objects.create(
        partnership=partnership, start_year=start_year, notes=note, children_worked_with=children, outcomes=outcomes
    )
    councils = {c.short_name: c for c in partnership.local_authorities.all()}
    now = timezone.now()
    for agency, name, council, staffing, kind, other, line_note in lines:
        confirmed = confirmer is not None and agency not in CONFIRM_EXCEPT
        ContributionLine.objects.create(
            budget_year=budget_year,
            agency=agency,
            other_name=name,
            council=councils[council] if council else None,
            staffing_costs=Decimal(staffing),
            payments_in_kind=Decimal(kind),
            other_delegated_funds=Decimal(other),
            note=line_note,
            confirmed_by=confirmer if confirmed else None,
            confirmed_at=now if confirmed else None,
            confirmation_note="Confirmed by the finance officer from the partner's written agreement"
            if confirmed
            else "",
        )
    return budget_year


def seed(partnerships, stdout=None):
    for slug, years in DEMO.items():
        partnership = partnerships.get(slug)
        if partnership is None:
            continue
        finance = Membership.objects.filter(partnership=partnership, is_finance=True).select_related("user").first()
        for start_year, lines, note, children, outcomes in years:
            create_year(
                partnership,
                start_year,
                lines,
                note=note,
                children=children,
                outcomes=outcomes,
                confirmer=finance.user if finance else None,
            )
    if stdout is not None:
        stdout.write("Budgets: demo years ready.")
