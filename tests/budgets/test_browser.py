"""Budget journeys in Chromium, each page checked by axe-core: the joint-service entry table with totals
recalculated as you type, a stale save's conflict page, and a board member confirming their own line."""

# ruff: noqa: F811 - the hub's browser fixtures are imported by name and then requested by the tests

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (  # noqa: F401 - fixtures shared with the hub's browser tests
    axe_check,
    browser,
    demo,
    demo_email,
    fast_passwords,
    new_context,
    page,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CAMBS = "/p/cambs-peterborough/budget"


def test_finance_officer_edits_the_joint_table_and_totals_follow_the_typing(demo, page):
    sign_in(page, demo_email("finance", "cambs-peterborough"))
    page.goto(f"{CAMBS}/2018/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pooled budget 2018/19")
    joint = page.locator('table[data-layout="joint"] tfoot')
    expect(joint).to_contain_text("£1,816,514")
    expect(joint).to_contain_text("£178,740")
    expect(joint).to_contain_text("£3,286,812")
    expect(page.locator('table[data-layout="yjb"] tfoot')).to_contain_text("£3,286,812")
    axe_check(page)

    page.get_by_role("link", name="Change the figures in the joint-service layout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the figures: budget 2018/19")
    axe_check(page)
    cell = page.get_by_label("Education: cambridgeshire in kind")
    cell.fill("£1,000")
    expect(page.locator("[data-grand-total]")).to_have_text("£3,287,812")
    expect(page.locator('[data-row-total="education"]')).to_have_text("£1,000")
    cell.fill("lots")
    expect(page.locator("[data-totals-note]")).to_contain_text("Some figures are not amounts yet")
    page.get_by_role("button", name="Save budget").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Education, cambridgeshire in kind: Enter an amount in pounds, like 1,234 or 1,234.56 (not “lots”)"
    )
    axe_check(page)
    page.get_by_label("Education: cambridgeshire in kind").fill("1000")
    page.get_by_role("button", name="Save budget").click()
    expect(page).to_have_url(re.compile(r"/budget/2018/$"))
    expect(page.locator('table[data-layout="joint"] tfoot')).to_contain_text("£3,287,812")

    page.get_by_role("link", name="Import the figures from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import budget 2018/19 from a spreadsheet")
    axe_check(page)


def test_a_stale_save_gets_the_conflict_page(demo, new_context):
    first, second = new_context().new_page(), new_context().new_page()
    for p in (first, second):
        sign_in(p, demo_email("finance", "warwickshire"))
        p.goto("/p/warwickshire/budget/2019/edit/?layout=yjb")
    first.get_by_label("Police: staffing costs").fill("190,000")
    first.get_by_role("button", name="Save budget").click()
    expect(first).to_have_url(re.compile(r"/budget/2019/$"))
    second.get_by_label("Police: staffing costs").fill("200,000")
    second.get_by_role("button", name="Save budget").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Someone else changed this while you were editing")
    expect(second.locator("table")).to_contain_text("£190,000")
    expect(second.locator("table")).to_contain_text("£200,000")
    axe_check(second)


def test_board_member_confirms_their_agencys_line(demo, page):
    sign_in(page, demo_email("board", "cambs-peterborough"))  # Probation
    page.goto(f"{CAMBS}/2018/")
    links = page.get_by_role("link", name=re.compile(r"^Confirm "))
    expect(links).to_have_count(2)  # the two Probation lines, one per council
    links.first.click()
    axe_check(page)
    page.get_by_role("button", name="Confirm this line").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("confirmed")
    expect(page.get_by_role("link", name=re.compile(r"^Confirm "))).to_have_count(1)


def test_yjb_layout_notes_are_shown_whole_under_their_amounts(demo, page):
    sign_in(page, demo_email("finance", "warwickshire"))
    page.goto("/p/warwickshire/budget/2019/edit/?layout=yjb")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the figures: budget 2019/20")
    note = page.get_by_label("Note for YJB Youth Justice grant (optional)")
    expect(note).to_have_value("Published as one YJB figure (Youth Justice and remand grants)")
    assert note.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight") is True
    money = page.get_by_label("YJB Youth Justice grant: staffing costs").bounding_box()
    box = note.bounding_box()
    assert box["x"] == money["x"] and box["y"] > money["y"] + money["height"]
    axe_check(page)
    note.fill("Youth Justice and remand grants together, as the YJB published them")
    page.get_by_role("button", name="Save budget").click()
    expect(page).to_have_url(re.compile(r"/budget/2019/$"))
    expect(page.get_by_text("Youth Justice and remand grants together, as the YJB published them")).to_be_visible()
