"""On a phone-sized screen no page scrolls sideways: a wide table scrolls in its own box, which the keyboard
can reach and a screen reader names after the table's caption; a table that fits is left alone."""

import pytest

from tests.browser.conftest import axe_check, demo_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 375, "height": 800}
WIDE_PAGES = [
    "/p/cambs-peterborough/actions/",
    "/p/cambs-peterborough/performance/",
    "/p/cambs-peterborough/budget/2019/",
    "/p/cambs-peterborough/board/",
]


def section_path(page) -> str:
    """The demo plan's budget section, found the way a user finds it (ids differ between test runs)."""
    page.goto("/p/cambs-peterborough/plans/")
    page.locator("main table a").first.click()
    return page.get_by_role("link", name="Resourcing and value for money").get_attribute("href")


def test_wide_tables_scroll_in_their_own_named_box_on_a_phone(demo, new_context):
    page = new_context().new_page()
    sign_in(page, demo_email("manager", "cambs-peterborough"))
    page.set_viewport_size(PHONE)
    for path in [*WIDE_PAGES, section_path(page)]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") == 375, path
        boxes = page.locator("[role=region][tabindex='0']")
        assert boxes.count() >= 1, path
        first = boxes.first
        assert first.evaluate("box => box.scrollWidth > box.clientWidth") is True
        assert first.get_attribute("aria-label") == " ".join(first.locator("caption").text_content().split())
    page.goto("/p/cambs-peterborough/budget/2019/")
    box = page.locator("[role=region][tabindex='0']").first
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
    axe_check(page)


def test_a_table_that_fits_is_not_a_tab_stop(demo, new_context):
    page = new_context().new_page()
    sign_in(page, demo_email("manager", "cambs-peterborough"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/p/cambs-peterborough/board/")
    assert page.locator(".app-table-scroll").count() == 1
    assert page.locator("[role=region][tabindex='0']").count() == 0
