"""Every actions page renders for every role allowed to see it, as a GOV.UK page with one <h1>."""

import pytest

from tests.yjplan.test_authorization_matrix import ROLES, _url  # isort: skip  (loads tests.actions.authz first)
from tests.actions.authz import PARTNERSHIP_URLS
from tests.factories import PartnershipFactory, member
from tests.yjplan.test_smoke import assert_govuk_page


@pytest.fixture
def world(db):
    own = PartnershipFactory()
    members = {role: member(own, role) for role in ROLES}
    return {"own": own, "members": members, "target": members[ROLES[0]], "other": PartnershipFactory()}


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_every_actions_page_renders(role, world, client):
    client.force_login(world["members"][role].user)
    rendered = []
    for name, expect in PARTNERSHIP_URLS.items():
        if expect.method != "get" or role not in expect.allowed:
            continue
        url = _url(name, expect, world)
        response = client.get(url)
        assert response.status_code == 200, f"{name} answered {response.status_code}"
        rendered.append(name)
        if expect.content_type == "text/html":
            assert_govuk_page(response, url)
            assert world["own"].name in response.content.decode()
    assert len(rendered) == sum(1 for e in PARTNERSHIP_URLS.values() if e.method == "get" and role in e.allowed)
