"""The test world of the authorization matrix and the page smoke test."""

import pytest

from tests.factories import PartnershipFactory, member
from yjplan.permissions import Role

ROLES = list(Role)


@pytest.fixture
def world(db):
    own = PartnershipFactory(councils=["Northshire County Council", "Southton City Council"])
    other = PartnershipFactory()
    members = {role: member(own, role) for role in ROLES}
    outsider = member(other, *ROLES)
    target = member(own, Role.VIEWER)
    return {"own": own, "other": other, "members": members, "outsider": outsider, "target": target}
