"""The partnership's home dashboard, its details, councils, population and record histories."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yjplan import services
from yjplan.access import partnership_view
from yjplan.cache import cached_page, lazy
from yjplan.forms import CouncilForm, PartnershipForm, PopulationForm
from yjplan.models import LocalAuthority
from yjplan.registry import registry
from yjplan.selectors import partnership_detail as select_partnership_detail
from yjplan.selectors import record_history as select_record_history
from yjplan.views.util import apply_errors, crumbs, render_conflict

ROLE_INTRODUCTIONS = {
    "manager": "You draft the plan, keep the action tracker and the board's records, and load the indicator data.",
    "finance": "You enter and reconcile the pooled partnership budget for each financial year.",
    "board": "You review the action tracker and the performance dashboard, comment on the draft plan "
    "and update the actions you lead.",
    "chair": "You lead the board: you approve the plan and sign the final document for the partnership.",
    "viewer": "You can read the plan, the tracker, the budget and the performance figures.",
    "admin": "You decide who belongs to the partnership and in which roles.",
}


@require_safe
@partnership_view("view")
@cached_page(seconds=120)  # the tiles' "next meeting" moves with the clock
def dashboard(request):
    membership = request.membership
    intros = [{"role": r.in_sentence, "text": ROLE_INTRODUCTIONS[r.value]} for r in membership.roles]
    tiles = lazy(_tiles, request.partnership, membership)
    return render(request, "yjplan/dashboard.html", {"tiles": tiles, "intros": intros})


def _tiles(partnership, membership) -> list[dict]:
    return [{"tile": t, "data": t.fetch(partnership, membership)} for t in registry.tiles_for(membership)]


@require_safe
@partnership_view("view")
def partnership_detail(request):
    partnership = select_partnership_detail(slug=request.partnership.slug)
    return render(
        request,
        "yjplan/partnership_detail.html",
        {
            "detail": partnership,
            "councils": list(partnership.local_authorities.all()),
            "populations": list(partnership.populations.all()),
            "can_edit": request.membership.can("partnership.edit"),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("partnership.edit")
def partnership_edit(request):
    partnership = request.partnership
    initial = {f: getattr(partnership, f) for f in services.PARTNERSHIP_FIELDS}
    initial.update(pk=partnership.pk, version=partnership.updated_at.isoformat())
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                partnership=partnership, data=form.cleaned_data, version=form.cleaned_data["version"] or None
            )
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Partnership details saved")
            return redirect("partnership_detail", slug=partnership.slug)
    return render(
        request,
        "yjplan/partnership_edit.html",
        {"form": form, "breadcrumbs": crumbs(request, ("Partnership details", "partnership_detail"))},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("partnership.edit")
def council_add(request):
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.local_authority_add(partnership=request.partnership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} added")
            return redirect("partnership_detail", slug=request.partnership.slug)
    return render(
        request,
        "yjplan/council_add.html",
        {"form": form, "breadcrumbs": crumbs(request, ("Partnership details", "partnership_detail"))},
    )


@require_POST
@partnership_view("partnership.edit")
def council_remove(request, pk):
    council = LocalAuthority.objects.filter(partnership=request.partnership, pk=pk).first()
    if council is None:
        raise Http404("No such council")
    try:
        services.local_authority_remove(council=council)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{council.name} removed")
    return redirect("partnership_detail", slug=request.partnership.slug)


@require_http_methods(["GET", "POST"])
@partnership_view("partnership.edit")
def population_edit(request):
    initial = {}
    year = request.GET.get("year", "")
    estimate = request.partnership.populations.filter(year=int(year)).first() if year.isdigit() else None
    if estimate:
        initial = {"year": estimate.year, "population_10_17": estimate.population_10_17}
    form = PopulationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.population_set(partnership=request.partnership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Population for {form.cleaned_data['year']} saved")
            return redirect("partnership_detail", slug=request.partnership.slug)
    return render(
        request,
        "yjplan/population_edit.html",
        {"form": form, "breadcrumbs": crumbs(request, ("Partnership details", "partnership_detail"))},
    )


@require_safe
@partnership_view("view")
def record_history(request, label, pk):
    audited = registry.audited.get(label)
    if audited is None:
        raise Http404("No history for this kind of record")
    history = select_record_history(partnership=request.partnership, audited=audited, pk=pk)
    if history is None:
        raise Http404("No such record")
    record = history["record"]
    try:
        name = audited.title(record) if audited.title else str(record)
    except ObjectDoesNotExist:  # it names a record since removed
        name = str(audited.label).capitalize()
    trail = _history_trail(request, audited, record)
    if history["deleted"]:  # its own page is gone: lead back to its section only
        trail = trail[:1]
    context = {
        "entries": history["entries"],
        "record_label": audited.label,
        "record_name": Truncator(name).chars(90),
        "deleted": history["deleted"],
        "breadcrumbs": crumbs(request) + trail,
    }
    return render(request, "yjplan/record_history.html", context)


def _history_trail(request, audited, record) -> list[tuple[str, str]]:
    """The spoke's own trail to the record's page, or its first section in the navigation."""
    slug = request.partnership.slug
    if audited.crumbs is not None:
        try:
            return audited.crumbs(record, slug)
        except ObjectDoesNotExist:
            pass
    app = audited.model._meta.app_label
    sections = sorted(
        (n for n in registry.nav.values() if n.key.startswith(f"{app}.") and n.url_name != "dashboard"),
        key=lambda n: (n.order, n.key),
    )
    return [(sections[0].label, reverse(sections[0].url_name, kwargs={"slug": slug}))] if sections else []
