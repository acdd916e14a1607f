"""Demo figures from the seed documents, with their exact periods and comparators. Idempotent.

Figures the seeds publish are entered as they appear. Earlier periods added only so the charts have
a trend to draw are marked "Illustrative" in their source, and so are the KPI figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from performance import services
from performance.capability import demo as capability_demo
from performance.models import ComparatorArea, Indicator, Observation
from performance.standards import demo as standards_demo

CAMBS_PLAN = "Cambridgeshire and Peterborough Youth Justice Plan 2019–22"
WARKS_PLAN = "Warwickshire Youth Justice Plan 2019/20"
LEICS_PLAN = "Leicester YJMB plan and priorities 2023–24"
ILLUSTRATIVE = "Illustrative figure for the demo (not from a seed document)"

FTE_2018 = (date(2018, 1, 1), date(2018, 12, 31), "Jan–Dec 2018")
FTE_2017 = (date(2017, 1, 1), date(2017, 12, 31), "Jan–Dec 2017")
FTE_2016 = (date(2016, 1, 1), date(2016, 12, 31), "Jan–Dec 2016")
FY_2018 = (date(2018, 4, 1), date(2019, 3, 31), "Apr 2018–Mar 2019")
FY_2017 = (date(2017, 4, 1), date(2018, 3, 31), "Apr 2017–Mar 2018")
FY_2016 = (date(2016, 4, 1), date(2017, 3, 31), "Apr 2016–Mar 2017")
COHORT_2017 = (date(2017, 4, 1), date(2017, 6, 30), "Apr–Jun 2017 cohort")
COHORT_2016 = (date(2016, 4, 1), date(2016, 6, 30), "Apr–Jun 2016 cohort")
YEAR_2020 = (date(2020, 1, 1), date(2020, 12, 31), "Jan–Dec 2020")
YEAR_2019 = (date(2019, 1, 1), date(2019, 12, 31), "Jan–Dec 2019")
WARKS_COHORT = (date(2017, 4, 1), date(2018, 3, 31), "2017/18 cohort, reported in the 2019/20 plan")
WARKS_COHORT_BEFORE = (date(2016, 4, 1), date(2017, 3, 31), "2016/17 cohort")
KPI_QUARTER = (date(2023, 4, 1), date(2023, 6, 30), "Apr–Jun 2023")

# (indicator, area code, period, value, numerator, denominator, source)
CAMBS = [
    ("FTE", "CAMBRIDGESHIRE", FTE_2018, "185", None, None, CAMBS_PLAN + " (PNC)"),
    ("FTE", "REGION-EAST", FTE_2018, "190", None, None, CAMBS_PLAN + " (PNC)"),
    ("FTE", "ENGLAND", FTE_2018, "236", None, None, CAMBS_PLAN + " (PNC)"),
    ("FTE", "CAMBRIDGESHIRE", FTE_2017, "198", None, None, ILLUSTRATIVE),
    ("FTE", "REGION-EAST", FTE_2017, "201", None, None, ILLUSTRATIVE),
    ("FTE", "ENGLAND", FTE_2017, "250", None, None, ILLUSTRATIVE),
    ("FTE", "CAMBRIDGESHIRE", FTE_2016, "214", None, None, ILLUSTRATIVE),
    ("FTE", "REGION-EAST", FTE_2016, "215", None, None, ILLUSTRATIVE),
    ("FTE", "ENGLAND", FTE_2016, "281", None, None, ILLUSTRATIVE),
    ("CUSTODY_RATE", "CAMBRIDGESHIRE", FY_2018, "0.18", None, None, CAMBS_PLAN),
    ("CUSTODY_RATE", "REGION-EAST", FY_2018, "0.28", None, None, CAMBS_PLAN),
    ("CUSTODY_RATE", "ENGLAND", FY_2018, "0.3", None, None, CAMBS_PLAN),
    ("CUSTODY_RATE", "CAMBRIDGESHIRE", FY_2017, "0.15", None, None, ILLUSTRATIVE),
    ("CUSTODY_RATE", "REGION-EAST", FY_2017, "0.30", None, None, ILLUSTRATIVE),
    ("CUSTODY_RATE", "ENGLAND", FY_2017, "0.34", None, None, ILLUSTRATIVE),
    ("CUSTODY_SHARE", "CAMBRIDGESHIRE", FY_2018, "4", None, None, CAMBS_PLAN),
    ("REOFF_BINARY", "CAMBRIDGESHIRE", COHORT_2017, "20.6", None, None, CAMBS_PLAN),
    ("REOFF_BINARY", "PETERBOROUGH", COHORT_2017, "41.5", None, None, CAMBS_PLAN),
    ("REOFF_BINARY", "REGION-EAST", COHORT_2017, "36.8", None, None, CAMBS_PLAN),
    ("REOFF_BINARY", "ENGLAND", COHORT_2017, "38.4", None, None, CAMBS_PLAN),
    ("REOFF_BINARY", "CAMBRIDGESHIRE", COHORT_2016, "25.1", None, None, ILLUSTRATIVE),
    ("REOFF_BINARY", "PETERBOROUGH", COHORT_2016, "39.0", None, None, ILLUSTRATIVE),
    ("REOFF_BINARY", "REGION-EAST", COHORT_2016, "37.5", None, None, ILLUSTRATIVE),
    ("REOFF_BINARY", "ENGLAND", COHORT_2016, "39.2", None, None, ILLUSTRATIVE),
    ("REOFF_FREQ_REOFFENDER", "CAMBRIDGESHIRE", COHORT_2017, "4.07", None, None, CAMBS_PLAN),
    ("REOFF_FREQ_REOFFENDER", "REGION-EAST", COHORT_2017, "4.42", None, None, CAMBS_PLAN),
    ("REOFF_FREQ_REOFFENDER", "ENGLAND", COHORT_2017, "4.13", None, None, CAMBS_PLAN),
    ("REOFF_FREQ_COHORT", "CAMBRIDGESHIRE", COHORT_2017, "0.84", None, None, CAMBS_PLAN),
    ("REOFF_FREQ_COHORT", "PETERBOROUGH", COHORT_2017, "1.07", None, None, CAMBS_PLAN),
    ("REOFF_FREQ_COHORT", "REGION-EAST", COHORT_2017, "1.63", None, None, CAMBS_PLAN),
    ("REOFF_FREQ_COHORT", "ENGLAND", COHORT_2017, "1.59", None, None, CAMBS_PLAN),
]
WARKS = [
    ("REOFF_BINARY", "PARTNERSHIP", WARKS_COHORT, "27.3", None, None, WARKS_PLAN),
    (
        "REOFF_BINARY",
        "PARTNERSHIP",
        WARKS_COHORT_BEFORE,
        "49.0",
        None,
        None,
        "Illustrative: worked out from the 44.3% fall the 2019/20 plan reports",
    ),
    ("CUSTODY_RATE", "PARTNERSHIP", FY_2018, "0.06", None, None, WARKS_PLAN),
    ("CUSTODY_RATE", "FAMILY", FY_2018, "0.20", None, None, WARKS_PLAN),
    ("CUSTODY_RATE", "REGION-WEST-MIDLANDS", FY_2018, "0.36", None, None, WARKS_PLAN),
    ("CUSTODY_RATE", "ENGLAND", FY_2018, "0.31", None, None, WARKS_PLAN),
    ("CUSTODY_RATE", "PARTNERSHIP", FY_2017, "0.11", None, None, ILLUSTRATIVE),
    ("CUSTODY_RATE", "FAMILY", FY_2017, "0.22", None, None, ILLUSTRATIVE),
    ("CUSTODY_RATE", "REGION-WEST-MIDLANDS", FY_2017, "0.38", None, None, ILLUSTRATIVE),
    ("CUSTODY_RATE", "ENGLAND", FY_2017, "0.34", None, None, ILLUSTRATIVE),
]
LEICS_SOURCE = LEICS_PLAN + " (reoffenders worked out from the rate and the cohort)"
LEICS = [
    ("REOFF_BINARY", "PARTNERSHIP", YEAR_2020, "32.3", 42, 130, LEICS_SOURCE),
    ("REOFF_BINARY", "PARTNERSHIP", YEAR_2019, "21.4", 40, 187, LEICS_SOURCE),
    ("REOFF_FREQ_REOFFENDER", "PARTNERSHIP", YEAR_2020, None, 222, 42, LEICS_SOURCE),
    ("REOFF_FREQ_REOFFENDER", "PARTNERSHIP", YEAR_2019, None, 89, 40, LEICS_SOURCE),
    ("REOFF_FREQ_COHORT", "PARTNERSHIP", YEAR_2020, None, 222, 130, LEICS_PLAN),
    ("REOFF_FREQ_COHORT", "PARTNERSHIP", YEAR_2019, None, 89, 187, LEICS_PLAN),
]
# One quarter of KPI figures for each partnership: illustrative, with some small counts to show suppression.
KPIS = [
    ("KPI1.1", 41, 44),
    ("KPI1.2", 3, 4),
    ("KPI2.1", 30, 44),
    ("KPI2.2", 2, 4),
    ("KPI3.1", 19, 61),
    ("KPI3.2", 12, 19),
    ("KPI3.3", 11, 19),
    ("KPI4.1", 27, 61),
    ("KPI4.2", 24, 27),
    ("KPI4.3", 18, 24),
    ("KPI5.1", 15, 61),
    ("KPI5.2", 13, 15),
    ("KPI5.3", 9, 13),
    ("KPI6.1", 22, 25),
    ("KPI7.1", 21, 25),
    ("KPI7.2", 17, 21),
    ("KPI8.1", 9, 61),
    ("KPI8.2", 14, 61),
    ("KPI8.3", 4, 61),
    ("KPI8.4", 20, 61),
    ("KPI9.1", 3, None),
    ("KPI10.1", 6, 8),
    ("KPI10.2", 8, 11),
]


def _put(partnership, indicators, areas, code, area_code, period, value, numerator, denominator, source) -> bool:
    indicator = indicators[code]
    area = areas[area_code]
    start, end, label = period
    if Observation.objects.filter(
        partnership=partnership, indicator=indicator, area=area, period_start=start, period_end=end
    ).exists():
        return False
    services.observation_save(
        partnership=partnership,
        indicator=indicator,
        area=area,
        period_start=start,
        period_end=end,
        label=label,
        numerator=None if numerator is None else Decimal(numerator),
        denominator=None if denominator is None else Decimal(denominator),
        value=None if value is None else Decimal(value),
        source=source,
    )
    return True


def seed(partnerships, stdout=None) -> None:
    capability_demo.seed(partnerships, stdout)
    standards_demo.seed(partnerships, stdout)
    indicators = {i.code: i for i in Indicator.objects.filter(partnership__isnull=True)}
    if not indicators:
        return
    added = 0
    for slug, figures in (("cambs-peterborough", CAMBS), ("warwickshire", WARKS), ("leicester", LEICS)):
        partnership = partnerships.get(slug)
        if partnership is None:
            continue
        services.areas_ensure(partnership=partnership)
        areas = {a.code: a for a in ComparatorArea.objects.filter(partnership__isnull=True)}
        areas.update({a.code: a for a in ComparatorArea.objects.filter(partnership=partnership)})
        kpis = [
            (code, "PARTNERSHIP", KPI_QUARTER, None if den else str(num), num, den, ILLUSTRATIVE)
            for code, num, den in KPIS
        ]
        for figure in [*figures, *kpis]:
            added += _put(partnership, indicators, areas, *figure)
    if stdout is not None:
        stdout.write(f"Performance: {added} figures added.")
