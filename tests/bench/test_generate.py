"""The benchmark's data generator, at a tiny scale: exact counts, and a second run changes nothing."""

import pytest

from bench.generate import EXTRA_ROLES, PASSWORD, generate, partnership_specs
from yjplan.models import LocalAuthority, Membership, Partnership, PopulationEstimate, User
from yjplan.permissions import Role


def counts() -> dict:
    return {
        "partnerships": Partnership.objects.count(),
        "councils": LocalAuthority.objects.count(),
        "populations": PopulationEstimate.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        **{role.value: Membership.objects.filter(**{f"is_{role.value}": True}).count() for role in Role},
    }


@pytest.mark.django_db
def test_generator_builds_exact_counts_once():
    specs = partnership_specs(3)
    assert len(generate(count=3)) == 3
    first = counts()
    extra = {role: sum(role in roles for roles in EXTRA_ROLES) for role in Role}
    assert first == {
        "partnerships": 3,
        "councils": sum(len(spec.councils) for spec in specs),
        "populations": 3 * 3,
        "users": 3 * 16,
        "memberships": 3 * 16,
        **{role.value: 3 * (1 + extra[role]) for role in Role},
    }
    assert first["manager"] == 3 * 3 and first["board"] == 3 * 6 and first["chair"] == 3
    for spec in specs:
        for role in Role:
            user = User.objects.get(email=f"{role.value}@{spec.slug}.bench")
            assert Membership.objects.get(user=user).roles == [role]
    assert User.objects.first().check_password(PASSWORD)
    assert Membership.history.count() == 3 * 16  # audited records get their "created" history rows

    assert generate(count=3) == []
    assert counts() == first


def test_specs_are_stable_prefixes_in_national_proportion():
    specs = partnership_specs()
    assert partnership_specs(3) == specs[:3]
    assert len(specs) == len({s.slug for s in specs}) == len({s.name for s in specs}) == 154
    assert sum(s.nation == "wales" for s in specs) == 22
    assert 12 <= sum(len(s.councils) == 2 for s in specs) <= 20
