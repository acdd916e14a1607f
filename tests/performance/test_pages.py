"""The performance pages through the test client: entry, conflicts, the grid, import, settings, query counts."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from performance.models import ComparatorArea, Observation, PerformanceSettings
from tests.factories import PartnershipFactory, member
from tests.performance.factories import area, indicator, observation
from tests.performance.test_demo import table_rows
from yjplan.permissions import Role


@pytest.fixture
def manager_client(client, partnership, areas):
    client.force_login(member(partnership, Role.MANAGER).user)
    return client


def url(partnership, name, **kwargs):
    return reverse(f"performance:{name}", kwargs={"slug": partnership.slug, **kwargs})


def test_add_a_figure_from_counts(manager_client, partnership):
    fte, own = indicator("REOFF_BINARY"), area(partnership, "PARTNERSHIP")
    response = manager_client.post(
        url(partnership, "observation_add"),
        {
            "indicator": fte.pk,
            "area": own.pk,
            "period_start": "01/01/2020",
            "period_end": "2020-12-31",
            "label": "Jan–Dec 2020",
            "numerator": "42",
            "denominator": "130",
            "value": "",
            "source": "Case system",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(partnership, "indicator", pk=fte.pk)
    obs = Observation.objects.get()
    assert (obs.value, obs.period_start, obs.label, obs.history.first().history_user_id) == (
        Decimal("32.307692"),
        date(2020, 1, 1),
        "Jan–Dec 2020",
        response.wsgi_request.user.pk,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period_start": "31/02/2020"}, "period_start", "Period start must be a real date, like 31/12/2018"),
        ({"period_end": "01/01/2019"}, "period_end", "The period must end on or after the day it starts"),
        ({"numerator": "many"}, "numerator", "Numerator must be a number, like 42"),
        ({"numerator": "131"}, "numerator", "The numerator (131) cannot be more than the denominator (130)"),
        ({"denominator": "0"}, "denominator", "The denominator must be more than 0"),
        ({"value": "40"}, "value", "The value 40 does not match the numerator and denominator, which give 32.307692"),
        ({"indicator": "999999"}, "indicator", "Select a valid choice. 999999 is not one of the available choices."),
    ],
)
def test_figure_form_errors_name_the_field(manager_client, partnership, data, field, message):
    post = {
        "indicator": indicator("REOFF_BINARY").pk,
        "area": area(partnership, "PARTNERSHIP").pk,
        "period_start": "01/01/2020",
        "period_end": "31/12/2020",
        "numerator": "42",
        "denominator": "130",
        **data,
    }
    response = manager_client.post(url(partnership, "observation_add"), post)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert "govuk-error-summary" in html and f'href="#id_{field}"' in html
    assert Observation.objects.count() == 0


def test_editing_a_figure_changed_by_someone_else_shows_the_conflict_page(manager_client, partnership):
    obs = observation(partnership, "FTE", "ENGLAND", date(2018, 1, 1), date(2018, 12, 31), value="236")
    edit = url(partnership, "observation_edit", pk=obs.pk)
    form = manager_client.get(edit).context["form"]
    stale = form.initial["version"]
    assert manager_client.post(edit, {**_post(obs), "value": "237", "version": stale}).status_code == 302
    response = manager_client.post(edit, {**_post(obs), "value": "238", "version": stale})
    assert response.status_code == 409
    obs.refresh_from_db()
    assert obs.value == Decimal("237.000000")


def _post(obs):
    return {
        "indicator": obs.indicator_id,
        "area": obs.area_id,
        "period_start": obs.period_start.isoformat(),
        "period_end": obs.period_end.isoformat(),
        "label": obs.label,
        "numerator": "",
        "denominator": "",
    }


def test_another_partnerships_figure_is_not_found(manager_client, partnership):
    other = PartnershipFactory()
    from performance import services

    services.areas_ensure(partnership=other)
    obs = observation(other, "FTE", "ENGLAND", date(2018, 1, 1), date(2018, 12, 31), value="236")
    assert manager_client.get(url(partnership, "observation_edit", pk=obs.pk)).status_code == 404
    assert manager_client.get(url(partnership, "indicator", pk=999999)).status_code == 404


def test_the_quarter_grid(manager_client, partnership):
    grid = url(partnership, "grid") + "?period_start=01/04/2023&period_end=30/06/2023&group=national"
    response = manager_client.get(grid)
    assert response.status_code == 200
    fte, own, england = indicator("FTE"), area(partnership, "PARTNERSHIP"), area(partnership, "ENGLAND")
    binary = indicator("REOFF_BINARY")
    post = {
        f"n-{fte.pk}-{own.pk}": "155",
        f"d-{fte.pk}-{own.pk}": "83,600",
        f"v-{fte.pk}-{england.pk}": "236",
        f"n-{binary.pk}-{own.pk}": "140",
        f"d-{binary.pk}-{own.pk}": "130",
        "label": "Apr–Jun 2023",
    }
    response = manager_client.post(grid, post)
    assert response.status_code == 200
    assert response.context["errors"] == {
        f"n-{binary.pk}-{own.pk}": f"REOFF_BINARY / {own.name} / numerator: "
        "The numerator (140) cannot be more than the denominator (130)"
    }
    assert f'href="#n-{binary.pk}-{own.pk}"' in response.content.decode()
    assert Observation.objects.count() == 0
    post[f"n-{binary.pk}-{own.pk}"] = "forty"
    response = manager_client.post(grid, post)
    assert response.context["errors"] == {
        f"n-{binary.pk}-{own.pk}": f"REOFF_BINARY / {own.name} / numerator: must be a number, like 42"
    }
    post[f"n-{binary.pk}-{own.pk}"] = "42"
    response = manager_client.post(grid, post, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["3 figures added, 0 changed, 0 unchanged"]
    assert sorted(Observation.objects.values_list("indicator__code", "area__code", "value", "label")) == [
        ("FTE", "ENGLAND", Decimal("236"), "Apr–Jun 2023"),
        ("FTE", "PARTNERSHIP", Decimal("185.406699"), "Apr–Jun 2023"),
        ("REOFF_BINARY", "PARTNERSHIP", Decimal("32.307692"), "Apr–Jun 2023"),
    ]
    response = manager_client.post(grid, post, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Nothing changed: every figure was already recorded"]


def test_grid_with_a_bad_period_shows_the_error(manager_client, partnership):
    response = manager_client.get(url(partnership, "grid") + "?period_start=soon&period_end=30/06/2023&group=kpi")
    assert response.status_code == 200
    assert response.context["period_form"].errors == {
        "period_start": ["Period start must be a real date, like 31/12/2018"]
    }


CSV = (
    "indicator,area,period start,period end,numerator,denominator,value,label\n"
    "REOFF_BINARY,PARTNERSHIP,2020-01-01,2020-12-31,42,130,,Jan–Dec 2020\n"
    "REOFF_BINARY,ENGLAND,2020-01-01,2020-12-31,,,34.2,Jan–Dec 2020\n"
)


def test_import_preview_then_confirm_then_reimport_says_nothing_changed(manager_client, partnership):
    upload = SimpleUploadedFile("figures.csv", CSV.encode(), content_type="text/csv")
    response = manager_client.post(url(partnership, "import"), {"file": upload, "layout": "long"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 figures will be added, 0 changed and 0 left as they are." in html
    assert table_rows(html, "What will change")[1:] == [
        ["2", "REOFF_BINARY", partnership.name, "Jan–Dec 2020", "No figure yet —", "32.307692"],
        ["3", "REOFF_BINARY", "England", "Jan–Dec 2020", "No figure yet —", "34.2"],
    ]
    assert Observation.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = manager_client.post(url(partnership, "import_confirm"), {"token": token, "layout": "long"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Imported figures.csv: 2 figures added, 0 changed, 0 unchanged"
    ]
    assert Observation.objects.count() == 2
    # the same token cannot be used twice
    response = manager_client.post(url(partnership, "import_confirm"), {"token": token}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["The preview has expired: upload the file again"]
    upload = SimpleUploadedFile("figures.csv", CSV.encode(), content_type="text/csv")
    response = manager_client.post(url(partnership, "import"), {"file": upload, "layout": "long"})
    html = response.content.decode()
    assert "Nothing would change: all 2 figures in the file are already recorded." in html
    assert 'name="token"' not in html


def test_import_errors_are_listed_by_row_and_column(manager_client, partnership):
    bad = CSV + "NOPE,PARTNERSHIP,2020-01-01,2020-12-31,,,1,\nREOFF_BINARY,ENGLAND,2020-01-01,2020-12-31,,,34.2,\n"
    upload = SimpleUploadedFile("figures.csv", bad.encode(), content_type="text/csv")
    html = manager_client.post(url(partnership, "import"), {"file": upload, "layout": "long"}).content.decode()
    assert table_rows(html, "Problems by row and column")[1:] == [
        ["4", "indicator", "Unknown indicator code “NOPE”"],
        ["5", "indicator", "This row repeats row 3 (same indicator, area and period)"],
    ]
    assert 'name="token"' not in html
    assert Observation.objects.count() == 0


def test_import_form_errors(manager_client, partnership):
    response = manager_client.post(url(partnership, "import"), {"layout": "wide"})
    assert response.context["form"].errors == {
        "file": ["Choose a CSV or Excel file"],
        "period_start": ["Enter the period the figures are for (needed for the one-period layout)"],
        "period_end": ["Enter the period the figures are for (needed for the one-period layout)"],
    }
    empty = SimpleUploadedFile("figures.csv", b"", content_type="text/csv")
    response = manager_client.post(url(partnership, "import"), {"file": empty, "layout": "long"})
    assert response.context["form"].errors == {"file": ["The file is empty"]}


def test_import_confirm_with_a_forged_token(manager_client, partnership):
    response = manager_client.post(url(partnership, "import_confirm"), {"token": "forged"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["The preview has expired: upload the file again"]


def test_settings_page(manager_client, partnership):
    response = manager_client.post(url(partnership, "settings"), {"small_numerator": "0", "small_cohort": "x"})
    assert response.context["form"].errors == {
        "small_numerator": ["The smallest numerator must be 1 or more"],
        "small_cohort": ["The smallest cohort must be a whole number, like 30"],
    }
    response = manager_client.post(url(partnership, "settings"), {"small_numerator": "10", "small_cohort": "50"})
    assert response.status_code == 302
    saved = PerformanceSettings.objects.get(partnership=partnership)
    assert (saved.small_numerator, saved.small_cohort, saved.suppress_small_counts) == (10, 50, False)


def test_add_a_comparator_area(manager_client, partnership):
    response = manager_client.post(
        url(partnership, "area_add"), {"name": "Statistical neighbours", "code": "nbr", "kind": "other"}
    )
    assert response.status_code == 302
    assert ComparatorArea.objects.filter(partnership=partnership, code="NBR").count() == 1
    response = manager_client.post(url(partnership, "area_add"), {"name": "Again", "code": "england", "kind": "other"})
    assert response.context["form"].errors == {"code": ["There is already an area with the code ENGLAND"]}


def test_kpi_return_with_a_nonsense_period(manager_client, partnership):
    response = manager_client.get(url(partnership, "kpis") + "?period=2023-13-01_nope")
    assert response.status_code == 200
    assert "No KPI figures recorded yet." in response.content.decode()


# --- Query counts -------------------------------------------------------------------------------


def _add_years(partnership):
    counter = {"year": 1990}

    def add(n):
        for _ in range(n):
            counter["year"] += 1
            y = counter["year"]
            for code in ("FTE", "CUSTODY_RATE", "REOFF_BINARY"):
                for area_code in ("PARTNERSHIP", "ENGLAND", "FAMILY"):
                    observation(partnership, code, area_code, date(y, 1, 1), date(y, 12, 31), value="20", label=f"{y}")

    return add


@pytest.mark.parametrize("page", ["dashboard", "indicators", "kpis", "grid"])
def test_pages_have_a_fixed_number_of_queries(manager_client, partnership, query_guard, page):
    query_guard.assert_fixed(manager_client, url(partnership, page), add_rows=_add_years(partnership), rows=4, limit=14)


def test_indicator_page_queries(manager_client, partnership, query_guard):
    query_guard.assert_fixed(
        manager_client,
        url(partnership, "indicator", pk=indicator("FTE").pk),
        add_rows=_add_years(partnership),
        rows=4,
        limit=10,
    )


def test_kpi_page_queries_grow_not_with_figures(manager_client, partnership, query_guard):
    quarter = (date(2023, 4, 1), date(2023, 6, 30))
    observation(partnership, "KPI1.1", "PARTNERSHIP", *quarter, numerator=3, denominator=4)

    def add(n):
        for code in ("KPI1.2", "KPI2.1", "KPI4.3", "KPI9.1"):
            observation(
                partnership,
                code,
                "PARTNERSHIP",
                *quarter,
                numerator=3,
                denominator=None if code == "KPI9.1" else 9,
                value="3" if code == "KPI9.1" else None,
            )

    query_guard.assert_fixed(manager_client, url(partnership, "kpis"), add_rows=add, rows=1, limit=12)


def test_add_a_local_indicator(manager_client, partnership):
    post = {
        "code": "ete-16",
        "name": "Over-16s in ETE",
        "unit": "percent",
        "decimals": "1",
        "multiplier": "100",
        "polarity": "higher",
        "period_type": "quarter",
        "is_share": "on",
    }
    response = manager_client.post(url(partnership, "indicator_add"), post)
    assert response.status_code == 302
    local = partnership.indicators.get()
    assert (local.code, local.group, local.test, local.is_share, local.partnership_id) == (
        "ETE-16",
        "local",
        "proportion",
        True,
        partnership.pk,
    )
    response = manager_client.post(url(partnership, "indicator_add"), {**post, "code": "FTE"})
    assert response.context["form"].errors == {"code": ["There is already an indicator with the code FTE"]}
    response = manager_client.post(url(partnership, "indicator_add"), {**post, "code": "X", "multiplier": "0"})
    assert response.context["form"].errors == {"multiplier": ["The multiplier must be more than 0"]}
    # another partnership does not see it
    other = PartnershipFactory()
    from performance.selectors import indicators_for

    assert not indicators_for(other).filter(code="ETE-16").exists()
