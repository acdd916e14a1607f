"""Reads for the performance pages and blocks, each with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from performance import analysis
from performance.models import OWN_KINDS, ComparatorArea, Group, Indicator, Observation, PerformanceSettings
from yjplan.models import Partnership


def indicators_for(partnership: Partnership):
    """National definitions and the partnership's own local indicators."""
    return Indicator.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


def areas_for(partnership: Partnership):
    return ComparatorArea.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


REGION_AREAS = {
    "north-east": "REGION-NORTH-EAST",
    "north-west": "REGION-NORTH-WEST",
    "yorkshire-humber": "REGION-YORKSHIRE",
    "east-midlands": "REGION-EAST-MIDLANDS",
    "west-midlands": "REGION-WEST-MIDLANDS",
    "east": "REGION-EAST",
    "london": "REGION-LONDON",
    "south-east": "REGION-SOUTH-EAST",
    "south-west": "REGION-SOUTH-WEST",
    "wales": "WALES",
}


def relevant_areas(partnership: Partnership):
    """The partnership's own areas and comparators, its region and its nation (for the grid and forms)."""
    codes = {REGION_AREAS.get(partnership.region, ""), "WALES" if partnership.nation == "wales" else "ENGLAND"}
    return ComparatorArea.objects.filter(Q(partnership=partnership) | Q(partnership__isnull=True, code__in=codes))


def area_figure_count(area: ComparatorArea) -> int:
    return Observation.objects.filter(area=area).count()


def indicator_for(partnership: Partnership, pk) -> Indicator | None:
    return indicators_for(partnership).select_related("parent").filter(pk=pk).first()


def observation_for(partnership: Partnership, pk) -> Observation | None:
    return Observation.objects.select_related("indicator", "area").filter(partnership=partnership, pk=pk).first()


def settings_of(partnership: Partnership) -> PerformanceSettings:
    found = PerformanceSettings.objects.filter(partnership=partnership).first()
    return found or PerformanceSettings(partnership=partnership)


# --- The dashboard ----------------------------------------------------------------------------


@dataclass
class ComparatorCell:
    area: ComparatorArea
    observation: Observation | None
    value_text: str
    significance: analysis.Significance | None


@dataclass
class AreaRow:
    area: ComparatorArea
    latest: Observation
    value_text: str
    previous: Observation | None
    baseline: Observation | None
    direction: analysis.Direction
    baseline_direction: analysis.Direction
    comparators: list[ComparatorCell]
    caution: bool
    lag: str
    lag_months: int
    change_significance: analysis.Significance | None = None


@dataclass
class IndicatorSummary:
    indicator: Indicator
    rows: list[AreaRow] = field(default_factory=list)
    comparator_areas: list[ComparatorArea] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return bool(self.rows)


def baseline_of(series: list[Observation], year: int | None) -> Observation | None:
    """The figure the latest is compared with over the long run: the first period ending in the partnership's
    chosen baseline year, or (with no year chosen) the earliest period when there are three or more."""
    if year is None:
        return series[0] if len(series) > 2 else None
    return next((obs for obs in series[:-1] if obs.period_end.year == year), None)


