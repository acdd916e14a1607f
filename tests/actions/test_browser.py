"""The tracker in Chromium: a board member updates the action they lead inline (htmx), and the actions
pages pass axe-core (WCAG 2.2 AA)."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action, Priority, Risk
from tests.browser.conftest import (  # noqa: F401 - fixtures used by these tests
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


def test_a_board_member_updates_their_action_inline(demo, page):  # noqa: F811
    sign_in(page, demo_email("board", "leicester"))
    page.goto("/p/leicester/actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action tracker")
    axe_check(page)
    # only the action they lead offers an update
    expect(page.get_by_role("link", name=re.compile(r"^Update action"))).to_have_count(1)
    page.get_by_role("link", name="Update action 14").click()
    form_note = page.get_by_label("Progress note for action 14")
    expect(form_note).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Save update to action 14").click()
    expect(page.get_by_text("Enter a progress note: what has happened since the last update")).to_be_visible()
    page.get_by_label("Progress note for action 14").fill("Serious violence duty plan agreed by partners")
    page.get_by_label("Completion RAG for action 14").select_option(label="Red")
    page.get_by_role("button", name="Save update to action 14").click()
    expect(page.get_by_text("Update saved to action 14.")).to_be_visible()
    axe_check(page)
    action = Action.objects.select_related("latest_update").get(partnership__slug="leicester", reference="14")
    assert (action.completion, action.latest_update.text) == ("red", "Serious violence duty plan agreed by partners")


@pytest.mark.parametrize(
    "path",
    [
        "/p/cambs-peterborough/actions/risks/",
        "/p/cambs-peterborough/actions/risks/add/",
        "/p/leicester/actions/since/?since_0=1&since_1=1&since_2=2022",
        "/p/leicester/actions/since/",
        "/p/leicester/actions/since/?since_0=31&since_1=2&since_2=2022",
        "/p/leicester/actions/add/",
        "/p/leicester/actions/import/",
        "/p/leicester/actions/reminders/",
        "/p/leicester/actions/print/",
        "/p/warwickshire/actions/?completion=red&sort=target_date",
    ],
)
def test_actions_pages_pass_axe(demo, page, path):  # noqa: F811
    slug = path.split("/")[2]
    sign_in(page, demo_email("manager", slug))
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    axe_check(page)


def test_action_detail_passes_axe(demo, page):  # noqa: F811
    sign_in(page, demo_email("manager", "leicester"))
    action = Action.objects.get(partnership__slug="leicester", reference="7")
    page.goto(f"/p/leicester/actions/{action.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 7")
    expect(
        page.get_by_text("Completion: Green to Complete").or_(page.get_by_text("Completion: On track to Complete"))
    ).to_be_visible()
    axe_check(page)


def test_a_manager_deletes_a_priority_an_action_and_a_risk(demo, page):  # noqa: F811
    sign_in(page, demo_email("manager", "leicester"))
    page.goto("/p/leicester/actions/")
    page.get_by_role("link", name="Priorities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities")
    axe_check(page)
    first = Priority.objects.filter(partnership__slug="leicester").order_by("number").first()
    moved = first.actions.count()
    page.get_by_role("link", name=f"Delete priority {first.number}", exact=True).click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Are you sure you want to delete priority {first.number}?")
    page.get_by_role("button", name="Delete priority").click()
    expect(page.get_by_role("link", name="Choose where its actions go")).to_be_visible()  # the error summary
    axe_check(page)
    page.get_by_label("Keep them on the tracker without a priority").check()
    page.get_by_role("button", name="Delete priority").click()
    done = f"Priority {first.number} deleted: its {moved} action{'s' if moved != 1 else ''} moved to no priority"
    expect(page.get_by_text(done)).to_be_visible()

    action = Action.objects.get(partnership__slug="leicester", reference="7")
    page.goto(f"/p/leicester/actions/{action.pk}/")
    page.get_by_role("link", name="Delete the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to delete action 7?")
    axe_check(page)
    page.get_by_role("button", name="Yes, delete action 7").click()
    done = "Action 7 deleted. Its history is kept and its reference will not be used again."
    expect(page.get_by_text(done)).to_be_visible()
    page.get_by_role("link", name="Deleted actions").click()
    expect(page.get_by_role("cell", name="7", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="History of action 7").click()
    expect(page.get_by_role("heading", name="Deleted")).to_be_visible()
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, demo_email("manager", "cambs-peterborough"))
    page.goto("/p/cambs-peterborough/actions/risks/")
    before = Risk.objects.filter(partnership__slug="cambs-peterborough").count()
    page.get_by_role("link", name=re.compile(r"^Delete risk")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to delete this risk?")
    axe_check(page)
    page.get_by_role("button", name="Yes, delete this risk").click()
    expect(page.get_by_text(re.compile(r"deleted\. Its history is kept\."))).to_be_visible()
    assert Risk.objects.filter(partnership__slug="cambs-peterborough").count() == before - 1
