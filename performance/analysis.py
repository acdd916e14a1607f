"""Pure functions behind the performance pages: rates, direction of travel, significance, cautions, lag.

No database, no Django models: plain values in, plain values out, Decimal arithmetic throughout, so
each is tested against figures worked out by hand.

Significance at 95% (|z| ≥ 1.96), normal approximations:

* **proportion** (people out of a cohort, e.g. the binary reoffending rate): the two-proportion z-test
  with a pooled proportion when both sides have counts; when the comparator is a published rate
  without counts (England, a region: far larger than the partnership), the one-sample test against
  that rate, ``z = (p - p0) / sqrt(p0 (1 - p0) / n)``.
* **poisson** (events over a population or cohort, e.g. first time entrants per 100,000, custody per
  1,000, reoffences per child): comparing two Poisson rates, ``z = (r1 - r2) / sqrt(x1/n1² + x2/n2²)``,
  or against a published rate, ``z = (x - r0 n) / sqrt(r0 n)``.

Where the numerator is below the small-number threshold or the cohort below its threshold, no test
is made and the difference is reported as not significant, with a caution.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Z_95 = Decimal("1.96")
SMALL_NUMERATOR = 5
SMALL_COHORT = 30
ZERO = Decimal(0)
ONE = Decimal(1)


def D(value) -> Decimal | None:
    """A Decimal from a number or numeric text; None for None or blank."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


# --- Values -----------------------------------------------------------------------------------


def compute_value(numerator, denominator, multiplier) -> Decimal | None:
    """numerator ÷ denominator × multiplier, to 6 decimal places; None when either is missing."""
    numerator, denominator, multiplier = D(numerator), D(denominator), D(multiplier)
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return (numerator * multiplier / denominator).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def value_agrees(typed, computed) -> bool:
    """A typed value agrees with the computed one when the computed one rounds to it at its own precision."""
    typed, computed = D(typed), D(computed)
    exponent = max(typed.as_tuple().exponent, -6)
    try:
        return computed.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP) == typed
    except InvalidOperation:
        return False


def format_value(value, decimals: int, unit: str = "") -> str:
    """The figure as published: rounded half-up to the indicator's decimal places, % for percentages."""
    value = D(value)
    if value is None:
        return "No figure"
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,}"
    return f"{text}%" if unit == "percent" else text


# --- Direction of travel ----------------------------------------------------------------------


@dataclass(frozen=True)
class Direction:
    change: Decimal | None  # % change, to one decimal place
    difference: Decimal | None  # current - previous
    word: str  # "improving", "worsening", "no change", "up", "down", "no earlier figure"
    text: str

    @property
    def is_worsening(self) -> bool:
        return self.word == "worsening"

    @property
    def tag(self) -> str:
        return {"improving": "green", "worsening": "red"}.get(self.word, "grey")