def _summaries(
    partnership: Partnership,
    indicators: list[Indicator],
    observations: list[Observation],
    settings: PerformanceSettings,
    today: date,
) -> list[IndicatorSummary]:
    by_indicator: dict[int, list[Observation]] = defaultdict(list)
    for obs in observations:
        by_indicator[obs.indicator_id].append(obs)
    summaries = []
    for indicator in indicators:
        summary = IndicatorSummary(indicator)
        obs_list = sorted(by_indicator.get(indicator.pk, []), key=lambda o: (o.period_end, o.period_start))
        own: dict[int, list[Observation]] = defaultdict(list)
        by_period: dict[tuple, list[Observation]] = defaultdict(list)
        for obs in obs_list:
            if obs.area.kind in OWN_KINDS:
                own[obs.area_id].append(obs)
            else:
                by_period[(obs.period_start, obs.period_end)].append(obs)
        own_areas = sorted({o.area for series in own.values() for o in series}, key=lambda a: (a.position, a.name))
        rows = []
        comparator_areas: dict[int, ComparatorArea] = {}
        for area in own_areas:
            series = own[area.pk]
            latest = series[-1]
            previous = series[-2] if len(series) > 1 else None
            baseline = baseline_of(series, settings.baseline_year)
            comparators = sorted(
                by_period.get((latest.period_start, latest.period_end), []),
                key=lambda o: (o.area.position, o.area.name),
            )
            own_figure = analysis.Figure.of(latest.value, latest.numerator, latest.denominator)
            cells = []
            for comp in comparators:
                comparator_areas[comp.area_id] = comp.area
                sig = analysis.significance(
                    own_figure,
                    analysis.Figure.of(comp.value, comp.numerator, comp.denominator),
                    test=indicator.test,
                    polarity=indicator.polarity,
                    multiplier=indicator.multiplier,
                    small_numerator=settings.small_numerator,
                    small_cohort=settings.small_cohort,
                    name=comp.area.name,
                )
                cells.append(
                    ComparatorCell(
                        comp.area, comp, analysis.format_value(comp.value, indicator.decimals, indicator.unit), sig
                    )
                )
            rows.append(
                AreaRow(
                    area=area,
                    latest=latest,
                    value_text=analysis.format_value(latest.value, indicator.decimals, indicator.unit),
                    previous=previous,
                    baseline=baseline,
                    direction=analysis.direction(
                        latest.value,
                        previous.value if previous else None,
                        indicator.polarity,
                        against=previous.label if previous and previous.label else "the previous period",
                    ),
                    baseline_direction=analysis.direction(
                        latest.value,
                        baseline.value if baseline else None,
                        indicator.polarity,
                        against=f"the baseline ({baseline.label})" if baseline and baseline.label else "the baseline",
                    ),
                    comparators=cells,
                    caution=analysis.is_small(
                        latest.numerator,
                        latest.denominator,
                        small_numerator=settings.small_numerator,
                        small_cohort=settings.small_cohort,
                    ),
                    lag=analysis.lag_text(latest.period_end, today),
                    lag_months=analysis.lag_months(latest.period_end, today),
                    change_significance=analysis.significance(
                        own_figure,
                        analysis.Figure.of(previous.value, previous.numerator, previous.denominator),
                        test=indicator.test,
                        polarity=indicator.polarity,
                        multiplier=indicator.multiplier,
                        small_numerator=settings.small_numerator,
                        small_cohort=settings.small_cohort,
                        name=previous.label or "the previous period",
                    )
                    if previous is not None and previous.numerator is not None
                    else None,
                )
            )
        # every row shows the same comparator columns, in the same order
        columns = sorted(comparator_areas.values(), key=lambda a: (a.position, a.name))
        for row in rows:
            present = {c.area.pk: c for c in row.comparators}
            row.comparators = [present.get(a.pk) or ComparatorCell(a, None, "No figure", None) for a in columns]
        summary.rows = rows
        summary.comparator_areas = columns
        summaries.append(summary)
    return summaries


@dataclass(frozen=True, slots=True)
class LightObservation:
    """The fields of an observation the dashboard reads: built from tuples, far cheaper than model instances."""

    pk: int
    indicator_id: int
    area: ComparatorArea
    period_start: date
    period_end: date
    label: str
    numerator: object
    denominator: object
    value: object
    source: str
    updated_at: object

    @property
    def area_id(self) -> int:
        return self.area.pk

    @property
    def is_illustrative(self) -> bool:
        return "illustrative" in self.source.lower()


LIGHT_FIELDS = (
    "pk",
    "indicator_id",
    "area_id",
    "period_start",
    "period_end",
    "label",
    "numerator",
    "denominator",
    "value",
    "source",
    "updated_at",
)


def light_observations(queryset, *, areas: dict[int, ComparatorArea]) -> list[LightObservation]:
    return [
        LightObservation(pk, ind, areas[area], start, end, label, num, den, value, source, updated)
        for pk, ind, area, start, end, label, num, den, value, source, updated in queryset.values_list(*LIGHT_FIELDS)
    ]


