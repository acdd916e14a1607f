"""Yearly counts measured by the performance data, offered to other spokes through the registry
(``MetricProvider``): the budget's value for money uses them when a year has no counts typed in.

Only the partnership's own area and the national indicator definitions are read. A financial year's count
is given only when every figure it needs is there: a year with a quarter missing gives nothing rather
than a count that looks complete.
"""

from __future__ import annotations

from datetime import date

from performance.models import AreaKind, Observation
from yjplan.registry import Figure

# Quarterly KPI returns whose denominator is the children the service worked with, in order of preference.
CHILDREN_CODES = ("KPI3.1", "KPI4.1", "KPI5.1", "KPI8.1")
OUT_OF_COURT_CODE = "KPI6.1"  # denominator: out-of-court disposals that ended in the quarter
COURT_CODE = "CUSTODY_SHARE"  # denominator: court disposals in the financial year
FTE_CODE = "FTE"  # numerator: first-time entrants


def quarters(start_year: int) -> list[tuple[date, date]]:
    y = start_year
    return [
        (date(y, 4, 1), date(y, 6, 30)),
        (date(y, 7, 1), date(y, 9, 30)),
        (date(y, 10, 1), date(y, 12, 31)),
        (date(y + 1, 1, 1), date(y + 1, 3, 31)),
    ]


def _span(start_year: int) -> str:
    return f"April {start_year} to March {start_year + 1}"


def yearly_counts(partnership, start_years) -> dict[int, dict[str, Figure]]:
    """Children worked with, outcomes and first-time entrants by financial year (one query)."""
    years = sorted(set(start_years))
    if not years:
        return {}
    rows = Observation.objects.filter(
        partnership=partnership,
        area__partnership=partnership,
        area__kind=AreaKind.PARTNERSHIP,
        indicator__partnership__isnull=True,
        indicator__code__in=[*CHILDREN_CODES, OUT_OF_COURT_CODE, COURT_CODE, FTE_CODE],
        period_start__gte=date(years[0], 4, 1),
        period_end__lte=date(years[-1] + 1, 3, 31),
    ).values_list("indicator__code", "period_start", "period_end", "numerator", "denominator")
    found = {(code, start, end): (numerator, denominator) for code, start, end, numerator, denominator in rows}

    def part(code, period, index):
        pair = found.get((code, *period))
        return pair[index] if pair else None

    result = {}
    for year in years:
        figures = {}
        year_period = (date(year, 4, 1), date(year + 1, 3, 31))
        children = [
            next((d for code in CHILDREN_CODES if (d := part(code, q, 1)) is not None), None) for q in quarters(year)
        ]
        if all(count is not None for count in children):
            figures["children_worked_with"] = Figure(
                int(sum(children)), f"children the service worked with in the four quarterly KPI returns, {_span(year)}"
            )
        court = part(COURT_CODE, year_period, 1)
        out_of_court = [part(OUT_OF_COURT_CODE, q, 1) for q in quarters(year)]
        if court is not None and all(count is not None for count in out_of_court):
            figures["outcomes"] = Figure(
                int(court + sum(out_of_court)),
                f"{int(court):,} court disposals (use of custody indicator) and {int(sum(out_of_court)):,} "
                f"out-of-court disposals (KPI 6), {_span(year)}",
            )
        entrants = part(FTE_CODE, year_period, 0)
        if entrants is not None:
            figures["first_time_entrants"] = Figure(int(entrants), f"first time entrants indicator, {_span(year)}")
        if figures:
            result[year] = figures
    return result
