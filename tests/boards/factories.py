"""factory-boy factories for the boards spoke."""

import datetime as dt

import factory
from django.utils import timezone

from boards.models import AgendaItem, Attendance, Board, BoardMember, Meeting
from tests.factories import PartnershipFactory


def at(day: str, time: str = "10:00") -> dt.datetime:
    """An aware datetime in the site's time zone: ``at("2023-05-10", "14:00")``."""
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{time}"))


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Youth Justice Management Board {n}")
    kind = Board.Kind.MANAGEMENT
    quorum = 3
    reports_to = "Safeguarding Children Partnership\nCommunity Safety Partnership"


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMember

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Board Member {n}")
    organisation = "Testshire County Council"
    agency = "local_authority"
    role = BoardMember.Role.MEMBER
    seniority = "Director"
    start_date = dt.date(2023, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    starts_at = factory.LazyFunction(lambda: at("2023-05-10", "10:00"))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Shire Hall, Committee Room 2"
    status = Meeting.Status.HELD


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    kind = AgendaItem.Kind.INFORMATION


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(BoardMemberFactory)
    status = Attendance.Status.PRESENT
