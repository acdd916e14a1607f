"""Every read the budget pages and blocks need, each with a fixed number of queries.

The tables are plain dicts and lists (amounts as Decimal) so a block can snapshot them as JSON and
render the snapshot exactly as it renders live data.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from budgets.models import AGENCY_ORDER, Agency, BudgetYear, ContributionLine, year_label
from budgets.money import format_money
from yjplan.models import Partnership
from yjplan.registry import registry

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


def financial_year_of(day: date) -> int:
    """The start year of the financial year (April to March) containing ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def budget_years(*, partnership: Partnership) -> list[dict]:
    """Every year with its totals and confirmation counts: one query."""
    money = DecimalField(max_digits=14, decimal_places=2)
    rows = (
        BudgetYear.objects.filter(partnership=partnership)
        .annotate(
            staffing=Coalesce(Sum("lines__staffing_costs"), Value(ZERO), output_field=money),
            in_kind=Coalesce(Sum("lines__payments_in_kind"), Value(ZERO), output_field=money),
            other=Coalesce(Sum("lines__other_delegated_funds"), Value(ZERO), output_field=money),
            line_count=Count("lines"),
            unconfirmed=Count("lines", filter=Q(lines__confirmed_at__isnull=True)),
        )
        .order_by("-start_year")
    )
    return [
        {
            "year": y,
            "start_year": y.start_year,
            "label": y.label,
            "status": y.status,
            "status_label": y.get_status_display(),
            "staffing": y.staffing,
            "in_kind": y.in_kind,
            "other": y.other,
            "cash": y.staffing + y.other,
            "total": y.staffing + y.other + y.in_kind,
            "lines": y.line_count,
            "unconfirmed": y.unconfirmed,
        }
        for y in rows
    ]


def budget_year_for(*, partnership: Partnership, start_year: int) -> BudgetYear | None:
    return (
        BudgetYear.objects.select_related("partnership").filter(partnership=partnership, start_year=start_year).first()
    )


def year_lines(*, budget_year: BudgetYear) -> list[ContributionLine]:
    lines = list(budget_year.lines.select_related("council", "confirmed_by"))
    lines.sort(key=lambda line: (AGENCY_ORDER[line.agency], line.other_name.casefold(), _council_pos(line)))
    return lines


def _council_pos(line) -> tuple:
    return (line.council.position, line.council.name) if line.council_id else (-1, "")


def councils_of(*, partnership: Partnership) -> list:
    return list(partnership.local_authorities.order_by("position", "name"))


def _row_key(line) -> tuple:
    return (line.agency, line.other_name.strip())


def _row_label(agency: str, other_name: str) -> str:
    return other_name if agency == Agency.OTHER and other_name else Agency(agency).label


def line_label(line, joint: bool) -> str:
    return f"{line.agency_label}, {line.council.short_name}" if joint and line.council_id else line.agency_label


