"""Budget pages: thin views over budgets.selectors and budgets.services."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgets import exports as budget_exports
from budgets import imports as budget_imports
from budgets import selectors, services
from budgets.forms import (
    LAYOUTS,
    BudgetEntryForm,
    ConfirmForm,
    ImportForm,
    StatusForm,
    YearAddForm,
    YearDetailsForm,
    entry_rows,
)
from budgets.models import BudgetYear, ContributionLine
from yjplan.access import partnership_view
from yjplan.cache import cached_page, lazy
from yjplan.exports import csv_response, xlsx_response
from yjplan.services import Conflict
from yjplan.tabular import CellError, TableError, discard_stash, load_stash, stash_upload
from yjplan.views.util import apply_errors, crumbs, render_conflict


def _crumbs(request, budget_year=None):
    trail = crumbs(request, ("Budget", "budgets:index"))
    if budget_year is not None:
        trail.append(
            (
                budget_year.label,
                reverse("budgets:year", kwargs={"slug": request.partnership.slug, "year": budget_year.start_year}),
            )
        )
    return trail


def _year_or_404(request, year) -> BudgetYear:
    budget_year = selectors.budget_year_for(partnership=request.partnership, start_year=year)
    if budget_year is None:
        raise Http404("No budget for that year")
    return budget_year


def _layout(request, joint: bool) -> str:
    layout = request.GET.get("layout", "")
    return layout if layout in LAYOUTS else ("joint" if joint else "yjb")


@require_safe
@partnership_view("view")
@cached_page()
def index(request):
    partnership = request.partnership
    return render(
        request,
        "budgets/index.html",
        {
            "years": lazy(selectors.budget_years, partnership=partnership),
            "vfm": lazy(selectors.value_for_money, partnership=partnership),
            "can_edit": request.membership.can("budget.edit"),
            "breadcrumbs": crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("budget.edit")
def year_add(request):
    years = list(BudgetYear.objects.filter(partnership=request.partnership).order_by("-start_year"))
    suggested = (years[0].start_year + 1) if years else selectors.financial_year_of(timezone.localdate())
    form = YearAddForm(
        request.POST or None,
        years=years,
        initial={"start_year": suggested, "copy_from": years[0].start_year if years else ""},
    )
    if request.method == "POST" and form.is_valid():
        copy_from = next((y for y in years if y.start_year == form.cleaned_data["copy_from"]), None)
        try:
            budget_year = services.budget_year_create(
                partnership=request.partnership, start_year=form.cleaned_data["start_year"], copy_from=copy_from
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Budget {budget_year.label} added")
            return redirect("budgets:edit", slug=request.partnership.slug, year=budget_year.start_year)
    return render(request, "budgets/year_add.html", {"form": form, "breadcrumbs": _crumbs(request)})


@require_safe
@partnership_view("view")
@cached_page()
def year(request, year):
    budget_year = _year_or_404(request, year)
    return render(
        request,
        "budgets/year.html",
        {
            "budget_year": budget_year,
            "page": lazy(_year_page, request.partnership, budget_year, request.membership),
            "can_edit": request.membership.can("budget.edit"),
            "breadcrumbs": _crumbs(request),
        },
    )


def _year_page(partnership, budget_year, membership) -> dict:
    """The year's tables and the lines this member may confirm: read only when the page is not cached."""
    lines = selectors.year_lines(budget_year=budget_year)
    table = selectors.contributions_table(
        budget_year=budget_year, lines=lines, councils=selectors.councils_of(partnership=partnership)
    )
    confirmable = set()
    if membership.can("budget.confirm") and not budget_year.is_locked:
        for line in table["lines"]:
            if line["confirmed"]:
                continue
            if membership.is_finance or (
                (membership.is_board or membership.is_chair) and membership.agency == line["confirming_agency"]
            ):
                confirmable.add(line["id"])
    changes = selectors.year_on_year(partnership=partnership, start_year=budget_year.start_year)
    return {"table": table, "changes": changes, "confirmable": confirmable}


