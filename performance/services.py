"""Every write of the performance spoke: keyword-only, validated, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from performance.analysis import compute_value, value_agrees
from performance.models import AreaKind, ComparatorArea, Indicator, Observation, PerformanceSettings
from yjplan.models import Partnership
from yjplan.services import Conflict, is_stale

PARTNERSHIP_AREA = "PARTNERSHIP"
FAMILY_AREA = "FAMILY"
POLICE_AREA = "POLICE"
MAX_VALUE = Decimal("999999999999")


def council_area_code(short_name: str) -> str:
    """An area code from a council's short name, no longer than the code column (40)."""
    return "".join(ch if ch.isalnum() else "-" for ch in short_name.upper()).strip("-")[:40]


@transaction.atomic
def areas_ensure(*, partnership: Partnership) -> list[ComparatorArea]:
    """The partnership's own areas: itself, each council of a joint service, its YOT family and police area."""
    wanted = [(PARTNERSHIP_AREA, partnership.name, AreaKind.PARTNERSHIP, 0)]
    councils = list(partnership.local_authorities.order_by("position", "name"))
    if len(councils) > 1:
        for index, council in enumerate(councils, start=1):
            wanted.append((council_area_code(council.short_name), council.short_name, AreaKind.COUNCIL, index))
    if partnership.yot_family:
        wanted.append((FAMILY_AREA, partnership.yot_family, AreaKind.FAMILY, 20))
    if partnership.police_force_area:
        wanted.append((POLICE_AREA, partnership.police_force_area.split(";")[0].strip(), AreaKind.POLICE, 30))
    existing = {a.code: a for a in ComparatorArea.objects.filter(partnership=partnership)}
    for code, name, kind, position in wanted:
        if code not in existing:
            existing[code] = ComparatorArea.objects.create(
                partnership=partnership, code=code, name=name[:150], kind=kind, position=position
            )
    return sorted(existing.values(), key=lambda a: (a.position, a.name))


def settings_for(partnership: Partnership) -> PerformanceSettings:
    """The partnership's settings, or the defaults (unsaved) when none were chosen."""
    found = PerformanceSettings.objects.filter(partnership=partnership).first()
    return found or PerformanceSettings(partnership=partnership)


@transaction.atomic
def settings_update(
    *,
    partnership: Partnership,
    small_numerator: int,
    small_cohort: int,
    suppress_small_counts: bool,
    baseline_year: int | None = None,
    version: str | None = None,
) -> PerformanceSettings:
    current, created = PerformanceSettings.objects.select_for_update().get_or_create(partnership=partnership)
    yours = {
        "small_numerator": small_numerator,
        "small_cohort": small_cohort,
        "suppress_small_counts": suppress_small_counts,
        "baseline_year": baseline_year,
    }
    if not created and version != "" and is_stale(current, version):
        raise Conflict(record=current, theirs={f: getattr(current, f) for f in yours}, yours=yours)
    for field, value in yours.items():
        setattr(current, field, value)
    current.full_clean()
    current.save()
    return current


# --- One figure -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    value: Decimal
    computed: bool


def check_figure(
    *,
    indicator: Indicator,
    period_start: date,
    period_end: date,
    numerator: Decimal | None,
    denominator: Decimal | None,
    value: Decimal | None,
) -> tuple[Checked | None, dict[str, str]]:
    """The rules every figure follows, from a form, the grid or an import. Errors are keyed by field."""
    errors: dict[str, str] = {}
    if period_end < period_start:
        errors["period_end"] = "The period must end on or after the day it starts"
    if denominator is not None and denominator <= 0:
        errors["denominator"] = "The denominator must be more than 0"
    if numerator is not None and numerator < 0:
        errors["numerator"] = "The numerator cannot be negative"
    for field, number in (("numerator", numerator), ("denominator", denominator), ("value", value)):
        if number is not None and abs(number) > MAX_VALUE and field not in errors:
            errors[field] = "The number is too large"
    for field, number in (("numerator", numerator), ("denominator", denominator)):
        if number is not None and field not in errors and number.as_tuple().exponent < -2:
            errors[field] = "Give at most 2 decimal places"
    if (
        indicator.is_share
        and numerator is not None
        and denominator is not None
        and denominator > 0
        and numerator > denominator
        and "numerator" not in errors
    ):
        errors["numerator"] = f"The numerator ({numerator}) cannot be more than the denominator ({denominator})"
    if errors:
        return None, errors
    computed = compute_value(numerator, denominator, indicator.multiplier)
    if computed is not None and abs(computed) > MAX_VALUE:
        errors["value"] = "The figure worked out from the numerator and denominator is too large"
        return None, errors
    if computed is not None:
        if value is not None and not value_agrees(value, computed):
            errors["value"] = (
                f"The value {value} does not match the numerator and denominator, which give {computed.normalize():f}"
            )
            return None, errors
        return Checked(computed, True), errors
    if value is None:
        errors["value"] = "Enter the value, or both the numerator and the denominator"
        return None, errors
    if indicator.unit == "percent" and indicator.is_share and not (0 <= value <= 100):
        errors["value"] = "A percentage must be between 0 and 100"
        return None, errors
    return Checked(value, False), errors


