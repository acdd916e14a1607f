"""Pages of the tracker and the risk register. Thin: permission, one selector or one service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions import exports, imports, selectors, services
from actions.forms import (
    ActionForm,
    ImportForm,
    PriorityDeleteForm,
    PriorityForm,
    ProgressForm,
    ReminderForm,
    RiskForm,
    SinceForm,
    TrackerFilterForm,
)
from actions.models import ReminderOptOut
from yjplan.access import partnership_view
from yjplan.cache import cached_page
from yjplan.services import Conflict
from yjplan.tabular import CellError, TableError, discard_stash, load_stash, stash_upload
from yjplan.views.util import apply_errors, crumbs, render_conflict


def TRACKER_CACHE_SECONDS() -> int:  # noqa: N802 - reads like the setting it is
    return int(getattr(settings, "ACTIONS_TRACKER_CACHE_SECONDS", 300))


def _trail(request, *extra):
    return crumbs(request, ("Actions", "actions:tracker"), *extra)


def _today():
    return timezone.localdate()


@require_safe
@partnership_view("view")
@cached_page()
def tracker(request):
    """The tracker. Its body (150 rows and more) is cached under a key that changes with any committed write
    to the partnership's records, the day, the filters and what the viewer may update: a hit costs no query."""
    leads = selectors.lead_choices(partnership=request.partnership)
    form = TrackerFilterForm(request.GET or None, leads=leads)
    filters = form.filters()
    membership = request.membership
    today = _today()
    if membership.can("actions.edit"):
        viewer = "all"
    elif membership.can("actions.update_led"):
        viewer = f"lead-{membership.pk}"
    else:
        viewer = "none"
    key = selectors.tracker_cache_key(partnership=request.partnership, today=today, filters=filters, viewer=viewer)
    body = cache.get(key) if TRACKER_CACHE_SECONDS() else None
    data = None
    if body is None:
        data = selectors.tracker(partnership=request.partnership, today=today, **filters)
        for group in data["groups"]:
            for row in group.rows:
                row.can_update = services.can_update_action(membership, row.action, {m.pk for m in row.leads})
        context = {
            "data": data,
            "filtered": any(v for k, v in filters.items() if k != "sort"),
            "base": reverse("actions:tracker", kwargs={"slug": request.partnership.slug}),
        }
        body = render_to_string("actions/partials/tracker_body.html", context)
        if TRACKER_CACHE_SECONDS():
            cache.set(key, body, TRACKER_CACHE_SECONDS())
    return render(
        request,
        "actions/tracker.html",
        {
            "body": mark_safe(body),  # noqa: S308 - our own template's output, escaped when it was rendered
            "data": data,
            "form": form,
            "filtered": any(v for k, v in filters.items() if k != "sort"),
            "can_edit": membership.can("actions.edit"),
            "breadcrumbs": crumbs(request),
        },
    )


@require_safe
@partnership_view("view")
def since(request):
    """Changes since the date asked; with no date asked, since 3 months ago (the page says so)."""
    today = _today()
    asked = any(f"since_{i}" in request.GET for i in range(3))
    if asked:
        form = SinceForm(request.GET, today=today)
        since_day = form.cleaned_data["since"] if form.is_valid() else None
    else:
        since_day = selectors.default_since(today)
        form = SinceForm(today=today)
    data = selectors.since_meeting(partnership=request.partnership, since=since_day, today=today) if since_day else None
    return render(
        request,
        "actions/since.html",
        {"form": form, "data": data, "defaulted": not asked, "breadcrumbs": _trail(request)},
    )


def _action_or_404(request, pk):
    action = selectors.action_in_partnership(partnership=request.partnership, pk=pk)
    if action is None:
        raise Http404("No such action")
    return action


@require_safe
@partnership_view("view")
def action_detail(request, pk):
    detail = selectors.action_detail(partnership=request.partnership, pk=pk, today=_today())
    if detail is None:
        raise Http404("No such action")
    action = detail["action"]
    lead_ids = {m.pk for m in detail["row"].leads}
    return render(
        request,
        "actions/action_detail.html",
        {
            **detail,
            "can_update": services.can_update_action(request.membership, action, lead_ids),
            "can_edit": request.membership.can("actions.edit"),
            "breadcrumbs": _trail(request),
        },
    )


