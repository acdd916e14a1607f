"""National Standards self-audit and HMIP inspection writes: grades from the list, actions made once, conflicts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from actions.models import Action
from performance.standards import services
from performance.standards.models import AssessmentComment, Inspection, InspectionRating, StandardGrade
from tests.factories import member
from yjplan.permissions import Role
from yjplan.services import Conflict


@pytest.fixture
def audit(partnership):
    return services.audit_create(partnership=partnership, year=2022, conducted="May to June 2022")


@pytest.fixture
def inspection(partnership):
    inspection = services.inspection_create(
        partnership=partnership,
        data={"title": "Inspection of youth offending services", "inspected_on": dt.date(2019, 9, 16)},
        ratings={"1.1": "good", "2.1": "requires_improvement"},
    )
    for text in ("Improve out-of-court assessments", "Plan transitions to adult services earlier", "Audit remands"):
        services.recommendation_add(inspection=inspection, text=text)
    return inspection


def test_an_audit_has_the_five_standards_ungraded(audit):
    grades = list(audit.grades.order_by("standard"))
    assert [(g.standard, g.get_standard_display(), g.operational, g.strategic) for g in grades] == [
        (1, "Out-of-court disposals", "", ""),
        (2, "At court", "", ""),
        (3, "In the community", "", ""),
        (4, "In secure settings", "", ""),
        (5, "On transition and resettlement", "", ""),
    ]


def test_one_audit_a_year(audit, partnership):
    with pytest.raises(ValidationError) as error:
        services.audit_create(partnership=partnership, year=2022)
    assert error.value.message_dict == {"year": ["There is already a self-audit for 2022"]}
    with pytest.raises(ValidationError) as error:
        services.audit_create(partnership=partnership, year=2018)
    assert error.value.message_dict == {
        "year": ["Year must be 2019 or later: the National Standards were published in 2019"]
    }


def test_grade_saved_with_evidence_and_sample(audit):
    grade = audit.grades.get(standard=3)
    services.grade_update(
        grade=grade,
        data={
            "operational": "good",
            "strategic": "outstanding",
            "evidence": " Board members led the deep dives. ",
            "sample": "Referral orders and youth rehabilitation orders",
            "sample_size": 12,
        },
    )
    grade.refresh_from_db()
    assert (grade.get_operational_display(), grade.get_strategic_display(), grade.evidence, grade.sample_size) == (
        "Good",
        "Outstanding",
        "Board members led the deep dives.",
        12,
    )
    assert grade.history.count() == 2


def test_a_grade_not_in_the_list_names_its_field_and_saves_nothing(audit):
    grade = audit.grades.get(standard=1)
    with pytest.raises(ValidationError) as error:
        services.grade_update(
            grade=grade,
            data={"operational": "good", "strategic": "excellent", "evidence": "Half-way", "sample_size": -2},
        )
    assert error.value.message_dict == {
        "strategic": [
            "The strategic grade must be one of: outstanding, good with outstanding features, good, "
            "requires improvement, inadequate"
        ],
        "sample_size": ["Number of cases audited must be a whole number, like 12"],
    }
    grade.refresh_from_db()
    assert (grade.operational, grade.strategic, grade.evidence, grade.history.count()) == ("", "", "", 1)


def test_grade_edit_conflicts_when_someone_saved_first(audit):
    grade = audit.grades.get(standard=2)
    opened = grade.updated_at.isoformat()
    services.grade_update(grade=grade, data={"operational": "good"}, version=opened)
    with pytest.raises(Conflict) as conflict:
        services.grade_update(grade=grade, data={"operational": "inadequate"}, version=opened)
    assert (conflict.value.theirs["operational"], conflict.value.yours["operational"]) == ("good", "inadequate")
    grade.refresh_from_db()
    assert grade.operational == "good"


def test_raise_an_action_from_a_standard(audit, partnership):
    lead = member(partnership, Role.MANAGER)
    grade = audit.grades.get(standard=4)
    first = services.grade_raise_action(
        grade=grade, title="Visit every child in custody monthly", lead=lead, target_date=dt.date(2023, 3, 31)
    )
    second = services.grade_raise_action(grade=grade, title="Agree resettlement plans before release")
    assert (first, second) == ("NS1", "NS2")
    grade.refresh_from_db()
    assert grade.action_references == ["NS1", "NS2"]
    action = Action.objects.get(partnership=partnership, reference="NS1")
    assert (action.text, action.source, action.source_reference, action.target_date) == (
        "Visit every child in custody monthly",
        "national_standards",
        "Standard 4: In secure settings (2022 self-audit)",
        dt.date(2023, 3, 31),
    )
    assert action.link_url == f"/p/{partnership.slug}/performance/standards/audits/{audit.pk}/#standard-4"
    assert list(action.leads.all()) == [lead]


def test_an_action_needs_a_title_and_a_member_as_lead(audit, other_partnership):
    grade = audit.grades.get(standard=1)
    with pytest.raises(ValidationError) as error:
        services.grade_raise_action(grade=grade, title="  ")
    assert error.value.message_dict == {"title": ["Enter what the action is"]}
    stranger = member(other_partnership, Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        services.grade_raise_action(grade=grade, title="Audit cautions", lead=stranger)
    assert error.value.message_dict == {"lead": ["Choose a lead from the partnership's members"]}
    assert Action.objects.count() == 0


def test_an_inspection_has_every_hmip_standard(inspection):
    ratings = [(r.code, r.rating) for r in InspectionRating.objects.filter(inspection=inspection)]
    assert len(ratings) == 14
    assert ratings[:5] == [("1.1", "good"), ("1.2", ""), ("1.3", ""), ("1.4", ""), ("2.1", "requires_improvement")]
    assert [r.number for r in inspection.recommendations.all()] == [1, 2, 3]


def test_ratings_not_in_the_list_name_their_fields_and_save_nothing(inspection):
    opened = Inspection.objects.get(pk=inspection.pk).updated_at.isoformat()
    with pytest.raises(ValidationError) as error:
        services.inspection_update(
            inspection=inspection,
            data={
                "title": "Changed",
                "inspected_on": dt.date(2019, 9, 16),
                "overall": "good with outstanding features",
            },
            ratings={"1.2": "outstanding", "3.1": "excellent"},
            version=opened,
        )
    assert error.value.message_dict == {
        "overall": ["The overall rating must be one of: outstanding, good, requires improvement, inadequate"],
        "rating_3_1": [
            "The rating of standard 3.1 must be one of: outstanding, good, requires improvement, inadequate"
        ],
    }
    inspection.refresh_from_db()
    assert (inspection.title, inspection.ratings.get(code="1.2").rating) == (
        "Inspection of youth offending services",
        "",
    )


def test_inspection_update_and_conflict(inspection):
    opened = inspection.updated_at.isoformat()
    data = {"title": "Inspection of youth offending services", "inspected_on": dt.date(2019, 9, 16), "overall": "good"}
    services.inspection_update(inspection=inspection, data=data, ratings={"1.2": "outstanding"}, version=opened)
    inspection.refresh_from_db()
    assert (
        inspection.overall,
        inspection.ratings.get(code="1.2").rating,
        inspection.ratings.get(code="1.1").rating,
    ) == (
        "good",
        "outstanding",
        "good",
    )
    with pytest.raises(Conflict):
        services.inspection_update(inspection=inspection, data={**data, "overall": "inadequate"}, version=opened)
    inspection.refresh_from_db()
    assert inspection.overall == "good"


def test_a_recommendation_becomes_an_action_once(inspection, partnership):
    recommendation = inspection.recommendations.get(number=2)
    assert services.recommendation_create_action(recommendation=recommendation) == ("H1", True)
    assert services.recommendation_create_action(recommendation=recommendation) == ("H1", False)
    action = Action.objects.get(partnership=partnership, reference="H1")
    assert (action.text, action.source, action.source_reference) == (
        "Plan transitions to adult services earlier\n\n"
        "Recommendation 2 of Inspection of youth offending services, 16 September 2019.",
        "hmip",
        "HMIP September 2019, recommendation 2",
    )
    assert Action.objects.filter(partnership=partnership).count() == 1


def test_create_actions_for_all_recommendations_is_idempotent(inspection, partnership):
    services.recommendation_create_action(recommendation=inspection.recommendations.get(number=2))
    made = services.recommendations_create_actions(inspection=inspection)
    assert made == ["H2", "H3"]
    assert [(r.number, r.action_reference) for r in inspection.recommendations.all()] == [
        (1, "H2"),
        (2, "H1"),
        (3, "H3"),
    ]
    assert services.recommendations_create_actions(inspection=inspection) == []
    assert Action.objects.filter(partnership=partnership, source="hmip").count() == 3


def test_comments(audit, inspection, partnership):
    board = member(partnership, Role.BOARD)
    services.comment_add(author=board.user, text=" Good to see the board leading standards. ", audit=audit)
    services.comment_add(author=board.user, text="Recommendation 1 first, please.", inspection=inspection)
    with pytest.raises(ValidationError) as error:
        services.comment_add(author=board.user, text=" ", audit=audit)
    assert error.value.message_dict == {"text": ["Enter your comment"]}
    assert [(c.text, c.partnership_id) for c in AssessmentComment.objects.all()] == [
        ("Good to see the board leading standards.", partnership.pk),
        ("Recommendation 1 first, please.", partnership.pk),
    ]


def test_demo_has_leicesters_grades_from_its_plan(demo_partnerships):
    grades = StandardGrade.objects.filter(audit__partnership=demo_partnerships["leicester"], audit__year=2022)
    assert [(g.standard, g.get_operational_display(), g.get_strategic_display()) for g in grades] == [
        (1, "Good", "Good with outstanding features"),
        (2, "Good", "Good with outstanding features"),
        (3, "Good", "Outstanding"),
        (4, "Good", "Good"),
        (5, "Good", "Good"),
    ]
    warwickshire = Inspection.objects.get(partnership=demo_partnerships["warwickshire"])
    assert (warwickshire.overall, warwickshire.recommendations.count()) == ("good", 1)