@transaction.atomic
def observation_save(
    *,
    partnership: Partnership,
    indicator: Indicator,
    area: ComparatorArea,
    period_start: date,
    period_end: date,
    label: str = "",
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    value: Decimal | None = None,
    source: str = "",
    published_on: date | None = None,
    observation: Observation | None = None,
    version: str | None = None,
) -> Observation:
    """Add a figure, or change one (``observation`` + ``version`` for optimistic concurrency)."""
    if indicator.partnership_id not in (None, partnership.pk):
        raise ValidationError({"indicator": "Choose one of this partnership's indicators"})
    if area.partnership_id not in (None, partnership.pk):
        raise ValidationError({"area": "Choose one of this partnership's areas"})
    checked, errors = check_figure(
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
        numerator=numerator,
        denominator=denominator,
        value=value,
    )
    if errors:
        raise ValidationError(errors)
    fields = {
        "indicator": indicator,
        "area": area,
        "period_start": period_start,
        "period_end": period_end,
        "label": label.strip(),
        "numerator": numerator,
        "denominator": denominator,
        "value": checked.value,
        "source": source.strip(),
        "published_on": published_on,
    }
    clash = Observation.objects.filter(
        partnership=partnership, indicator=indicator, area=area, period_start=period_start, period_end=period_end
    )
    if observation is not None:
        current = Observation.objects.select_for_update().get(pk=observation.pk, partnership=partnership)
        if version != "" and is_stale(current, version):
            shown = ["numerator", "denominator", "value", "label", "source"]
            raise Conflict(
                record=current,
                theirs={f: getattr(current, f) for f in shown},
                yours={f: fields[f] for f in shown},
            )
        clash = clash.exclude(pk=current.pk)
    else:
        current = Observation(partnership=partnership)
    if clash.exists():
        raise ValidationError(
            {"period_start": f"There is already a figure for {indicator.code} in {area.name} for this period"}
        )
    for name, value_ in fields.items():
        setattr(current, name, value_)
    current.save()
    return current


@dataclass(frozen=True)
class GridCell:
    indicator: Indicator
    area: ComparatorArea
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None


@transaction.atomic
def grid_save(
    *,
    partnership: Partnership,
    period_start: date,
    period_end: date,
    label: str,
    source: str,
    cells: list[GridCell],
) -> dict:
    """A quarter's figures at once: every cell is checked first; any error and nothing is saved.

    Errors are keyed ``"<indicator code> / <area name>"``. Returns counts of added, changed and unchanged.
    """
    errors: dict[str, str] = {}
    if period_end < period_start:
        raise ValidationError({"period_end": "The period must end on or after the day it starts"})
    checked_cells = []
    for cell in cells:
        if cell.numerator is None and cell.denominator is None and cell.value is None:
            continue
        checked, cell_errors = check_figure(
            indicator=cell.indicator,
            period_start=period_start,
            period_end=period_end,
            numerator=cell.numerator,
            denominator=cell.denominator,
            value=cell.value,
        )
        if cell_errors:
            for field, message in cell_errors.items():
                errors[f"{cell.indicator.code} / {cell.area.name} / {field}"] = message
        else:
            checked_cells.append((cell, checked))
    if errors:
        raise ValidationError(errors)
    existing = {
        (o.indicator_id, o.area_id): o
        for o in Observation.objects.select_for_update().filter(
            partnership=partnership, period_start=period_start, period_end=period_end
        )
    }
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for cell, checked in checked_cells:
        current = existing.get((cell.indicator.pk, cell.area.pk))
        new = {
            "numerator": cell.numerator,
            "denominator": cell.denominator,
            "value": checked.value,
        }
        if current is None:
            Observation.objects.create(
                partnership=partnership,
                indicator=cell.indicator,
                area=cell.area,
                period_start=period_start,
                period_end=period_end,
                label=label,
                source=source,
                **new,
            )
            counts["added"] += 1
        elif any(getattr(current, f) != v for f, v in new.items()):
            for f, v in new.items():
                setattr(current, f, v)
            current.label = label or current.label
            current.source = source or current.source
            current.save()
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
    return counts


