"""The self-assessment in Chromium: the manager scores an activity, records a gap that lands in the tracker,
and the board member assigned to safeguarding writes their area; every page passes axe-core (WCAG 2.2 AA)."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from performance.capability.models import ActivityResponse
from tests.browser.conftest import (  # noqa: F401 - fixtures used by these tests
    axe_check,
    browser,
    demo,
    demo_email,
    fast_passwords,
    new_context,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SLUG = "cambs-peterborough"


def response_of(code: str) -> ActivityResponse:
    return ActivityResponse.objects.get(assessment__partnership__slug=SLUG, activity__code=code)


def test_self_assessment_journey(demo, new_context):  # noqa: F811
    page = new_context().new_page()
    sign_in(page, demo_email("manager", SLUG))
    page.goto(f"/p/{SLUG}/performance/")
    page.get_by_role("link", name="Capacity and capability self-assessments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity and capability self-assessments")
    axe_check(page)
    page.get_by_role("link", name="2010").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Capacity and capability self-assessment 2010")
    expect(page.locator("#progress")).to_have_text("19 of 30 activities scored")
    axe_check(page)

    page.get_by_role("link", name="6.2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activity 6.2")
    axe_check(page)
    page.get_by_role("group", name="Self-assessed score").get_by_label("2 – Good: above minimum requirements").check()
    page.get_by_role("button", name="Save activity").click()
    expect(page.get_by_text("Activity 6.2 saved")).to_be_visible()
    expect(page.locator("#progress")).to_have_text("20 of 30 activities scored")

    page.get_by_role("link", name="2.4", exact=True).click()
    page.get_by_role("link", name="Record a gap").click()
    axe_check(page)
    page.get_by_role("button", name="Record the gap and create the action").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary__list li")).to_have_count(8)
    axe_check(page)
    page.get_by_label("Gap identified").fill("Diversity training has not reached every member of staff")
    page.get_by_label("Risk identified").fill("Staff may not recognise disproportionality")
    page.get_by_label("Likelihood (1 rare to 5 almost certain)").select_option("3")
    page.get_by_label("Impact (1 minor to 5 severe)").select_option("3")
    page.get_by_label("Action to overcome this risk").fill("Commission service-wide diversity training")
    page.get_by_label("Success criteria").fill("Disproportionality identified and acted on in every case")
    page.get_by_label("Owner").select_option(label="Sam Whitfield, Head of Youth Offending Service")
    page.get_by_label("Deadline").fill("31/7/2010")
    page.get_by_role("button", name="Record the gap and create the action").click()
    expect(page.get_by_text("Gap recorded: action G1 is in the tracker")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="tracked action G1").click()
    expect(page).to_have_url(re.compile(r"/actions/\?source=self_assessment$"))
    expect(page.get_by_text("Commission service-wide diversity training").first).to_be_visible()
    assert Action.objects.get(partnership__slug=SLUG, reference="G1").source == "self_assessment"

    detail = f"/p/{SLUG}/performance/self-assessment/{response_of('6.2').assessment_id}/"
    for path in ("indicators/", "indicators/edit/", "sign-off/", "assign/"):
        page.goto(detail + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)

    board = new_context().new_page()
    sign_in(board, demo_email("board", SLUG))
    response = response_of("8.1")
    board.goto(f"/p/{SLUG}/performance/self-assessment/activity/{response.pk}/")
    board.get_by_label("Written evidence").fill("Safeguarding procedures reviewed with social care in 2009")
    board.get_by_role("group", name="Self-assessed score").get_by_label("2 – Good: above minimum requirements").check()
    board.get_by_role("button", name="Save activity").click()
    expect(board.get_by_text("Activity 8.1 saved")).to_be_visible()
    axe_check(board)
    response.refresh_from_db()
    assert response.self_score == 2
