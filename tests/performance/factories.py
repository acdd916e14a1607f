"""Factories for the performance spoke: the national definitions come from the reference fixture."""

from datetime import date
from decimal import Decimal

from django.core.management import call_command

from performance import services
from performance.models import ComparatorArea, Indicator, Observation

FIXTURE = "fixtures/reference/performance_indicators.json"


def load_definitions() -> None:
    if not Indicator.objects.filter(code="FTE", partnership__isnull=True).exists():
        call_command("loaddata", FIXTURE, verbosity=0)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code, partnership__isnull=True)


def area(partnership, code: str) -> ComparatorArea:
    found = ComparatorArea.objects.filter(partnership=partnership, code=code).first()
    return found or ComparatorArea.objects.get(partnership__isnull=True, code=code)


def observation(partnership, code: str, area_code: str, start: date, end: date, **fields) -> Observation:
    fields.setdefault("label", "")
    for key in ("numerator", "denominator", "value"):
        if fields.get(key) is not None:
            fields[key] = Decimal(str(fields[key]))
    return services.observation_save(
        partnership=partnership,
        indicator=indicator(code),
        area=area(partnership, area_code),
        period_start=start,
        period_end=end,
        **fields,
    )
