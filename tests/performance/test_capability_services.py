"""Writes of the self-assessment: scores in range, who may validate, assignees, gaps to actions and risks."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actions.models import Action, Risk
from performance.capability import services
from performance.capability.models import ActivityResponse, Gap, SignOff
from tests.factories import member
from tests.performance.capability_helpers import make_assessment
from yjplan.permissions import Role
from yjplan.services import Conflict


@pytest.fixture
def assessment(partnership):
    return make_assessment(partnership)


@pytest.fixture
def manager(partnership):
    return member(partnership, Role.MANAGER)


def response(assessment, code) -> ActivityResponse:
    return assessment.responses.select_related("activity").get(activity__code=code)


def test_a_new_assessment_has_every_activity_unscored_and_nine_unassigned_areas(assessment):
    assert assessment.responses.count() == 30
    assert list(assessment.responses.values_list("activity__code", flat=True)[:5]) == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
    ]
    assert assessment.responses.filter(self_score__isnull=False).count() == 0
    assert [a.area.number for a in assessment.assignments.select_related("area")] == list(range(1, 10))
    assert all(a.assignee_id is None for a in assessment.assignments.all())


def test_one_assessment_per_year(partnership, assessment):
    with pytest.raises(ValidationError) as error:
        services.assessment_create(partnership=partnership, year="2010")
    assert error.value.message_dict == {"year": ["There is already a self-assessment for 2010"]}
    with pytest.raises(ValidationError) as error:
        services.assessment_create(partnership=partnership, year="1890")
    assert error.value.message_dict == {"year": ["Year must be between 2000 and 2100"]}


@pytest.mark.parametrize("bad", ["4", "-1", "2.5", "three", 7])
def test_a_score_outside_0_to_3_is_a_field_error_and_nothing_is_saved(assessment, manager, bad):
    r = response(assessment, "1.1")
    with pytest.raises(ValidationError) as error:
        services.response_update(response=r, by=manager, evidence="Audits every six weeks", self_score=bad)
    assert error.value.message_dict == {
        "self_score": ["Self-assessed score must be 0 (poor), 1 (adequate), 2 (good) or 3 (excellent)"]
    }
    r.refresh_from_db()
    assert (r.evidence, r.self_score) == ("", None)


def test_half_finished_work_saves_and_resumes(assessment, manager):
    r = response(assessment, "2.4")
    services.response_update(response=r, by=manager, evidence="Diversity training planned for June", self_score="")
    r.refresh_from_db()
    assert (r.evidence, r.self_score) == ("Diversity training planned for June", None)
    services.response_update(response=r, by=manager, self_score="1")
    r.refresh_from_db()
    assert (r.evidence, r.self_score) == ("Diversity training planned for June", 1)


def test_only_a_validator_enters_the_validated_score(partnership, assessment, manager):
    r = response(assessment, "1.1")
    board = member(partnership, Role.BOARD)
    services.assignments_save(assessment=assessment, assignees={1: board.pk})
    with pytest.raises(ValidationError) as error:
        services.response_update(response=r, by=board, self_score="2", validated_score="1")
    assert error.value.message_dict == {
        "validated_score": ["Only someone who validates self-assessments may enter a validated score"]
    }
    r.refresh_from_db()
    assert (r.self_score, r.validated_score) == (None, None)  # nothing saved half-way
    chair = member(partnership, Role.CHAIR)
    services.response_update(response=r, by=chair, validated_score="1")
    with pytest.raises(ValidationError) as error:
        services.response_update(response=r, by=chair, self_score="3")
    assert error.value.message_dict == {
        "self_score": ["Only a manager or the area's assignee may change the self-assessed score"]
    }
    r.refresh_from_db()
    assert (r.self_score, r.validated_score) == (None, 1)


def test_an_assignee_edits_their_area_only(partnership, assessment):
    board = member(partnership, Role.BOARD)
    services.assignments_save(assessment=assessment, assignees={8: board.pk})
    services.response_update(response=response(assessment, "8.2"), by=board, evidence="Audit done", self_score=2)
    assert response(assessment, "8.2").self_score == 2
    with pytest.raises(PermissionDenied):
        services.response_update(response=response(assessment, "7.1"), by=board, self_score=2)
    viewer = member(partnership, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.response_update(response=response(assessment, "8.2"), by=viewer, self_score=1)


def test_assignees_must_be_members_of_the_partnership(assessment, other_partnership):
    outsider = member(other_partnership, Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        services.assignments_save(assessment=assessment, assignees={3: outsider.pk})
    assert error.value.message_dict == {"area_3": ["Choose a member of this partnership"]}


def test_a_stale_edit_is_a_conflict(assessment, manager):
    r = response(assessment, "3.1")
    opened = r.updated_at.isoformat()
    services.response_update(response=r, by=manager, evidence="First", version=opened)
    with pytest.raises(Conflict) as conflict:
        services.response_update(response=r, by=manager, evidence="Second", version=opened)
    assert conflict.value.theirs["evidence"] == "First" and conflict.value.yours["evidence"] == "Second"
    r.refresh_from_db()
    assert r.evidence == "First"


GAP = {
    "gap": "Not every member of staff has had diversity training",
    "risk": "Knowledge of disproportionality may fall short of the standard needed",
    "likelihood": "3",
    "impact": "4",
    "action": "Commission diversity training with a focus on disproportionality",
    "success_criteria": "Diversity needs identified and acted on in every case",
}


def test_a_gap_becomes_a_tracked_action_and_a_risk(partnership, assessment, manager, client):
    owner = member(partnership, Role.BOARD)
    gap = services.gap_raise(
        response=response(assessment, "2.4"), by=manager, data={**GAP, "owner": owner.pk, "deadline": date(2010, 7, 31)}
    )
    action = Action.objects.get(partnership=partnership)
    assert (gap.action_reference, action.reference, action.source) == ("G1", "G1", "self_assessment")
    assert action.source_reference == "Self-assessment 2010, activity 2.4"
    assert action.text == (
        "Commission diversity training with a focus on disproportionality\n\n"
        "Gap: Not every member of staff has had diversity training\n"
        "Success criteria: Diversity needs identified and acted on in every case"
    )
    assert (action.target_date, list(action.leads.all())) == (date(2010, 7, 31), [owner])
    risk = Risk.objects.get(partnership=partnership)
    assert gap.risk_reference == str(risk.pk)
    assert (risk.title, risk.likelihood, risk.impact, risk.owner, risk.review_date) == (
        GAP["risk"],
        3,
        4,
        owner,
        date(2010, 7, 31),
    )
    assert list(risk.actions.all()) == [action]

    client.force_login(member(partnership, Role.VIEWER).user)
    html = client.get(
        reverse("actions:tracker", kwargs={"slug": partnership.slug}) + "?source=self_assessment"
    ).content.decode()
    assert "G1" in html and "Commission diversity training" in html
    detail = client.get(
        reverse("actions:action_detail", kwargs={"slug": partnership.slug, "pk": action.pk})
    ).content.decode()
    assert "Capacity and capability self-assessment gap: Self-assessment 2010, activity 2.4" in detail


def test_a_gap_without_owner_or_deadline_is_refused_and_nothing_is_saved(partnership, assessment, manager):
    with pytest.raises(ValidationError) as error:
        services.gap_raise(
            response=response(assessment, "1.1"), by=manager, data={**GAP, "owner": "", "deadline": None}
        )
    assert error.value.message_dict == {
        "owner": ["Choose the owner of the action"],
        "deadline": ["Enter the deadline as a date"],
    }
    assert (Gap.objects.count(), Action.objects.count(), Risk.objects.count()) == (0, 0, 0)


def test_only_managers_and_the_assignee_raise_gaps(partnership, assessment):
    chair = member(partnership, Role.CHAIR)
    with pytest.raises(PermissionDenied):
        services.gap_raise(
            response=response(assessment, "1.1"),
            by=chair,
            data={**GAP, "owner": chair.pk, "deadline": date(2010, 7, 1)},
        )
    assert Action.objects.count() == 0


def test_sign_off_list_keeps_order_and_needs_name_and_role(assessment):
    rows = [
        {"name": "Gordon Jeyes", "role": "Executive Director, Children and Young People's Services", "signed_on": None},
        {"name": "", "role": "", "signed_on": None},
        {"name": "Nigel Sunman", "role": "Superintendent, Cambridgeshire Constabulary", "signed_on": date(2010, 3, 31)},
    ]
    services.signoffs_save(assessment=assessment, rows=rows)
    assert list(SignOff.objects.values_list("name", "signed_on")) == [
        ("Gordon Jeyes", None),
        ("Nigel Sunman", date(2010, 3, 31)),
    ]
    with pytest.raises(ValidationError) as error:
        services.signoffs_save(assessment=assessment, rows=[{"name": "Alison Hancock", "role": "", "signed_on": None}])
    assert error.value.message_dict == {"role_0": ["Enter their role"]}
    assert SignOff.objects.count() == 2
