"""Area means, the total and the judgement (seed 001 part four), computed exactly.

Means of three activities are thirds, so sums are kept as fractions and only shown as two-place
decimals: nine thirds must add up to exactly 7, not 6.9999…, before the band is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

EXCELLENT_ABOVE = Fraction("21.5")
GOOD_ABOVE = Fraction("13.5")
ADEQUATE_ABOVE = Fraction(7)
INCOMPLETE = "Incomplete"

JUDGEMENTS = {
    "Excellent": "Excellent capacity and capability to sustain and improve performance",
    "Good": "Good capacity and capability to sustain and improve performance",
    "Adequate": "Adequate capacity and capability to sustain and improve performance",
    "Poor": "Poor capacity and capability to sustain and improve performance",
}
BANDS = [
    ("Excellent", "more than 21.5"),
    ("Good", "more than 13.5 and up to 21.5"),
    ("Adequate", "more than 7 and up to 13.5"),
    ("Poor", "7 or less"),
]
TAGS = {"Excellent": "govuk-tag--green", "Good": "govuk-tag--turquoise", "Adequate": "govuk-tag--yellow"}


def band(total: Fraction | Decimal | int) -> str:
    """The judgement word for a total of area means: excellent > 21.5; good > 13.5; adequate > 7; else poor."""
    total = Fraction(total)
    if total > EXCELLENT_ABOVE:
        return "Excellent"
    if total > GOOD_ABOVE:
        return "Good"
    if total > ADEQUATE_ABOVE:
        return "Adequate"
    return "Poor"


def shown(value: Fraction | None) -> Decimal | None:
    """A mean or total as people read it: two decimal places, rounded half up."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AreaScore:
    scored: int
    activities: int
    mean: Fraction | None  # None until every activity of the area has a score

    @property
    def mean_shown(self) -> Decimal | None:
        return shown(self.mean)


def area_score(scores: list[int | None]) -> AreaScore:
    given = [s for s in scores if s is not None]
    mean = Fraction(sum(given), len(given)) if scores and len(given) == len(scores) else None
    return AreaScore(len(given), len(scores), mean)


@dataclass(frozen=True)
class Judgement:
    areas: list[AreaScore]

    @property
    def scored(self) -> int:
        return sum(a.scored for a in self.areas)

    @property
    def activities(self) -> int:
        return sum(a.activities for a in self.areas)

    @property
    def complete(self) -> bool:
        return bool(self.areas) and all(a.mean is not None for a in self.areas)

    @property
    def total(self) -> Fraction | None:
        return sum((a.mean for a in self.areas), Fraction(0)) if self.complete else None

    @property
    def total_shown(self) -> Decimal | None:
        return shown(self.total)

    @property
    def word(self) -> str:
        return band(self.total) if self.complete else INCOMPLETE

    @property
    def statement(self) -> str:
        return JUDGEMENTS.get(self.word, "Incomplete: not every activity has a score yet")

    @property
    def tag(self) -> str:
        return TAGS.get(self.word, "govuk-tag--grey" if self.word == INCOMPLETE else "govuk-tag--red")


def judge(scores_by_area: list[list[int | None]]) -> Judgement:
    """``scores_by_area``: for each outcome area, the scores of its activities (None where not scored)."""
    return Judgement([area_score(scores) for scores in scores_by_area])
