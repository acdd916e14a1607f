"""Every write of the National Standards self-audit and HMIP inspections: keyword-only, validated, atomic."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from performance.standards.models import (
    HMIP_STANDARDS,
    AssessmentComment,
    Grade,
    Inspection,
    InspectionRating,
    Rating,
    Recommendation,
    Standard,
    StandardGrade,
    StandardsAudit,
)
from yjplan.models import Membership, Partnership
from yjplan.registry import registry
from yjplan.services import Conflict, version_check

__all__ = ["Conflict"]

GRADE_FIELDS = ["operational", "strategic", "evidence", "sample", "sample_size"]
INSPECTION_FIELDS = ["title", "inspected_on", "published_on", "overall", "report_url", "summary"]


def rating_field(code: str) -> str:
    """The form field (and error key) of an HMIP standard's rating: ``rating_1_1`` for 1.1."""
    return "rating_" + code.replace(".", "_")


def _choice(value, choices, field: str, label: str, errors: dict) -> str:
    value = (value or "").strip()
    if value and value not in choices.values:
        errors[field] = f"{label} must be one of: " + ", ".join(str(c.label).lower() for c in choices)
    return value


# --- Self-audit ---------------------------------------------------------------------------------------------


@transaction.atomic
def audit_create(*, partnership: Partnership, year: int, conducted: str = "", summary: str = "") -> StandardsAudit:
    """A new self-audit with its five standards, ungraded."""
    if not 2019 <= int(year) <= 2100:
        raise ValidationError({"year": "Year must be 2019 or later: the National Standards were published in 2019"})
    if StandardsAudit.objects.filter(partnership=partnership, year=year).exists():
        raise ValidationError({"year": f"There is already a self-audit for {year}"})
    try:
        with transaction.atomic():
            audit = StandardsAudit.objects.create(
                partnership=partnership, year=year, conducted=conducted.strip(), summary=summary.strip()
            )
    except IntegrityError:
        raise ValidationError({"year": f"There is already a self-audit for {year}"}) from None
    bulk_create_with_history([StandardGrade(audit=audit, standard=s) for s in Standard.values], StandardGrade)
    return audit


@transaction.atomic
def audit_update(*, audit: StandardsAudit, conducted: str, summary: str, version: str | None = None) -> StandardsAudit:
    audit = StandardsAudit.objects.select_for_update().get(pk=audit.pk)
    version_check(
        audit,
        version,
        theirs={"conducted": audit.conducted, "summary": audit.summary},
        yours={"conducted": conducted, "summary": summary},
    )
    audit.conducted, audit.summary = conducted.strip(), summary.strip()
    audit.save()
    return audit


@transaction.atomic
def grade_update(*, grade: StandardGrade, data: dict, version: str | None = None) -> StandardGrade:
    """Grade one standard. Every field is checked before anything is written."""
    grade = StandardGrade.objects.select_for_update().get(pk=grade.pk)
    errors: dict[str, str] = {}
    operational = _choice(data.get("operational"), Grade, "operational", "The operational grade", errors)
    strategic = _choice(data.get("strategic"), Grade, "strategic", "The strategic grade", errors)
    size = data.get("sample_size")
    if size is not None and size != "":
        try:
            size = int(size)
        except (TypeError, ValueError):
            size = -1
        if size < 0:
            errors["sample_size"] = "Number of cases audited must be a whole number, like 12"
    else:
        size = None
    if errors:
        raise ValidationError(errors)
    version_check(
        grade,
        version,
        theirs={f: getattr(grade, f) for f in GRADE_FIELDS},
        yours={**{f: data.get(f) for f in GRADE_FIELDS}, "sample_size": size},
    )
    grade.operational, grade.strategic = operational, strategic
    grade.evidence = (data.get("evidence") or "").strip()
    grade.sample = (data.get("sample") or "").strip()
    grade.sample_size = size
    grade.save()
    return grade


