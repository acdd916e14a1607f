"""Review, approval and the sign-off chain: comments, review requests, the board's approval, who signs,
signing a rendition, submission to the YJB, adoption by each council, publication, amendment, and the
verification of an uploaded PDF by its SHA-256."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yjplan.access import partnership_view
from yjplan.models import Adoption, Comment, DocumentJob, Rendition, SignatureRequest, Submission
from yjplan.plans import content, selectors, services
from yjplan.plans.crumbs import plan_crumbs as _crumbs
from yjplan.plans.forms_signoff import (
    AdoptionForm,
    AmendForm,
    ApproveForm,
    CommentForm,
    ReviewRequestForm,
    SignatoriesForm,
    SignForm,
    SubmissionForm,
    VerifyForm,
    reply_target,
)
from yjplan.views.util import apply_errors


def _posted(request, *, files=False):
    """The submitted data when the form was sent (even with nothing ticked), else None: an unbound form."""
    data = request.POST if request.method == "POST" else None
    if files:
        return (data, request.FILES if data is not None else None)
    return data


def _to_plan(request, plan):
    return redirect("plan_detail", slug=request.partnership.slug, plan=plan.pk)


def _refused(request, plan, reason):
    """A step the plan's state refuses (a form sent from an older page): say why on the plan's page, save nothing."""
    messages.error(request, reason)
    return _to_plan(request, plan)


def _section_url(request, plan, section, anchor=""):
    url = reverse("section_detail", kwargs={"slug": request.partnership.slug, "plan": plan.pk, "section": section.pk})
    return f"{url}#{anchor}" if anchor else url


# Comments ---------------------------------------------------------------------------------------------


@require_POST
@partnership_view("plan.comment")
def comment_add(request, plan, section):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    form = CommentForm(request.POST)
    if form.is_valid():
        reply_to = reply_target(section, form.cleaned_data["reply_to"])
        if form.cleaned_data["reply_to"] and reply_to is None:
            form.add_error("text", "Reply to a comment on this section")
        else:
            try:
                comment = services.comment_add(
                    section=section, author=request.user, text=form.cleaned_data["text"], reply_to=reply_to
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Reply added" if reply_to else "Comment added")
                # a reply is shown inside its thread: go to the thread's first comment
                return redirect(_section_url(request, plan, section, f"comment-{comment.reply_to_id or comment.pk}"))
    return render(
        request,
        "yjplan/plans/signoff/comment_add.html",
        {
            "plan": plan,
            "section": section,
            "form": form,
            "section_url": _section_url(request, plan, section, "comments"),
            "breadcrumbs": _crumbs(request, plan, section),
        },
    )


@require_POST
@partnership_view("plan.comment")
def comment_resolve(request, plan, comment):
    plan = selectors.plan_for(request.partnership, plan)
    found = Comment.objects.select_related("section").filter(section__plan=plan, pk=comment).first()
    if found is None:
        raise Http404("No such comment")
    resolved = request.POST.get("resolved")
    if resolved not in ("1", "0"):
        messages.error(request, "Choose whether to resolve or reopen the comment")
    else:
        services.comment_resolve(comment=found, by=request.user, resolved=resolved == "1")
        messages.success(request, "Comment resolved" if resolved == "1" else "Comment reopened")
    return redirect(_section_url(request, plan, found.section, f"comment-{found.pk}"))


# Review and approval -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def review_request(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    form = ReviewRequestForm(_posted(request), partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_request(
                plan=plan,
                reviewers=list(data["reviewers"]),
                message=data["message"],
                requested_by=request.user,
                respond_by=data["respond_by"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            count = review.reviewers.count()
            messages.success(request, f"Review requested from {count} board member{'s' if count != 1 else ''}")
            return _to_plan(request, plan)
    previous = plan.review_requests.select_related("requested_by").prefetch_related("reviewers__user")
    return render(
        request,
        "yjplan/plans/signoff/review_request.html",
        {
            "plan": plan,
            "form": form,
            "previous": list(previous.order_by("-created_at")),
            "breadcrumbs": _crumbs(request, plan),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("plan.approve")
def plan_approve(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    refusal = services.approval_refusal(plan)
    if request.method == "POST" and refusal:
        return _refused(request, plan, refusal)
    form = ApproveForm(_posted(request), initial={"minute": plan.approval_minute})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_approve(plan=plan, by=request.user, minute=form.cleaned_data["minute"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{plan.title} is approved by the board")
            return _to_plan(request, plan)
    sections = list(plan.sections.order_by("position"))
    unwritten = [s.title for s in sections if s.mandatory and content.word_count(s.body) == 0]
    return render(
        request,
        "yjplan/plans/signoff/approve.html",
        {
            "plan": plan,
            "form": form,
            "unwritten": unwritten,
            "refusal": refusal,
            "locked": plan.status in services.LOCKED,
            "can_amend": request.membership.can("plan.edit") and not services.amendment_refusal(plan),
            "breadcrumbs": _crumbs(request, plan),
        },
    )


# Signatures -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def signatories(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    current = list(SignatureRequest.objects.filter(plan=plan).values_list("membership_id", flat=True))
    form = SignatoriesForm(_posted(request), partnership=request.partnership, initial={"members": current})
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["members"])
        services.signature_request_set(plan=plan, memberships=chosen)
        if chosen:
            names = ", ".join(m.user.full_name for m in chosen)
            messages.success(request, f"Asked to sign alongside the chair: {names}")
        else:
            messages.success(request, "Only the chair is asked to sign")
        return _to_plan(request, plan)
    return render(
        request,
        "yjplan/plans/signoff/signatories.html",
        {"plan": plan, "form": form, "breadcrumbs": _crumbs(request, plan)},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("plan.sign")
def rendition_sign(request, plan, number):
    plan = selectors.plan_for(request.partnership, plan)
    membership = request.membership
    if not services.may_sign(plan, membership):
        raise PermissionDenied("Only the chair and the statutory partners asked to sign can sign this plan")
    rendition = Rendition.objects.select_related("job", "signed_job").filter(plan=plan, number=number).first()
    if rendition is None:
        raise Http404("No such rendition")
    rendition.plan = plan
    signatures = list(rendition.signatures.select_related("user"))
    mine = next((s for s in signatures if s.user_id == request.user.pk), None)
    form = SignForm(
        _posted(request),
        initial={
            "role": membership.job_title,
            "organisation": membership.organisation,
            "statement": services.DEFAULT_STATEMENT,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signoff_record(
                rendition=rendition,
                membership=membership,
                full_name=data["full_name"],
                role=data["role"],
                organisation=data["organisation"],
                statement=data["statement"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"You have signed rendition {rendition.number} of {plan.title}")
            return redirect("rendition_sign", slug=request.partnership.slug, plan=plan.pk, number=rendition.number)
    return render(
        request,
        "yjplan/plans/signoff/rendition_sign.html",
        {
            "plan": plan,
            "rendition": rendition,
            "job": rendition.job,
            "stale": rendition.is_stale,
            "ready": rendition.job.status == DocumentJob.Status.DONE,
            "approved": plan.status in services.SIGNABLE,
            "signatures": signatures,
            "mine": mine,
            "form": form,
            "breadcrumbs": _crumbs(request, plan),
        },
    )


# After signing ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def submission(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    refusal = services.signed_refusal(services.current_signed_rendition(plan))
    if request.method == "POST" and refusal:
        return _refused(request, plan, refusal)
    form = SubmissionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submission_record(
                plan=plan, submitted_on=data["submitted_on"], feedback=data["feedback"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Submission to the YJB on {data['submitted_on']:%-d %B %Y} recorded")
            return redirect("plan_submission", slug=request.partnership.slug, plan=plan.pk)
    submissions = list(
        Submission.objects.filter(plan=plan).select_related("rendition", "recorded_by").order_by("-submitted_on", "-pk")
    )
    return render(
        request,
        "yjplan/plans/signoff/submission.html",
        {
            "plan": plan,
            "form": form,
            "refusal": refusal,
            "submissions": submissions,
            "breadcrumbs": _crumbs(request, plan),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def adoption(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    signed = services.current_signed_rendition(plan)
    refusal = services.signed_refusal(signed)
    if request.method == "POST" and refusal:
        return _refused(request, plan, refusal)
    councils = request.partnership.local_authorities.order_by("position", "name")
    form = AdoptionForm(_posted(request), councils=councils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.adoption_record(
                plan=plan,
                council=data["council"],
                body=data["body"],
                adopted_on=data["adopted_on"],
                reference=data["reference"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"Adoption by {record.council.name} ({record.body}, {record.adopted_on:%-d %B %Y}) recorded"
            )
            return redirect("plan_adoption", slug=request.partnership.slug, plan=plan.pk)
    adoptions = list(
        Adoption.objects.filter(plan=plan).select_related("council", "rendition").order_by("adopted_on", "pk")
    )
    current = signed.pk if signed is not None else None
    adopted_now = {a.council_id for a in adoptions if a.rendition_id == current}
    remaining = [c for c in councils if c.pk not in adopted_now]
    return render(
        request,
        "yjplan/plans/signoff/adoption.html",
        {
            "plan": plan,
            "form": form,
            "adoptions": adoptions,
            "current_rendition": current,
            "remaining": remaining,
            "refusal": refusal,
            "breadcrumbs": _crumbs(request, plan),
        },
    )


@require_POST
@partnership_view("plan.edit")
def publish(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    try:
        published = services.plan_publish(plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        url = reverse("public_plan", kwargs={"partnership": request.partnership.slug, "plan": published.public_slug})
        messages.success(request, f"{plan.title} is published at {request.build_absolute_uri(url)}")
    return _to_plan(request, plan)


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def amend(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    refusal = services.amendment_refusal(plan)
    if request.method == "POST" and refusal:
        return _refused(request, plan, refusal)
    form = AmendForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            amended = services.plan_amend(plan=plan, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"Version {amended.version} of {plan.title} started: edit it, then ask for approval"
            )
            return _to_plan(request, plan)
    return render(
        request,
        "yjplan/plans/signoff/amend.html",
        {"plan": plan, "form": form, "refusal": refusal, "breadcrumbs": _crumbs(request, plan)},
    )


# Verification -----------------------------------------------------------------------------------------


def _digest(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def verification(partnership, sha256: str) -> dict | None:
    """What an uploaded file with this SHA-256 is, among this partnership's renditions only."""
    rendition = (
        Rendition.objects.select_related("plan", "job", "signed_job")
        .filter(plan__partnership=partnership)
        .filter(Q(job__sha256=sha256) | Q(signed_job__sha256=sha256))
        .first()
    )
    signed_job = None
    if rendition is not None and rendition.signed_job is not None and rendition.signed_job.sha256 == sha256:
        signed_job = rendition.signed_job
    if rendition is None:
        # an earlier signed document of a rendition (made before a later signature replaced it)
        signed_job = DocumentJob.objects.filter(
            partnership=partnership, kind="yjplan.signed_plan", sha256=sha256, status=DocumentJob.Status.DONE
        ).first()
        if signed_job is not None:
            rendition = (
                Rendition.objects.select_related("plan", "job")
                .filter(plan__partnership=partnership, pk=signed_job.params.get("rendition"))
                .first()
            )
    if rendition is None:
        return None
    signatures = rendition.signatures.select_related("user").order_by("signed_at")
    if signed_job is not None:
        ids = [int(pk) for pk in str(signed_job.params.get("signatures", "")).split(",") if pk]
        signatures = signatures.filter(pk__in=ids)
    return {
        "rendition": rendition,
        "plan": rendition.plan,
        "signed_document": signed_job is not None,
        "signatures": list(signatures),
        "stale": rendition.is_stale,
    }


@require_http_methods(["GET", "POST"])
@partnership_view("view")
def verify(request):
    form = VerifyForm(*_posted(request, files=True))
    result = checked = None
    if request.method == "POST" and form.is_valid():
        checked = _digest(form.cleaned_data["file"])
        result = verification(request.partnership, checked)
    return render(
        request,
        "yjplan/plans/signoff/verify.html",
        {
            "form": form,
            "checked": checked,
            "result": result,
            "filename": form.cleaned_data["file"].name if checked else "",
            "breadcrumbs": _crumbs(request),
        },
    )
