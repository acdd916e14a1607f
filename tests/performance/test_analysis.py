"""The analysis functions against figures worked out by hand (working shown beside each case)."""

from datetime import date
from decimal import Decimal

import pytest

from performance import analysis
from performance.analysis import Figure


def test_value_is_numerator_over_denominator_times_multiplier():
    # Leicester 2020: 42 of 130 children reoffended -> 42 / 130 * 100 = 32.307692...
    assert analysis.compute_value(42, 130, 100) == Decimal("32.307692")
    # first time entrants: 155 / 83,600 * 100,000 = 185.406698...
    assert analysis.compute_value(155, 83600, 100000) == Decimal("185.406699")
    assert analysis.compute_value(None, 130, 100) is None
    assert analysis.compute_value(4, 0, 100) is None


@pytest.mark.parametrize(
    ("typed", "computed", "agrees"),
    [
        ("32.3", "32.307692", True),  # rounds to the typed precision
        ("32.31", "32.307692", True),
        ("32", "32.307692", True),
        ("32.4", "32.307692", False),
        ("21.4", "21.390374", True),  # Leicester 2019: 40 / 187
        ("185", "185.406699", True),
        ("186", "185.406699", False),
    ],
)
def test_a_typed_value_agrees_when_the_computed_value_rounds_to_it(typed, computed, agrees):
    assert analysis.value_agrees(Decimal(typed), Decimal(computed)) is agrees


def test_format_value_rounds_half_up_and_marks_percentages():
    assert analysis.format_value(Decimal("185.406699"), 0) == "185"
    assert analysis.format_value(Decimal("32.307692"), 1, "percent") == "32.3%"
    assert analysis.format_value(Decimal("0.185"), 2) == "0.19"
    assert analysis.format_value(Decimal("1234.5"), 0) == "1,235"
    assert analysis.format_value(None, 1) == "No figure"


def test_direction_lower_is_better_falling_is_improving():
    # 200 -> 185: (185 - 200) / 200 * 100 = -7.5%
    result = analysis.direction(Decimal("185"), Decimal("200"), "lower")
    assert (result.change, result.word) == (Decimal("-7.5"), "improving")
    assert result.text == "Improving: down 7.5% on the previous period"


def test_direction_leicester_binary_rate_rose_so_it_is_worsening():
    # 21.4% -> 32.3%: 10.9 / 21.4 * 100 = 50.93...% -> 50.9%
    result = analysis.direction(Decimal("32.3"), Decimal("21.4"), "lower", against="Jan–Dec 2019")
    assert (result.change, result.difference, result.word) == (Decimal("50.9"), Decimal("10.9"), "worsening")
    assert result.text == "Worsening: up 50.9% on Jan–Dec 2019"
    assert result.is_worsening


def test_direction_higher_is_better_and_no_polarity():
    # ETE 57% against a 62.5% baseline: -5.5 / 62.5 * 100 = -8.8% (seed 001's table)
    assert analysis.direction(Decimal("57"), Decimal("62.5"), "higher", against="the baseline").text == (
        "Worsening: down 8.8% on the baseline"
    )
    assert analysis.direction(Decimal("12"), Decimal("10"), "none").text == "Up 20.0% on the previous period"
    assert analysis.direction(Decimal("10"), Decimal("10"), "lower").word == "no change"
    assert analysis.direction(Decimal("10"), None, "lower").word == "no earlier figure"


def test_two_proportion_test_leicester_2020_against_2019_is_significant():
    # p1 = 42/130 = 0.323077, p2 = 40/187 = 0.213904; pooled = 82/317 = 0.258675
    # se = sqrt(0.258675 * 0.741325 * (1/130 + 1/187)) = sqrt(0.191763 * 0.0130399) = 0.0500058
    # z = 0.109173 / 0.0500058 = 2.18 >= 1.96
    result = analysis.significance(
        Figure.of("32.3", 42, 130),
        Figure.of("21.4", 40, 187),
        test="proportion",
        polarity="lower",
        multiplier=100,
        name="Jan–Dec 2019",
    )
    assert (result.z, result.significant, result.word) == (Decimal("2.18"), True, "worse")
    assert result.text == "Significantly higher than Jan–Dec 2019: worse"


def test_one_sample_proportion_against_a_published_rate():
    # Cambridgeshire 36 of 175 = 20.571% against England's 38.4%:
    # se = sqrt(0.384 * 0.616 / 175) = 0.0367649; z = (0.205714 - 0.384) / 0.0367649 = -4.85
    result = analysis.significance(
        Figure.of("20.6", 36, 175),
        Figure.of("38.4"),
        test="proportion",
        polarity="lower",
        multiplier=100,
        name="England",
    )
    assert (result.z, result.significant, result.word) == (Decimal("-4.85"), True, "better")
    assert result.text == "Significantly lower than England: better"


