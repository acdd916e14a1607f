"""The performance spoke's pages in the authorization matrix: everyone reads, the manager enters and imports."""

from datetime import date
from decimal import Decimal

from performance import services
from performance.models import Indicator, Observation
from tests.performance.factories import load_definitions
from tests.yjplan.test_authorization_matrix import Expect, _members
from yjplan.permissions import ALL_ROLES

EDIT = _members("performance.edit")


def _indicator(world):
    load_definitions()
    services.areas_ensure(partnership=world["own"])
    return Indicator.objects.get(code="FTE", partnership__isnull=True).pk


def _observation(world):
    load_definitions()
    areas = {a.code: a for a in services.areas_ensure(partnership=world["own"])}
    existing = Observation.objects.filter(partnership=world["own"], area=areas["PARTNERSHIP"]).first()
    if existing is not None:
        return existing.pk
    obs = services.observation_save(
        partnership=world["own"],
        indicator=Indicator.objects.get(code="FTE", partnership__isnull=True),
        area=areas["PARTNERSHIP"],
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        value=Decimal("185"),
        label="Jan–Dec 2018",
    )
    return obs.pk


PARTNERSHIP_URLS = {
    "performance:dashboard": Expect(ALL_ROLES),
    "performance:indicators": Expect(ALL_ROLES),
    "performance:indicator": Expect(ALL_ROLES, kwargs={"pk": "{performance_indicator}"}),
    "performance:indicator_csv": Expect(
        ALL_ROLES, kwargs={"pk": "{performance_indicator}"}, content_type="text/csv; charset=utf-8"
    ),
    "performance:kpis": Expect(ALL_ROLES),
    "performance:observation_add": Expect(EDIT),
    "performance:observation_edit": Expect(EDIT, kwargs={"pk": "{performance_observation}"}),
    "performance:grid": Expect(EDIT),
    "performance:import": Expect(EDIT),
    "performance:import_confirm": Expect(EDIT, method="post", ok=302),
    "performance:settings": Expect(EDIT),
    "performance:area_add": Expect(EDIT),
    "performance:indicator_add": Expect(EDIT),
    "performance:area_edit": Expect(EDIT, kwargs={"pk": "{performance_area}"}),
    "performance:area_remove": Expect(EDIT, kwargs={"pk": "{performance_area}"}),
}


def _area(world):
    from performance.models import ComparatorArea

    area = ComparatorArea.objects.filter(partnership=world["own"], code="NEIGHBOUR").first()
    return (area or services.area_add(partnership=world["own"], code="NEIGHBOUR", name="Neighbour", kind="other")).pk


FILL = {
    "{performance_area}": _area,
    "{performance_indicator}": _indicator,
    "{performance_observation}": _observation,
}
