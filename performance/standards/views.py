"""Pages of the National Standards self-audit and HMIP inspections: permission, one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from performance.standards import selectors, services
from performance.standards.forms import (
    ActionLeadForm,
    AuditForm,
    CommentForm,
    GradeForm,
    InspectionForm,
    RaiseActionForm,
    RecommendationForm,
)
from performance.standards.models import Inspection, Recommendation, StandardGrade, StandardsAudit
from yjplan.access import partnership_view
from yjplan.cache import cached_page
from yjplan.models import Membership
from yjplan.views.util import apply_errors, crumbs, render_conflict

HOME = ("Standards and inspections", "performance:standards")


def _crumbs(request, *records):
    """Performance › Standards and inspections › the records given as (label, url)."""
    return crumbs(request, ("Performance", "performance:dashboard"), HOME) + list(records)


def _audit_crumb(request, audit):
    url = reverse("performance:standards_audit", kwargs={"slug": request.partnership.slug, "pk": audit.pk})
    return (f"Self-audit {audit.year}", url)


def _standard_url(request, grade) -> str:
    url = reverse("performance:standards_audit", kwargs={"slug": request.partnership.slug, "pk": grade.audit_id})
    return f"{url}#standard-{grade.standard}"


def _inspection_crumb(request, inspection):
    url = reverse("performance:inspection", kwargs={"slug": request.partnership.slug, "pk": inspection.pk})
    return (f"Inspection {inspection.inspected_on:%B %Y}", url)


MISSING = (
    StandardsAudit.DoesNotExist,
    StandardGrade.DoesNotExist,
    Inspection.DoesNotExist,
    Recommendation.DoesNotExist,
)


def _get(getter, **kwargs):
    try:
        return getter(**kwargs)
    except MISSING:
        raise Http404("No such record") from None


def _members(partnership):
    return list(Membership.objects.filter(partnership=partnership).select_related("user").order_by("user__full_name"))


@require_safe
@partnership_view("view")
@cached_page()
def overview(request):
    return render(
        request,
        "performance/standards/overview.html",
        {
            **selectors.overview(partnership=request.partnership),
            "can_edit": request.membership.can("assessments.edit"),
            "breadcrumbs": crumbs(request, ("Performance", "performance:dashboard")),
        },
    )


# --- Self-audit ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def audit_add(request):
    form = AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = services.audit_create(
                partnership=request.partnership, year=data["year"], conducted=data["conducted"], summary=data["summary"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Self-audit {audit.year} started: grade each standard")
            return redirect("performance:standards_audit", slug=request.partnership.slug, pk=audit.pk)
    return render(
        request,
        "performance/standards/form.html",
        {"form": form, "heading": "Start a National Standards self-audit", "breadcrumbs": _crumbs(request)},
    )


@require_safe
@partnership_view("view")
@cached_page()
def audit_detail(request, pk):
    audit = _get(selectors.audit_detail, partnership=request.partnership, pk=pk)
    return render(
        request,
        "performance/standards/audit.html",
        {
            "audit": audit,
            "can_edit": request.membership.can("assessments.edit"),
            "can_comment": request.membership.can("assessments.comment"),
            "comment_form": CommentForm(),
            "breadcrumbs": _crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def audit_edit(request, pk):
    audit = _get(selectors.audit_detail, partnership=request.partnership, pk=pk)
    initial = {"conducted": audit.conducted, "summary": audit.summary, "version": audit.updated_at.isoformat()}
    form = AuditForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.audit_update(
                audit=audit, conducted=data["conducted"], summary=data["summary"], version=data["version"] or None
            )
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        else:
            messages.success(request, f"Self-audit {audit.year} saved")
            return redirect("performance:standards_audit", slug=request.partnership.slug, pk=audit.pk)
    return render(
        request,
        "performance/standards/form.html",
        {
            "form": form,
            "heading": f"National Standards self-audit {audit.year}",
            "breadcrumbs": _crumbs(request, _audit_crumb(request, audit)),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def grade_edit(request, pk):
    grade = _get(selectors.grade_for, partnership=request.partnership, pk=pk)
    initial = {f: getattr(grade, f) for f in services.GRADE_FIELDS} | {"version": grade.updated_at.isoformat()}
    form = GradeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grade_update(grade=grade, data=data, version=data["version"] or None)
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Standard {grade.standard}: {grade.get_standard_display()} saved")
            return redirect(_standard_url(request, grade))
    return render(
        request,
        "performance/standards/form.html",
        {
            "form": form,
            "caption": f"National Standards self-audit {grade.audit.year}",
            "heading": f"Standard {grade.standard}: {grade.get_standard_display()}",
            "breadcrumbs": _crumbs(request, _audit_crumb(request, grade.audit)),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def grade_action(request, pk):
    grade = _get(selectors.grade_for, partnership=request.partnership, pk=pk)
    form = RaiseActionForm(request.POST or None, members=_members(request.partnership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reference = services.grade_raise_action(grade=grade, requested_by=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Action {reference} created in the action tracker")
            return redirect(_standard_url(request, grade))
    return render(
        request,
        "performance/standards/form.html",
        {
            "form": form,
            "caption": f"Standard {grade.standard}: {grade.get_standard_display()} ({grade.audit.year})",
            "heading": "Raise an action",
            "intro": "The action goes into the action tracker with the National Standards audit as its source.",
            "breadcrumbs": _crumbs(request, _audit_crumb(request, grade.audit)),
        },
    )


def _comment(request, *, url_name: str, heading: str, crumb, **target):
    """Add a comment to a self-audit or an inspection (``target`` names which), or show the form's errors."""
    record = next(iter(target.values()))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(author=request.user, text=form.cleaned_data["text"], **target)
        messages.success(request, "Comment added")
        url = reverse(url_name, kwargs={"slug": request.partnership.slug, "pk": record.pk})
        return redirect(f"{url}#comments")
    return render(
        request,
        "performance/standards/form.html",
        {"form": form, "heading": heading, "breadcrumbs": _crumbs(request, crumb)},
    )


