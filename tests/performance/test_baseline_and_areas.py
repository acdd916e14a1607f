"""Issue 4 leftovers: a chosen baseline year for direction of travel; renaming and removing comparator areas."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from performance import selectors, services
from performance.models import ComparatorArea, Indicator, Observation
from tests.factories import member
from yjplan.permissions import Role


def _fte(partnership, areas, year, value):
    return services.observation_save(
        partnership=partnership,
        indicator=Indicator.objects.get(code="FTE", partnership__isnull=True),
        area=areas["PARTNERSHIP"],
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        value=Decimal(value),
        label=f"Jan–Dec {year}",
    )


@pytest.fixture
def own(partnership, areas):
    by_code = {a.code: a for a in areas}
    for year, value in ((2015, "400"), (2016, "300"), (2017, "250"), (2018, "200")):
        _fte(partnership, by_code, year, value)
    return by_code


def _fte_row(partnership):
    data = selectors.dashboard(partnership=partnership, today=date(2019, 6, 1), codes=["FTE"])
    return data["summaries"][0].rows[0]


def test_baseline_is_the_earliest_period_until_a_year_is_chosen(partnership, own):
    assert _fte_row(partnership).baseline_direction.text == "Improving: down 50.0% on the baseline (Jan–Dec 2015)"
    services.settings_update(
        partnership=partnership, small_numerator=5, small_cohort=30, suppress_small_counts=True, baseline_year=2016
    )
    # 200 against 300: down a third
    assert _fte_row(partnership).baseline_direction.text == "Improving: down 33.3% on the baseline (Jan–Dec 2016)"
    services.settings_update(
        partnership=partnership, small_numerator=5, small_cohort=30, suppress_small_counts=True, baseline_year=2018
    )
    assert _fte_row(partnership).baseline is None  # the latest period is not its own baseline


def test_manager_chooses_the_baseline_year_and_the_dashboard_uses_it(client, partnership, own):
    client.force_login(member(partnership, Role.MANAGER).user)
    settings_url = reverse("performance:settings", kwargs={"slug": partnership.slug})
    post = {"small_numerator": "5", "small_cohort": "30", "suppress_small_counts": "on", "version": ""}
    response = client.post(settings_url, {**post, "baseline_year": "1990"})
    assert "The baseline year must be 2000 or later" in response.content.decode()
    response = client.post(settings_url, {**post, "baseline_year": "2017"})
    assert response.status_code == 302
    dashboard = client.get(reverse("performance:dashboard", kwargs={"slug": partnership.slug})).content.decode()
    assert "Improving: down 20.0% on the baseline (Jan–Dec 2017)" in dashboard


def test_rename_a_comparator_area(client, partnership, areas):
    neighbour = services.area_add(partnership=partnership, code="NEIGHBOUR", name="Neighbour", kind="other")
    client.force_login(member(partnership, Role.MANAGER).user)
    url = reverse("performance:area_edit", kwargs={"slug": partnership.slug, "pk": neighbour.pk})
    response = client.post(url, {"name": "  Statistical neighbour  ", "version": neighbour.updated_at.isoformat()})
    assert response.status_code == 302
    neighbour.refresh_from_db()
    assert (neighbour.name, neighbour.code) == ("Statistical neighbour", "NEIGHBOUR")
    response = client.post(url, {"name": "Older", "version": "2000-01-01T00:00:00+00:00"})
    assert response.status_code == 409
    england = ComparatorArea.objects.get(code="ENGLAND", partnership__isnull=True)
    assert (
        client.get(reverse("performance:area_edit", kwargs={"slug": partnership.slug, "pk": england.pk})).status_code
        == 404
    )


def test_remove_an_area_with_its_figures_after_confirming_how_many(client, partnership, areas):
    neighbour = services.area_add(partnership=partnership, code="NEIGHBOUR", name="Neighbour", kind="other")
    for year in (2017, 2018):
        services.observation_save(
            partnership=partnership,
            indicator=Indicator.objects.get(code="FTE", partnership__isnull=True),
            area=neighbour,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            value=Decimal("210"),
        )
    client.force_login(member(partnership, Role.MANAGER).user)
    url = reverse("performance:area_remove", kwargs={"slug": partnership.slug, "pk": neighbour.pk})
    page = client.get(url).content.decode()
    assert "Neighbour has 2 figures. Removing the area deletes them too." in page
    assert "Remove Neighbour and its 2 figures" in page
    response = client.post(url, {"figures": "1"})
    assert "Neighbour now has 2 figures, not 1: check again before removing it" in response.content.decode()
    assert Observation.objects.filter(area=neighbour).count() == 2
    response = client.post(url, {"figures": "2"})
    assert response.status_code == 302
    assert not ComparatorArea.objects.filter(pk=neighbour.pk).exists()
    assert Observation.history.filter(area_id=neighbour.pk, history_type="-").count() == 2


def test_areas_from_the_partnerships_details_cannot_be_removed(client, partnership, areas):
    family = next(a for a in areas if a.code == "FAMILY")
    client.force_login(member(partnership, Role.MANAGER).user)
    url = reverse("performance:area_remove", kwargs={"slug": partnership.slug, "pk": family.pk})
    assert "cannot be removed here" in client.get(url).content.decode()
    client.post(url, {"figures": "0"})
    assert ComparatorArea.objects.filter(pk=family.pk).exists()
