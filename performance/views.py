"""Pages of the performance spoke: thin — permission, one selector or service, render."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from performance import imports, selectors, services
from performance.charts import line_chart_svg
from performance.forms import (
    AreaForm,
    AreaRenameForm,
    ImportForm,
    IndicatorForm,
    ObservationForm,
    PeriodForm,
    SettingsForm,
)
from performance.models import Unit
from yjplan.access import partnership_view
from yjplan.cache import cached_page, lazy
from yjplan.exports import csv_response
from yjplan.tabular import TableError, discard_stash, load_stash, stash_upload
from yjplan.views.util import apply_errors, crumbs, render_conflict

HOME = ("Performance", "performance:dashboard")


def _crumbs(request, *extra):
    return crumbs(request, HOME, *extra)


def _dashboard_data(partnership) -> dict:
    data = selectors.dashboard(partnership=partnership, today=timezone.localdate())
    data["summaries"] = selectors.summary_dicts(data["summaries"])
    return data


@require_safe
@partnership_view("view")
@cached_page()
def dashboard(request):
    return render(
        request,
        "performance/dashboard.html",
        {
            "data": lazy(_dashboard_data, request.partnership),
            "can_edit": request.membership.can("performance.edit"),
            "breadcrumbs": crumbs(request),
        },
    )


@require_safe
@partnership_view("view")
def indicator_list(request):
    indicators = list(selectors.indicators_for(request.partnership).select_related("parent").order_by("position"))
    areas = list(selectors.relevant_areas(request.partnership).order_by("position", "name"))
    return render(
        request,
        "performance/indicator_list.html",
        {
            "indicators": indicators,
            "areas": areas,
            "can_edit": request.membership.can("performance.edit"),
            "breadcrumbs": _crumbs(request),
        },
    )


def y_label(indicator) -> str:
    return {
        Unit.PER_100K: "Per 100,000 aged 10 to 17",
        Unit.PER_1000: "Per 1,000 aged 10 to 17",
        Unit.PERCENT: "Per cent",
        Unit.FREQUENCY: "Offences per child",
        Unit.COUNT: "Number",
        Unit.RATIO: "Ratio",
    }.get(indicator.unit, "Value")


def indicator_chart(history: dict, *, chart_id: str = "chart") -> str:
    indicator = history["indicator"]
    return line_chart_svg(
        title=f"{indicator.name} ({indicator.get_unit_display()}) over time",
        series=[(s.area.name, s.points) for s in history["series"]],
        y_label=y_label(indicator),
        description=f"{indicator.name} for {', '.join(s.area.name for s in history['series'])}. "
        "The same figures are in the table below the chart.",
        chart_id=chart_id,
    )


@require_safe
@partnership_view("view")
def indicator_detail(request, pk):
    indicator = selectors.indicator_for(request.partnership, pk)
    if indicator is None:
        raise Http404("No such indicator")
    history = selectors.indicator_history(partnership=request.partnership, indicator=indicator)
    return render(
        request,
        "performance/indicator_detail.html",
        {
            **history,
            "chart": indicator_chart(history),
            "can_edit": request.membership.can("performance.edit"),
            "breadcrumbs": _crumbs(request, AREAS),
        },
    )


@require_safe
@partnership_view("view")
def indicator_csv(request, pk):
    indicator = selectors.indicator_for(request.partnership, pk)
    if indicator is None:
        raise Http404("No such indicator")
    history = selectors.indicator_history(partnership=request.partnership, indicator=indicator)
    header = [
        "indicator",
        "area",
        "period start",
        "period end",
        "label",
        "numerator",
        "denominator",
        "value",
        "source",
        "date published",
    ]
    rows = [
        [
            indicator.code,
            o.area.code,
            o.period_start.isoformat(),
            o.period_end.isoformat(),
            o.label,
            "" if o.numerator is None else f"{o.numerator.normalize():f}",
            "" if o.denominator is None else f"{o.denominator.normalize():f}",
            f"{o.value.normalize():f}",
            o.source,
            o.published_on.isoformat() if o.published_on else "",
        ]
        for o in history["observations"]
    ]
    return csv_response(f"{request.partnership.slug}-{indicator.code.lower()}.csv", header, rows)


def _parse_period(text: str) -> tuple[date, date] | None:
    try:
        start, end = (date.fromisoformat(part) for part in text.split("_", 1))
    except ValueError:
        return None
    return (start, end) if start <= end else None


@require_safe
@partnership_view("view")
def kpi_return(request):
    quarters = selectors.kpi_quarters(partnership=request.partnership)
    chosen = _parse_period(request.GET.get("period", ""))
    if chosen is None and quarters:
        chosen = quarters[0]
    start, end = chosen or (None, None)
    data = selectors.kpi_return(partnership=request.partnership, period_start=start, period_end=end)
    options = [
        {
            "value": f"{s.isoformat()}_{e.isoformat()}",
            "text": f"{s:%d %b %Y} to {e:%d %b %Y}",
            "selected": (s, e) == chosen,
        }
        for s, e in quarters
    ]
    return render(
        request,
        "performance/kpi_return.html",
        {
            **data,
            "options": options,
            "can_edit": request.membership.can("performance.edit"),
            "breadcrumbs": _crumbs(request),
        },
    )


# --- Entry ------------------------------------------------------------------------------------


def _observation_form(request, observation=None):
    services.areas_ensure(partnership=request.partnership)
    indicators = list(selectors.indicators_for(request.partnership).order_by("position", "code"))
    areas = list(selectors.relevant_areas(request.partnership).order_by("position", "name"))
    initial = {}
    if observation is not None:
        initial = {
            "indicator": observation.indicator_id,
            "area": observation.area_id,
            "period_start": observation.period_start,
            "period_end": observation.period_end,
            "label": observation.label,
            "numerator": observation.numerator,
            "denominator": observation.denominator,
            "value": None if observation.numerator is not None else observation.value.normalize(),
            "source": observation.source,
            "published_on": observation.published_on,
            "version": observation.updated_at.isoformat(),
        }
    else:
        for key in ("indicator", "area"):
            if request.GET.get(key, "").isdigit():
                initial[key] = int(request.GET[key])
    form = ObservationForm(request.POST or None, initial=initial, indicators=indicators, areas=areas)
    return form, {i.pk: i for i in indicators}, {a.pk: a for a in areas}


def _save_observation(request, observation=None):
    form, indicators, areas = _observation_form(request, observation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.observation_save(
                partnership=request.partnership,
                indicator=indicators[data["indicator"]],
                area=areas[data["area"]],
                period_start=data["period_start"],
                period_end=data["period_end"],
                label=data["label"],
                numerator=data["numerator"],
                denominator=data["denominator"],
                value=data["value"],
                source=data["source"],
                published_on=data["published_on"],
                observation=observation,
                version=data["version"] or None,
            )
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{saved.indicator.code} for {saved.area.name} saved")
            return redirect("performance:indicator", slug=request.partnership.slug, pk=saved.indicator_id)
    heading = "Change a figure" if observation else "Add a figure"
    return render(
        request,
        "performance/observation_form.html",
        {"form": form, "heading": heading, "observation": observation, "breadcrumbs": _crumbs(request)},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def observation_add(request):
    return _save_observation(request)


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def observation_edit(request, pk):
    observation = selectors.observation_for(request.partnership, pk)
    if observation is None:
        raise Http404("No such figure")
    return _save_observation(request, observation)


def last_quarter(today: date) -> tuple[date, date]:
    """The last complete quarter (April–June, July–September, …) before ``today``."""
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def grid(request):
    services.areas_ensure(partnership=request.partnership)
    start, end = last_quarter(timezone.localdate())
    period_form = PeriodForm(request.GET or None, initial={"period_start": start, "period_end": end, "group": "kpi"})
    group = "kpi"
    if request.GET and period_form.is_valid():
        start, end = period_form.cleaned_data["period_start"], period_form.cleaned_data["period_end"]
        group = period_form.cleaned_data["group"]
    data = selectors.grid(partnership=request.partnership, period_start=start, period_end=end, group=group)
    errors: dict[str, str] = {}
    posted = request.POST if request.method == "POST" else {}
    cells = []
    for indicator in data["indicators"]:
        row = {"indicator": indicator, "cells": []}
        for area in data["areas"]:
            existing = data["existing"].get((indicator.pk, area.pk))
            names = {k: f"{k}-{indicator.pk}-{area.pk}" for k in ("n", "d", "v")}
            if posted:
                shown = {k: posted.get(name, "").strip() for k, name in names.items()}
            elif existing:
                shown = {
                    "n": "" if existing.numerator is None else f"{existing.numerator.normalize():f}",
                    "d": "" if existing.denominator is None else f"{existing.denominator.normalize():f}",
                    "v": "" if existing.numerator is not None else f"{existing.value.normalize():f}",
                }
            else:
                shown = {"n": "", "d": "", "v": ""}
            row["cells"].append({"area": area, "names": names, "shown": shown, "existing": existing})
        cells.append(row)
    if request.method == "POST":
        grid_cells = []
        for row in cells:
            for cell in row["cells"]:
                numbers = {}
                for key, label in (("n", "numerator"), ("d", "denominator"), ("v", "value")):
                    text = cell["shown"][key].replace(",", "")
                    try:
                        numbers[key] = Decimal(text) if text else None
                        if numbers[key] is not None and not numbers[key].is_finite():
                            raise InvalidOperation
                    except InvalidOperation:
                        errors[cell["names"][key]] = (
                            f"{row['indicator'].code} / {cell['area'].name} / {label}: must be a number, like 42"
                        )
                        numbers[key] = None
                grid_cells.append(
                    services.GridCell(row["indicator"], cell["area"], numbers["n"], numbers["d"], numbers["v"])
                )
        if not errors:
            try:
                counts = services.grid_save(
                    partnership=request.partnership,
                    period_start=start,
                    period_end=end,
                    label=request.POST.get("label", "").strip()[:60],
                    source=request.POST.get("source", "").strip()[:200],
                    cells=grid_cells,
                )
            except ValidationError as error:
                by_label = {}
                for row in cells:
                    for cell in row["cells"]:
                        for key, label in (("n", "numerator"), ("d", "denominator"), ("v", "value")):
                            by_label[f"{row['indicator'].code} / {cell['area'].name} / {label}"] = cell["names"][key]
                for field, messages_ in error.message_dict.items():
                    errors[by_label.get(field, "period_start")] = f"{field}: {messages_[0]}"
            else:
                if counts["added"] or counts["changed"]:
                    messages.success(
                        request,
                        f"{counts['added']} figures added, {counts['changed']} changed, "
                        f"{counts['unchanged']} unchanged",
                    )
                else:
                    messages.info(request, "Nothing changed: every figure was already recorded")
                return redirect(request.get_full_path())
    return render(
        request,
        "performance/grid.html",
        {
            "period_form": period_form,
            "rows": cells,
            "areas": data["areas"],
            "start": start,
            "end": end,
            "errors": errors,
            "label": request.POST.get("label", "") if request.method == "POST" else "",
            "breadcrumbs": _crumbs(request),
        },
    )


# --- Import -----------------------------------------------------------------------------------


def _import_options(data: dict) -> dict:
    return {
        "layout": data.get("layout") or "long",
        "period_start": data.get("period_start"),
        "period_end": data.get("period_end"),
        "label": data.get("label") or "",
    }


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "breadcrumbs": _crumbs(request)}
    if request.method == "POST" and form.is_valid():
        services.areas_ensure(partnership=request.partnership)
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", "The file must be smaller than 20 MB")
            return render(request, "performance/import.html", context)
        data = upload.read()
        options = _import_options(form.cleaned_data)
        parsed = imports.parse(data, filename=upload.name, partnership=request.partnership, **options)
        preview = imports.preview(parsed, partnership=request.partnership)
        token = ""
        if not parsed.errors:
            token = stash_upload(
                data=data, filename=upload.name, partnership_id=request.partnership.pk, user_id=request.user.pk
            )
        context.update(
            preview=preview,
            token=token,
            filename=upload.name,
            options={k: (v.isoformat() if isinstance(v, date) else v) for k, v in options.items()},
        )
        return render(request, "performance/import_preview.html", context)
    return render(request, "performance/import.html", context)


@require_POST
@partnership_view("performance.edit")
def import_confirm(request):
    token = request.POST.get("token", "")
    try:
        data, filename = load_stash(token, partnership_id=request.partnership.pk, user_id=request.user.pk)
    except TableError as error:
        messages.error(request, str(error.errors[0]))
        return redirect("performance:import", slug=request.partnership.slug)
    options = {
        "layout": "wide" if request.POST.get("layout") == "wide" else "long",
        "label": request.POST.get("label", "")[:60],
    }
    for name in ("period_start", "period_end"):
        try:
            options[name] = date.fromisoformat(request.POST.get(name, ""))
        except ValueError:
            options[name] = None
    parsed, counts = imports.import_file(
        data, filename=filename, partnership=request.partnership, user=request.user, **options
    )
    if parsed.errors:
        messages.error(request, f"The file has {len(parsed.errors)} problems now: nothing was saved. Upload it again.")
        return redirect("performance:import", slug=request.partnership.slug)
    discard_stash(token)
    if counts["added"] or counts["changed"]:
        messages.success(
            request,
            f"Imported {filename}: {counts['added']} figures added, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged",
        )
    else:
        messages.info(request, f"Nothing changed: every figure in {filename} is already recorded")
    return redirect("performance:dashboard", slug=request.partnership.slug)


# --- Settings and areas -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def settings_edit(request):
    current = selectors.settings_of(request.partnership)
    initial = {
        "small_numerator": current.small_numerator,
        "small_cohort": current.small_cohort,
        "suppress_small_counts": current.suppress_small_counts,
        "baseline_year": current.baseline_year,
        "version": current.updated_at.isoformat() if current.pk else "",
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.settings_update(
                partnership=request.partnership,
                small_numerator=data["small_numerator"],
                small_cohort=data["small_cohort"],
                suppress_small_counts=data["suppress_small_counts"],
                baseline_year=data["baseline_year"],
                version=data["version"] or None,
            )
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Performance settings saved")
            return redirect("performance:dashboard", slug=request.partnership.slug)
    return render(request, "performance/settings.html", {"form": form, "breadcrumbs": _crumbs(request)})


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def area_add(request):
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.area_add(partnership=request.partnership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{area.name} added")
            return redirect(reverse("performance:indicators", kwargs={"slug": request.partnership.slug}))
    return render(
        request,
        "performance/area_add.html",
        {"form": form, "breadcrumbs": _crumbs(request, ("Indicators and areas", "performance:indicators"))},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def indicator_add(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_add(partnership=request.partnership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{indicator.name} added")
            return redirect("performance:indicator", slug=request.partnership.slug, pk=indicator.pk)
    return render(
        request,
        "performance/indicator_add.html",
        {"form": form, "breadcrumbs": _crumbs(request, ("Indicators and areas", "performance:indicators"))},
    )


AREAS = ("Indicators and areas", "performance:indicators")


def _own_area(request, pk):
    area = selectors.relevant_areas(request.partnership).filter(partnership=request.partnership, pk=pk).first()
    if area is None:
        raise Http404("No such area")
    return area


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def area_edit(request, pk):
    area = _own_area(request, pk)
    form = AreaRenameForm(request.POST or None, initial={"name": area.name, "version": area.updated_at.isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            services.area_rename(
                area=area, name=form.cleaned_data["name"], version=form.cleaned_data["version"] or None
            )
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{area.code} renamed")
            return redirect(reverse("performance:indicators", kwargs={"slug": request.partnership.slug}))
    return render(
        request,
        "performance/area_edit.html",
        {
            "form": form,
            "area": area,
            "breadcrumbs": _crumbs(request, AREAS),
        },
    )


@require_http_methods(["GET", "POST"])
@partnership_view("performance.edit")
def area_remove(request, pk):
    """GOV.UK's pattern for a destructive action: a page saying what will go, then one button."""
    area = _own_area(request, pk)
    figures = selectors.area_figure_count(area)
    error = ""
    if request.method == "POST" and services.area_can_remove(area):
        try:
            confirmed = int(request.POST.get("figures", ""))
        except ValueError:
            confirmed = -1
        try:
            deleted = services.area_remove(area=area, figures_confirmed=confirmed)
        except ValidationError as problem:
            error = " ".join(problem.messages)
            figures = selectors.area_figure_count(area)
        else:
            messages.success(request, f"{area.name} removed with {deleted} figure{'s' if deleted != 1 else ''}")
            return redirect(reverse("performance:indicators", kwargs={"slug": request.partnership.slug}))
    return render(
        request,
        "performance/area_remove.html",
        {
            "area": area,
            "figures": figures,
            "removable": services.area_can_remove(area),
            "error": error,
            "breadcrumbs": _crumbs(request, AREAS),
        },
    )