def _lead(partnership: Partnership, lead) -> Membership | None:
    if lead in (None, ""):
        return None
    pk = lead.pk if isinstance(lead, Membership) else lead
    found = Membership.objects.filter(partnership=partnership, pk=pk).first()
    if found is None:
        raise ValidationError({"lead": "Choose a lead from the partnership's members"})
    return found


def _creator():
    creator = registry.action_creator()
    if creator is None:
        raise ValidationError("The action tracker is not installed: no action can be created")
    return creator


@transaction.atomic
def grade_raise_action(
    *,
    grade: StandardGrade,
    title: str,
    detail: str = "",
    lead=None,
    target_date: dt.date | None = None,
    requested_by=None,
) -> str:
    """Create a tracked action (source: National Standards audit) for a standard and link it; returns its reference."""
    grade = StandardGrade.objects.select_for_update().select_related("audit__partnership").get(pk=grade.pk)
    partnership = grade.audit.partnership
    if not title.strip():
        raise ValidationError({"title": "Enter what the action is"})
    lead = _lead(partnership, lead)
    reference = _creator().create(
        partnership,
        title=title.strip(),
        detail=detail.strip(),
        source="national_standards",
        source_reference=f"Standard {grade.standard}: {grade.get_standard_display()} ({grade.audit.year} self-audit)",
        source_url=reverse("performance:standards_audit", kwargs={"slug": partnership.slug, "pk": grade.audit_id})
        + f"#standard-{grade.standard}",
        lead=lead,
        target_date=target_date,
        requested_by=requested_by,
    )
    grade.action_references = [*grade.action_references, reference]
    grade.save(update_fields=["action_references", "updated_at"])
    return reference


# --- Inspections --------------------------------------------------------------------------------------------


def _clean_inspection(data: dict, ratings: dict | None) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    clean = {
        "title": (data.get("title") or "").strip(),
        "inspected_on": data.get("inspected_on"),
        "published_on": data.get("published_on"),
        "report_url": (data.get("report_url") or "").strip(),
        "summary": (data.get("summary") or "").strip(),
    }
    if not clean["title"]:
        errors["title"] = "Enter the name of the inspection"
    if not isinstance(clean["inspected_on"], dt.date):
        errors["inspected_on"] = "Enter the date of the inspection"
    published = clean["published_on"]
    if published and isinstance(clean["inspected_on"], dt.date) and published < clean["inspected_on"]:
        errors["published_on"] = "The report must be published on or after the inspection"
    clean["overall"] = _choice(data.get("overall"), Rating, "overall", "The overall rating", errors)
    codes = {code for code, _ in HMIP_STANDARDS}
    clean_ratings = {}
    for code, value in (ratings or {}).items():
        field = rating_field(code)
        if code not in codes:
            errors[field] = f"There is no HMIP standard {code}"
            continue
        clean_ratings[code] = _choice(value, Rating, field, f"The rating of standard {code}", errors)
    if errors:
        raise ValidationError(errors)
    return clean, clean_ratings


@transaction.atomic
def inspection_create(*, partnership: Partnership, data: dict, ratings: dict | None = None) -> Inspection:
    """An inspection with a row for every HMIP standard (rated where ``ratings`` says)."""
    clean, clean_ratings = _clean_inspection(data, ratings)
    inspection = Inspection.objects.create(partnership=partnership, **clean)
    bulk_create_with_history(
        [
            InspectionRating(
                inspection=inspection, code=code, name=name, rating=clean_ratings.get(code, ""), position=i
            )
            for i, (code, name) in enumerate(HMIP_STANDARDS)
        ],
        InspectionRating,
    )
    return inspection