def contributions_table(*, budget_year: BudgetYear, lines: list[ContributionLine], councils: list) -> dict:
    """Both layouts of one year's lines, with totals by row, column and council (no queries)."""
    joint = len(councils) > 1
    column_of = {c.pk: index for index, c in enumerate(councils)}
    rows: OrderedDict[tuple, dict] = OrderedDict()
    for line in sorted(lines, key=lambda x: (AGENCY_ORDER[x.agency], x.other_name.casefold())):
        key = _row_key(line)
        if key not in rows:
            rows[key] = {
                "label": _row_label(*key),
                "agency": key[0],
                "other_name": key[1],
                "staffing": ZERO,
                "in_kind": ZERO,
                "other": ZERO,
                "total": ZERO,
                "cells": [{"cash": ZERO, "in_kind": ZERO} for _ in councils] or [{"cash": ZERO, "in_kind": ZERO}],
            }
        row = rows[key]
        row["staffing"] += line.staffing_costs
        row["in_kind"] += line.payments_in_kind
        row["other"] += line.other_delegated_funds
        row["total"] += line.total
        cell = row["cells"][column_of.get(line.council_id, 0)]
        cell["cash"] += line.cash
        cell["in_kind"] += line.payments_in_kind

    width = max(1, len(councils))
    totals = {"staffing": ZERO, "in_kind": ZERO, "other": ZERO, "cash": ZERO, "total": ZERO}
    cell_totals = [{"cash": ZERO, "in_kind": ZERO} for _ in range(width)]
    for row in rows.values():
        for name in ("staffing", "in_kind", "other", "total"):
            totals[name] += row[name]
        for index, cell in enumerate(row["cells"]):
            cell_totals[index]["cash"] += cell["cash"]
            cell_totals[index]["in_kind"] += cell["in_kind"]
    totals["cash"] = totals["staffing"] + totals["other"]
    council_list = [{"id": c.pk, "name": c.name, "short_name": c.short_name} for c in councils]
    by_council = [
        {
            "council": council_list[i]["short_name"] if council_list else "",
            "cash": cell_totals[i]["cash"],
            "in_kind": cell_totals[i]["in_kind"],
            "total": cell_totals[i]["cash"] + cell_totals[i]["in_kind"],
        }
        for i in range(len(council_list))
    ]
    line_rows = [
        {
            "id": line.pk,
            "label": line_label(line, joint),
            "agency": line.agency,
            "agency_label": Agency(line.agency).label,
            "council": line.council.short_name if line.council_id else "",
            "staffing": line.staffing_costs,
            "in_kind": line.payments_in_kind,
            "other": line.other_delegated_funds,
            "cash": line.cash,
            "total": line.total,
            "note": line.note,
            "confirmed": line.is_confirmed,
            "confirmed_by": line.confirmed_by.full_name if line.confirmed_by_id else "",
            "confirmed_at": line.confirmed_at,
            "confirmation_note": line.confirmation_note,
            "confirming_agency": line.confirming_agency,
        }
        for line in sorted(lines, key=lambda x: (AGENCY_ORDER[x.agency], x.other_name.casefold(), _council_pos(x)))
    ]
    return {
        "partnership": budget_year.partnership.name,
        "start_year": budget_year.start_year,
        "label": budget_year.label,
        "status": budget_year.status,
        "status_label": budget_year.get_status_display(),
        "lock_reason": budget_year.lock_reason,
        "notes": budget_year.notes,
        "joint": joint,
        "councils": council_list,
        "rows": list(rows.values()),
        "totals": totals,
        "council_totals": cell_totals,
        "by_council": by_council,
        "lines": line_rows,
        "unconfirmed": sum(1 for line in lines if not line.is_confirmed),
        "joint_width": 2 * max(1, len(councils)) + 2,
    }


def year_table(*, partnership: Partnership, start_year: int) -> tuple[BudgetYear, dict] | None:
    """The year and its table: three queries whatever the number of lines."""
    budget_year = budget_year_for(partnership=partnership, start_year=start_year)
    if budget_year is None:
        return None
    lines = year_lines(budget_year=budget_year)
    table = contributions_table(budget_year=budget_year, lines=lines, councils=councils_of(partnership=partnership))
    return budget_year, table


