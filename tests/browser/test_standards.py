"""National Standards and HMIP inspection in a real browser: Leicester's manager grades a standard (a bad grade
first), raises an action and finds it in the tracker; Warwickshire's manager turns the inspection's
recommendations into actions in one step; a board member comments. axe-core on every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, demo_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_grade_raise_an_action_and_turn_recommendations_into_actions(demo, new_context):
    manager = new_context().new_page()
    sign_in(manager, demo_email("manager", "leicester"))
    manager.get_by_role("link", name="Standards and inspections").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Standards and inspections")
    axe_check(manager)
    manager.get_by_role("link", name="Self-audit 2022").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("National Standards self-audit 2022")
    row = manager.get_by_role("row", name=re.compile("^3. In the community"))
    expect(row).to_contain_text("Good")
    expect(row).to_contain_text("Outstanding")
    axe_check(manager)

    manager.get_by_role("link", name=re.compile(r"^Grade standard 4\b")).click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Standard 4: In secure settings")
    axe_check(manager)
    manager.get_by_label("Operational grade").select_option("requires_improvement")
    manager.get_by_label("Number of cases audited (optional)").fill("many")
    manager.get_by_role("button", name="Save grades").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("Number of cases audited must be a whole number")
    axe_check(manager)
    manager.get_by_label("Number of cases audited (optional)").fill("6")
    manager.get_by_role("button", name="Save grades").click()
    expect(manager.locator(".govuk-notification-banner")).to_contain_text("Standard 4: In secure settings saved")
    expect(manager.get_by_role("row", name=re.compile("^4. In secure settings"))).to_contain_text(
        "Requires improvement"
    )

    manager.get_by_role("link", name=re.compile(r"^Raise an action for standard 4\b")).click()
    axe_check(manager)
    manager.get_by_label("Action", exact=True).fill("Visit every child in custody within five working days")
    manager.get_by_label("Target date (optional)").fill("31/03/2024")
    manager.get_by_role("button", name="Create the action").click()
    expect(manager.locator(".govuk-notification-banner")).to_contain_text("Action NS1 created in the action tracker")
    manager.get_by_role("link", name="see the National Standards actions in the tracker").first.click()
    expect(manager.get_by_role("main")).to_contain_text("Visit every child in custody within five working days")
    axe_check(manager)

    warwickshire = new_context().new_page()
    sign_in(warwickshire, demo_email("manager", "warwickshire"))
    warwickshire.goto("/p/warwickshire/performance/standards/")
    warwickshire.get_by_role("link", name=re.compile("HMIP single agency inspection")).click()
    first = warwickshire.get_by_role("row", name=re.compile("^1 Use the quarterly"))
    expect(first).to_contain_text("Make it an action")
    axe_check(warwickshire)
    warwickshire.get_by_role("button", name="Create actions for all 1 recommendation without one").click()
    expect(warwickshire.locator(".govuk-notification-banner")).to_contain_text("1 action created: H")
    expect(warwickshire.get_by_role("button", name=re.compile("Create actions for all"))).to_have_count(0)
    axe_check(warwickshire)

    board = new_context().new_page()
    sign_in(board, demo_email("board", "warwickshire"))
    board.goto(warwickshire.url)
    board.get_by_label("Comment").fill("Please report progress on this to the March board.")
    board.get_by_role("button", name="Add comment").click()
    expect(board.locator("#comments ~ .govuk-inset-text")).to_contain_text("Please report progress")
    axe_check(board)
