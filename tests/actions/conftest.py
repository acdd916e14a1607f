import pytest

from tests.factories import PartnershipFactory, UserFactory, member
from yjplan.permissions import Role


@pytest.fixture
def leicester(db):
    return PartnershipFactory(slug="leicester", name="Leicester Children and Young People's Justice Service")


@pytest.fixture
def people(leicester):
    """Members whose initials match the Leicester tracker's glossary."""
    return {
        "BB": member(leicester, Role.BOARD, user=UserFactory(full_name="Brian Bodsworth")),
        "KM": member(leicester, Role.BOARD, user=UserFactory(full_name="Karen Manville")),
        "JH": member(leicester, Role.CHAIR, user=UserFactory(full_name="Jim Hatton")),
        "SW": member(leicester, Role.MANAGER, user=UserFactory(full_name="Sue Welford")),
        "VV": member(leicester, Role.VIEWER, user=UserFactory(full_name="Val Viewer")),
    }