def dashboard(*, partnership: Partnership, today: date, codes: list[str] | None = None) -> dict:
    """Each key indicator (or the ``codes`` chosen): latest figure per own area, comparators, direction,
    significance and lag. Three queries whatever the number of figures."""
    settings = settings_of(partnership)
    indicators = indicators_for(partnership).filter(parent__isnull=True)
    indicators = indicators.filter(code__in=codes) if codes else indicators.filter(is_key=True)
    indicators = list(indicators.order_by("position", "code"))
    observations = light_observations(
        Observation.objects.filter(partnership=partnership, indicator__in=[i.pk for i in indicators]),
        areas={a.pk: a for a in areas_for(partnership)},
    )
    summaries = _summaries(partnership, indicators, observations, settings, today)
    return {"summaries": summaries, "settings": settings, "today": today}


def attention(*, partnership: Partnership, today: date) -> list[tuple[IndicatorSummary, AreaRow, str]]:
    """Key indicators worsening on the previous period or significantly worse than a comparator."""
    found = []
    for summary in dashboard(partnership=partnership, today=today)["summaries"]:
        for row in summary.rows:
            reasons = []
            if row.direction.is_worsening:
                reasons.append(row.direction.text)
            worse = [c.area.name for c in row.comparators if c.significance and c.significance.word == "worse"]
            if worse:
                reasons.append("Significantly worse than " + ", ".join(worse))
            if reasons:
                found.append((summary, row, "; ".join(reasons)))
    return found


# --- One indicator over time ----------------------------------------------------------------


@dataclass
class Series:
    area: ComparatorArea
    points: list[tuple[date, object]]  # (period end, value)


def indicator_history(*, partnership: Partnership, indicator: Indicator) -> dict:
    """Every figure of one indicator: periods (rows) × areas (columns), and one series per area."""
    observations = list(
        Observation.objects.filter(partnership=partnership, indicator=indicator)
        .select_related("area")
        .order_by("period_end", "period_start", "area__position", "area__name")
    )
    areas: dict[int, ComparatorArea] = {}
    periods: dict[tuple, dict] = {}
    for obs in observations:
        areas[obs.area_id] = obs.area
        key = (obs.period_start, obs.period_end)
        period = periods.setdefault(key, {"start": obs.period_start, "end": obs.period_end, "label": "", "cells": {}})
        period["label"] = period["label"] or obs.label
        period["cells"][obs.area_id] = obs
    columns = sorted(areas.values(), key=lambda a: (a.kind not in OWN_KINDS, a.position, a.name))
    rows = []
    for period in periods.values():
        cells = []
        for area in columns:
            obs = period["cells"].get(area.pk)
            cells.append(
                {
                    "observation": obs,
                    "text": analysis.format_value(obs.value, indicator.decimals, indicator.unit) if obs else "",
                }
            )
        label = period["label"] or f"{period['start']:%d %b %Y} to {period['end']:%d %b %Y}"
        illustrative = any(c["observation"] and c["observation"].is_illustrative for c in cells)
        rows.append(
            {
                "start": period["start"],
                "end": period["end"],
                "label": label,
                "cells": cells,
                "illustrative": illustrative,
            }
        )
    series = [
        Series(area, [(p["end"], p["cells"][area.pk].value) for p in periods.values() if area.pk in p["cells"]])
        for area in columns
    ]
    return {"indicator": indicator, "areas": columns, "rows": rows, "series": series, "observations": observations}


# --- The quarterly KPI return ---------------------------------------------------------------


def kpi_quarters(*, partnership: Partnership) -> list[tuple[date, date]]:
    return list(
        Observation.objects.filter(partnership=partnership, indicator__group=Group.KPI)
        .values_list("period_start", "period_end")
        .distinct()
        .order_by("-period_end", "-period_start")
    )


