"""Benchmark hooks of the performance spoke.

* ``generate_observations(partnerships, rng)`` — a ``bench.generate`` generator: each partnership's
  own areas and ten years of the key indicators for it and its comparators, and eight quarters of KPIs.
* ``PAGES`` — the pages ``make bench`` loads.
* ``import_benchmark(rows=100_000)`` — times a spreadsheet import (reading, validation, the staged
  ``INSERT … ON CONFLICT`` and its history rows) against a raw psycopg ``COPY`` of the same rows into the
  same table, both rolled back; returns both rates in rows/s. Needs PostgreSQL.
"""

from __future__ import annotations

import random
import time
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction

FIXTURE = "fixtures/reference/performance_indicators.json"
KEY_CODES = ["FTE", "REOFF_BINARY", "REOFF_FREQ_REOFFENDER", "REOFF_FREQ_COHORT", "CUSTODY_RATE", "CUSTODY_SHARE"]
YEARS = range(2014, 2024)

PAGES = [
    ("performance dashboard (6 indicators, 10 years, 5 areas)", "/p/{slug}/performance/", "manager"),
]


def _definitions():
    from performance.models import ComparatorArea, Indicator

    if not Indicator.objects.filter(code="FTE", partnership__isnull=True).exists():
        call_command("loaddata", FIXTURE, verbosity=0)
    return (
        {i.code: i for i in Indicator.objects.filter(partnership__isnull=True)},
        {a.code: a for a in ComparatorArea.objects.filter(partnership__isnull=True)},
    )