def percent_change(current, previous) -> Decimal | None:
    """(current - previous) ÷ previous × 100 to one decimal place; None when there is no base."""
    current, previous = D(current), D(previous)
    if current is None or previous is None or previous == 0:
        return None
    return ((current - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def direction(current, previous, polarity: str, *, against: str = "the previous period") -> Direction:
    """Which way a figure moved against an earlier one, in words, taking the indicator's polarity."""
    current, previous = D(current), D(previous)
    if current is None or previous is None:
        return Direction(None, None, "no earlier figure", f"No figure for {against} to compare with")
    difference = current - previous
    change = percent_change(current, previous)
    size = f"{abs(change)}%" if change is not None else f"{abs(difference)}"
    if difference == 0:
        return Direction(change, difference, "no change", f"No change since {against}")
    up = difference > 0
    if polarity == "none":
        word = "up" if up else "down"
        return Direction(change, difference, word, f"{'Up' if up else 'Down'} {size} on {against}")
    better = (not up) if polarity == "lower" else up
    word = "improving" if better else "worsening"
    return Direction(change, difference, word, f"{word.capitalize()}: {'up' if up else 'down'} {size} on {against}")


# --- Significance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A value with its counts where known."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @classmethod
    def of(cls, value, numerator=None, denominator=None) -> Figure:
        return cls(D(value), D(numerator), D(denominator))

    @property
    def has_counts(self) -> bool:
        return self.numerator is not None and self.denominator is not None and self.denominator > 0


@dataclass(frozen=True)
class Significance:
    z: Decimal | None  # to two decimal places
    significant: bool
    word: str  # "better", "worse", "higher", "lower", "similar", "too few to test", "not tested"
    text: str
    small_numbers: bool = False

    @property
    def short(self) -> str:
        return {
            "better": "Significantly better",
            "worse": "Significantly worse",
            "higher": "Significantly higher",
            "lower": "Significantly lower",
            "similar": "Not significantly different",
            "too few to test": "Too few to test",
        }.get(self.word, "Not tested")

    @property
    def tag(self) -> str:
        return {"better": "green", "worse": "red", "too few to test": "yellow"}.get(self.word, "grey")


def is_small(
    numerator, denominator, *, small_numerator: int = SMALL_NUMERATOR, small_cohort: int = SMALL_COHORT
) -> bool:
    """A small-numbers caution: fewer than ``small_numerator`` events or a cohort under ``small_cohort``."""
    numerator, denominator = D(numerator), D(denominator)
    return (numerator is not None and numerator < small_numerator) or (
        denominator is not None and denominator < small_cohort
    )


def _z_proportion(own: Figure, other: Figure, multiplier: Decimal) -> Decimal | None:
    n1 = own.denominator
    p1 = own.numerator / n1
    if other.has_counts:
        n2 = other.denominator
        p2 = other.numerator / n2
        pooled = (own.numerator + other.numerator) / (n1 + n2)
        variance = pooled * (ONE - pooled) * (ONE / n1 + ONE / n2)
    else:
        p2 = other.value / multiplier
        variance = p2 * (ONE - p2) / n1
    if variance <= 0:
        return None
    return (p1 - p2) / variance.sqrt()


def _z_poisson(own: Figure, other: Figure, multiplier: Decimal) -> Decimal | None:
    r1 = own.numerator / own.denominator
    if other.has_counts:
        r2 = other.numerator / other.denominator
        variance = own.numerator / own.denominator**2 + other.numerator / other.denominator**2
        if variance <= 0:
            return None
        return (r1 - r2) / variance.sqrt()
    expected = other.value / multiplier * own.denominator
    if expected <= 0:
        return None
    return (own.numerator - expected) / expected.sqrt()


def significance(
    own: Figure,
    other: Figure,
    *,
    test: str,
    polarity: str,
    multiplier=1,
    small_numerator: int = SMALL_NUMERATOR,
    small_cohort: int = SMALL_COHORT,
    name: str = "the comparator",
) -> Significance:
    """Is ``own`` different from ``other`` at 95%? Said in words, by polarity."""
    multiplier = D(multiplier)
    if test == "none" or own.value is None or other.value is None:
        return Significance(None, False, "not tested", "Not tested for significance")
    if not own.has_counts:
        return Significance(None, False, "not tested", "Not tested: the numbers behind the rate are not recorded")
    if is_small(own.numerator, own.denominator, small_numerator=small_numerator, small_cohort=small_cohort) or (
        other.has_counts
        and is_small(other.numerator, other.denominator, small_numerator=small_numerator, small_cohort=small_cohort)
    ):
        return Significance(
            None, False, "too few to test", "Numbers too small to test: treat any difference with caution", True
        )
    z = _z_proportion(own, other, multiplier) if test == "proportion" else _z_poisson(own, other, multiplier)
    if z is None:
        return Significance(None, False, "not tested", "Not tested: no variation to compare")
    z = z.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(z) < Z_95:
        return Significance(z, False, "similar", f"Not significantly different from {name}")
    higher = z > 0
    if polarity == "none":
        word = "higher" if higher else "lower"
    else:
        better = (not higher) if polarity == "lower" else higher
        word = "better" if better else "worse"
    text = f"Significantly {'higher' if higher else 'lower'} than {name}"
    if word in ("better", "worse"):
        text += f": {word}"
    return Significance(z, True, word, text)


# --- Publishing -------------------------------------------------------------------------------


def suppress(count, *, enabled: bool = True) -> str:
    """Counts of 1 to 4 are hidden in published output when the partnership asks for it."""
    count = D(count)
    if count is None:
        return ""
    if enabled and 1 <= count <= 4:
        return "fewer than 5"
    return f"{count.normalize():,f}" if count == count.to_integral_value() else f"{count:,}"


# --- Data lag ---------------------------------------------------------------------------------


def lag_months(period_end: date, today: date) -> int:
    """Whole months from the end of the period to ``today`` (0 when today is in or before that month)."""
    months = (today.year - period_end.year) * 12 + (today.month - period_end.month)
    if today.day < period_end.day and not _is_month_end(today):
        months -= 1
    return max(months, 0)


def _is_month_end(day: date) -> bool:
    from calendar import monthrange

    return day.day == monthrange(day.year, day.month)[1]


def lag_text(period_end: date | None, today: date) -> str:
    if period_end is None:
        return "No data yet"
    months = lag_months(period_end, today)
    if months == 0:
        return "Less than a month old"
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return f"{' '.join(parts)} old"
