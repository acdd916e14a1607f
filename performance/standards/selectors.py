"""Reads of the National Standards self-audit and HMIP inspections, each with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from performance.standards.models import (
    WEAK,
    AssessmentComment,
    Grade,
    Inspection,
    InspectionRating,
    Rating,
    Recommendation,
    StandardGrade,
    StandardsAudit,
)


def audits_for(partnership):
    return StandardsAudit.objects.filter(partnership=partnership).annotate(
        graded=Count("grades", filter=~Q(grades__operational="") & ~Q(grades__strategic="")),
        weak=Count("grades", filter=Q(grades__operational__in=WEAK) | Q(grades__strategic__in=WEAK), distinct=True),
    )


def inspections_for(partnership):
    return Inspection.objects.filter(partnership=partnership).annotate(
        recommendation_count=Count("recommendations", distinct=True),
        open_count=Count("recommendations", filter=Q(recommendations__action_reference=""), distinct=True),
    )


def overview(*, partnership) -> dict:
    return {"audits": list(audits_for(partnership)), "inspections": list(inspections_for(partnership))}


def _comments():
    return Prefetch("comments", queryset=AssessmentComment.objects.select_related("author"))


def audit_detail(*, partnership, pk: int) -> StandardsAudit:
    """Raises StandardsAudit.DoesNotExist for another partnership's audit."""
    return (
        StandardsAudit.objects.filter(partnership=partnership)
        .prefetch_related(Prefetch("grades", queryset=StandardGrade.objects.order_by("standard")), _comments())
        .get(pk=pk)
    )


def grade_for(*, partnership, pk: int) -> StandardGrade:
    return StandardGrade.objects.select_related("audit").get(audit__partnership=partnership, pk=pk)


def inspection_detail(*, partnership, pk: int) -> Inspection:
    return (
        Inspection.objects.filter(partnership=partnership)
        .prefetch_related(
            Prefetch("ratings", queryset=InspectionRating.objects.order_by("position")),
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("number")),
            _comments(),
        )
        .get(pk=pk)
    )


def recommendation_for(*, partnership, pk: int) -> Recommendation:
    return Recommendation.objects.select_related("inspection").get(inspection__partnership=partnership, pk=pk)


def _grade_dict(grade: StandardGrade) -> dict:
    return {
        "number": grade.standard,
        "name": grade.get_standard_display(),
        "operational": grade.get_operational_display() if grade.operational else "Not graded",
        "strategic": grade.get_strategic_display() if grade.strategic else "Not graded",
        "weak": grade.operational in WEAK or grade.strategic in WEAK,
        "actions": list(grade.action_references),
    }


def latest_grades(*, partnership) -> dict:
    """The latest self-audit's grades and the latest inspection's ratings, JSON-safe (a block's snapshot)."""
    audit = (
        StandardsAudit.objects.filter(partnership=partnership)
        .prefetch_related(Prefetch("grades", queryset=StandardGrade.objects.order_by("standard")))
        .order_by("-year")
        .first()
    )
    inspection = (
        Inspection.objects.filter(partnership=partnership)
        .prefetch_related(
            Prefetch("ratings", queryset=InspectionRating.objects.exclude(rating="").order_by("position"))
        )
        .order_by("-inspected_on", "-pk")
        .first()
    )
    data: dict = {"audit": None, "inspection": None}
    if audit is not None:
        grades = [_grade_dict(g) for g in audit.grades.all()]
        data["audit"] = {
            "year": audit.year,
            "conducted": audit.conducted,
            "standards": grades,
            "weak": sum(1 for g in grades if g["weak"]),
        }
    if inspection is not None:
        data["inspection"] = {
            "title": inspection.title,
            "inspected_on": inspection.inspected_on.isoformat(),
            "date": f"{inspection.inspected_on:%-d %B %Y}",
            "overall": inspection.get_overall_display() if inspection.overall else "Not rated",
            "ratings": [
                {"code": r.code, "name": r.name, "rating": r.get_rating_display()} for r in inspection.ratings.all()
            ],
        }
    return data


GRADE_WORDS = {g.value: str(g.label) for g in Grade} | {r.value: str(r.label) for r in Rating}
