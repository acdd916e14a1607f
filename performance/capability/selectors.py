"""Reads for the self-assessment pages and blocks, each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse

from performance import analysis
from performance.capability import scoring
from performance.capability.models import (
    SCORE_WORDS,
    ActivityComment,
    ActivityResponse,
    AreaAssignment,
    Assessment,
    Gap,
    IndicatorCommentary,
    OutcomeArea,
)
from performance.models import OWN_KINDS, AreaKind, Indicator, Observation
from performance.selectors import areas_for, indicators_for, light_observations
from yjplan.models import Membership, Partnership
from yjplan.registry import registry


def assessment_for(partnership: Partnership, pk) -> Assessment | None:
    return Assessment.objects.filter(partnership=partnership, pk=pk).first()


def response_for(partnership: Partnership, pk) -> ActivityResponse | None:
    return (
        ActivityResponse.objects.select_related("assessment", "activity__area")
        .filter(assessment__partnership=partnership, pk=pk)
        .first()
    )


def tracker_url(partnership: Partnership) -> str:
    """The action tracker filtered to self-assessment gaps, found through the registry (spokes do not import
    each other); empty when no tracker is installed."""
    item = registry.nav.get("actions.tracker")
    if item is None:
        return ""
    return reverse(item.url_name, kwargs={"slug": partnership.slug}) + "?source=self_assessment"


def members(partnership: Partnership) -> list[Membership]:
    return list(Membership.objects.filter(partnership=partnership).select_related("user").order_by("user__full_name"))


def _judgements(rows) -> tuple[scoring.Judgement, scoring.Judgement]:
    """``rows``: (area number, self score, validated score) for every activity of one assessment."""
    self_by_area, valid_by_area = defaultdict(list), defaultdict(list)
    for number, own, valid in rows:
        self_by_area[number].append(own)
        valid_by_area[number].append(valid)
    numbers = sorted(self_by_area)
    return (
        scoring.judge([self_by_area[n] for n in numbers]),
        scoring.judge([valid_by_area[n] for n in numbers]),
    )


@dataclass
class Listed:
    assessment: Assessment
    self_judgement: scoring.Judgement
    validated_judgement: scoring.Judgement


def assessment_list(*, partnership: Partnership) -> list[Listed]:
    """Every assessment of the partnership, newest first, with progress and both judgements. Two queries."""
    assessments = list(Assessment.objects.filter(partnership=partnership).order_by("-year"))
    rows = defaultdict(list)
    for assessment_id, number, own, valid in ActivityResponse.objects.filter(
        assessment__in=[a.pk for a in assessments]
    ).values_list("assessment_id", "activity__area__number", "self_score", "validated_score"):
        rows[assessment_id].append((number, own, valid))
    return [Listed(a, *_judgements(rows[a.pk])) for a in assessments]


@dataclass
class AreaView:
    area: OutcomeArea
    assignment: AreaAssignment
    responses: list[ActivityResponse] = field(default_factory=list)
    self_score: scoring.AreaScore | None = None
    validated_score: scoring.AreaScore | None = None
    can_edit: bool = False


def assessment_detail(*, assessment: Assessment, membership: Membership | None = None) -> dict:
    """The whole assessment: areas with their activities, scores, gaps and comment counts; both judgements;
    the sign-off list. Six queries whatever the number of gaps and comments."""
    from performance.capability.services import can_edit_area

    assignments = list(
        AreaAssignment.objects.filter(assessment=assessment).select_related("area", "assignee__user", "assessment")
    )
    responses = list(ActivityResponse.objects.filter(assessment=assessment).select_related("activity"))
    # By the responses' ids, not a join on the assessment: PostgreSQL then reads the few rows through the
    # response_id indexes instead of hashing every partnership's comments and gaps (7 ms → under 1 ms).
    ids = [response.pk for response in responses]
    gaps = defaultdict(list)
    for gap in Gap.objects.filter(response_id__in=ids).select_related("owner__user"):
        gaps[gap.response_id].append(gap)
    comments = dict(
        ActivityComment.objects.filter(response_id__in=ids)
        .values("response_id")
        .annotate(n=Count("id"))
        .values_list("response_id", "n")
        .order_by()
    )
    by_area = defaultdict(list)
    for response in responses:
        response.gap_list = gaps.get(response.pk, [])
        response.comment_count = comments.get(response.pk, 0)
        response.self_word = SCORE_WORDS.get(response.self_score, "")
        response.validated_word = SCORE_WORDS.get(response.validated_score, "")
        by_area[response.activity.area_id].append(response)
    areas = []
    for assignment in assignments:
        area_responses = by_area.get(assignment.area_id, [])
        areas.append(
            AreaView(
                area=assignment.area,
                assignment=assignment,
                responses=area_responses,
                self_score=scoring.area_score([r.self_score for r in area_responses]),
                validated_score=scoring.area_score([r.validated_score for r in area_responses]),
                can_edit=membership is not None and can_edit_area(membership, assignment),
            )
        )
    return {
        "assessment": assessment,
        "areas": areas,
        "self_judgement": scoring.Judgement([a.self_score for a in areas]),
        "validated_judgement": scoring.Judgement([a.validated_score for a in areas]),
        "gaps": [g for r in responses for g in r.gap_list],
        "signoffs": list(assessment.signoffs.all()),
        "bands": scoring.BANDS,
    }


def response_detail(*, response: ActivityResponse) -> dict:
    """One activity: its assignment, comments (with authors) and gaps. Three queries."""
    assignment = AreaAssignment.objects.select_related("assignee__user", "assessment").get(
        assessment_id=response.assessment_id, area_id=response.activity.area_id
    )
    comments = list(response.comments.select_related("author__user"))
    gaps = list(response.gaps.select_related("owner__user"))
    return {"response": response, "assignment": assignment, "comments": comments, "gaps": gaps}


def summary(*, partnership: Partnership, assessment_id: int | None = None) -> dict:
    """The block's data: the chosen (or latest) assessment's area means and both judgements, as plain values."""
    queryset = Assessment.objects.filter(partnership=partnership)
    assessment = (queryset.filter(pk=assessment_id) if assessment_id else queryset).order_by("-year").first()
    if assessment is None:
        return {"year": None, "areas": []}
    rows = list(
        ActivityResponse.objects.filter(assessment=assessment).values_list(
            "activity__area__number", "activity__area__title", "self_score", "validated_score"
        )
    )
    titles = {number: title for number, title, _, _ in rows}
    own, valid = _judgements([(n, s, v) for n, _, s, v in rows])

    def text(value):
        return "" if value is None else f"{value}"

    return {
        "year": assessment.year,
        "pk": assessment.pk,
        "scored": own.scored,
        "activities": own.activities,
        "validated_scored": valid.scored,
        "areas": [
            {
                "number": number,
                "title": titles[number],
                "self_mean": text(a.mean_shown),
                "validated_mean": text(b.mean_shown),
                "self_scored": a.scored,
                "activities": a.activities,
            }
            for number, a, b in zip(sorted(titles), own.areas, valid.areas, strict=True)
        ],
        "self_total": text(own.total_shown),
        "validated_total": text(valid.total_shown),
        "self_judgement": own.word,
        "validated_judgement": valid.word,
        "self_tag": own.tag,
        "validated_tag": valid.tag,
    }


@dataclass
class IndicatorTable:
    indicator: Indicator
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    commentary: str


COMPARATOR_PREFERENCE = [
    AreaKind.FAMILY,
    AreaKind.REGION,
    AreaKind.ENGLAND,
    AreaKind.WALES,
    AreaKind.POLICE,
    AreaKind.OTHER,
]


def _period(obs) -> str:
    return obs.label or f"{obs.period_start:%b %Y} to {obs.period_end:%b %Y}"


def _table(indicator: Indicator, found: list) -> IndicatorTable:
    """One indicator: the latest and the earliest period of the partnership's own figures; a column for each own
    area (the partnership, or each council of a joint service) and one for the preferred comparator."""
    own = [o for o in found if o.area.kind == AreaKind.PARTNERSHIP]
    own = own or [o for o in found if o.area.kind in OWN_KINDS]
    if not own:
        return IndicatorTable(indicator, ["", "Comparator"], [], "")
    latest_end, base_end = own[-1].period_end, own[0].period_end
    own_areas = sorted({o.area for o in own}, key=lambda a: (a.position, a.name))
    same = {o.area.kind: o.area for o in found if o.area.kind not in OWN_KINDS and o.period_end == latest_end}
    comparator = next((same[k] for k in COMPARATOR_PREFERENCE if k in same), None)
    columns = [*own_areas, comparator] if comparator else own_areas
    at = {(o.area.pk, o.period_end): o for o in found}

    def fmt(area, end):
        obs = at.get((area.pk, end))
        return analysis.format_value(obs.value, indicator.decimals, indicator.unit) if obs else "No figure"

    def change(area):
        latest, base = at.get((area.pk, latest_end)), at.get((area.pk, base_end))
        value = analysis.percent_change(latest.value, base.value) if latest and base else None
        return "No figure" if value is None else f"{value:+}%"

    latest_label = next(_period(o) for o in reversed(own) if o.period_end == latest_end)
    rows = [(f"Latest: {latest_label}", [fmt(a, latest_end) for a in columns])]
    if base_end != latest_end:
        base_label = next(_period(o) for o in own if o.period_end == base_end)
        rows.append((f"Baseline: {base_label}", [fmt(a, base_end) for a in columns]))
        rows.append(("% change: baseline to latest", [change(a) for a in columns]))
    names = [a.name for a in columns] + ([] if comparator else ["Comparator"])
    if not comparator:
        rows = [(label, [*cells, "No figure"]) for label, cells in rows]
    return IndicatorTable(indicator, names, rows, "")


def indicator_tables(*, partnership: Partnership, assessment: Assessment) -> list[IndicatorTable]:
    """Seed 001 section 1: for each key national indicator, the partnership beside its YOT family (or the nearest
    comparator recorded): latest figure, baseline (the earliest figure) and % change. Four queries."""
    indicators = list(
        indicators_for(partnership)
        .filter(parent__isnull=True, is_key=True, partnership__isnull=True)
        .order_by("position", "code")
    )
    areas = {a.pk: a for a in areas_for(partnership)}
    observations = light_observations(
        Observation.objects.filter(partnership=partnership, indicator__in=[i.pk for i in indicators]), areas=areas
    )
    comments = dict(IndicatorCommentary.objects.filter(assessment=assessment).values_list("indicator_id", "text"))
    by_indicator = defaultdict(list)
    for obs in observations:
        by_indicator[obs.indicator_id].append(obs)
    tables = [
        _table(indicator, sorted(by_indicator.get(indicator.pk, []), key=lambda o: (o.period_end, o.period_start)))
        for indicator in indicators
    ]
    for table in tables:
        table.commentary = comments.get(table.indicator.pk, "")
        if not table.rows:
            table.columns[0] = partnership.name
    return tables


def tile(*, partnership: Partnership) -> dict:
    """The latest assessment's progress and judgements for the dashboard tile. Two queries."""
    return summary(partnership=partnership)