def generate_observations(partnerships, rng: random.Random) -> None:
    from bench.generate import bulk
    from performance.models import AreaKind, ComparatorArea, Observation
    from performance.selectors import REGION_AREAS

    indicators, shared = _definitions()
    areas = []
    for p in partnerships:
        areas.append(ComparatorArea(partnership=p, code="PARTNERSHIP", name=p.name, kind=AreaKind.PARTNERSHIP))
        areas.append(ComparatorArea(partnership=p, code="FAMILY", name=p.yot_family, kind=AreaKind.FAMILY, position=20))
        areas.append(
            ComparatorArea(partnership=p, code="POLICE", name=p.police_force_area, kind=AreaKind.POLICE, position=30)
        )
    areas = bulk(ComparatorArea, areas)
    own = {}
    for area in areas:
        own.setdefault(area.partnership_id, {})[area.code] = area
    base = {
        "FTE": 250,
        "REOFF_BINARY": 36,
        "REOFF_FREQ_REOFFENDER": 4.2,
        "REOFF_FREQ_COHORT": 1.5,
        "CUSTODY_RATE": 0.3,
        "CUSTODY_SHARE": 5,
    }
    observations = []
    for p in partnerships:
        comparators = [
            own[p.pk]["PARTNERSHIP"],
            own[p.pk]["FAMILY"],
            own[p.pk]["POLICE"],
            shared[REGION_AREAS[p.region]],
        ]
        nation = shared["WALES" if p.nation == "wales" else "ENGLAND"]
        if nation not in comparators:  # a Welsh service's region is Wales itself
            comparators.append(nation)
        for code in KEY_CODES:
            indicator = indicators[code]
            for year in YEARS:
                for area in comparators:
                    value = Decimal(str(round(base[code] * rng.uniform(0.6, 1.4) * (1 - (year - 2014) * 0.03), 2)))
                    numerator = denominator = None
                    if area.kind == AreaKind.PARTNERSHIP and code == "REOFF_BINARY":
                        denominator = Decimal(rng.randint(60, 400))
                        numerator = Decimal(int(denominator * value / 100))
                        value = (numerator * 100 / denominator).quantize(Decimal("0.000001"))
                    observations.append(
                        Observation(
                            partnership=p,
                            indicator=indicator,
                            area=area,
                            period_start=date(year, 1, 1),
                            period_end=date(year, 12, 31),
                            label=f"Jan–Dec {year}",
                            numerator=numerator,
                            denominator=denominator,
                            value=value,
                            source="Bench data",
                        )
                    )
        for quarter in range(8):
            start = date(2022 + quarter // 4, 3 * (quarter % 4) + 1, 1)
            end = date(start.year + (start.month == 10), (start.month + 3 - 1) % 12 + 1, 1)
            end = date.fromordinal(end.toordinal() - 1)
            for indicator in indicators.values():
                if indicator.parent_id is None or indicator.group != "kpi":
                    continue
                denominator = Decimal(rng.randint(10, 80))
                numerator = Decimal(rng.randint(0, int(denominator)))
                observations.append(
                    Observation(
                        partnership=p,
                        indicator=indicator,
                        area=own[p.pk]["PARTNERSHIP"],
                        period_start=start,
                        period_end=end,
                        label=f"Q{quarter % 4 + 1} {start.year}",
                        numerator=numerator,
                        denominator=denominator,
                        value=numerator
                        if indicator.unit == "count"
                        else (numerator * 100 / denominator).quantize(Decimal("0.000001")),
                        source="Bench data",
                    )
                )
    bulk(Observation, observations, batch_size=5000)


# --- The import benchmark ---------------------------------------------------------------------


def _rows(count: int, partnership) -> tuple[bytes, list[tuple]]:
    """``count`` distinct figures as a long-layout CSV, and the same rows as tuples for COPY."""
    from performance.models import ComparatorArea, Indicator

    indicators = list(Indicator.objects.filter(partnership__isnull=True, is_share=True).order_by("position"))
    areas = list(ComparatorArea.objects.filter(partnership=partnership)) + list(
        ComparatorArea.objects.filter(partnership__isnull=True, code__in=["ENGLAND", "WALES", "REGION-EAST"])
    )
    rng = random.Random(2024)
    lines = ["indicator,area,period start,period end,numerator,denominator,value,label"]
    tuples = []
    month = 0
    while len(tuples) < count:
        year, m = divmod(month, 12)
        start = date(1900 + year, m + 1, 1)
        end = date.fromordinal(date(1900 + year + (m == 11), (m + 1) % 12 + 1, 1).toordinal() - 1)
        for indicator in indicators:
            for area in areas:
                if len(tuples) >= count:
                    break
                denominator = rng.randint(30, 500)
                numerator = rng.randint(0, denominator)
                lines.append(f"{indicator.code},{area.code},{start},{end},{numerator},{denominator},,{start:%b %Y}")
                value = (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.000001"))
                tuples.append(
                    (
                        partnership.pk,
                        indicator.pk,
                        area.pk,
                        start,
                        end,
                        f"{start:%b %Y}",
                        numerator,
                        denominator,
                        value,
                        "",
                        None,
                    )
                )
        month += 1
    return ("\n".join(lines) + "\n").encode(), tuples


class _Rollback(Exception):
    pass


def import_benchmark(rows: int = 100_000, repeat: int = 3) -> dict:
    """Rows per second of the import (validation included) and of a raw COPY of the same rows.

    Each is run ``repeat`` times, alternately, each run rolled back; the best time of each counts (the
    machine is shared, so the best run is the one least disturbed by others)."""
    from performance import imports, services
    from performance.models import Observation
    from yjplan.models import Partnership

    if connection.vendor != "postgresql":
        raise RuntimeError("The import benchmark compares against PostgreSQL's COPY: run it on PostgreSQL")
    _definitions()
    partnership, _ = Partnership.objects.get_or_create(
        slug="import-benchmark", defaults={"name": "Import Benchmark Youth Justice Service", "region": "east"}
    )
    services.areas_ensure(partnership=partnership)
    Observation.objects.filter(partnership=partnership).delete()
    data, tuples = _rows(rows, partnership)
    import_times, copy_times = [], []
    for _ in range(repeat):
        import_times.append(_time_import(imports, data, partnership, rows))
        copy_times.append(_time_copy(tuples, Observation))
    import_seconds, copy_seconds = min(import_times), min(copy_times)
    return {
        "rows": rows,
        "import_rows_per_s": round(rows / import_seconds),
        "copy_rows_per_s": round(rows / copy_seconds),
        "import_seconds": round(import_seconds, 3),
        "copy_seconds": round(copy_seconds, 3),
        "ratio": round(copy_seconds / import_seconds, 3),
    }


def _time_import(imports, data: bytes, partnership, rows: int) -> float:
    try:
        with transaction.atomic():
            started = time.perf_counter()
            parsed, counts = imports.import_file(data, filename="bench.csv", partnership=partnership)
            seconds = time.perf_counter() - started
            if parsed.errors or counts["added"] != rows:
                raise RuntimeError(f"The benchmark file did not import cleanly: {parsed.errors[:3]} {counts}")
            raise _Rollback
    except _Rollback:
        pass
    return seconds


def _time_copy(tuples: list[tuple], Observation) -> float:  # noqa: N803 - the model class
    columns = (
        "partnership_id, indicator_id, area_id, period_start, period_end, label, numerator, denominator, "
        "value, source, published_on, updated_at"
    )
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                raw = cursor.connection
                now = time.strftime("%Y-%m-%d %H:%M:%S+00")
                started = time.perf_counter()
                with (
                    raw.cursor() as pg,
                    pg.copy(
                        f"COPY {Observation._meta.db_table} ({columns}) FROM STDIN"  # noqa: S608 - fixed names
                    ) as copy,
                ):
                    for row in tuples:
                        copy.write_row((*row, now))
                seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return seconds
