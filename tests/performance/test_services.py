"""Writing figures: values computed from counts, every rule named by field, audit, concurrency."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from performance import services
from performance.models import Observation, PerformanceSettings
from tests.factories import PartnershipFactory
from tests.performance.factories import area, indicator, observation
from yjplan.services import Conflict

JAN, DEC = date(2020, 1, 1), date(2020, 12, 31)


def test_own_areas_of_a_joint_service(definitions):
    joint = PartnershipFactory(
        councils=["Cambridgeshire County Council", "Peterborough City Council"],
        yot_family="Cambs family",
        police_force_area="Cambridgeshire Constabulary; Cambridgeshire PCC",
    )
    areas = services.areas_ensure(partnership=joint)
    assert [(a.code, a.name, a.kind) for a in areas] == [
        ("PARTNERSHIP", joint.name, "partnership"),
        ("CAMBRIDGESHIRE", "Cambridgeshire", "council"),
        ("PETERBOROUGH", "Peterborough", "council"),
        ("FAMILY", "Cambs family", "family"),
        ("POLICE", "Cambridgeshire Constabulary", "police"),
    ]
    assert services.areas_ensure(partnership=joint) == areas  # idempotent


def test_value_is_computed_from_numerator_and_denominator(partnership, areas):
    obs = observation(
        partnership, "REOFF_BINARY", "PARTNERSHIP", JAN, DEC, numerator=42, denominator=130, label="Jan–Dec 2020"
    )
    assert obs.value == Decimal("32.307692")
    obs.refresh_from_db()
    assert (obs.value, obs.label, obs.history.count()) == (Decimal("32.307692"), "Jan–Dec 2020", 1)


def test_typed_value_is_kept_when_counts_are_unknown(partnership, areas):
    obs = observation(partnership, "FTE", "ENGLAND", date(2018, 1, 1), date(2018, 12, 31), value="236")
    assert (obs.value, obs.numerator, obs.denominator) == (Decimal("236"), None, None)


@pytest.mark.parametrize(
    ("code", "fields", "errors"),
    [
        ("REOFF_BINARY", {"numerator": 5, "denominator": 0}, {"denominator": ["The denominator must be more than 0"]}),
        ("REOFF_BINARY", {"numerator": 5, "denominator": -3}, {"denominator": ["The denominator must be more than 0"]}),
        (
            "REOFF_BINARY",
            {"numerator": 131, "denominator": 130},
            {"numerator": ["The numerator (131) cannot be more than the denominator (130)"]},
        ),
        (
            "REOFF_BINARY",
            {"numerator": 42, "denominator": 130, "value": "35"},
            {"value": ["The value 35 does not match the numerator and denominator, which give 32.307692"]},
        ),
        ("REOFF_BINARY", {}, {"value": ["Enter the value, or both the numerator and the denominator"]}),
        ("REOFF_BINARY", {"value": "120"}, {"value": ["A percentage must be between 0 and 100"]}),
        (
            "REOFF_FREQ_COHORT",
            {"numerator": -1, "denominator": 10},
            {"numerator": ["The numerator cannot be negative"]},
        ),
    ],
)
def test_bad_figures_are_refused_field_by_field(partnership, areas, code, fields, errors):
    with pytest.raises(ValidationError) as caught:
        observation(partnership, code, "PARTNERSHIP", JAN, DEC, **fields)
    assert caught.value.message_dict == errors
    assert Observation.objects.count() == 0


def test_frequency_may_exceed_its_denominator(partnership, areas):
    obs = observation(partnership, "REOFF_FREQ_REOFFENDER", "PARTNERSHIP", JAN, DEC, numerator=222, denominator=42)
    assert obs.value == Decimal("5.285714")


def test_end_before_start_is_refused(partnership, areas):
    with pytest.raises(ValidationError) as caught:
        observation(partnership, "FTE", "ENGLAND", DEC, JAN, value="236")
    assert caught.value.message_dict == {"period_end": ["The period must end on or after the day it starts"]}


def test_one_figure_per_indicator_area_and_period(partnership, areas):
    observation(partnership, "FTE", "ENGLAND", JAN, DEC, value="236")
    with pytest.raises(ValidationError) as caught:
        observation(partnership, "FTE", "ENGLAND", JAN, DEC, value="230")
    assert caught.value.message_dict == {
        "period_start": ["There is already a figure for FTE in England for this period"]
    }


def test_another_partnerships_area_is_refused(partnership, areas):
    other = PartnershipFactory()
    services.areas_ensure(partnership=other)
    with pytest.raises(ValidationError) as caught:
        services.observation_save(
            partnership=partnership,
            indicator=indicator("FTE"),
            area=area(other, "PARTNERSHIP"),
            period_start=JAN,
            period_end=DEC,
            value=Decimal("1"),
        )
    assert caught.value.message_dict == {"area": ["Choose one of this partnership's areas"]}


def test_changing_a_figure_someone_else_changed_is_a_conflict(partnership, areas):
    obs = observation(partnership, "FTE", "ENGLAND", JAN, DEC, value="236")
    version = obs.updated_at.isoformat()
    services.observation_save(
        partnership=partnership,
        indicator=obs.indicator,
        area=obs.area,
        period_start=JAN,
        period_end=DEC,
        value=Decimal("237"),
        observation=obs,
        version=version,
    )
    with pytest.raises(Conflict) as caught:
        services.observation_save(
            partnership=partnership,
            indicator=obs.indicator,
            area=obs.area,
            period_start=JAN,
            period_end=DEC,
            value=Decimal("238"),
            observation=obs,
            version=version,
        )
    assert caught.value.theirs["value"] == Decimal("237.000000")
    assert caught.value.yours["value"] == Decimal("238")
    obs.refresh_from_db()
    assert (obs.value, obs.history.count()) == (Decimal("237.000000"), 2)


def test_grid_saves_all_or_nothing(partnership, areas):
    fte, binary = indicator("FTE"), indicator("REOFF_BINARY")
    own, england = area(partnership, "PARTNERSHIP"), area(partnership, "ENGLAND")
    cells = [
        services.GridCell(fte, own, Decimal(155), Decimal(83600), None),
        services.GridCell(fte, england, None, None, Decimal(236)),
        services.GridCell(binary, own, Decimal(140), Decimal(130), None),
    ]
    with pytest.raises(ValidationError) as caught:
        services.grid_save(
            partnership=partnership, period_start=JAN, period_end=DEC, label="2020", source="", cells=cells
        )
    assert caught.value.message_dict == {
        f"REOFF_BINARY / {own.name} / numerator": ["The numerator (140) cannot be more than the denominator (130)"]
    }
    assert Observation.objects.count() == 0
    cells[2] = services.GridCell(binary, own, Decimal(42), Decimal(130), None)
    counts = services.grid_save(
        partnership=partnership, period_start=JAN, period_end=DEC, label="2020", source="", cells=cells
    )
    assert counts == {"added": 3, "changed": 0, "unchanged": 0}
    cells[1] = services.GridCell(fte, england, None, None, Decimal(230))
    counts = services.grid_save(
        partnership=partnership, period_start=JAN, period_end=DEC, label="2020", source="", cells=cells
    )
    assert counts == {"added": 0, "changed": 1, "unchanged": 2}


def test_settings_update_and_conflict(partnership):
    assert services.settings_for(partnership).small_numerator == 5
    saved = services.settings_update(
        partnership=partnership, small_numerator=10, small_cohort=50, suppress_small_counts=False
    )
    assert (saved.small_numerator, saved.small_cohort, saved.suppress_small_counts) == (10, 50, False)
    with pytest.raises(Conflict):
        services.settings_update(
            partnership=partnership,
            small_numerator=3,
            small_cohort=50,
            suppress_small_counts=False,
            version="2000-01-01T00:00:00+00:00",
        )
    assert PerformanceSettings.objects.get().small_numerator == 10


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"numerator": "999999999999", "denominator": "0.01"},
            {"value": ["The figure worked out from the numerator and denominator is too large"]},
        ),
        ({"numerator": "1.234", "denominator": "10"}, {"numerator": ["Give at most 2 decimal places"]}),
        ({"value": "1e13"}, {"value": ["The number is too large"]}),
    ],
)
def test_numbers_the_database_could_not_hold_are_refused(partnership, areas, fields, errors):
    with pytest.raises(ValidationError) as caught:
        observation(partnership, "FTE", "PARTNERSHIP", JAN, DEC, **fields)
    assert caught.value.message_dict == errors