def percent(change: Decimal, base: Decimal) -> Decimal | None:
    if not base:
        return None
    return (abs(change) * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change_sentence(
    label: str, previous: Decimal | None, current: Decimal | None, previous_label: str, current_label: str
) -> str:
    """ "Local Authority contribution down £40,000 (4.2%) on 2018/19"."""
    subject = label if label.lower().startswith("total") else f"{label} contribution"
    previous = previous or ZERO
    current = current or ZERO
    if not previous and current:
        return f"{subject} new in {current_label} ({format_money(current)})"
    if previous and not current:
        return f"{subject} none in {current_label} (was {format_money(previous)} in {previous_label})"
    change = current - previous
    if change == 0:
        return f"{subject} unchanged on {previous_label} ({format_money(current)})"
    direction = "up" if change > 0 else "down"
    return f"{subject} {direction} {format_money(abs(change))} ({percent(change, previous)}%) on {previous_label}"


def direction(previous: Decimal, current: Decimal) -> str:
    if not previous and current:
        return "New"
    if previous and not current:
        return "Ended"
    if current < previous:
        return "Reduction"
    return "Increase" if current > previous else "No change"


def _totals_by_agency(partnership: Partnership, start_years: list[int]) -> dict[int, dict[tuple, Decimal]]:
    rows = (
        ContributionLine.objects.filter(budget_year__partnership=partnership, budget_year__start_year__in=start_years)
        .values("budget_year__start_year", "agency", "other_name")
        .annotate(total=Sum(F("staffing_costs") + F("payments_in_kind") + F("other_delegated_funds")))
    )
    found: dict[int, dict[tuple, Decimal]] = {year: {} for year in start_years}
    for row in rows:
        key = (row["agency"], row["other_name"].strip())
        bucket = found[row["budget_year__start_year"]]
        bucket[key] = bucket.get(key, ZERO) + Decimal(row["total"] or 0).quantize(PENNY)
    return found


def year_on_year(*, partnership: Partnership, start_year: int | None = None) -> dict:
    """Per agency and in total: last year, this year, change in £ and %, reductions flagged, a sentence each."""
    years = list(
        BudgetYear.objects.filter(partnership=partnership).order_by("-start_year").values_list("start_year", flat=True)
    )
    if start_year is None:
        start_year = years[0] if years else None
    if start_year is None or start_year not in years:
        return {"partnership": partnership.name, "available": False, "rows": [], "label": "", "previous_label": ""}
    previous_year = start_year - 1
    has_previous = previous_year in years
    totals = _totals_by_agency(partnership, [start_year, previous_year])
    current, previous = totals[start_year], totals[previous_year]
    label, previous_label = year_label(start_year), year_label(previous_year)
    keys = sorted(set(current) | set(previous), key=lambda k: (AGENCY_ORDER.get(k[0], 99), k[1].casefold()))
    rows = []
    for key in keys:
        now, before = current.get(key, ZERO), previous.get(key, ZERO)
        change = now - before
        rows.append(
            {
                "label": _row_label(*key),
                "previous": before,
                "current": now,
                "change": change,
                "percent": percent(change, before),
                "reduction": change < 0,
                "direction": direction(before, now),
                "sentence": change_sentence(_row_label(*key), before, now, previous_label, label),
            }
        )
    total_now, total_before = sum(current.values(), ZERO), sum(previous.values(), ZERO)
    total = {
        "label": "Total",
        "previous": total_before,
        "current": total_now,
        "change": total_now - total_before,
        "percent": percent(total_now - total_before, total_before),
        "reduction": total_now < total_before,
        "direction": direction(total_before, total_now),
        "sentence": change_sentence("Total partnership budget", total_before, total_now, previous_label, label),
    }
    return {
        "partnership": partnership.name,
        "available": has_previous,
        "start_year": start_year,
        "label": label,
        "previous_label": previous_label,
        "rows": rows,
        "total": total,
        "reductions": [row for row in rows if row["reduction"]],
    }


def _per(total: Decimal, count) -> Decimal | None:
    if not count:
        return None
    return (total / Decimal(count)).quantize(PENNY, rounding=ROUND_HALF_UP)


def value_for_money(*, partnership: Partnership, years: int = 5) -> dict:
    """Cost per child worked with, per outcome and per head of the 10–17 population, by year, newest first (as the
    list of budget years): two queries."""
    money = DecimalField(max_digits=14, decimal_places=2)
    rows = list(
        BudgetYear.objects.filter(partnership=partnership)
        .annotate(
            total=Coalesce(
                Sum(F("lines__staffing_costs") + F("lines__payments_in_kind") + F("lines__other_delegated_funds")),
                Value(ZERO),
                output_field=money,
            )
        )
        .order_by("-start_year")[:years]
    )
    populations = dict(partnership.populations.values_list("year", "population_10_17"))
    untyped = [y.start_year for y in rows if y.children_worked_with is None or y.outcomes is None]
    measured = registry.metrics(partnership, untyped) if untyped else {}
    out = []
    for y in rows:
        total = Decimal(y.total).quantize(PENNY)
        population = populations.get(y.start_year)
        children = _count(y.children_worked_with, measured.get(y.start_year, {}).get("children_worked_with"))
        outcomes = _count(y.outcomes, measured.get(y.start_year, {}).get("outcomes"))
        out.append(
            {
                "label": y.label,
                "start_year": y.start_year,
                "total": total,
                "children": children["value"],
                "children_source": children["source"],
                "children_detail": children["detail"],
                "per_child": _per(total, children["value"]),
                "outcomes": outcomes["value"],
                "outcomes_source": outcomes["source"],
                "outcomes_detail": outcomes["detail"],
                "per_outcome": _per(total, outcomes["value"]),
                "population": population,
                "per_head": _per(total, population),
            }
        )
    return {
        "partnership": partnership.name,
        "rows": out,
        "measured": any(r[f"{k}_source"] == MEASURED for r in out for k in ("children", "outcomes")),
    }


ENTERED = "entered"
MEASURED = "from performance data"


def _count(typed, figure) -> dict:
    """A count typed for the year wins; otherwise the performance data's figure (registry metric), labelled."""
    if typed is not None:
        return {"value": typed, "source": ENTERED, "detail": ""}
    if figure is not None:
        return {"value": figure.value, "source": MEASURED, "detail": figure.source}
    return {"value": None, "source": "", "detail": ""}


def tile(*, partnership: Partnership, today: date) -> dict:
    """This year's total, lines awaiting confirmation, change on last year."""
    years = budget_years(partnership=partnership)
    if not years:
        return {"has_budget": False}
    current_fy = financial_year_of(today)
    chosen = next((y for y in years if y["start_year"] <= current_fy), years[-1])
    previous = next((y for y in years if y["start_year"] == chosen["start_year"] - 1), None)
    data = {
        "has_budget": True,
        "label": chosen["label"],
        "start_year": chosen["start_year"],
        "total": chosen["total"],
        "unconfirmed": chosen["unconfirmed"],
        "lines": chosen["lines"],
        "status_label": chosen["status_label"],
        "sentence": "",
    }
    if previous is not None:
        data["sentence"] = change_sentence(
            "Total partnership budget", previous["total"], chosen["total"], previous["label"], chosen["label"]
        )
    return data


def attention(*, partnership: Partnership, today: date, since=None) -> list[dict]:
    """Unconfirmed lines and reductions in the current budget year, for the board's agenda."""
    from django.urls import reverse

    summary = tile(partnership=partnership, today=today)
    if not summary["has_budget"]:
        return []
    url = reverse("budgets:year", kwargs={"slug": partnership.slug, "year": summary["start_year"]})
    items = []
    if summary["unconfirmed"]:
        n = summary["unconfirmed"]
        items.append(
            {
                "title": f"{n} budget line{'s' if n != 1 else ''} not confirmed by the partner for {summary['label']}",
                "detail": "Each partner agency confirms its own contribution to the pooled budget.",
                "url": url,
                "kind": "budget_unconfirmed",
                "severity": "medium",
            }
        )
    changes = year_on_year(partnership=partnership, start_year=summary["start_year"])
    if changes["available"]:
        for row in changes["reductions"]:
            items.append(
                {
                    "title": row["sentence"],
                    "detail": f"A reduction in a partner's contribution to the {changes['label']} pooled budget.",
                    "url": url,
                    "kind": "budget_reduction",
                    "severity": "high" if row["percent"] and row["percent"] >= 5 else "medium",
                }
            )
    return items


def state_key(*, partnership: Partnership) -> str:
    latest = (
        BudgetYear.objects.filter(partnership=partnership).order_by("-updated_at").values_list("updated_at", flat=True)
    )
    line = ContributionLine.objects.filter(budget_year__partnership=partnership).order_by("-updated_at")
    return f"{latest.first()}|{line.values_list('updated_at', flat=True).first()}"