@transaction.atomic
def observation_delete(*, observation: Observation) -> None:
    observation.delete()


@transaction.atomic
def area_add(*, partnership: Partnership, code: str, name: str, kind: str) -> ComparatorArea:
    code = code.strip().upper()
    if not code:
        raise ValidationError({"code": "Enter a code"})
    if (
        ComparatorArea.objects.filter(partnership=partnership, code=code).exists()
        or ComparatorArea.objects.filter(partnership__isnull=True, code=code).exists()
    ):
        raise ValidationError({"code": f"There is already an area with the code {code}"})
    position = {"partnership": 0, "council": 5, "family": 20, "police": 30, "region": 50}.get(kind, 80)
    return ComparatorArea.objects.create(
        partnership=partnership, code=code, name=name.strip(), kind=kind, position=position
    )


def area_can_remove(area: ComparatorArea) -> bool:
    """A comparator the partnership added itself; its own area, councils, family and police area come from its details
    (``areas_ensure`` would make them again)."""
    return (
        area.partnership_id is not None
        and area.kind not in (AreaKind.PARTNERSHIP, AreaKind.COUNCIL)
        and area.code not in (FAMILY_AREA, POLICE_AREA)
    )


@transaction.atomic
def area_rename(*, area: ComparatorArea, name: str, version: str | None = None) -> ComparatorArea:
    """A new name for one of the partnership's areas (not the partnership itself: that is its own name)."""
    area = ComparatorArea.objects.select_for_update().get(pk=area.pk)
    if area.partnership_id is None or area.kind == AreaKind.PARTNERSHIP:
        raise ValidationError({"name": f"{area.name} cannot be renamed here"})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the area's name"})
    if len(name) > 150:
        raise ValidationError({"name": "Name must be 150 characters or fewer"})
    if is_stale(area, version):
        raise Conflict(record=area, theirs={"name": area.name}, yours={"name": name})
    area.name = name
    area.save()
    return area


@transaction.atomic
def area_remove(*, area: ComparatorArea, figures_confirmed: int) -> int:
    """Remove a comparator and its figures; ``figures_confirmed`` is the number the person was shown, so figures
    added since are never deleted unseen. Returns the number of figures deleted (their history keeps them)."""
    area = ComparatorArea.objects.select_for_update().get(pk=area.pk)
    if not area_can_remove(area):
        raise ValidationError(f"{area.name} comes from the partnership's details and cannot be removed")
    figures = list(Observation.objects.select_for_update().filter(area=area))
    if len(figures) != figures_confirmed:
        raise ValidationError(
            f"{area.name} now has {len(figures)} figure{'s' if len(figures) != 1 else ''}, not {figures_confirmed}: "
            "check again before removing it"
        )
    for figure in figures:  # one by one so each deletion is in the figure's history
        figure.delete()
    area.delete()
    return len(figures)


@transaction.atomic
def indicator_add(
    *,
    partnership: Partnership,
    code: str,
    name: str,
    unit: str,
    decimals: int,
    multiplier: Decimal,
    polarity: str,
    period_type: str,
    is_share: bool,
    source: str = "",
    parent: Indicator | None = None,
) -> Indicator:
    """A partnership's own local indicator (national definitions come from the reference data)."""
    code = code.strip().upper()
    if not code:
        raise ValidationError({"code": "Enter a code"})
    if (
        Indicator.objects.filter(code=code).filter(partnership__isnull=True).exists()
        or Indicator.objects.filter(code=code, partnership=partnership).exists()
    ):
        raise ValidationError({"code": f"There is already an indicator with the code {code}"})
    if multiplier <= 0:
        raise ValidationError({"multiplier": "The multiplier must be more than 0"})
    if parent is not None and parent.partnership_id not in (None, partnership.pk):
        raise ValidationError({"parent": "Choose one of this partnership's indicators"})
    test = "proportion" if is_share else ("poisson" if unit in ("per_100k", "per_1000", "frequency") else "none")
    indicator = Indicator(
        partnership=partnership,
        code=code,
        name=name.strip(),
        group="local",
        unit=unit,
        decimals=decimals,
        multiplier=multiplier,
        polarity=polarity,
        period_type=period_type,
        is_share=is_share,
        test=test,
        source=source.strip(),
        parent=parent,
        position=900,
    )
    indicator.full_clean(validate_constraints=False)
    indicator.save()
    return indicator
