"""The performance import in Chromium: a bad file's preview lists every problem by row and column and
saves nothing; a good file is previewed, confirmed and its figures are on the dashboard. axe-core (WCAG 2.2
AA) finds nothing on any page of the journey."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import Observation
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

BAD = (
    "Indicator,Area,Period start,Period end,Value\n"
    "NOT_AN_INDICATOR,PARTNERSHIP,2019-04-01,2020-03-31,1\n"
    "CUSTODY_RATE,PARTNERSHIP,2020-03-31,2019-04-01,0.04\n"
    "CUSTODY_RATE,NOWHERE,2019-04-01,2020-03-31,0.3\n"
)
GOOD = (
    "Indicator,Area,Period start,Period end,Value,Label\n"
    "CUSTODY_RATE,PARTNERSHIP,2019-04-01,2020-03-31,0.04,Apr 2019 – Mar 2020\n"
    "CUSTODY_RATE,ENGLAND,2019-04-01,2020-03-31,0.27,Apr 2019 – Mar 2020\n"
)


def _upload(tab, name: str, text: str) -> None:
    tab.goto("/p/warwickshire/performance/import/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Import figures")
    tab.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    tab.get_by_role("button", name="Check the file").click()


def _cells(tab) -> list[list[str]]:
    rows = tab.locator("table tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]


def test_a_manager_imports_figures_and_sees_them_on_the_dashboard(demo, page):  # noqa: F811
    sign_in(page, demo_email("manager", "warwickshire"))
    page.goto("/p/warwickshire/performance/import/")
    axe_check(page)
    before = Observation.objects.filter(partnership__slug="warwickshire").count()

    _upload(page, "custody-bad.csv", BAD)
    expect(page.get_by_role("heading", level=1)).to_have_text("3 problems in the file")
    expect(page.get_by_text("nothing has been saved")).to_be_visible()
    assert _cells(page) == [
        ["2", "Indicator", "Unknown indicator code “NOT_AN_INDICATOR”"],
        ["3", "Period end", "The period must end on or after the day it starts"],
        ["4", "Area", "Unknown area code “NOWHERE”"],
    ]
    axe_check(page)
    assert Observation.objects.filter(partnership__slug="warwickshire").count() == before

    _upload(page, "custody-2019-20.csv", GOOD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.get_by_text("2 figures will be added, 0 changed and 0 left as they are.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Save 2 figures").click()

    expect(page).to_have_url(re.compile(r"/p/warwickshire/performance/$"))
    expect(page.get_by_text("Imported custody-2019-20.csv: 2 figures added, 0 changed, 0 unchanged")).to_be_visible()
    # the table after the heading (app.js has put it in its scroll box)
    custody = page.locator("#indicator-custody_rate + .app-table-scroll table tbody tr").first
    expect(custody.locator("td").nth(0)).to_have_text("Apr 2019 – Mar 2020")
    expect(custody.locator("td").nth(1)).to_have_text("0.04")
    expect(custody).to_contain_text("0.27")  # England, beside it
    axe_check(page)
    assert Observation.objects.filter(partnership__slug="warwickshire").count() == before + 2

    # the same file again changes nothing, and says so
    _upload(page, "custody-2019-20.csv", GOOD)
    expect(page.get_by_text("Nothing would change: all 2 figures in the file are already recorded.")).to_be_visible()
    axe_check(page)
