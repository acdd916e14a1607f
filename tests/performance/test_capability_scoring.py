"""The judgement at each band boundary, from the band function and from scored assessments end to end."""

from decimal import Decimal
from fractions import Fraction

import pytest

from performance.capability import scoring, selectors
from tests.factories import member
from tests.performance.capability_helpers import make_assessment, score
from yjplan.permissions import Role


@pytest.mark.parametrize(
    ("total", "word"),
    [
        (Decimal("0"), "Poor"),
        (Decimal("7"), "Poor"),
        (Decimal("7.01"), "Adequate"),
        (Decimal("13.5"), "Adequate"),
        (Decimal("13.51"), "Good"),
        (Decimal("21.5"), "Good"),
        (Decimal("21.51"), "Excellent"),
        (Decimal("27"), "Excellent"),
    ],
)
def test_band_at_each_boundary(total, word):
    assert scoring.band(total) == word


def test_means_in_thirds_add_up_exactly_before_the_band_is_chosen():
    """Two-place rounding of each mean would make 2.33 × 3 + 0.67 × 3 + 1.5 × 3 = 13.50 by luck; exact
    fractions make it 13.5 by construction: adequate, not good."""
    judgement = scoring.judge([[2, 2, 3]] * 3 + [[1, 1, 0]] * 3 + [[2, 2, 1, 1]] * 3)
    assert judgement.total == Fraction(27, 2)
    assert judgement.total_shown == Decimal("13.50")
    assert judgement.word == "Adequate"
    assert judgement.areas[0].mean_shown == Decimal("2.33") and judgement.areas[3].mean_shown == Decimal("0.67")


def test_an_unscored_activity_leaves_the_judgement_incomplete():
    areas = [[2, 2, 2, 2]] * 2 + [[2, 2, 2]] * 3 + [[2, 2, 2, None]] + [[2, 2, 2]] * 3
    judgement = scoring.judge(areas)
    assert (judgement.word, judgement.total, judgement.scored, judgement.activities) == ("Incomplete", None, 29, 30)
    assert judgement.areas[5].mean is None and judgement.areas[4].mean == 2


# Outcome areas have 4, 4, 3, 3, 3, 4, 3, 3, 3 activities, so totals move in twelfths: the nearest total
# above each boundary is the boundary + 1/12 (one 3-activity area up by 1/3, one 4-activity area down by 1/4).
CASES = [
    # total exactly 7: seven areas with mean 1, two with mean 0
    ("7", "7.00", "Poor", [[1] * 4, [1] * 4, [1] * 3, [1] * 3, [1] * 3, [1] * 4, [1] * 3, [0] * 3, [0] * 3]),
    # 0.75 + 1 + 4/3 + 1 + 1 + 1 + 1 + 0 + 0 = 85/12 = 7.083…
    (
        "85/12",
        "7.08",
        "Adequate",
        [[1, 1, 1, 0], [1] * 4, [1, 1, 2], [1] * 3, [1] * 3, [1] * 4, [1] * 3, [0] * 3, [0] * 3],
    ),
    # 1.5 × 3 + 2 + 2 + 2 + 1 + 1 + 1 = 13.5
    (
        "27/2",
        "13.50",
        "Adequate",
        [[2, 2, 1, 1], [2, 2, 1, 1], [2] * 3, [2] * 3, [2] * 3, [2, 2, 1, 1], [1] * 3, [1] * 3, [1] * 3],
    ),
    # 1.25 + 1.5 + 7/3 + 2 + 2 + 1.5 + 1 + 1 + 1 = 163/12 = 13.583…
    (
        "163/12",
        "13.58",
        "Good",
        [[2, 1, 1, 1], [2, 2, 1, 1], [2, 2, 3], [2] * 3, [2] * 3, [2, 2, 1, 1], [1] * 3, [1] * 3, [1] * 3],
    ),
    # 2.5 × 3 + 3 + 3 + 2 + 2 + 2 + 2 = 21.5
    (
        "43/2",
        "21.50",
        "Good",
        [[3, 3, 2, 2], [3, 3, 2, 2], [3] * 3, [3] * 3, [2] * 3, [3, 3, 2, 2], [2] * 3, [2] * 3, [2] * 3],
    ),
    # 2.25 + 2.5 + 3 + 3 + 7/3 + 2.5 + 2 + 2 + 2 = 259/12 = 21.583…
    (
        "259/12",
        "21.58",
        "Excellent",
        [[3, 2, 2, 2], [3, 3, 2, 2], [3] * 3, [3] * 3, [2, 2, 3], [3, 3, 2, 2], [2] * 3, [2] * 3, [2] * 3],
    ),
]


@pytest.mark.parametrize(("total", "shown", "word", "areas"), CASES, ids=[c[0] for c in CASES])
def test_scored_assessment_judged_at_each_boundary(partnership, total, shown, word, areas):
    manager = member(partnership, Role.MANAGER)
    assessment = score(make_assessment(partnership), manager, areas)
    detail = selectors.assessment_detail(assessment=assessment)
    judgement = detail["self_judgement"]
    assert judgement.total == Fraction(total)
    assert str(judgement.total_shown) == shown
    assert judgement.word == word
    assert (judgement.scored, judgement.activities) == (30, 30)
    assert detail["validated_judgement"].word == "Incomplete"
    summary = selectors.summary(partnership=partnership)
    assert (summary["self_total"], summary["self_judgement"], summary["validated_total"]) == (shown, word, "")


def test_validated_scores_are_judged_beside_the_self_assessed(partnership):
    manager = member(partnership, Role.MANAGER)
    assessment = score(make_assessment(partnership), manager, CASES[4][3])  # self-assessed 21.5: good
    score(assessment, manager, CASES[0][3], field="validated_score")  # validated 7: poor
    summary = selectors.summary(partnership=partnership)
    assert (summary["self_total"], summary["self_judgement"]) == ("21.50", "Good")
    assert (summary["validated_total"], summary["validated_judgement"]) == ("7.00", "Poor")
    assert [a["self_mean"] for a in summary["areas"]] == [
        "2.50",
        "2.50",
        "3.00",
        "3.00",
        "2.00",
        "2.50",
        "2.00",
        "2.00",
        "2.00",
    ]
    assert [a["validated_mean"] for a in summary["areas"]][:2] == ["1.00", "1.00"]
