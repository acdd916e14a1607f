"""A board decision becomes a tracked action in one step, through the registry's action creator."""

import pytest
from django.utils import timezone

from actions.models import Action
from boards import services
from tests.boards.factories import BoardFactory, MeetingFactory


@pytest.mark.django_db
def test_a_decision_marked_for_action_lands_in_the_tracker_with_its_source():
    board = BoardFactory()
    meeting = MeetingFactory(board=board, starts_at=timezone.make_aware(timezone.datetime(2019, 6, 12, 10, 0)))
    decision = services.decision_add(meeting=meeting, text="Audit every remand case this year", action_requested=True)
    action = Action.objects.get(partnership=board.partnership)
    assert decision.action_reference == action.reference
    assert action.source == "board_decision"
    assert action.source_reference == f"{board.name}, 12 June 2019"
    assert action.text.startswith("Audit every remand case this year")
    plain = services.decision_add(meeting=meeting, text="Noted the quarterly report")
    assert plain.action_reference == ""
    assert Action.objects.filter(partnership=board.partnership).count() == 1
