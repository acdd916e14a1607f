"""Every write of the self-assessment: keyword-only, validated, atomic. Nothing is saved half-way."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from performance.capability.models import (
    ActivityComment,
    ActivityResponse,
    AreaAssignment,
    Assessment,
    CriticalActivity,
    Gap,
    IndicatorCommentary,
    OutcomeArea,
    SignOff,
)
from performance.models import Indicator
from yjplan.models import Membership, Partnership
from yjplan.registry import registry
from yjplan.services import version_check

EVIDENCE_MAX = 20_000
MIN_YEAR, MAX_YEAR = 2000, 2100


def can_edit_area(membership: Membership, assignment: AreaAssignment) -> bool:
    """Managers edit every area; the person an outcome area is assigned to edits that area, whatever their role."""
    if membership.partnership_id != assignment.assessment.partnership_id:
        return False
    return membership.can("assessments.edit") or assignment.assignee_id == membership.pk


def can_validate(membership: Membership) -> bool:
    return membership.can("assessments.validate")


def parse_score(value, field: str, label: str, errors: dict) -> int | None:
    """A score is empty (not scored yet) or a whole number from 0 to 3."""
    if value is None or str(value).strip() == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if not 0 <= number <= 3:
        errors[field] = f"{label} must be 0 (poor), 1 (adequate), 2 (good) or 3 (excellent)"
        return None
    return number


@transaction.atomic
def assessment_create(*, partnership: Partnership, year) -> Assessment:
    """A new assessment with an empty response for every critical activity and an unassigned row per area."""
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise ValidationError({"year": "Enter the year as a number, like 2010"}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": f"Year must be between {MIN_YEAR} and {MAX_YEAR}"})
    activities = list(CriticalActivity.objects.all())
    if not activities:
        raise ValidationError("The capacity and capability framework is not loaded: run manage.py seed_demo")
    if Assessment.objects.filter(partnership=partnership, year=year).exists():
        raise ValidationError({"year": f"There is already a self-assessment for {year}"})
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(partnership=partnership, year=year)
    except IntegrityError:
        raise ValidationError({"year": f"There is already a self-assessment for {year}"}) from None
    for area in OutcomeArea.objects.all():
        AreaAssignment.objects.create(assessment=assessment, area=area)
    for activity in activities:
        ActivityResponse.objects.create(assessment=assessment, activity=activity)
    return assessment


@transaction.atomic
def assignments_save(*, assessment: Assessment, assignees: dict[int, int | None]) -> list[AreaAssignment]:
    """``assignees`` maps an outcome area's number to a membership id (None: nobody)."""
    members = set(Membership.objects.filter(partnership=assessment.partnership_id).values_list("pk", flat=True))
    rows = list(AreaAssignment.objects.select_for_update().filter(assessment=assessment).select_related("area"))
    errors = {}
    for row in rows:
        chosen = assignees.get(row.area.number)
        if chosen not in (None, "") and int(chosen) not in members:
            errors[f"area_{row.area.number}"] = "Choose a member of this partnership"
    if errors:
        raise ValidationError(errors)
    for row in rows:
        chosen = assignees.get(row.area.number)
        chosen = int(chosen) if chosen not in (None, "") else None
        if row.assignee_id != chosen:
            row.assignee_id = chosen
            row.save()
    return rows


def _response_values(response: ActivityResponse) -> dict:
    return {
        "evidence": response.evidence,
        "self_score": "" if response.self_score is None else response.self_score,
        "validated_score": "" if response.validated_score is None else response.validated_score,
    }


@transaction.atomic
def response_update(
    *,
    response: ActivityResponse,
    by: Membership,
    evidence: str | None = None,
    self_score=None,
    validated_score=None,
    version: str | None = None,
) -> ActivityResponse:
    """Save an activity's evidence and self-assessed score (managers and the area's assignee) and its validated
    score (``assessments.validate`` only). A field left as ``None`` is not changed; a score of "" clears it."""
    response = (
        ActivityResponse.objects.select_for_update(of=("self",))
        .select_related("assessment", "activity")
        .get(pk=response.pk)
    )
    assignment = AreaAssignment.objects.select_related("assessment").get(
        assessment=response.assessment, area_id=response.activity.area_id
    )
    may_edit, may_validate = can_edit_area(by, assignment), can_validate(by)
    if not (may_edit or may_validate):
        raise PermissionDenied("Only managers, the area's assignee and validators may change this activity")
    errors: dict[str, str] = {}
    new = {}
    if evidence is not None:
        evidence = evidence.strip()
        if len(evidence) > EVIDENCE_MAX:
            errors["evidence"] = f"Evidence must be {EVIDENCE_MAX:,} characters or fewer"
        new["evidence"] = evidence
    if self_score is not None:
        new["self_score"] = parse_score(self_score, "self_score", "Self-assessed score", errors)
    if validated_score is not None:
        new["validated_score"] = parse_score(validated_score, "validated_score", "Validated score", errors)
    changes = {k: v for k, v in new.items() if k not in errors and getattr(response, k) != v}
    if not may_edit:
        for field, label in (("evidence", "the evidence"), ("self_score", "the self-assessed score")):
            if field in changes:
                errors[field] = f"Only a manager or the area's assignee may change {label}"
    if "validated_score" in changes and not may_validate:
        errors["validated_score"] = "Only someone who validates self-assessments may enter a validated score"
    if errors:
        raise ValidationError(errors)
    mine = ActivityResponse(**{**_response_values(response), **new})
    version_check(response, version, theirs=_response_values(response), yours=_response_values(mine))
    for field, value in changes.items():
        setattr(response, field, value)
    if changes:
        response.save()
    return response


