"""Writing the plan: the plan list and overview, sections with live blocks, the editor, revisions."""

import difflib
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yjplan.access import partnership_view
from yjplan.cache import cached_page, fragment, lazy
from yjplan.models import PlanStatus, SectionDraft
from yjplan.plans import content, selectors, services
from yjplan.plans.crumbs import plan_crumbs as _crumbs
from yjplan.plans.forms import BlockOptionsForm, PlanDetailsForm, PlanForm, SectionAddForm, SectionForm
from yjplan.registry import registry
from yjplan.richtext import plain_text
from yjplan.views.util import apply_errors


def _block_menu():
    return sorted(({"key": b.key, "title": b.title} for b in registry.blocks.values()), key=lambda b: b["title"])


@require_safe
@partnership_view("view")
@cached_page()
def plan_list(request):
    return render(
        request,
        "yjplan/plans/plan_list.html",
        {
            "plans": selectors.plans_for(request.partnership),
            "can_start": request.membership.can("plan.edit"),
            "breadcrumbs": _crumbs(request)[:1],
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def plan_new(request):
    form = PlanForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                partnership=request.partnership,
                template=data["template"],
                title=data["title"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                update_of=data["update_of"],
                created_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{plan.title} started from “{plan.template.name}”")
            return redirect("plan_detail", slug=request.partnership.slug, plan=plan.pk)
    return render(request, "yjplan/plans/plan_new.html", {"form": form, "breadcrumbs": _crumbs(request)})


def plan_jobs(request, plan) -> tuple:
    return selectors.rendition_job_states(partnership=request.partnership, plan_pk=plan)


@require_safe
@partnership_view("view")
@cached_page(vary=plan_jobs)
def plan_detail(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    membership = request.membership
    renditions = selectors.plan_renditions(plan, request.user)
    can_manage = membership.can("plan.edit")
    context = {
        "plan": plan,
        "overview": lazy(selectors.plan_sections_overview, plan),
        "renditions": renditions,
        "can_edit": can_manage and plan.status not in services.LOCKED,
        "can_manage": can_manage,
        "approvable": not services.approval_refusal(plan),
        "steps": selectors.plan_steps(
            plan,
            renditions,
            can_manage=can_manage,
            can_approve=membership.can("plan.approve"),
            can_sign=membership.can("plan.sign") and services.may_sign(plan, membership),
        ),
        "statuses": PlanStatus,
        "breadcrumbs": _crumbs(request),
    }
    return render(request, "yjplan/plans/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def plan_edit(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    if plan.status in services.LOCKED:
        messages.error(request, f"This plan is {plan.get_status_display().lower()}: start an amendment to change it")
        return redirect("plan_detail", slug=request.partnership.slug, plan=plan.pk)
    form = PlanDetailsForm(request.POST or None, initial={"title": plan.title, "due_date": plan.due_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_details_update(
                plan=plan, title=form.cleaned_data["title"], due_date=form.cleaned_data["due_date"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The plan's details are saved")
            return redirect("plan_detail", slug=request.partnership.slug, plan=plan.pk)
    return render(
        request, "yjplan/plans/plan_edit.html", {"plan": plan, "form": form, "breadcrumbs": _crumbs(request, plan)}
    )


@require_safe
@partnership_view("view")
@cached_page()
def section_detail(request, plan, section):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    context = {
        "plan": plan,
        "section": section,
        "body": fragment(
            request, "plans.section.body", lambda: content.render_live(section.body, request.partnership), (section.pk,)
        ),
        "words": lazy(content.word_count, section.body),
        "can_edit": request.membership.can("plan.edit") and plan.status not in services.LOCKED,
        "can_comment": request.membership.can("plan.comment"),
        "breadcrumbs": _crumbs(request, plan),
        "page": lazy(selectors.section_page, section),
    }
    return render(request, "yjplan/plans/section_detail.html", context)


def _editor_context(request, plan, section, form, draft=None):
    return {
        "plan": plan,
        "section": section,
        "form": form,
        "draft": draft,
        "blocks": _block_menu(),
        "tables": _section_tables(section),
        "words": content.word_count(form["body"].value() or ""),
        "breadcrumbs": _crumbs(request, plan, section),
    }


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def section_edit(request, plan, section):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    if plan.status in services.LOCKED:
        messages.error(request, f"This plan is {plan.get_status_display().lower()}: start an amendment to change it")
        return redirect("plan_detail", slug=request.partnership.slug, plan=plan.pk)
    draft = SectionDraft.objects.filter(section=section, author=request.user).first()
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.section_save(
                    section=section,
                    title=data["title"],
                    body=data["body"],
                    base_revision=data["base_revision"],
                    author=request.user,
                )
            except services.SectionConflict as conflict:
                return _conflict(request, plan, conflict)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"“{data['title']}” saved")
                return redirect("section_detail", slug=request.partnership.slug, plan=plan.pk, section=section.pk)
        return render(request, "yjplan/plans/section_edit.html", _editor_context(request, plan, section, form))
    if draft is not None and request.GET.get("draft") == "1":
        initial = {"title": draft.title, "body": draft.body, "base_revision": draft.base_revision}
        messages.info(
            request, f"Your unsaved text from {timezone.localtime(draft.saved_at):%-d %B at %-I:%M%p} is back"
        )
    else:
        initial = {"title": section.title, "body": section.body, "base_revision": section.revision}
    form = SectionForm(initial=initial)
    newer_draft = draft if draft is not None and draft.body != section.body else None
    return render(request, "yjplan/plans/section_edit.html", _editor_context(request, plan, section, form, newer_draft))


def _conflict(request, plan, conflict: services.SectionConflict):
    """Theirs, yours and the common original, side by side, with an editor to merge them."""
    theirs = conflict.theirs
    form = SectionForm(
        initial={"title": conflict.yours_title, "body": conflict.yours_body, "base_revision": theirs.number}
    )
    context = _editor_context(request, plan, conflict.section, form)
    context.update(
        conflict=conflict,
        original=conflict.original,
        theirs=theirs,
        yours_body=conflict.yours_body,
        diff_theirs=_diff(conflict.original.body if conflict.original else "", theirs.body),
        diff_yours=_diff(conflict.original.body if conflict.original else "", conflict.yours_body),
    )
    return render(request, "yjplan/plans/section_conflict.html", context, status=409)


@require_POST
@partnership_view("plan.edit")
def section_autosave(request, plan, section):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    try:
        base = int(request.POST.get("base_revision", ""))
    except ValueError:
        return JsonResponse({"error": "base_revision must be a number"}, status=400)
    if plan.status in services.LOCKED:
        return JsonResponse({"error": "The plan is signed: start an amendment to change it"}, status=409)
    draft = services.draft_autosave(
        section=section,
        author=request.user,
        title=request.POST.get("title", ""),
        body=request.POST.get("body", ""),
        base_revision=base,
    )
    saved = timezone.localtime(draft.saved_at)
    return JsonResponse({"saved_at": saved.isoformat(), "message": f"Draft kept at {saved:%H:%M:%S}"})


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def section_add(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    form = SectionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_add(plan=plan, title=form.cleaned_data["title"], author=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"“{section.title}” added at the end of the plan")
            return redirect("section_edit", slug=request.partnership.slug, plan=plan.pk, section=section.pk)
    return render(
        request, "yjplan/plans/section_add.html", {"plan": plan, "form": form, "breadcrumbs": _crumbs(request, plan)}
    )


@require_POST
@partnership_view("plan.edit")
def section_move(request, plan, section):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choose to move the section up or down")
    else:
        try:
            services.section_move(section=section, direction=direction)
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect(reverse("plan_detail", kwargs={"slug": request.partnership.slug, "plan": plan.pk}) + "#sections")


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def section_delete(request, plan, section):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    error = None
    if request.method == "POST":
        try:
            services.section_delete(section=section)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"“{section.title}” removed")
            return redirect("plan_detail", slug=request.partnership.slug, plan=plan.pk)
    return render(
        request,
        "yjplan/plans/section_delete.html",
        {"plan": plan, "section": section, "error": error, "breadcrumbs": _crumbs(request, plan, section)},
    )


@require_safe
@partnership_view("view")
def revision_list(request, plan, section):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    return render(
        request,
        "yjplan/plans/revision_list.html",
        {
            "plan": plan,
            "section": section,
            "revisions": selectors.revisions_for(section),
            "can_edit": request.membership.can("plan.edit") and plan.status not in services.LOCKED,
            "breadcrumbs": _crumbs(request, plan, section),
        },
    )


def _lines(html: str) -> list[str]:
    """One line per block of text, so a diff reads as paragraphs changed."""
    spaced = html.replace("</p>", "</p>\n").replace("</li>", "</li>\n").replace("</h2>", "</h2>\n")
    spaced = (
        spaced.replace("</h3>", "</h3>\n").replace("</tr>", "</tr>\n").replace("<div data-block", "\n<div data-block")
    )
    lines = []
    for raw in spaced.split("\n"):
        markers = content.markers(raw)
        text = plain_text(raw)
        if markers:
            lines.append(f"[Table from the records: {markers[0].key}]")
        elif text:
            lines.append(text)
    return lines


def _diff(old: str, new: str) -> list[dict]:
    rows = []
    for line in difflib.ndiff(_lines(old), _lines(new)):
        code, text = line[:1], line[2:]
        if code == "?":
            continue
        rows.append({"kind": {"+": "added", "-": "removed"}.get(code, "same"), "text": text})
    return rows


@require_safe
@partnership_view("view")
def revision_detail(request, plan, section, number):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    pair = {r.number: r for r in section.revisions.select_related("author").filter(number__in=[number, number - 1])}
    revision = pair.get(number)
    if revision is None:
        raise Http404("No such revision")
    previous = pair.get(number - 1)
    return render(
        request,
        "yjplan/plans/revision_detail.html",
        {
            "plan": plan,
            "section": section,
            "revision": revision,
            "previous": previous,
            "diff": _diff(previous.body if previous else "", revision.body),
            "title_changed": previous is not None and previous.title != revision.title,
            "can_edit": request.membership.can("plan.edit") and plan.status not in services.LOCKED,
            "breadcrumbs": _crumbs(request, plan, section),
        },
    )


@require_POST
@partnership_view("plan.edit")
def revision_restore(request, plan, section, number):
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    try:
        services.section_restore(section=section, number=number, author=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Revision {number} restored as a new revision")
    return redirect("section_detail", slug=request.partnership.slug, plan=plan.pk, section=section.pk)


@require_safe
@partnership_view("plan.edit")
def block_preview(request, plan):
    """The live table a block marker stands for, for the editor (HTML fragment)."""
    selectors.plan_for(request.partnership, plan)
    key = request.GET.get("key", "")
    try:
        options = json.loads(request.GET.get("options") or "{}")
    except json.JSONDecodeError:
        options = {}
    if key not in registry.blocks or not isinstance(options, dict):
        return HttpResponse(f'<p class="govuk-body">No table called “{escape(key)}” is available.</p>', status=404)
    block = registry.block(key)
    try:
        html = block.render(block.data(request.partnership, **options), media="screen", request=request)
    except (TypeError, ValueError, ValidationError):
        return HttpResponse(
            f'<p class="govuk-body">The options for “{escape(block.title)}” are not valid.</p>', status=400
        )
    return HttpResponse(html)


def _section_tables(section) -> list[dict]:
    """The section's saved block markers, numbered, with their titles (for links to their options pages)."""
    return [
        {
            "index": i,
            "key": m.key,
            "title": registry.blocks[m.key].title if m.key in registry.blocks else m.key,
            "has_options": m.key in registry.blocks and bool(registry.block(m.key).option_fields),
        }
        for i, m in enumerate(content.markers(section.body))
    ]


def _preview(block, partnership, options, request) -> str:
    try:
        return block.render(block.data(partnership, **options), media="screen", request=request)
    except (TypeError, ValueError, ValidationError):
        return f'<p class="govuk-body">The options for “{escape(block.title)}” are not valid.</p>'


@require_http_methods(["GET", "POST"])
@partnership_view("plan.edit")
def block_options(request, plan, section, index):
    """A table's options in a section, one page per marker: works without JavaScript."""
    plan = selectors.plan_for(request.partnership, plan)
    section = selectors.section_for(plan, section)
    if plan.status in services.LOCKED:
        messages.error(request, f"This plan is {plan.get_status_display().lower()}: start an amendment to change it")
        return redirect("plan_detail", slug=request.partnership.slug, plan=plan.pk)
    found = content.markers(section.body)
    if index >= len(found) or found[index].key not in registry.blocks:
        raise Http404("No such table in this section")
    marker = found[index]
    block = registry.block(marker.key)
    form = BlockOptionsForm(request.POST or None, block=block, partnership=request.partnership, current=marker.options)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            base = int(request.POST.get("base_revision", ""))
            services.block_options_set(
                section=section, index=index, options=form.options(), base_revision=base, author=request.user
            )
        except ValueError:
            error = "Open the table's options again from the section"
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"Options of “{block.title}” saved")
            return redirect(
                "block_options", slug=request.partnership.slug, plan=plan.pk, section=section.pk, index=index
            )
    if error:
        messages.error(request, error)
        section.refresh_from_db()
    return render(
        request,
        "yjplan/plans/block_options.html",
        {
            "plan": plan,
            "section": section,
            "table": block,
            "form": form,
            "index": index,
            "preview": mark_safe(_preview(block, request.partnership, marker.options, request)),  # noqa: S308
            "breadcrumbs": _crumbs(request, plan, section),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_safe
@partnership_view("plan.edit")
def block_options_form(request, plan):
    """For the editor: a block's options form (HTML fragment); with ``apply=1`` the chosen options as JSON,
    or the form with its errors (status 400)."""
    selectors.plan_for(request.partnership, plan)
    key = request.GET.get("key", "")
    try:
        current = json.loads(request.GET.get("options") or "{}")
    except json.JSONDecodeError:
        current = {}
    if key not in registry.blocks or not isinstance(current, dict):
        return HttpResponse(f'<p class="govuk-body">No table called “{escape(key)}” is available.</p>', status=404)
    block = registry.block(key)
    bound = request.GET if request.GET.get("apply") == "1" else None
    form = BlockOptionsForm(bound, block=block, partnership=request.partnership, current=current)
    if bound is not None and form.is_valid():
        return JsonResponse({"options": form.options()})
    return render(
        request,
        "yjplan/plans/_block_options_form.html",
        {"table": block, "form": form, "options": json.dumps(current, sort_keys=True)},
        status=400 if bound is not None else 200,
    )


@require_POST
@partnership_view("plan.edit")
def rendition_new(request, plan):
    plan = selectors.plan_for(request.partnership, plan)
    rendition = services.rendition_request(plan=plan, requested_by=request.user)
    return redirect("document_detail", slug=request.partnership.slug, pk=rendition.job_id)
