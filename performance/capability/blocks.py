"""The self-assessment's plan block, dashboard tile, PDF kind and audited models."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max
from django.http import Http404

from performance.capability import selectors
from performance.capability.models import (
    ActivityComment,
    ActivityResponse,
    AreaAssignment,
    Assessment,
    Gap,
    IndicatorCommentary,
    SignOff,
)
from yjplan.registry import Block, DocumentKind, Tile, registry


def summary_data(partnership, *, assessment=None, **options) -> dict:
    """The latest (or the chosen) assessment: area means, total and judgement, self-assessed beside validated."""
    return selectors.summary(partnership=partnership, assessment_id=int(assessment) if assessment else None)


registry.register_block(
    Block(
        key="performance.self_assessment_summary",
        title="Capacity and capability self-assessment",
        description="Each outcome area's mean score, the total and the judgement, self-assessed beside validated.",
        fetch=summary_data,
        template="performance/capability/blocks/summary.html",
        print_template="print/performance/capability_summary.html",
    )
)
registry.register_tile(
    Tile(
        key="performance.self_assessment",
        title="Self-assessment",
        template="performance/capability/tiles/summary.html",
        fetch=lambda partnership, membership: selectors.tile(partnership=partnership),
        order=31,
    )
)


def _assessment(partnership, params) -> Assessment:
    pk = str(params.get("p_assessment", ""))
    assessment = Assessment.objects.filter(partnership=partnership, pk=pk).first() if pk.isdigit() else None
    if assessment is None:
        raise Http404("No such self-assessment")
    return assessment


def _state(partnership, params) -> str:
    """Changes whenever anything printed changes: the latest save and the row count of each part."""
    assessment = _assessment(partnership, params)
    parts = [str(assessment.updated_at)]
    for model, path in (
        (ActivityResponse, "assessment"),
        (AreaAssignment, "assessment"),
        (Gap, "response__assessment"),
        (SignOff, "assessment"),
        (IndicatorCommentary, "assessment"),
    ):
        found = model.objects.filter(**{path: assessment}).aggregate(latest=Max("updated_at"), rows=Count("pk"))
        parts.append(f"{found['latest']}/{found['rows']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _pdf(job) -> str:
    from yjplan.documents import print_html

    assessment = _assessment(job.partnership, job.params)
    data = selectors.assessment_detail(assessment=assessment)
    tables = selectors.indicator_tables(partnership=job.partnership, assessment=assessment)
    return print_html(
        "print/performance/capability.html",
        partnership=job.partnership,
        title=job.title,
        context={**data, "tables": tables},
    )


def _title(partnership, params) -> str:
    return f"{partnership.name}: capacity and capability self-assessment {_assessment(partnership, params).year}"


registry.register_document(DocumentKind(key="performance.capability", title=_title, state=_state, build=_pdf))

registry.register_audited(Assessment)
for _model in (ActivityResponse, AreaAssignment, IndicatorCommentary, SignOff):
    registry.register_audited(_model, partnership_field="assessment__partnership")
for _model in (Gap, ActivityComment):
    registry.register_audited(_model, partnership_field="response__assessment__partnership")
