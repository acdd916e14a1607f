"""The plan in a real browser: write a section in the editor, see its live table, make the PDF, sign it,
and check the PDF's text — with axe-core on every page on the way."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, demo_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PLAN = "Warwickshire Youth Justice Plan 2019/20"


def test_write_render_and_sign_the_plan(demo, new_context):
    manager = new_context().new_page()
    sign_in(manager, demo_email("manager", "warwickshire"))
    manager.get_by_role("navigation", name="Menu").get_by_role("link", name="Plan").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Youth justice plans")
    axe_check(manager)
    manager.get_by_role("link", name=PLAN).click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(PLAN)
    expect(manager.locator(".govuk-tag", has_text="Approved by the board")).to_be_visible()
    axe_check(manager)

    manager.get_by_role("link", name="2. Vision and strategic objectives").click()
    axe_check(manager)
    manager.get_by_role("link", name="Edit this section").click()
    expect(manager.get_by_text("The YJB's guidance")).to_be_visible()
    # Wait for the editor script: before it runs, the textbox is the plain textarea it then hides, and a
    # click already aimed at that would wait for it forever (seen once in CI under load).
    expect(manager.get_by_role("toolbar", name="Formatting")).to_be_visible()
    editor = manager.get_by_role("textbox", name="Section text")
    expect(editor).to_have_attribute("contenteditable", "true")
    editor.click()
    manager.keyboard.press("End")
    manager.keyboard.type(" Every child is seen as a child first.")
    expect(manager.locator("[data-word-count]")).not_to_have_text("0")
    axe_check(manager)
    manager.get_by_role("button", name="Save section").click()
    expect(manager.get_by_text("“Vision and strategic objectives” saved")).to_be_visible()
    expect(manager.locator(".app-plan-section")).to_contain_text("Every child is seen as a child first.")

    # the change made the approved plan go back for review; the chair approves again
    chair = new_context().new_page()
    sign_in(chair, demo_email("chair", "warwickshire"))
    chair.goto(manager.url.split("/sections/")[0] + "/")
    chair.get_by_role("link", name="Record the board's approval").click()
    axe_check(chair)
    chair.get_by_label(re.compile("decision|minute", re.IGNORECASE)).first.fill(
        "Chief Officer Board, 20 June 2019, item 5"
    )
    chair.get_by_role("button", name=re.compile("approv", re.IGNORECASE)).click()
    expect(chair.locator(".govuk-summary-list")).to_contain_text("(Chief Officer Board, 20 June 2019, item 5)")

    manager.goto(chair.url)
    manager.get_by_role("button", name="Make a PDF of the plan as it is now").click()
    expect(manager.get_by_text("Ready")).to_be_visible()
    axe_check(manager)
    with manager.expect_download() as download:
        manager.get_by_role("link", name="Download the PDF").click()
    text = subprocess.run(
        ["pdftotext", "-layout", download.value.path(), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    for heading in ("Structure and governance", "Partnership arrangements", "Resourcing and value for money"):
        assert heading in text
    assert "Every child is seen as a child first." in text

    chair.reload()
    chair.get_by_role("link", name="Sign rendition 1").click()
    axe_check(chair)
    chair.get_by_label(re.compile("full name", re.IGNORECASE)).fill("Nigel Marsh")
    chair.get_by_role("button", name="Sign the plan").click()
    expect(chair.get_by_text(f"You have signed rendition 1 of {PLAN}")).to_be_visible()
    axe_check(chair)


def test_choose_a_tables_options_in_the_editor_and_on_its_own_page(demo, new_context):
    manager = new_context().new_page()
    sign_in(manager, demo_email("manager", "warwickshire"))
    manager.get_by_role("navigation", name="Menu").get_by_role("link", name="Plan").click()
    manager.get_by_role("link", name=PLAN).click()
    manager.get_by_role("link", name=re.compile(r"\d+\. Resourcing and value for money")).click()
    manager.get_by_role("link", name="Edit this section").click()
    table = manager.locator(".app-editor__area [data-block='budgets.contributions_table']")
    expect(table.locator("table[data-layout='yjb']")).to_be_visible()
    table.focus()
    manager.keyboard.press("Enter")
    panel = manager.locator("[data-block-options]")
    expect(panel.get_by_role("heading")).to_have_text("Options of “Partner contributions to the pooled budget”")
    axe_check(manager)
    panel.get_by_label("Joint service: cash and in kind for each council").check()
    panel.get_by_role("button", name="Use these options").click()
    expect(panel).to_contain_text("Options applied to the table")
    expect(table.locator("table[data-layout='joint']")).to_be_visible()
    axe_check(manager)
    manager.get_by_role("button", name="Save section").click()
    expect(manager.get_by_text("“Resourcing and value for money” saved")).to_be_visible()
    expect(manager.locator(".app-plan-section table[data-layout='joint']")).to_be_visible()

    # without the editor's script: the table's own options page
    manager.get_by_role("link", name="Edit this section").click()
    manager.get_by_role("link", name=re.compile(r"choose options of table \d+, Partner contributions")).click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(
        "Options of “Partner contributions to the pooled budget”"
    )
    expect(manager.get_by_label("Joint service: cash and in kind for each council")).to_be_checked()
    axe_check(manager)
    manager.get_by_label("The YJB's layout").check()
    manager.get_by_role("button", name="Use these options").click()
    expect(manager.get_by_text("Options of “Partner contributions to the pooled budget” saved")).to_be_visible()
    expect(manager.locator(".app-plan-block table[data-layout='yjb']")).to_be_visible()
    axe_check(manager)


def test_typed_lines_are_saved_as_paragraphs_and_counted_as_words(demo, new_context):
    from yjplan.models import PlanSection

    # an empty section, as a new local one is: typing there makes bare text, and Enter a <div>
    PlanSection.objects.filter(plan__partnership__slug="warwickshire", title="Chair's foreword").update(body="")
    manager = new_context().new_page()
    sign_in(manager, demo_email("manager", "warwickshire"))
    manager.get_by_role("navigation", name="Menu").get_by_role("link", name="Plan").click()
    manager.get_by_role("link", name=PLAN).click()
    manager.get_by_role("link", name=re.compile(r"\d+\. Chair's foreword")).click()
    manager.get_by_role("link", name="Edit this section").click()
    expect(manager.get_by_role("toolbar", name="Formatting")).to_be_visible()
    editor = manager.get_by_role("textbox", name="Section text")
    hint = manager.locator(".app-editor__area").evaluate(
        """area => {
            const hint = document.getElementById(area.getAttribute("aria-describedby"));
            const label = document.getElementById(area.getAttribute("aria-labelledby"));
            return [hint.textContent.trim().slice(0, 30), !!(label.compareDocumentPosition(hint) & 4)];
        }"""
    )
    assert hint == ["Headings, lists, bold, italic,", True]  # described by the hint, which follows the label
    editor.click()
    manager.keyboard.type("Line one")
    manager.keyboard.press("Enter")
    manager.keyboard.type("Line two")
    expect(manager.locator("[data-word-count]")).to_have_text("4")
    manager.get_by_role("button", name="Save section").click()
    expect(manager.get_by_text("“Chair's foreword” saved")).to_be_visible()
    section = PlanSection.objects.get(plan__partnership__slug="warwickshire", title="Chair's foreword")
    assert section.body == "<p>Line one</p><p>Line two</p>"
    font = manager.locator(".app-plan-section p").first.evaluate("p => getComputedStyle(p).fontFamily")
    assert font.startswith('"GDS Transport"') or font.startswith("arial"), font