@transaction.atomic
def inspection_update(
    *, inspection: Inspection, data: dict, ratings: dict | None = None, version: str | None = None
) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    clean, clean_ratings = _clean_inspection(data, ratings)
    current = {r.code: r for r in inspection.ratings.all()}
    version_check(
        inspection,
        version,
        theirs={**{f: getattr(inspection, f) for f in INSPECTION_FIELDS}, **{c: r.rating for c, r in current.items()}},
        yours={**clean, **clean_ratings},
    )
    for field, value in clean.items():
        setattr(inspection, field, value)
    inspection.save()
    for position, (code, name) in enumerate(HMIP_STANDARDS):
        value = clean_ratings.get(code, current[code].rating if code in current else "")
        row = current.get(code)
        if row is None:
            InspectionRating.objects.create(
                inspection=inspection, code=code, name=name, rating=value, position=position
            )
        elif row.rating != value:
            row.rating = value
            row.save()
    return inspection


@transaction.atomic
def recommendation_add(*, inspection: Inspection, text: str) -> Recommendation:
    """The next numbered recommendation."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation"})
    last = inspection.recommendations.order_by("-number").values_list("number", flat=True).first() or 0
    return Recommendation.objects.create(inspection=inspection, number=last + 1, text=text.strip())


def _recommendation_action(recommendation: Recommendation, *, lead, target_date, requested_by) -> str:
    inspection = recommendation.inspection
    partnership = inspection.partnership
    reference = _creator().create(
        partnership,
        title=recommendation.text,
        detail=f"Recommendation {recommendation.number} of {inspection}.",
        source="hmip",
        source_reference=f"HMIP {inspection.inspected_on:%B %Y}, recommendation {recommendation.number}",
        source_url=reverse("performance:inspection", kwargs={"slug": partnership.slug, "pk": inspection.pk})
        + f"#recommendation-{recommendation.number}",
        lead=lead,
        target_date=target_date,
        requested_by=requested_by,
    )[:60]
    recommendation.action_reference = reference
    recommendation.save(update_fields=["action_reference", "updated_at"])
    return reference


@transaction.atomic
def recommendation_create_action(
    *, recommendation: Recommendation, lead=None, target_date: dt.date | None = None, requested_by=None
) -> tuple[str, bool]:
    """Turn one recommendation into a tracked action (source: HMIP). Returns ``(reference, created)``;
    a recommendation that already has its action keeps it: nothing new is made."""
    Inspection.objects.select_for_update().get(pk=recommendation.inspection_id)
    recommendation = Recommendation.objects.select_related("inspection__partnership").get(pk=recommendation.pk)
    if recommendation.action_reference:
        return recommendation.action_reference, False
    lead = _lead(recommendation.inspection.partnership, lead)
    return _recommendation_action(recommendation, lead=lead, target_date=target_date, requested_by=requested_by), True


@transaction.atomic
def recommendations_create_actions(*, inspection: Inspection, requested_by=None) -> list[str]:
    """Turn every recommendation without an action into one; returns the new references (none twice)."""
    inspection = Inspection.objects.select_for_update().select_related("partnership").get(pk=inspection.pk)
    made = []
    for recommendation in inspection.recommendations.filter(action_reference="").order_by("number"):
        recommendation.inspection = inspection
        made.append(_recommendation_action(recommendation, lead=None, target_date=None, requested_by=requested_by))
    return made


# --- Comments -----------------------------------------------------------------------------------------------


@transaction.atomic
def comment_add(
    *, author, text: str, audit: StandardsAudit | None = None, inspection: Inspection | None = None
) -> AssessmentComment:
    if (audit is None) == (inspection is None):
        raise ValueError("A comment is on an audit or on an inspection")
    if not text.strip():
        raise ValidationError({"text": "Enter your comment"})
    if len(text) > 5000:
        raise ValidationError({"text": "Comment must be 5,000 characters or fewer"})
    subject = audit or inspection
    return AssessmentComment.objects.create(
        partnership_id=subject.partnership_id, audit=audit, inspection=inspection, author=author, text=text.strip()
    )
