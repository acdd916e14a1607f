"""factory-boy factories for the actions spoke."""

import datetime as dt

import factory
from django.utils import timezone

from actions.models import Action, Priority, ProgressUpdate, Risk
from tests.factories import PartnershipFactory


def aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    partnership = factory.SubFactory(PartnershipFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Priority {n + 1}: reduce reoffending")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: str(n + 1))
    text = "Review the remand strategy with the police and the courts"
    target_date = dt.date(2025, 3, 31)

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Risk {n}: recruitment of skilled staff")
    category = "workforce"
    likelihood = 3
    impact = 4


def update(action, *, author, when: dt.datetime, text="Progress made this quarter", completion=None, impact=None):
    """A progress update dated ``when`` (as services.progress_add would write it), for dated test data."""
    row = ProgressUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        author=author.user,
        author_name=author.user.full_name,
        date=timezone.localtime(when).date(),
        created_at=when,
        text=text,
        completion_from=action.completion,
        completion_to=completion or action.completion,
        impact_from=action.impact,
        impact_to=impact or action.impact,
    )
    Action.objects.filter(pk=action.pk).update(
        completion=row.completion_to, impact=row.impact_to, last_update_at=when, latest_update=row
    )
    action.refresh_from_db()
    return row
