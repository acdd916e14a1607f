"""factory-boy factories for the hub's models."""

import factory
from django.contrib.auth.hashers import make_password

from yjplan.models import LocalAuthority, Membership, Partnership, PopulationEstimate, User

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = None


def password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.LazyFunction(password_hash)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testshire {n} Youth Justice Service")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    nation = "england"
    region = "east"
    yot_family = "Family 3"
    police_force_area = "Testshire Police"

    @factory.post_generation
    def councils(self, create, extracted, **kwargs):
        if not create:
            return
        names = extracted if extracted is not None else [self.name.replace(" Youth Justice Service", " Council")]
        for position, name in enumerate(names):
            LocalAuthority.objects.create(partnership=self, name=name, short_name=name.split()[0], position=position)


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationEstimate

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2019
    population_10_17 = 52000


def member(partnership, *roles, user=None, **fields) -> Membership:
    """A membership with the given roles (a new user unless one is given)."""
    user = user or UserFactory()
    membership = Membership(user=user, partnership=partnership, **fields)
    membership.set_roles(roles)
    membership.save()
    return membership