def test_poisson_test_first_time_entrants_against_england_and_the_region():
    # 155 first time entrants in 83,600 children (185 per 100,000).
    # England 236: expected = 0.00236 * 83,600 = 197.296; z = (155 - 197.296) / sqrt(197.296) = -3.01
    own = Figure.of("185.406699", 155, 83600)
    england = analysis.significance(own, Figure.of("236"), test="poisson", polarity="lower", multiplier=100000)
    assert (england.z, england.significant, england.word) == (Decimal("-3.01"), True, "better")
    # Eastern region 190: expected = 158.84; z = (155 - 158.84) / sqrt(158.84) = -0.30: noise
    region = analysis.significance(
        own, Figure.of("190"), test="poisson", polarity="lower", multiplier=100000, name="Eastern region"
    )
    assert (region.z, region.significant, region.word) == (Decimal("-0.30"), False, "similar")
    assert region.text == "Not significantly different from Eastern region"


def test_a_large_change_on_small_numbers_is_not_significant():
    # Custody: 2 sentences -> 4 sentences in 50,000 children is +100%...
    assert analysis.percent_change(Decimal("0.08"), Decimal("0.04")) == Decimal("100.0")
    now, before = Figure.of("0.08", 4, 50000), Figure.of("0.04", 2, 50000)
    # ...but 4 is under the small-number threshold of 5: not tested, not significant, with a caution
    result = analysis.significance(now, before, test="poisson", polarity="lower", multiplier=1000)
    assert (result.z, result.significant, result.word, result.small_numbers) == (None, False, "too few to test", True)
    # and even when tested (threshold lowered to 1): z = (4 - 2) / 50,000 / sqrt((4 + 2) / 50,000²) = 2 / sqrt(6)
    tested = analysis.significance(now, before, test="poisson", polarity="lower", multiplier=1000, small_numerator=1)
    assert (tested.z, tested.significant, tested.word) == (Decimal("0.82"), False, "similar")


def test_no_counts_or_no_test_means_not_tested():
    result = analysis.significance(Figure.of("20.6"), Figure.of("38.4"), test="proportion", polarity="lower")
    assert (result.significant, result.word) == (False, "not tested")
    assert result.text == "Not tested: the numbers behind the rate are not recorded"
    assert analysis.significance(Figure.of("3", 3, 1), Figure.of("4"), test="none", polarity="none").word == (
        "not tested"
    )


@pytest.mark.parametrize(
    ("numerator", "denominator", "thresholds", "small"),
    [
        (4, 100, {}, True),
        (5, 100, {}, False),
        (5, 29, {}, True),
        (5, 30, {}, False),
        (9, 100, {"small_numerator": 10}, True),
        (50, 99, {"small_cohort": 100}, True),
        (None, None, {}, False),
    ],
)
def test_small_number_caution(numerator, denominator, thresholds, small):
    assert analysis.is_small(numerator, denominator, **thresholds) is small


@pytest.mark.parametrize(
    ("count", "enabled", "shown"),
    [
        (0, True, "0"),
        (1, True, "fewer than 5"),
        (4, True, "fewer than 5"),
        (5, True, "5"),
        (3, False, "3"),
        (Decimal("222.00"), True, "222"),
        (Decimal("1234"), True, "1,234"),
        (None, True, ""),
    ],
)
def test_suppression_of_counts_one_to_four(count, enabled, shown):
    assert analysis.suppress(count, enabled=enabled) == shown


@pytest.mark.parametrize(
    ("end", "today", "months", "text"),
    [
        (date(2018, 12, 31), date(2021, 3, 15), 26, "2 years 2 months old"),
        (date(2019, 3, 31), date(2019, 6, 30), 3, "3 months old"),
        (date(2017, 6, 30), date(2019, 6, 30), 24, "2 years old"),
        (date(2023, 6, 30), date(2023, 6, 10), 0, "Less than a month old"),
        (date(2023, 6, 30), date(2023, 7, 1), 0, "Less than a month old"),
        (date(2023, 6, 15), date(2023, 7, 15), 1, "1 month old"),
    ],
)
def test_data_lag_in_months(end, today, months, text):
    assert analysis.lag_months(end, today) == months
    assert analysis.lag_text(end, today) == text
