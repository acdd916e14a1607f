"""Board pages in Chromium: every page passes axe-core (WCAG 2.2 AA), and the head of service records
attendance with a deputy and builds an agenda from the proposals."""

import re

import pytest
from playwright.sync_api import expect

from boards.models import Attendance, Board, Meeting
from tests.browser.conftest import axe_check, demo_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_board_pages_are_accessible_and_attendance_and_agenda_work(demo, page):
    board = Board.objects.get(partnership__slug="cambs-peterborough")
    held = board.meetings.filter(status=Meeting.Status.HELD).order_by("-starts_at").first()
    upcoming = board.meetings.get(status=Meeting.Status.SCHEDULED)
    base = "/p/cambs-peterborough/board/"
    sign_in(page, demo_email("manager", "cambs-peterborough"))
    for path in (
        base,
        f"{base}{board.pk}/",
        f"{base}{board.pk}/meetings/",
        f"{base}{board.pk}/attendance/",
        f"{base}{board.pk}/summary/",
        f"{base}{board.pk}/summary/edit/",
        f"{base}{board.pk}/members/add/",
        f"{base}meetings/{held.pk}/",
        f"{base}meetings/{held.pk}/edit/",
        f"{base}meetings/{held.pk}/minutes/",
        f"{base}meetings/{held.pk}/items/add/",
        f"{base}meetings/{upcoming.pk}/agenda-builder/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        axe_check(page)

    # attendance: a deputy without a name is refused, the error summary links to the row
    page.goto(f"{base}meetings/{held.pk}/attendance/")
    axe_check(page)
    health = board.members.get(agency="health")
    page.get_by_label(f"Attendance of {health.name}").select_option("deputy")
    page.get_by_label(f"Deputy for {health.name}").fill("")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"{health.name}: enter the name of the deputy")
    axe_check(page)
    page.get_by_label(f"Deputy for {health.name}").fill("Dr Ray Lewis")
    page.get_by_role("button", name="Save attendance").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{held.pk}/$"))
    assert Attendance.objects.get(meeting=held, member=health).deputy_name == "Dr Ray Lewis"

    # the agenda builder: keep the first proposal with a new title
    page.goto(f"{base}meetings/{upcoming.pk}/agenda-builder/")
    before = upcoming.items.count()
    page.locator(".govuk-checkboxes__input").first.check()
    page.get_by_label("Title of proposal 1").fill("Decisions awaiting tracked actions")
    page.get_by_role("button", name="Add the selected items").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{upcoming.pk}/$"))
    expect(page.get_by_role("rowheader", name=re.compile("Decisions awaiting tracked actions"))).to_be_visible()
    assert upcoming.items.count() == before + 1
    axe_check(page)
