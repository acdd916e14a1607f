"""Each page costs a fixed number of queries, whatever the number of rows."""

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory, PopulationFactory, member
from yjplan.models import LocalAuthority
from yjplan.permissions import Role


@pytest.fixture
def setup(db, client):
    partnership = PartnershipFactory()
    admin = member(partnership, Role.ADMIN, Role.MANAGER)
    client.force_login(admin.user)
    return partnership, client


def test_members_page(setup, query_guard):
    partnership, client = setup
    query_guard.assert_fixed(
        client,
        reverse("members", kwargs={"slug": partnership.slug}),
        add_rows=lambda n: [member(partnership, Role.VIEWER) for _ in range(n)],
        limit=8,
    )


def test_partnership_detail_page(setup, query_guard):
    partnership, client = setup

    def add(n):
        for i in range(n):
            LocalAuthority.objects.create(partnership=partnership, name=f"Council {i}", short_name=f"C{i}")
            PopulationFactory(partnership=partnership, year=2000 + i)

    query_guard.assert_fixed(
        client, reverse("partnership_detail", kwargs={"slug": partnership.slug}), add_rows=add, limit=9
    )


def test_dashboard_and_chooser(setup, query_guard):
    partnership, client = setup
    user = partnership.memberships.get().user

    def join_more(n):
        for _ in range(n):
            member(PartnershipFactory(), Role.VIEWER, user=user)
            member(partnership, Role.BOARD)

    query_guard.assert_fixed(
        client, reverse("dashboard", kwargs={"slug": partnership.slug}), add_rows=join_more, limit=20
    )
    query_guard.assert_fixed(client, reverse("partnership_choose"), add_rows=join_more, limit=6)
