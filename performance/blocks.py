"""The performance spoke's plan blocks, dashboard tile, navigation entry, attention source and audited models."""

from __future__ import annotations

import hashlib
import json

from django.urls import reverse
from django.utils import timezone

from performance import metrics, selectors
from performance.models import ComparatorArea, Indicator, Observation, PerformanceSettings
from yjplan.registry import (
    Attention,
    Block,
    BlockOption,
    DocumentKind,
    MetricProvider,
    NavItem,
    PlanCheck,
    Tile,
    registry,
)


def indicator_summary_data(partnership, *, codes=None, today=None, **options) -> dict:
    """The chosen indicators (the key ones by default): latest period, comparators, direction, significance."""
    today = today or timezone.localdate()
    data = selectors.dashboard(partnership=partnership, today=today, codes=codes or None)
    return {"today": today.isoformat(), "summaries": selectors.summary_dicts(data["summaries"])}


def indicator_chart_data(partnership, *, code="FTE", **options) -> dict:
    """One indicator over time as an SVG chart, with the same figures as a table."""
    from performance.views import indicator_chart

    indicator = selectors.indicators_for(partnership).filter(code=code).order_by("partnership_id").first()
    if indicator is None:
        return {"code": code, "name": code, "svg": "", "areas": [], "rows": []}
    history = selectors.indicator_history(partnership=partnership, indicator=indicator)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.get_unit_display(),
        "svg": indicator_chart(history, chart_id=f"chart-{indicator.code.lower()}"),
        "areas": [a.name for a in history["areas"]],
        "rows": [
            {"label": row["label"], "illustrative": row["illustrative"], "cells": [c["text"] for c in row["cells"]]}
            for row in history["rows"]
        ],
    }


def _indicators(partnership) -> list[tuple[str, str]]:
    return list(selectors.indicators_for(partnership).order_by("name", "code").values_list("code", "name"))


registry.register_block(
    Block(
        key="performance.indicator_summary",
        title="Performance against comparators",
        description="The latest figure of each chosen indicator beside its comparators, with direction of travel "
        "and significance.",
        fetch=indicator_summary_data,
        template="performance/blocks/indicator_summary.html",
        print_template="print/performance/indicator_summary.html",
        option_fields=(
            BlockOption(
                "codes",
                "Indicators",
                kind="checkboxes",
                choices=_indicators,
                hint="Leave all unticked for the key indicators.",
            ),
        ),
    )
)
registry.register_block(
    Block(
        key="performance.indicator_chart",
        title="Indicator chart",
        description="One indicator over time against its comparators: a chart and the same figures as a table.",
        fetch=indicator_chart_data,
        template="performance/blocks/indicator_chart.html",
        print_template="print/performance/indicator_chart.html",
        options={"code": "FTE"},
        option_fields=(
            BlockOption("code", "Indicator", choices=_indicators, default_label="First-time entrants (the default)"),
        ),
    )
)


def _tile(partnership, membership) -> dict:
    data = selectors.dashboard(partnership=partnership, today=timezone.localdate())
    rows = [(s, r) for s in data["summaries"] for r in s.rows]
    return {
        "figures": len(rows),
        "worsening": sum(1 for _, r in rows if r.direction.is_worsening),
        "worse": sum(
            1 for _, r in rows if any(c.significance and c.significance.word == "worse" for c in r.comparators)
        ),
        "better": sum(
            1 for _, r in rows if any(c.significance and c.significance.word == "better" for c in r.comparators)
        ),
    }


registry.register_tile(
    Tile(
        key="performance.summary", title="Performance", template="performance/tiles/summary.html", fetch=_tile, order=30
    )
)
registry.register_nav(
    NavItem(key="performance.dashboard", label="Performance", url_name="performance:dashboard", order=30)
)


def _attention(partnership, since=None) -> list[dict]:
    url = reverse("performance:dashboard", kwargs={"slug": partnership.slug})
    items = []
    for summary, row, reason in selectors.attention(partnership=partnership, today=timezone.localdate()):
        worse = any(c.significance and c.significance.word == "worse" for c in row.comparators)
        items.append(
            {
                "title": f"{summary.indicator.name}: {row.area.name}",
                "detail": f"{row.value_text} ({row.latest.label or row.latest.period_end}). {reason}.",
                "url": f"{url}#indicator-{summary.indicator.code.lower()}",
                "kind": "indicator",
                "severity": "high" if worse else "medium",
            }
        )
    return items


registry.register_attention(
    Attention(
        key="performance.indicators", title="Indicators worsening or worse than comparators", fetch=_attention, order=30
    )
)


def _report_data(partnership) -> dict:
    summary = indicator_summary_data(partnership)
    charts = [indicator_chart_data(partnership, code=s["code"]) for s in summary["summaries"] if s["rows"]]
    return {"summary": summary, "charts": charts}


def _report_state(partnership, params) -> str:
    data = _report_data(partnership)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _report_pdf(job) -> str:
    from yjplan.documents import print_html

    data = _report_data(job.partnership)
    summary = registry.block("performance.indicator_summary")
    chart = registry.block("performance.indicator_chart")
    return print_html(
        "print/performance/report.html",
        partnership=job.partnership,
        title=job.title,
        context={
            "summary": summary.render(data["summary"], media="print"),
            "charts": [{"name": c["name"], "html": chart.render(c, media="print")} for c in data["charts"]],
        },
    )


registry.register_document(
    DocumentKind(
        key="performance.report",
        title=lambda partnership, params: f"{partnership.name}: performance against comparators",
        state=_report_state,
        build=_report_pdf,
    )
)

for _model in (Observation, PerformanceSettings, ComparatorArea, Indicator):
    registry.register_audited(_model)

__all__ = ["indicator_chart_data", "indicator_summary_data"]


def plan_checks(partnership, *, first_year: int, markers: list) -> list[dict]:
    """The partnership's own key indicator figures are no older than PLAN_INDICATOR_MAX_AGE_MONTHS."""
    from django.conf import settings
    from django.db.models import Max

    from performance.analysis import lag_months
    from performance.models import OWN_KINDS

    limit = getattr(settings, "PLAN_INDICATOR_MAX_AGE_MONTHS", 18)
    latest = (
        Observation.objects.filter(partnership=partnership, area__kind__in=OWN_KINDS, indicator__is_key=True)
        .values("indicator__name")
        .annotate(end=Max("period_end"))
        .order_by("indicator__name")
    )
    today = timezone.localdate()
    old = [row["indicator__name"] for row in latest if lag_months(row["end"], today) > limit]
    if not latest:
        return [{"done": False, "text": "Indicator figures are entered", "hint": "No figures for the key indicators"}]
    return [
        {
            "done": not old,
            "text": f"Indicator figures are no older than {limit} months",
            "hint": f"Older: {', '.join(old)}" if old else "",
        }
    ]


registry.register_plan_check(PlanCheck(key="performance.fresh", check=plan_checks, order=30))
registry.register_metric_provider(MetricProvider(key="performance.counts", fetch=metrics.yearly_counts))