@require_http_methods(["GET", "POST"])
@partnership_view("budget.edit")
@cached_page()
def edit(request, year):
    """The entry table. Shown afresh (a GET), its table is a cached fragment: it is built only on a miss."""
    budget_year = _year_or_404(request, year)
    councils = selectors.councils_of(partnership=request.partnership)
    layout = _layout(request, len(councils) > 1)

    def build_form():
        lines = selectors.year_lines(budget_year=budget_year)
        rows = entry_rows(partnership=request.partnership, lines=lines, councils=councils, layout=layout)
        return BudgetEntryForm(
            request.POST or None,
            rows=rows,
            councils=councils,
            layout=layout,
            lines=lines,
            initial={"version": budget_year.updated_at.isoformat()},
        )

    form = lazy(build_form)
    back = f"{request.path}?layout={layout}"
    if request.method == "POST" and not budget_year.is_locked and form().is_valid():
        try:
            result = services.budget_lines_save(
                budget_year=budget_year,
                inputs=form().line_inputs(),
                version=form().cleaned_data["version"] or None,
                user=request.user,
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form(), back=back)
        except ValidationError as error:
            apply_errors(form(), error)
        else:
            if result.changes:
                n = len(result.changes)
                messages.success(
                    request, f"Budget {budget_year.label} saved: {n} figure{'s' if n != 1 else ''} changed"
                )
            else:
                messages.success(request, f"Budget {budget_year.label} saved: nothing had changed")
            for label in result.unconfirmed:
                messages.warning(request, f"{label} changed, so its partner's confirmation was cleared")
            return redirect("budgets:year", slug=request.partnership.slug, year=budget_year.start_year)
    bound = request.method == "POST"
    return render(
        request,
        "budgets/edit.html",
        {
            "budget_year": budget_year,
            "form": form() if bound else form,
            "bound": bound,
            "version": form()["version"].value() if bound else budget_year.updated_at.isoformat(),
            "councils": councils if layout == "joint" and len(councils) > 1 else [],
            "layout": layout,
            "layouts": LAYOUTS,
            "joint_service": len(councils) > 1,
            "totals": lazy(lambda: form().totals()),
            "breadcrumbs": _crumbs(request, budget_year),
        },
        status=200,
    )


@require_http_methods(["GET", "POST"])
@partnership_view("budget.edit")
def details(request, year):
    budget_year = _year_or_404(request, year)
    initial = {name: getattr(budget_year, name) for name in services.DETAIL_FIELDS}
    initial["version"] = budget_year.updated_at.isoformat()
    form = YearDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and not budget_year.is_locked and form.is_valid():
        try:
            services.budget_year_update(
                budget_year=budget_year, data=form.cleaned_data, version=form.cleaned_data["version"] or None
            )
        except Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Details of budget {budget_year.label} saved")
            return redirect("budgets:year", slug=request.partnership.slug, year=budget_year.start_year)
    return render(
        request,
        "budgets/details.html",
        {"form": form, "budget_year": budget_year, "breadcrumbs": _crumbs(request, budget_year)},
    )


@require_POST
@partnership_view("budget.edit")
def status(request, year):
    budget_year = _year_or_404(request, year)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose draft, confirmed or locked")
    else:
        try:
            services.budget_year_set_status(
                budget_year=budget_year, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Budget {budget_year.label} is now {BudgetYear.Status(form.cleaned_data['status']).label.lower()}",
            )
    return redirect("budgets:year", slug=request.partnership.slug, year=budget_year.start_year)


def _line_or_404(request, year, pk) -> ContributionLine:
    line = (
        ContributionLine.objects.select_related("budget_year", "council", "confirmed_by")
        .filter(budget_year__partnership=request.partnership, budget_year__start_year=year, pk=pk)
        .first()
    )
    if line is None:
        raise Http404("No such budget line")
    return line


