"""Pages of the capacity and capability self-assessment: thin — permission, one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from performance.capability import selectors, services
from performance.capability.forms import (
    AssessmentForm,
    AssignForm,
    CommentaryForm,
    CommentForm,
    GapForm,
    ResponseForm,
    SignOffForm,
)
from yjplan.access import partnership_view
from yjplan.cache import cached_page
from yjplan.services import Conflict
from yjplan.views.util import apply_errors, crumbs, render_conflict

HOME = ("Performance", "performance:dashboard")
LIST = ("Self-assessments", "performance:capability_list")


def _crumbs(request, assessment=None):
    trail = crumbs(request, HOME, LIST)
    if assessment is not None:
        url = reverse("performance:capability_detail", kwargs={"slug": request.partnership.slug, "pk": assessment.pk})
        trail.append((f"Self-assessment {assessment.year}", url))
    return trail


def _assessment(request, pk):
    assessment = selectors.assessment_for(request.partnership, pk)
    if assessment is None:
        raise Http404("No such self-assessment")
    return assessment


def _response(request, pk):
    response = selectors.response_for(request.partnership, pk)
    if response is None:
        raise Http404("No such activity")
    return response


@require_safe
@partnership_view("view")
@cached_page()
def assessment_list(request):
    return render(
        request,
        "performance/capability/list.html",
        {
            "assessments": selectors.assessment_list(partnership=request.partnership),
            "can_edit": request.membership.can("assessments.edit"),
            "breadcrumbs": crumbs(request, HOME),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def assessment_add(request):
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(partnership=request.partnership, year=form.cleaned_data["year"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Self-assessment {assessment.year} started")
            return redirect("performance:capability_detail", slug=request.partnership.slug, pk=assessment.pk)
    return render(
        request,
        "performance/capability/add.html",
        {"form": form, "heading": "Start a capacity and capability self-assessment", "breadcrumbs": _crumbs(request)},
    )


@require_safe
@partnership_view("view")
@cached_page()
def assessment_detail(request, pk):
    assessment = _assessment(request, pk)
    data = selectors.assessment_detail(assessment=assessment, membership=request.membership)
    return render(
        request,
        "performance/capability/detail.html",
        {
            **data,
            "can_edit": request.membership.can("assessments.edit"),
            "tracker_url": selectors.tracker_url(request.partnership),
            "breadcrumbs": _crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def assessment_assign(request, pk):
    assessment = _assessment(request, pk)
    areas = list(assessment.assignments.select_related("area"))
    form = AssignForm(request.POST or None, areas=areas, members=selectors.members(request.partnership))
    if request.method == "POST" and form.is_valid():
        chosen = {a.area.number: form.cleaned_data[f"area_{a.area.number}"] or None for a in areas}
        try:
            services.assignments_save(assessment=assessment, assignees=chosen)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Assignees saved")
            return redirect("performance:capability_detail", slug=request.partnership.slug, pk=assessment.pk)
    return render(
        request,
        "performance/capability/form.html",
        {
            "form": form,
            "heading": "Who completes each outcome area",
            "intro": "The person an area is assigned to can write its evidence and scores, whatever their role.",
            "assessment": assessment,
            "breadcrumbs": _crumbs(request, assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("view")
@cached_page()
def activity(request, pk):
    """Everyone reads an activity; managers and the area's assignee edit it; validators enter the validated score."""
    response = _response(request, pk)
    data = selectors.response_detail(response=response)
    may_edit = services.can_edit_area(request.membership, data["assignment"])
    may_validate = services.can_validate(request.membership)
    if request.method == "POST" and not (may_edit or may_validate):
        raise PermissionDenied("Only managers, the area's assignee and validators may change this activity")
    if request.method == "POST" and request.POST.get("validated_score", "") != "" and not may_validate:
        raise PermissionDenied("Only someone who validates self-assessments may enter a validated score")
    initial = {
        "evidence": response.evidence,
        "self_score": "" if response.self_score is None else str(response.self_score),
        "validated_score": "" if response.validated_score is None else str(response.validated_score),
        "version": response.updated_at.isoformat(),
    }
    form = None
    if may_edit or may_validate:
        form = ResponseForm(request.POST or None, initial=initial, may_edit=may_edit, may_validate=may_validate)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.response_update(
                response=response,
                by=request.membership,
                evidence=cleaned.get("evidence") if may_edit else None,
                self_score=cleaned.get("self_score") if may_edit else None,
                validated_score=cleaned.get("validated_score") if may_validate else None,
                version=cleaned["version"] or None,
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Activity {response.activity.code} saved")
            return redirect(
                reverse(
                    "performance:capability_detail",
                    kwargs={"slug": request.partnership.slug, "pk": response.assessment_id},
                )
                + f"#area-{response.activity.area.number}"
            )
    return render(
        request,
        "performance/capability/activity.html",
        {
            **data,
            "form": form,
            "may_edit": may_edit,
            "comment_form": CommentForm() if request.membership.can("assessments.comment") else None,
            "tracker_url": selectors.tracker_url(request.partnership),
            "breadcrumbs": _crumbs(request, response.assessment),
        },
    )


@require_POST
@partnership_view("assessments.comment")
def comment_add(request, pk):
    response = _response(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(response=response, by=request.membership, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        data = selectors.response_detail(response=response)
        return render(
            request,
            "performance/capability/activity.html",
            {
                **data,
                "form": None,
                "comment_form": form,
                "tracker_url": selectors.tracker_url(request.partnership),
                "breadcrumbs": _crumbs(request, response.assessment),
            },
            status=400,
        )
    messages.success(request, "Comment added")
    return redirect("performance:capability_activity", slug=request.partnership.slug, pk=response.pk)


@require_http_methods(["GET", "POST"])
@partnership_view("view")
def gap_add(request, pk):
    """Managers and the area's assignee record a gap: it becomes a tracked action and a risk in one step."""
    response = _response(request, pk)
    data = selectors.response_detail(response=response)
    if not services.can_edit_area(request.membership, data["assignment"]):
        raise PermissionDenied("Only managers and the area's assignee may raise a gap")
    form = GapForm(request.POST or None, members=selectors.members(request.partnership))
    if request.method == "POST" and form.is_valid():
        try:
            gap = services.gap_raise(response=response, by=request.membership, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Gap recorded: action {gap.action_reference} is in the tracker")
            return redirect("performance:capability_activity", slug=request.partnership.slug, pk=response.pk)
    return render(
        request,
        "performance/capability/gap_form.html",
        {
            "form": form,
            "response": response,
            "heading": f"Record a gap found in activity {response.activity.code}",
            "breadcrumbs": _crumbs(request, response.assessment),
        },
    )


@require_safe
@partnership_view("view")
@cached_page()
def indicators(request, pk):
    assessment = _assessment(request, pk)
    return render(
        request,
        "performance/capability/indicators.html",
        {
            "assessment": assessment,
            "tables": selectors.indicator_tables(partnership=request.partnership, assessment=assessment),
            "can_edit": request.membership.can("assessments.edit"),
            "breadcrumbs": _crumbs(request, assessment),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def indicators_edit(request, pk):
    assessment = _assessment(request, pk)
    tables = selectors.indicator_tables(partnership=request.partnership, assessment=assessment)
    form = CommentaryForm(request.POST or None, tables=tables)
    if request.method == "POST" and form.is_valid():
        texts = {t.indicator.pk: form.cleaned_data[f"comment_{t.indicator.pk}"] for t in tables}
        try:
            services.commentary_save(assessment=assessment, texts=texts)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Indicator commentary saved")
            return redirect("performance:capability_indicators", slug=request.partnership.slug, pk=assessment.pk)
    return render(
        request,
        "performance/capability/indicators_form.html",
        {"form": form, "tables": tables, "assessment": assessment, "breadcrumbs": _crumbs(request, assessment)},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("assessments.edit")
def signoff_edit(request, pk):
    assessment = _assessment(request, pk)
    form = SignOffForm(request.POST or None, signoffs=list(assessment.signoffs.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.signoffs_save(assessment=assessment, rows=form.rows())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Sign-off list saved")
            return redirect("performance:capability_detail", slug=request.partnership.slug, pk=assessment.pk)
    return render(
        request,
        "performance/capability/form.html",
        {
            "form": form,
            "heading": "Sign-off by the management board",
            "intro": "The statutory partners who sign the self-assessment: name, role and the date they signed.",
            "assessment": assessment,
            "breadcrumbs": _crumbs(request, assessment),
        },
    )