@require_POST
@partnership_view("assessments.comment")
def audit_comment(request, pk):
    audit = _get(selectors.audit_detail, partnership=request.partnership, pk=pk)
    return _comment(
        request,
        url_name="performance:standards_audit",
        heading="Comment on the self-audit",
        crumb=_audit_crumb(request, audit),
        audit=audit,
    )


# --- Inspections --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def inspection_add(request):
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                partnership=request.partnership, data=form.cleaned_data, ratings=form.ratings()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Inspection recorded: add its recommendations")
            return redirect("performance:inspection", slug=request.partnership.slug, pk=inspection.pk)
    return render(
        request,
        "performance/standards/form.html",
        {"form": form, "heading": "Record an HMIP inspection", "breadcrumbs": _crumbs(request)},
    )


@require_safe
@partnership_view("view")
@cached_page()
def inspection_detail(request, pk):
    inspection = _get(selectors.inspection_detail, partnership=request.partnership, pk=pk)
    recommendations = list(inspection.recommendations.all())
    return render(
        request,
        "performance/standards/inspection.html",
        {
            "inspection": inspection,
            "recommendations": recommendations,
            "without_action": sum(1 for r in recommendations if not r.action_reference),
            "can_edit": request.membership.can("assessments.edit"),
            "can_comment": request.membership.can("assessments.comment"),
            "comment_form": CommentForm(),
            "breadcrumbs": _crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def inspection_edit(request, pk):
    inspection = _get(selectors.inspection_detail, partnership=request.partnership, pk=pk)
    initial = {f: getattr(inspection, f) for f in services.INSPECTION_FIELDS}
    initial |= {services.rating_field(r.code): r.rating for r in inspection.ratings.all()}
    initial["version"] = inspection.updated_at.isoformat()
    form = InspectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_update(
                inspection=inspection, data=data, ratings=form.ratings(), version=data["version"] or None
            )
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Inspection saved")
            return redirect("performance:inspection", slug=request.partnership.slug, pk=inspection.pk)
    return render(
        request,
        "performance/standards/form.html",
        {
            "form": form,
            "heading": "Change the inspection",
            "breadcrumbs": _crumbs(request, _inspection_crumb(request, inspection)),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def recommendation_add(request, pk):
    inspection = _get(selectors.inspection_detail, partnership=request.partnership, pk=pk)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_add(inspection=inspection, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Recommendation {recommendation.number} added")
            return redirect("performance:inspection", slug=request.partnership.slug, pk=inspection.pk)
    return render(
        request,
        "performance/standards/form.html",
        {
            "form": form,
            "heading": "Add a recommendation",
            "breadcrumbs": _crumbs(request, _inspection_crumb(request, inspection)),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def recommendation_action(request, pk):
    recommendation = _get(selectors.recommendation_for, partnership=request.partnership, pk=pk)
    inspection = recommendation.inspection
    back = reverse("performance:inspection", kwargs={"slug": request.partnership.slug, "pk": inspection.pk})
    if recommendation.action_reference:
        number, reference = recommendation.number, recommendation.action_reference
        messages.info(request, f"Recommendation {number} is already action {reference}")
        return redirect(f"{back}#recommendation-{recommendation.number}")
    form = ActionLeadForm(request.POST or None, members=_members(request.partnership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reference, _ = services.recommendation_create_action(
                recommendation=recommendation,
                lead=data["lead"],
                target_date=data["target_date"],
                requested_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Recommendation {recommendation.number} is now action {reference}")
            return redirect(f"{back}#recommendation-{recommendation.number}")
    return render(
        request,
        "performance/standards/form.html",
        {
            "form": form,
            "caption": f"Recommendation {recommendation.number}",
            "heading": "Make the recommendation an action",
            "intro": recommendation.text,
            "breadcrumbs": _crumbs(request, _inspection_crumb(request, inspection)),
        },
    )


@require_POST
@partnership_view("assessments.edit")
def recommendations_actions(request, pk):
    inspection = _get(selectors.inspection_detail, partnership=request.partnership, pk=pk)
    made = services.recommendations_create_actions(inspection=inspection, requested_by=request.user)
    if made:
        messages.success(request, f"{len(made)} action{'s' if len(made) != 1 else ''} created: {', '.join(made)}")
    else:
        messages.info(request, "Every recommendation already has its action: nothing new was created")
    return redirect("performance:inspection", slug=request.partnership.slug, pk=inspection.pk)


@require_POST
@partnership_view("assessments.comment")
def inspection_comment(request, pk):
    inspection = _get(selectors.inspection_detail, partnership=request.partnership, pk=pk)
    return _comment(
        request,
        url_name="performance:inspection",
        heading="Comment on the inspection",
        crumb=_inspection_crumb(request, inspection),
        inspection=inspection,
    )