@require_http_methods(["GET", "POST"])
@partnership_view("budget.confirm")
def confirm(request, year, pk):
    line = _line_or_404(request, year, pk)
    if not services.can_confirm(request.membership, line):
        raise PermissionDenied("Only a board member of this agency, or the finance officer, can confirm this line")
    membership = request.membership
    own_agency = (membership.is_board or membership.is_chair) and membership.agency == line.confirming_agency
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_confirm(line=line, membership=request.membership, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{line} confirmed")
            return redirect("budgets:year", slug=request.partnership.slug, year=year)
    return render(
        request,
        "budgets/confirm.html",
        {
            "form": form,
            "line": line,
            "on_behalf": not own_agency,
            "breadcrumbs": _crumbs(request, line.budget_year),
        },
    )


EXPORT_FORMATS = ("xlsx", "csv")


@require_safe
@partnership_view("budget.edit")
def export(request, year, layout, fmt):
    if layout not in LAYOUTS or fmt not in EXPORT_FORMATS:
        raise Http404("No such download")
    found = selectors.year_table(partnership=request.partnership, start_year=year)
    if found is None:
        raise Http404("No budget for that year")
    _, table = found
    sheet = budget_exports.budget_sheet(table, layout)
    name = budget_exports.filename(table, layout, fmt, request.partnership.slug)
    if fmt == "csv":
        return csv_response(name, sheet.header, sheet.rows)
    return xlsx_response(name, [sheet])


def _import_context(request, budget_year, **extra):
    return {"budget_year": budget_year, "breadcrumbs": _crumbs(request, budget_year), "max_mb": 5, **extra}


@require_http_methods(["GET", "POST"])
@partnership_view("budget.edit")
def import_upload(request, year):
    budget_year = _year_or_404(request, year)
    councils = selectors.councils_of(partnership=request.partnership)
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"layout": "joint" if len(councils) > 1 else "yjb"}
    )
    columns = {layout: budget_imports.expected_columns(layout, councils) for layout in LAYOUTS}
    context = _import_context(request, budget_year, form=form, councils=councils, columns=columns, layouts=LAYOUTS)
    if request.method != "POST" or budget_year.is_locked or not form.is_valid():
        return render(request, "budgets/import.html", context)
    upload = form.cleaned_data["file"]
    layout = form.cleaned_data["layout"]
    if upload.size > budget_imports.MAX_BYTES:
        context["file_errors"] = [CellError(None, None, "The file must be smaller than 5 MB")]
        return render(request, "budgets/import.html", context)
    data = upload.read()
    parsed = budget_imports.parse(data, filename=upload.name, layout=layout, budget_year=budget_year, councils=councils)
    if parsed.errors:
        context["file_errors"] = parsed.errors
        context["filename"] = upload.name
        return render(request, "budgets/import.html", context)
    lines = selectors.year_lines(budget_year=budget_year)
    changes, _ = services.plan_changes(budget_year=budget_year, inputs=parsed.inputs, existing=lines, replace=True)
    token = stash_upload(
        data=data, filename=upload.name, partnership_id=request.partnership.pk, user_id=request.user.pk
    )
    preview = _preview_table(budget_year, parsed.inputs, lines, councils)
    return render(
        request,
        "budgets/import_preview.html",
        _import_context(
            request,
            budget_year,
            changes=changes,
            token=token,
            layout=layout,
            filename=upload.name,
            version=budget_year.updated_at.isoformat(),
            table=preview,
            rows=parsed.rows,
        ),
    )


def _preview_table(budget_year, inputs, lines, councils) -> dict:
    """The table as it will be after the import, built without saving anything."""
    existing = {line.pk: line for line in lines}
    _, writes = services.plan_changes(budget_year=budget_year, inputs=inputs, existing=lines, replace=True)
    after = dict(existing)
    for item, line, values in writes:
        if item is None:
            after.pop(line.pk, None)
            continue
        if line is None:
            line = ContributionLine(budget_year=budget_year, agency=item.agency, council_id=item.council_id)
            line.pk = -(len(after) + 1)
        else:
            line = ContributionLine(
                **{f.attname: getattr(line, f.attname) for f in ContributionLine._meta.concrete_fields}
            )
        for column, value in values.items():
            setattr(line, column, value)
        line.council = next((c for c in councils if c.pk == line.council_id), None)
        after[line.pk] = line
    return selectors.contributions_table(budget_year=budget_year, lines=list(after.values()), councils=councils)


@require_POST
@partnership_view("budget.edit")
def import_confirm(request, year):
    budget_year = _year_or_404(request, year)
    back = reverse("budgets:import", kwargs={"slug": request.partnership.slug, "year": year})
    token = request.POST.get("token", "")
    layout = request.POST.get("layout", "")
    try:
        data, filename = load_stash(token, partnership_id=request.partnership.pk, user_id=request.user.pk)
    except TableError as error:
        messages.error(request, str(error))
        return redirect(back)
    if layout not in LAYOUTS:
        messages.error(request, "Choose the layout of the file and upload it again")
        return redirect(back)
    councils = selectors.councils_of(partnership=request.partnership)
    parsed = budget_imports.parse(data, filename=filename, layout=layout, budget_year=budget_year, councils=councils)
    if parsed.errors:
        messages.error(request, "The file has errors: upload it again to see them")
        return redirect(back)
    try:
        result = services.budget_lines_save(
            budget_year=budget_year,
            inputs=parsed.inputs,
            version=request.POST.get("version") or None,
            user=request.user,
            replace=True,
        )
    except Conflict as conflict:
        labels = _ConflictLabels(conflict)
        return render_conflict(request, conflict, labels, back=request.path)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    discard_stash(token)
    n = len(result.changes)
    messages.success(request, f"Imported {filename}: {n} figure{'s' if n != 1 else ''} changed")
    for label in result.unconfirmed:
        messages.warning(request, f"{label} changed, so its partner's confirmation was cleared")
    return redirect("budgets:year", slug=request.partnership.slug, year=year)


class _ConflictLabels:
    """Labels for the conflict page of an import: "Row 4 (Police): staffing costs"."""

    def __init__(self, conflict):
        self.fields = {}
        for name in conflict.theirs:
            key, _, column = name.rpartition("-")
            self.fields[name] = SimpleNamespace(
                label=f"{key or name}: {services.COLUMN_LABELS.get(column, column).lower()}"
            )