def kpi_return(*, partnership: Partnership, period_start: date | None, period_end: date | None) -> dict:
    """The ten KPIs with their sub-measures for one quarter, for the partnership's own areas."""
    settings = settings_of(partnership)
    kpis = list(
        indicators_for(partnership)
        .filter(group=Group.KPI, parent__isnull=True)
        .prefetch_related("sub_measures")
        .order_by("position")
    )
    observations = []
    if period_start and period_end:
        observations = list(
            Observation.objects.filter(
                partnership=partnership,
                indicator__group=Group.KPI,
                period_start=period_start,
                period_end=period_end,
                area__kind__in=OWN_KINDS,
            ).select_related("area")
        )
    by_indicator: dict[int, list[Observation]] = defaultdict(list)
    for obs in observations:
        by_indicator[obs.indicator_id].append(obs)
    rows = []
    for kpi in kpis:
        subs = []
        for sub in sorted(kpi.sub_measures.all(), key=lambda s: (s.position, s.code)):
            figures = sorted(by_indicator.get(sub.pk, []), key=lambda o: (o.area.position, o.area.name))
            subs.append(
                {
                    "indicator": sub,
                    "figures": [
                        {
                            "observation": o,
                            "area": o.area,
                            "value_text": analysis.suppress(o.value, enabled=settings.suppress_small_counts)
                            if sub.unit == "count"
                            else analysis.format_value(o.value, sub.decimals, sub.unit),
                            "numerator_text": analysis.suppress(o.numerator, enabled=settings.suppress_small_counts),
                            "denominator_text": analysis.suppress(
                                o.denominator, enabled=settings.suppress_small_counts
                            ),
                        }
                        for o in figures
                    ],
                }
            )
        rows.append({"kpi": kpi, "subs": subs})
    label = observations[0].label if observations else ""
    return {"kpis": rows, "period_start": period_start, "period_end": period_end, "label": label, "settings": settings}


# --- The grid ---------------------------------------------------------------------------------


def grid(*, partnership: Partnership, period_start: date, period_end: date, group: str) -> dict:
    """Indicators (rows) × areas (columns) for one period, with the figures already entered."""
    indicators = list(
        indicators_for(partnership)
        .filter(group=group)
        .exclude(group=Group.KPI, parent__isnull=True)
        .order_by("position", "code")
    )
    areas = list(relevant_areas(partnership).order_by("position", "name"))
    existing = {
        (o.indicator_id, o.area_id): o
        for o in Observation.objects.filter(
            partnership=partnership, period_start=period_start, period_end=period_end, indicator__in=indicators
        )
    }
    return {"indicators": indicators, "areas": areas, "existing": existing}


# --- Plain data (the dashboard, the plan block and its signed snapshot share it) ---------------


def _direction_dict(direction: analysis.Direction) -> dict:
    return {"word": direction.word, "text": direction.text, "tag": direction.tag}


def summary_dicts(summaries: list[IndicatorSummary]) -> list[dict]:
    """JSON-safe summaries: what the dashboard, the plan block and a rendition's snapshot all show."""
    result = []
    for summary in summaries:
        indicator = summary.indicator
        result.append(
            {
                "pk": indicator.pk,
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.get_unit_display(),
                "polarity": indicator.get_polarity_display(),
                "comparator_names": [a.name for a in summary.comparator_areas],
                "rows": [
                    {
                        "area": row.area.name,
                        "period": row.latest.label
                        or f"{row.latest.period_start:%d %b %Y} to {row.latest.period_end:%d %b %Y}",
                        "period_end": row.latest.period_end.isoformat(),
                        "value": row.value_text,
                        "illustrative": row.latest.is_illustrative,
                        "caution": row.caution,
                        "direction": _direction_dict(row.direction),
                        "change_significance": row.change_significance.text if row.change_significance else "",
                        "baseline": _direction_dict(row.baseline_direction),
                        "lag": row.lag,
                        "updated": f"{timezone.localtime(row.latest.updated_at):%-d %b %Y}",
                        "comparators": [
                            {
                                "name": cell.area.name,
                                "value": cell.value_text,
                                "significance": cell.significance.short if cell.significance else "No figure",
                                "significance_text": cell.significance.text if cell.significance else "",
                                "tag": cell.significance.tag if cell.significance else "grey",
                            }
                            for cell in row.comparators
                        ],
                    }
                    for row in summary.rows
                ],
            }
        )
    return result
