"""Helpers for the self-assessment tests: the framework from its reference fixture, and scored assessments."""

from django.core.management import call_command

from performance.capability import services
from performance.capability.models import Assessment, CriticalActivity

FIXTURE = "fixtures/reference/capability_framework.json"
AREA_SIZES = [4, 4, 3, 3, 3, 4, 3, 3, 3]  # activities per outcome area, as seed 001 numbers them


def load_framework() -> None:
    if not CriticalActivity.objects.exists():
        call_command("loaddata", FIXTURE, verbosity=0)


def make_assessment(partnership, *, year: int = 2010) -> Assessment:
    load_framework()
    return services.assessment_create(partnership=partnership, year=year)


def score(assessment: Assessment, by, areas: list[list], field: str = "self_score") -> Assessment:
    """Score every activity: ``areas`` is, for each outcome area in order, the scores of its activities."""
    responses = list(
        assessment.responses.select_related("activity__area").order_by("activity__area__number", "activity__position")
    )
    flat = [s for scores in areas for s in scores]
    assert len(flat) == len(responses) == 30
    for response, value in zip(responses, flat, strict=True):
        services.response_update(response=response, by=by, **{field: "" if value is None else value})
    return assessment