def _action_form(request, *, initial=None):
    return ActionForm(
        request.POST or None,
        initial=initial,
        priorities=selectors.priorities(partnership=request.partnership),
        leads=selectors.lead_choices(partnership=request.partnership),
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def action_add(request):
    form = _action_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(partnership=request.partnership, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Action {action.reference} added")
            return redirect("actions:action_detail", slug=request.partnership.slug, pk=action.pk)
    return render(
        request, "actions/action_form.html", {"form": form, "heading": "Add an action", "breadcrumbs": _trail(request)}
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def action_edit(request, pk):
    action = _action_or_404(request, pk)
    initial = {
        "reference": action.reference,
        "priority": action.priority_id,
        "text": action.text,
        "leads": [m.pk for m in action.leads.all()],
        "target_date": action.target_date,
        "completion": action.completion,
        "impact": action.impact,
        "outcome": action.outcome,
        "source": action.source,
        "source_reference": action.source_reference,
        "gap": action.gap,
        "link_text": action.link_text,
        "link_url": action.link_url,
        "version": action.updated_at.isoformat(),
    }
    form = _action_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(action=action, data=data, version=data["version"] or None)
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Action {data['reference']} saved")
            return redirect("actions:action_detail", slug=request.partnership.slug, pk=action.pk)
    return render(
        request,
        "actions/action_form.html",
        {
            "form": form,
            "heading": f"Change action {action.reference}",
            "action": action,
            "breadcrumbs": _trail(request),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.update_led")
def update_add(request, pk):
    """Add a progress note and change the RAG: managers on any action, board members and chairs on theirs."""
    action = _action_or_404(request, pk)
    if not services.can_update_action(request.membership, action, {m.pk for m in action.leads.all()}):
        raise PermissionDenied("Only the action's leads and managers can update it")
    initial = {"completion": action.completion, "impact": action.impact, "version": action.updated_at.isoformat()}
    form = ProgressForm(request.POST or None, initial=initial, prefix=f"a{action.pk}" if request.htmx else None)
    inline = bool(request.htmx)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_add(
                action=action,
                membership=request.membership,
                text=data["text"],
                completion=data["completion"],
                impact=data["impact"],
                version=data["version"] or None,
            )
        except Conflict as conflict:
            if inline:
                # The form again with the note kept and the saved version (200: htmx swaps only successful answers)
                again = ProgressForm(
                    initial={**data, "version": conflict.record.updated_at.isoformat()}, prefix=f"a{action.pk}"
                )
                context = {"form": again, "action": action, "conflict": conflict}
                return render(request, "actions/partials/update_inline.html", context)
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if inline:
                action = selectors.action_in_partnership(partnership=request.partnership, pk=action.pk)
                return render(request, "actions/partials/update_done.html", {"action": action})
            messages.success(request, f"Update added to action {action.reference}")
            return redirect("actions:action_detail", slug=request.partnership.slug, pk=action.pk)
    template = "actions/partials/update_inline.html" if inline else "actions/update_form.html"
    return render(
        request,
        template,
        {
            "form": form,
            "action": action,
            "breadcrumbs": _trail(request),
            "detail_url": reverse("actions:action_detail", kwargs={"slug": request.partnership.slug, "pk": action.pk}),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def priority_add(request):
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_create(
                partnership=request.partnership, number=form.cleaned_data["number"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Priority {priority.number} added")
            return redirect("actions:tracker", slug=request.partnership.slug)
    return render(
        request,
        "actions/priority_form.html",
        {
            "form": form,
            "heading": "Add a priority",
            "breadcrumbs": _trail(request, ("Priorities", "actions:priorities")),
        },
    )


@require_safe
@partnership_view("view")
def priority_list(request):
    return render(
        request,
        "actions/priorities.html",
        {
            "priorities": selectors.priority_list(partnership=request.partnership),
            "can_edit": request.membership.can("actions.edit"),
            "breadcrumbs": _trail(request),
        },
    )


def _priority_or_404(request, pk):
    priority = selectors.priority_in_partnership(partnership=request.partnership, pk=pk)
    if priority is None:
        raise Http404("No such priority")
    return priority


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def priority_edit(request, pk):
    priority = _priority_or_404(request, pk)
    initial = {"number": priority.number, "title": priority.title, "version": priority.updated_at.isoformat()}
    form = PriorityForm(request.POST or None, initial=initial, submit_label="Save priority")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.priority_update(
                priority=priority, number=data["number"], title=data["title"], version=data["version"] or None
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Priority {data['number']} saved")
            return redirect("actions:priorities", slug=request.partnership.slug)
    return render(
        request,
        "actions/priority_form.html",
        {
            "form": form,
            "heading": f"Change priority {priority.number}",
            "priority": priority,
            "breadcrumbs": _trail(request, ("Priorities", "actions:priorities")),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def priority_delete(request, pk):
    """Are you sure? A priority with actions asks where they go, so none is left behind by surprise."""
    priority = _priority_or_404(request, pk)
    others = [p for p in selectors.priorities(partnership=request.partnership) if p.pk != priority.pk]
    data = request.POST if request.method == "POST" else None
    form = PriorityDeleteForm(data, others=others) if priority.action_count else None
    if request.method == "POST" and (form is None or form.is_valid()):
        choice = form.cleaned_data["move_to"] if form else PriorityDeleteForm.NONE
        move_to = next((p for p in others if str(p.pk) == choice), None)
        try:
            moved = services.priority_delete(
                priority=priority, move_to=move_to, keep_ungrouped=choice == PriorityDeleteForm.NONE
            )
        except ValidationError as error:
            if form is None:
                raise
            apply_errors(form, error)
        else:
            note = ""
            if moved:
                where = f"priority {move_to.number}" if move_to else "no priority"
                note = f": its {moved} action{'s' if moved != 1 else ''} moved to {where}"
            messages.success(request, f"Priority {priority.number} deleted{note}")
            return redirect("actions:priorities", slug=request.partnership.slug)
    return render(
        request,
        "actions/priority_delete.html",
        {
            "form": form,
            "priority": priority,
            "breadcrumbs": _trail(request, ("Priorities", "actions:priorities")),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def action_delete(request, pk):
    action = _action_or_404(request, pk)
    if request.method == "POST":
        reference = services.action_delete(action=action)
        messages.success(
            request,
            f"Action {reference} deleted. Its history is kept and its reference will not be used again.",
        )
        return redirect("actions:tracker", slug=request.partnership.slug)
    return render(
        request,
        "actions/delete.html",
        {
            "heading": f"Are you sure you want to delete action {action.reference}?",
            "summary": action.text,
            "warning": "Its progress log goes with it. The history of changes keeps every version, and the "
            "reference will not be used again.",
            "button": f"Yes, delete action {action.reference}",
            "cancel": reverse("actions:action_detail", kwargs={"slug": request.partnership.slug, "pk": action.pk}),
            "breadcrumbs": _trail(request),
        },
    )


@require_safe
@partnership_view("view")
def deleted(request):
    """Deleted actions: their references (never used again) and the way to their history."""
    return render(
        request,
        "actions/deleted.html",
        {"records": selectors.deleted_actions(partnership=request.partnership), "breadcrumbs": _trail(request)},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def risk_delete(request, pk):
    risk = selectors.risk_in_partnership(partnership=request.partnership, pk=pk)
    if risk is None:
        raise Http404("No such risk")
    if request.method == "POST":
        title = services.risk_delete(risk=risk)
        messages.success(request, f"Risk “{title}” deleted. Its history is kept.")
        return redirect("actions:risks", slug=request.partnership.slug)
    return render(
        request,
        "actions/delete.html",
        {
            "heading": "Are you sure you want to delete this risk?",
            "summary": risk.title,
            "warning": "It leaves the risk register and the plan. The history of changes keeps every version.",
            "button": "Yes, delete this risk",
            "cancel": reverse("actions:risks", kwargs={"slug": request.partnership.slug}),
            "breadcrumbs": _trail(request, ("Risk register", "actions:risks")),
        },
    )


@require_safe
@partnership_view("view")
def risks(request):
    data = selectors.risk_register(partnership=request.partnership)
    return render(
        request,
        "actions/risks.html",
        {"data": data, "can_edit": request.membership.can("actions.edit"), "breadcrumbs": _trail(request)},
    )


def _risk_form(request, *, initial=None):
    return RiskForm(
        request.POST or None,
        initial=initial,
        owners=selectors.lead_choices(partnership=request.partnership),
        actions=selectors.action_choices(partnership=request.partnership),
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def risk_add(request):
    form = _risk_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_create(partnership=request.partnership, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Risk added")
            return redirect("actions:risks", slug=request.partnership.slug)
    return render(
        request,
        "actions/risk_form.html",
        {"form": form, "heading": "Add a risk", "breadcrumbs": _trail(request, ("Risk register", "actions:risks"))},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def risk_edit(request, pk):
    risk = selectors.risk_in_partnership(partnership=request.partnership, pk=pk)
    if risk is None:
        raise Http404("No such risk")
    initial = {
        "title": risk.title,
        "category": risk.category,
        "description": risk.description,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "mitigation": risk.mitigation,
        "owner": risk.owner_id,
        "review_date": risk.review_date,
        "actions": [a.pk for a in risk.actions.all()],
        "version": risk.updated_at.isoformat(),
    }
    form = _risk_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.risk_update(risk=risk, data=data, version=data["version"] or None)
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Risk saved")
            return redirect("actions:risks", slug=request.partnership.slug)
    return render(
        request,
        "actions/risk_form.html",
        {
            "form": form,
            "heading": "Change a risk",
            "risk": risk,
            "breadcrumbs": _trail(request, ("Risk register", "actions:risks")),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("actions.edit")
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        layout = form.cleaned_data["layout"]
        data = upload.read(imports.MAX_BYTES + 1)
        try:
            preview = imports.parse(partnership=request.partnership, data=data, filename=upload.name, layout=layout)
        except TableError as error:
            for problem in error.errors:
                form.add_error("file", str(problem))
        else:
            if preview.ok:
                token = stash_upload(
                    data=data,
                    filename=f"{layout}:{upload.name}",
                    partnership_id=request.partnership.pk,
                    user_id=request.user.pk,
                )
    status = 200
    return render(
        request,
        "actions/import.html",
        {"form": form, "preview": preview, "token": token, "breadcrumbs": _trail(request)},
        status=status,
    )


@require_POST
@partnership_view("actions.edit")
def import_confirm(request):
    token = request.POST.get("token", "")
    try:
        data, name = load_stash(token, partnership_id=request.partnership.pk, user_id=request.user.pk)
        layout, _, filename = name.partition(":")
        if layout not in ("tracker", "improvement_plan"):
            raise TableError([CellError(None, None, "The preview has expired: upload the file again")])
        preview = imports.parse(partnership=request.partnership, data=data, filename=filename, layout=layout)
        created = imports.apply(partnership=request.partnership, preview=preview, membership=request.membership)
    except (TableError, ValidationError) as error:
        problems = error.errors if isinstance(error, TableError) else error.messages
        messages.error(request, "Nothing was imported: " + "; ".join(str(p) for p in problems[:5]))
        return redirect("actions:import_upload", slug=request.partnership.slug)
    discard_stash(token)
    messages.success(request, f"{len(created)} action{'s' if len(created) != 1 else ''} imported")
    return redirect("actions:tracker", slug=request.partnership.slug)


@require_safe
@partnership_view("view")
def export(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        fmt = "xlsx"
    return exports.tracker_download(partnership=request.partnership, today=_today(), fmt=fmt)


@require_safe
@partnership_view("view")
def tracker_print(request):
    """The tracker laid out for paper: every action, no filters or controls (the PDF uses print/actions/)."""
    data = selectors.tracker(partnership=request.partnership, today=_today())
    return render(request, "actions/print.html", {"data": data, "today": _today(), "breadcrumbs": _trail(request)})


@require_http_methods(["GET", "POST"])
@partnership_view("view")
def reminders(request):
    opted_out = ReminderOptOut.objects.filter(user=request.user).exists()
    form = ReminderForm(request.POST or None, initial={"reminders": "off" if opted_out else "on"})
    if request.method == "POST" and form.is_valid():
        services.reminder_opt_out_set(user=request.user, opted_out=form.cleaned_data["reminders"] == "off")
        messages.success(request, "Reminder setting saved")
        return redirect("actions:reminders", slug=request.partnership.slug)
    return render(
        request,
        "actions/reminders.html",
        {"form": form, "opted_out": opted_out, "heading": "Reminder emails", "breadcrumbs": _trail(request)},
    )
