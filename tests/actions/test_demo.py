"""The demo records follow the seeds: Leicester's references, leads and dates; Cambridgeshire's risks."""

import datetime as dt

import pytest

from actions import demo
from actions.models import Action, ProgressUpdate, Risk
from tests.factories import PartnershipFactory, member
from yjplan.permissions import Role


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_follows_the_seeds():
    parts = {slug: PartnershipFactory(slug=slug) for slug in ("leicester", "cambs-peterborough", "warwickshire")}
    for p in parts.values():
        for role in (Role.MANAGER, Role.BOARD, Role.CHAIR):
            member(p, role)
    demo.seed(parts)
    demo.seed(parts)
    leicester = {
        a.reference: a for a in Action.objects.filter(partnership=parts["leicester"]).prefetch_related("leads__user")
    }
    assert sorted(leicester) == sorted(["2", "3", "4", "5", "6", "6a", "7", "12", "13", "14"])
    assert [m.user.initials for m in leicester["6a"].leads.all()] == ["JN", "SM", "SW"]
    assert [m.user.initials for m in leicester["12"].leads.all()] == ["BOB", "BB"]
    assert (leicester["7"].completion, leicester["7"].target_date) == ("complete", dt.date(2022, 3, 31))
    assert leicester["3"].target_date == dt.date(2022, 9, 30)
    assert Risk.objects.filter(partnership=parts["cambs-peterborough"]).count() == 8
    assert Action.objects.filter(partnership=parts["warwickshire"]).count() == 11
    assert ProgressUpdate.objects.filter(partnership=parts["leicester"]).count() == 11
