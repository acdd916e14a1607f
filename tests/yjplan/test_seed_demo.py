"""`manage.py seed_demo` builds the three demo partnerships from the seeds' facts, once."""

import pytest
from django.core.management import CommandError, call_command

from yjplan.models import LocalAuthority, Membership, Partnership, User
from yjplan.permissions import Role


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_complete(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert sorted(Partnership.objects.values_list("slug", flat=True)) == [
        "cambs-peterborough",
        "leicester",
        "warwickshire",
    ]
    assert list(
        LocalAuthority.objects.filter(partnership__slug="cambs-peterborough").values_list("short_name", flat=True)
    ) == ["Cambridgeshire", "Peterborough"]
    demo_users = Membership.objects.filter(user__email__endswith=".demo") | Membership.objects.filter(
        user__email="multi@demo"
    )
    assert demo_users.count() == 3 * 6 + 3
    for slug in ("cambs-peterborough", "warwickshire", "leicester"):
        for role in Role:
            user = User.objects.get(email=f"{role.value}@{slug}.demo")
            assert user.check_password("yjplan-demo")
            assert Membership.objects.get(user=user).roles == [role]
    multi = User.objects.get(email="multi@demo")
    assert multi.memberships.filter(is_manager=True).count() == 3


@pytest.mark.django_db
def test_seed_demo_refuses_in_production_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load demo data with DEBUG=0"):
        call_command("seed_demo", verbosity=0)
    assert Partnership.objects.count() == 0
    call_command("seed_demo", "--force", verbosity=0)
    assert Partnership.objects.count() == 3


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_database_alone(settings):
    settings.DEBUG = True
    Partnership.objects.create(slug="own", name="Own YJS", region="london")
    call_command("seed_demo", "--if-empty", verbosity=0)
    assert list(Partnership.objects.values_list("slug", flat=True)) == ["own"]
