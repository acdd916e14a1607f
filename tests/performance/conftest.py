import json

import pytest

from performance import demo, services
from tests.performance.factories import load_definitions
from yjplan.management.commands.seed_demo import DEMO_FILE
from yjplan.models import LocalAuthority, Partnership


@pytest.fixture
def definitions(db):
    load_definitions()


@pytest.fixture
def areas(partnership, definitions):
    return services.areas_ensure(partnership=partnership)


@pytest.fixture
def demo_partnerships(definitions):
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    partnerships = {}
    for data in spec["partnerships"]:  # as seed_demo makes them, without the users (hashing passwords is slow)
        fields = {k: data[k] for k in ("name", "nation", "region", "yot_family", "police_force_area")}
        partnership = Partnership.objects.create(slug=data["slug"], **fields)
        for position, council in enumerate(data["councils"]):
            LocalAuthority.objects.create(partnership=partnership, position=position, **council)
        partnerships[data["slug"]] = partnership
    demo.seed(partnerships)
    return partnerships
