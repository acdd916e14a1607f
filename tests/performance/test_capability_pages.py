"""The self-assessment in the browser's shoes: start, write and score, validate, comment, gaps, PDF, block, tile."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from actions.models import Action
from performance.capability import selectors, services
from performance.capability.models import ActivityComment, ActivityResponse, Gap
from tests.factories import member
from tests.performance.capability_helpers import load_framework, make_assessment, score
from tests.performance.test_capability_scoring import CASES
from yjplan import documents
from yjplan.permissions import Role
from yjplan.registry import registry


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def url(partnership, name, **kwargs):
    return reverse(f"performance:{name}", kwargs={"slug": partnership.slug, **kwargs})


@pytest.fixture
def manager(partnership):
    return member(partnership, Role.MANAGER)


@pytest.fixture
def assessment(partnership):
    return make_assessment(partnership)


def response(assessment, code) -> ActivityResponse:
    return assessment.responses.select_related("activity").get(activity__code=code)


def test_start_score_and_see_progress(client, partnership, manager):
    load_framework()
    client.force_login(manager.user)
    answer = client.post(url(partnership, "capability_add"), {"year": "2010"})
    assessment = partnership.capability_assessments.get()
    assert answer.status_code == 302 and answer["Location"] == url(partnership, "capability_detail", pk=assessment.pk)
    page = text(client.get(answer["Location"]).content.decode())
    assert "Self-assessed Incomplete 0 of 30 activities scored" in page

    r = response(assessment, "1.1")
    answer = client.post(
        url(partnership, "capability_activity", pk=r.pk),
        {
            "evidence": "Managers audit cases every six weeks",
            "self_score": "2",
            "validated_score": "",
            "version": r.updated_at.isoformat(),
        },
    )
    assert answer.status_code == 302
    page = text(client.get(url(partnership, "capability_detail", pk=assessment.pk)).content.decode())
    assert "1 of 30 activities scored" in page
    assert (
        "1. Assessment, planning, interventions and supervision (APIS) Nobody yet 1 of 4 Incomplete Incomplete" in page
    )

    again = client.post(url(partnership, "capability_add"), {"year": "2010"})
    assert again.status_code == 200 and "There is already a self-assessment for 2010" in again.content.decode()


def test_a_score_outside_the_scale_is_shown_on_the_field(client, partnership, manager, assessment):
    client.force_login(manager.user)
    r = response(assessment, "1.2")
    answer = client.post(url(partnership, "capability_activity", pk=r.pk), {"evidence": "x", "self_score": "4"})
    assert answer.status_code == 200
    assert "Self-assessed score must be 0 (poor), 1 (adequate), 2 (good) or 3 (excellent)" in answer.content.decode()
    r.refresh_from_db()
    assert (r.evidence, r.self_score) == ("", None)


def test_validated_score_needs_the_right(client, partnership, assessment):
    board = member(partnership, Role.BOARD)
    services.assignments_save(assessment=assessment, assignees={1: board.pk})
    r = response(assessment, "1.1")
    client.force_login(board.user)
    form = client.get(url(partnership, "capability_activity", pk=r.pk)).content.decode()
    assert 'name="self_score"' in form and 'name="validated_score"' not in form
    answer = client.post(
        url(partnership, "capability_activity", pk=r.pk), {"evidence": "x", "self_score": "2", "validated_score": "3"}
    )
    assert answer.status_code == 403
    r.refresh_from_db()
    assert (r.self_score, r.validated_score) == (None, None)

    client.force_login(member(partnership, Role.CHAIR).user)
    form = client.get(url(partnership, "capability_activity", pk=r.pk)).content.decode()
    assert 'name="validated_score"' in form and 'name="self_score"' not in form
    assert client.post(url(partnership, "capability_activity", pk=r.pk), {"validated_score": "1"}).status_code == 302
    r.refresh_from_db()
    assert (r.self_score, r.validated_score) == (None, 1)

    client.force_login(member(partnership, Role.BOARD).user)  # a board member not assigned to area 1
    assert client.post(url(partnership, "capability_activity", pk=r.pk), {"self_score": "1"}).status_code == 403


def test_board_members_comment_and_viewers_read(client, partnership, assessment):
    r = response(assessment, "5.3")
    board = member(partnership, Role.BOARD)
    client.force_login(board.user)
    assert (
        client.post(url(partnership, "capability_comment", pk=r.pk), {"text": "Is breach timely?"}).status_code == 302
    )
    empty = client.post(url(partnership, "capability_comment", pk=r.pk), {"text": " "})
    assert empty.status_code == 400 and "Enter a comment" in empty.content.decode()
    viewer = member(partnership, Role.VIEWER)
    client.force_login(viewer.user)
    page = client.get(url(partnership, "capability_activity", pk=r.pk)).content.decode()
    assert "Is breach timely?" in page and 'name="text"' not in page and 'name="self_score"' not in page
    assert client.post(url(partnership, "capability_comment", pk=r.pk), {"text": "Me too"}).status_code == 403
    assert list(ActivityComment.objects.values_list("text", "author")) == [("Is breach timely?", board.pk)]


def test_gap_form_errors_then_the_action_in_the_tracker(client, partnership, manager, assessment):
    client.force_login(manager.user)
    r = response(assessment, "2.4")
    gap_url = url(partnership, "capability_gap", pk=r.pk)
    post = {
        "gap": "Diversity training is not service-wide",
        "risk": "Staff may not understand disproportionality",
        "likelihood": "3",
        "impact": "3",
        "action": "Commission diversity training for July",
        "success_criteria": "Disproportionality identified and addressed in all cases",
        "owner": "",
        "deadline": "",
    }
    answer = client.post(gap_url, post)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Choose the owner of the action" in html and "Enter the deadline as a date" in html
    assert (Gap.objects.count(), Action.objects.count()) == (0, 0)
    bad_date = client.post(gap_url, {**post, "owner": manager.pk, "deadline": "31/2/2010"})
    assert "Deadline must be a real date, like 31/7/2010" in bad_date.content.decode()

    answer = client.post(gap_url, {**post, "owner": manager.pk, "deadline": "31/7/2010"})
    assert answer.status_code == 302
    page = text(client.get(url(partnership, "capability_activity", pk=r.pk)).content.decode())
    assert "Action Commission diversity training for July ( tracked action G1 )" in page
    tracker = client.get(reverse("actions:tracker", kwargs={"slug": partnership.slug}) + "?source=self_assessment")
    assert "Commission diversity training for July" in tracker.content.decode()
    detail = text(client.get(url(partnership, "capability_detail", pk=assessment.pk)).content.decode())
    assert "Gap: Diversity training is not service-wide Risk: Staff may not understand disproportionality" in detail
    assert "Tracked action G1" in detail and "31 July 2010" in detail


def test_commentary_and_sign_off_pages(client, partnership, manager, assessment):
    from tests.performance.factories import indicator, load_definitions, observation

    load_definitions()
    from performance import services as perf_services

    perf_services.areas_ensure(partnership=partnership)
    observation(partnership, "FTE", "PARTNERSHIP", date(2008, 4, 1), date(2009, 3, 31), value="1360", label="2008/09")
    observation(partnership, "FTE", "PARTNERSHIP", date(2007, 4, 1), date(2008, 3, 31), value="1769", label="2007/08")
    observation(partnership, "FTE", "FAMILY", date(2008, 4, 1), date(2009, 3, 31), value="1168", label="2008/09")
    observation(partnership, "FTE", "FAMILY", date(2007, 4, 1), date(2008, 3, 31), value="1579", label="2007/08")
    tables = selectors.indicator_tables(partnership=partnership, assessment=assessment)
    fte = next(t for t in tables if t.indicator.code == "FTE")
    assert fte.rows == [
        ("Latest: 2008/09", ["1,360", "1,168"]),
        ("Baseline: 2007/08", ["1,769", "1,579"]),
        ("% change: baseline to latest", ["-23.1%", "-26.0%"]),
    ]
    client.force_login(manager.user)
    answer = client.post(
        url(partnership, "capability_indicators_edit", pk=assessment.pk),
        {f"comment_{indicator('FTE').pk}": "Falling, but above the family rate"},
    )
    assert answer.status_code == 302
    page = text(client.get(answer["Location"]).content.decode())
    assert "Partnership comment: Falling, but above the family rate" in page

    answer = client.post(
        url(partnership, "capability_signoff", pk=assessment.pk),
        {
            "name_0": "Gordon Jeyes",
            "role_0": "Executive Director",
            "signed_on_0": "31/3/2010",
            "name_1": "Nigel Sunman",
        },
    )
    assert answer.status_code == 200 and "Enter their role" in answer.content.decode()
    assert assessment.signoffs.count() == 0
    client.post(
        url(partnership, "capability_signoff", pk=assessment.pk),
        {"name_0": "Gordon Jeyes", "role_0": "Executive Director", "signed_on_0": "31/3/2010"},
    )
    assert list(assessment.signoffs.values_list("name", "signed_on")) == [("Gordon Jeyes", date(2010, 3, 31))]


def _add_gaps_and_comments(assessment, manager):
    def add(n):
        for i in range(n):
            r = assessment.responses.select_related("activity").order_by("pk")[i % 30]
            services.comment_add(response=r, by=manager, text=f"Comment {i}")
            services.gap_raise(
                response=r,
                by=manager,
                data={
                    "gap": f"Gap {i}",
                    "risk": "Risk",
                    "likelihood": 2,
                    "impact": 2,
                    "action": f"Action {i}",
                    "success_criteria": "Done",
                    "owner": manager.pk,
                    "deadline": date(2010, 7, 31),
                },
            )

    return add


def test_list_detail_and_activity_pages_have_a_fixed_number_of_queries(
    client, partnership, manager, assessment, query_guard
):
    client.force_login(manager.user)
    add = _add_gaps_and_comments(assessment, manager)
    query_guard.assert_fixed(
        client, url(partnership, "capability_detail", pk=assessment.pk), add_rows=add, rows=5, limit=16
    )
    r = assessment.responses.order_by("pk").first()
    query_guard.assert_fixed(client, url(partnership, "capability_activity", pk=r.pk), add_rows=add, rows=31, limit=16)
    years = iter(range(2011, 2100))
    query_guard.assert_fixed(
        client,
        url(partnership, "capability_list"),
        add_rows=lambda n: [services.assessment_create(partnership=partnership, year=next(years)) for _ in range(n)],
        rows=3,
        limit=12,
    )
    query_guard.assert_fixed(
        client, url(partnership, "capability_indicators", pk=assessment.pk), add_rows=add, rows=2, limit=14
    )


def test_summary_block_snapshot_renders_as_live_and_the_tile(client, partnership, manager, assessment):
    score(assessment, manager, CASES[5][3])
    block = registry.block("performance.self_assessment_summary")
    snapshot = block.snapshot(partnership)
    assert (snapshot["self_total"], snapshot["self_judgement"], snapshot["validated_judgement"]) == (
        "21.58",
        "Excellent",
        "Incomplete",
    )
    assert block.render_snapshot(snapshot, media="print") == block.render(block.data(partnership), media="print")
    screen = text(block.render(snapshot))
    assert "1. Assessment, planning, interventions and supervision (APIS) 2.25 Incomplete" in screen
    assert "Total 21.58 Incomplete Judgement Excellent Incomplete" in screen
    client.force_login(member(partnership, Role.VIEWER).user)
    home = text(client.get(reverse("dashboard", kwargs={"slug": partnership.slug})).content.decode())
    assert "30 of 30 activities scored (2010) Self-assessed: Excellent (21.58) Validated: Incomplete" in home


def test_pdf_of_a_completed_assessment(partnership, manager, assessment):
    score(assessment, manager, CASES[2][3])
    services.signoffs_save(
        assessment=assessment, rows=[{"name": "Annette Newton", "role": "Director of Operations", "signed_on": None}]
    )
    params = {"p_assessment": str(assessment.pk)}
    job = documents.document_request(partnership=partnership, kind="performance.capability", params=params)
    assert (
        documents.document_request(partnership=partnership, kind="performance.capability", params=params).pk == job.pk
    )
    job = documents.document_render(job_id=job.pk)
    assert (job.status, job.error) == ("done", "")
    assert job.file.read(5) == b"%PDF-"
    html = text(registry.document("performance.capability").build(job))
    assert f"{partnership.name}: capacity and capability self-assessment 2010" in html
    assert "Total 13.50 Incomplete Judgement Adequate Incomplete" in html
    assert "Part three: sign-off Name Role Date Annette Newton Director of Operations" in html
    services.response_update(response=response(assessment, "9.3"), by=manager, self_score=3)
    assert (
        documents.document_request(partnership=partnership, kind="performance.capability", params=params).pk != job.pk
    )


def test_activity_history_is_kept(client, partnership, manager, assessment):
    r = response(assessment, "4.1")
    services.response_update(response=r, by=manager, evidence="Prevention strategy", self_score=2)
    client.force_login(member(partnership, Role.VIEWER).user)
    page = client.get(
        reverse(
            "record_history", kwargs={"slug": partnership.slug, "label": "performance.activityresponse", "pk": r.pk}
        )
    )
    assert page.status_code == 200 and "Prevention strategy" in page.content.decode()
    assert r.history.count() == 2


def test_demo_is_cambridgeshires_2010_self_assessment(partnership, db):
    from performance.capability import demo
    from performance.capability.models import Assessment

    load_framework()
    manager = member(partnership, Role.MANAGER)
    board = member(partnership, Role.BOARD)
    demo.seed({"cambs-peterborough": partnership})
    demo.seed({"cambs-peterborough": partnership})
    assessment = Assessment.objects.get(partnership=partnership)
    data = selectors.assessment_detail(assessment=assessment)
    judgement = data["self_judgement"]
    assert (assessment.year, judgement.scored, judgement.activities, judgement.word) == (2010, 19, 30, "Incomplete")
    means = [str(a.self_score.mean_shown) if a.self_score.mean is not None else "" for a in data["areas"]]
    assert means == ["2.00", "1.75", "2.00", "2.00", "2.00", "", "", "", ""]
    assert [a.assignment.assignee_id for a in data["areas"]] == [manager.pk] * 7 + [board.pk, manager.pk]
    assert [s.name for s in data["signoffs"]] == ["Gordon Jeyes", "Alison Hancock", "Nigel Sunman", "Annette Newton"]