@transaction.atomic
def comment_add(*, response: ActivityResponse, by: Membership, text: str) -> ActivityComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter a comment"})
    if len(text) > 5000:
        raise ValidationError({"text": "Comment must be 5,000 characters or fewer"})
    return ActivityComment.objects.create(response=response, author=by, text=text)


GAP_FIELDS = {
    "gap": "Enter the gap found",
    "risk": "Enter the risk the gap poses",
    "action": "Enter the action to overcome the risk",
    "success_criteria": "Enter how you will know the action has worked",
}


@transaction.atomic
def gap_raise(*, response: ActivityResponse, by: Membership, data: dict) -> Gap:
    """Record a gap (seed 001 section 3) and, in the same transaction, a tracked action and a risk in the register."""
    response = ActivityResponse.objects.select_related("assessment__partnership", "activity").get(pk=response.pk)
    assessment = response.assessment
    assignment = AreaAssignment.objects.select_related("assessment").get(
        assessment=assessment, area_id=response.activity.area_id
    )
    if not can_edit_area(by, assignment):
        raise PermissionDenied("Only managers and the area's assignee may raise a gap")
    errors: dict[str, str] = {}
    clean = {}
    for field, message in GAP_FIELDS.items():
        clean[field] = str(data.get(field) or "").strip()
        if not clean[field]:
            errors[field] = message
    owner = data.get("owner")
    owner_pk = owner.pk if isinstance(owner, Membership) else owner
    clean["owner"] = None
    if owner_pk in (None, ""):
        errors["owner"] = "Choose the owner of the action"
    else:
        clean["owner"] = (
            Membership.objects.filter(partnership=assessment.partnership_id, pk=owner_pk).select_related("user").first()
        )
        if clean["owner"] is None:
            errors["owner"] = "The owner must be a member of this partnership"
    deadline = data.get("deadline")
    if not isinstance(deadline, dt.date):
        errors["deadline"] = "Enter the deadline as a date"
    clean["deadline"] = deadline
    scores = {}
    for field, label in (("likelihood", "Likelihood"), ("impact", "Impact")):
        try:
            scores[field] = int(str(data.get(field)).strip())
        except (TypeError, ValueError):
            scores[field] = 0
        if not 1 <= scores[field] <= 5:
            errors[field] = f"{label} must be a whole number from 1 to 5"
    creator = registry.action_creator()
    if creator is None or creator.create_risk is None:
        errors.setdefault("action", "The action tracker is not available, so gaps cannot be recorded")
    if errors:
        raise ValidationError(errors)
    partnership = assessment.partnership
    url = reverse("performance:capability_activity", kwargs={"slug": partnership.slug, "pk": response.pk})
    code = response.activity.code
    reference = creator.create(
        partnership,
        title=clean["action"],
        detail=f"Gap: {clean['gap']}\nSuccess criteria: {clean['success_criteria']}",
        source="self_assessment",
        source_reference=f"Self-assessment {assessment.year}, activity {code}",
        source_url=url,
        lead=clean["owner"],
        target_date=clean["deadline"],
        requested_by=by,
    )
    risk_reference = creator.create_risk(
        partnership,
        title=clean["risk"],
        description=f"Gap found in self-assessment {assessment.year}, activity {code}: {clean['gap']}",
        likelihood=scores["likelihood"],
        impact=scores["impact"],
        mitigation=clean["action"],
        owner=clean["owner"],
        review_date=clean["deadline"],
        action_reference=reference,
    )
    return Gap.objects.create(response=response, action_reference=reference, risk_reference=risk_reference, **clean)


@transaction.atomic
def commentary_save(*, assessment: Assessment, texts: dict[int, str]) -> int:
    """``texts`` maps an indicator id to the partnership's comment on it. Returns how many changed."""
    known = set(Indicator.objects.filter(pk__in=list(texts)).values_list("pk", flat=True))
    errors = {f"comment_{pk}": "Comment must be 5,000 characters or fewer" for pk, t in texts.items() if len(t) > 5000}
    if errors:
        raise ValidationError(errors)
    current = {c.indicator_id: c for c in IndicatorCommentary.objects.filter(assessment=assessment)}
    changed = 0
    for pk, text in texts.items():
        if pk not in known:
            continue
        text = text.strip()
        row = current.get(pk)
        if row is None and text:
            IndicatorCommentary.objects.create(assessment=assessment, indicator_id=pk, text=text)
            changed += 1
        elif row is not None and row.text != text:
            row.text = text
            row.save()
            changed += 1
    return changed


@transaction.atomic
def signoffs_save(*, assessment: Assessment, rows: list[dict]) -> list[SignOff]:
    """Replace the sign-off list. Rows with neither name nor role are dropped; a name needs a role and the reverse."""
    errors = {}
    clean = []
    for index, row in enumerate(rows):
        name, role = str(row.get("name") or "").strip(), str(row.get("role") or "").strip()
        signed_on = row.get("signed_on")
        if not name and not role:
            if signed_on:
                errors[f"name_{index}"] = "Enter the name of the person who signed"
            continue
        if not name:
            errors[f"name_{index}"] = "Enter the name of the person who signs"
        if not role:
            errors[f"role_{index}"] = "Enter their role"
        clean.append(
            SignOff(assessment=assessment, position=index, name=name[:150], role=role[:300], signed_on=signed_on)
        )
    if errors:
        raise ValidationError(errors)
    existing = list(assessment.signoffs.all())
    for index, row in enumerate(clean):
        if index < len(existing):
            old = existing[index]
            if (old.name, old.role, old.signed_on, old.position) != (row.name, row.role, row.signed_on, index):
                old.name, old.role, old.signed_on, old.position = row.name, row.role, row.signed_on, index
                old.save()
            clean[index] = old
        else:
            row.save()
    for old in existing[len(clean) :]:
        old.delete()
    return clean
