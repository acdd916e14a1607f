"""National Standards and HMIP pages: grading through the form, actions seen in the tracker, comments, queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from actions.models import Action
from performance.standards import services
from performance.standards.models import AssessmentComment, Recommendation, StandardGrade
from tests.factories import member
from yjplan.permissions import Role


def url(partnership, name, **kwargs):
    return reverse(f"performance:{name}", kwargs={"slug": partnership.slug, **kwargs})


@pytest.fixture
def manager_client(client, partnership):
    client.force_login(member(partnership, Role.MANAGER).user)
    return client


@pytest.fixture
def audit(partnership):
    return services.audit_create(partnership=partnership, year=2022, conducted="May to June 2022")


@pytest.fixture
def inspection(partnership):
    inspection = services.inspection_create(
        partnership=partnership,
        data={"title": "Inspection of youth offending services", "inspected_on": dt.date(2019, 9, 16)},
    )
    for text in ("Improve out-of-court assessments", "Plan transitions earlier"):
        services.recommendation_add(inspection=inspection, text=text)
    return inspection


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_start_an_audit_and_grade_a_standard(manager_client, partnership):
    response = manager_client.post(url(partnership, "standards_audit_add"), {"year": "2023", "conducted": "March 2023"})
    audit = partnership.standards_audits.get()
    assert response.status_code == 302 and response["Location"] == url(partnership, "standards_audit", pk=audit.pk)
    grade = audit.grades.get(standard=2)
    response = manager_client.post(
        url(partnership, "standards_grade_edit", pk=grade.pk),
        {
            "operational": "requires_improvement",
            "strategic": "good",
            "evidence": "Pre-sentence reports late in 3 of 10 cases.",
            "sample": "Pre-sentence reports",
            "sample_size": "10",
            "version": grade.updated_at.isoformat(),
        },
    )
    assert response["Location"] == url(partnership, "standards_audit", pk=audit.pk) + "#standard-2"
    page = _text(manager_client.get(response["Location"]))
    assert "2. At court Requires improvement Good 10 cases: Pre-sentence reports None" in page
    assert "Pre-sentence reports late in 3 of 10 cases." in page


def test_a_grade_not_in_the_list_is_a_field_error_and_nothing_is_saved(manager_client, partnership, audit):
    grade = audit.grades.get(standard=1)
    response = manager_client.post(
        url(partnership, "standards_grade_edit", pk=grade.pk),
        {"operational": "good", "strategic": "brilliant", "evidence": "Should not be saved", "version": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the strategic grade from the list" in html
    assert 'href="#id_strategic"' in html
    grade.refresh_from_db()
    assert (grade.operational, grade.strategic, grade.evidence) == ("", "", "")


def test_raise_an_action_from_a_standard_and_see_it_in_the_tracker(manager_client, partnership, audit):
    grade = audit.grades.get(standard=5)
    response = manager_client.post(
        url(partnership, "standards_grade_action", pk=grade.pk),
        {"title": "Start transition planning at 17", "detail": "", "lead": "", "target_date": "31/03/2024"},
    )
    assert response["Location"] == url(partnership, "standards_audit", pk=audit.pk) + "#standard-5"
    assert StandardGrade.objects.get(pk=grade.pk).action_references == ["NS1"]
    page = _text(manager_client.get(response["Location"]))
    assert "Linked actions NS1 ( see the National Standards actions in the tracker )" in page
    tracker = manager_client.get(
        reverse("actions:tracker", kwargs={"slug": partnership.slug}), {"source": "national_standards"}
    )
    assert "Start transition planning at 17" in tracker.content.decode()
    action = Action.objects.get(partnership=partnership, reference="NS1")
    detail = _text(
        manager_client.get(reverse("actions:action_detail", kwargs={"slug": partnership.slug, "pk": action.pk}))
    )
    assert "Source National Standards audit: Standard 5: On transition and resettlement (2022 self-audit)" in detail


def test_recommendations_become_actions_one_or_all_never_twice(manager_client, partnership, inspection):
    first = inspection.recommendations.get(number=1)
    response = manager_client.post(url(partnership, "inspection_recommendation_action", pk=first.pk), {"lead": ""})
    assert response["Location"] == url(partnership, "inspection", pk=inspection.pk) + "#recommendation-1"
    again = manager_client.get(url(partnership, "inspection_recommendation_action", pk=first.pk))
    assert again.status_code == 302
    page = manager_client.get(url(partnership, "inspection", pk=inspection.pk)).content.decode()
    assert "Create actions for all 1 recommendation without one" in page
    response = manager_client.post(url(partnership, "inspection_actions", pk=inspection.pk), follow=True)
    assert "1 action created: H2" in response.content.decode()
    response = manager_client.post(url(partnership, "inspection_actions", pk=inspection.pk), follow=True)
    assert "Every recommendation already has its action: nothing new was created" in response.content.decode()
    assert list(Recommendation.objects.values_list("number", "action_reference")) == [(1, "H1"), (2, "H2")]
    tracker = manager_client.get(reverse("actions:tracker", kwargs={"slug": partnership.slug}), {"source": "hmip"})
    html = tracker.content.decode()
    assert "Improve out-of-court assessments" in html and "Plan transitions earlier" in html
    assert Action.objects.filter(partnership=partnership, source="hmip").count() == 2


def test_record_an_inspection_with_a_bad_rating(manager_client, partnership):
    post = {"title": "Inspection", "inspected_on": "16/09/2019", "overall": "good", "rating_2_1": "excellent"}
    response = manager_client.post(url(partnership, "inspection_add"), post)
    assert response.status_code == 200
    assert "Choose the 2.1 court disposals: assessment from the list" in response.content.decode()
    assert not partnership.inspections.exists()
    response = manager_client.post(url(partnership, "inspection_add"), {**post, "rating_2_1": "inadequate"})
    inspection = partnership.inspections.get()
    assert response["Location"] == url(partnership, "inspection", pk=inspection.pk)
    page = _text(manager_client.get(response["Location"]))
    assert "2.1 Court disposals: assessment Inadequate" in page
    assert "Overall rating Good" in page


def test_board_members_comment_viewers_read(client, partnership, audit, inspection):
    board = member(partnership, Role.BOARD)
    client.force_login(board.user)
    page = client.get(url(partnership, "standards_audit", pk=audit.pk)).content.decode()
    assert "Add comment" in page and "Grade standard 1" not in page
    client.post(url(partnership, "standards_audit_comment", pk=audit.pk), {"text": "Standard 4 needs a lead."})
    client.post(url(partnership, "inspection_comment", pk=inspection.pk), {"text": "Report back in March."})
    assert list(AssessmentComment.objects.values_list("text", "author")) == [
        ("Standard 4 needs a lead.", board.user.pk),
        ("Report back in March.", board.user.pk),
    ]
    viewer = member(partnership, Role.VIEWER)
    client.force_login(viewer.user)
    page = _text(client.get(url(partnership, "standards_audit", pk=audit.pk)))
    assert "Standard 4 needs a lead." in page and "Add comment" not in page
    assert client.post(url(partnership, "standards_audit_comment", pk=audit.pk), {"text": "Hi"}).status_code == 403


def test_another_partnerships_records_are_not_found(manager_client, other_partnership, partnership):
    theirs = services.audit_create(partnership=other_partnership, year=2022)
    grade = theirs.grades.get(standard=1)
    assert manager_client.get(url(partnership, "standards_audit", pk=theirs.pk)).status_code == 404
    assert manager_client.get(url(partnership, "standards_grade_edit", pk=grade.pk)).status_code == 404


def test_audit_page_queries_are_fixed(manager_client, partnership, audit, query_guard):
    board = member(partnership, Role.BOARD)

    def add(n):
        for grade in audit.grades.all():
            for i in range(n // 5 + 1):
                services.grade_raise_action(grade=grade, title=f"Action {i}")
        for i in range(n):
            services.comment_add(author=board.user, text=f"Comment {i}", audit=audit)

    query_guard.assert_fixed(manager_client, url(partnership, "standards_audit", pk=audit.pk), add_rows=add, limit=12)


def test_inspection_page_queries_are_fixed(manager_client, partnership, inspection, query_guard):
    board = member(partnership, Role.BOARD)

    def add(n):
        for i in range(n):
            services.recommendation_add(inspection=inspection, text=f"Recommendation {i}")
            services.comment_add(author=board.user, text=f"Comment {i}", inspection=inspection)
        services.recommendations_create_actions(inspection=inspection)

    query_guard.assert_fixed(manager_client, url(partnership, "inspection", pk=inspection.pk), add_rows=add, limit=12)


def test_overview_queries_are_fixed(manager_client, partnership, query_guard):
    def add(n):
        for year in range(2019, 2019 + n):
            services.audit_create(partnership=partnership, year=year)
            services.inspection_create(
                partnership=partnership, data={"title": "I", "inspected_on": dt.date(year, 5, 1)}
            )

    query_guard.assert_fixed(manager_client, url(partnership, "standards"), add_rows=add, rows=5, limit=10)
