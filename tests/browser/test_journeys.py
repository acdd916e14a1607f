"""Journeys through the real front end in Chromium, with axe-core on the pages reached.

Sign in and out, a wrong password, switching partnership, a partnership administrator's member work, and
a crawl of the pages each demo role can reach by following links, each checked against WCAG 2.2 AA.

Every test starts from a freshly seeded demo (several seconds with all the spokes' records), so related
steps share a test: five tests keep the file near two minutes on two cores.
"""

import os
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, axe_collect, axe_start, demo_email, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SERVICE = "Youth justice plan"
WARWICKSHIRE = "Warwickshire Youth Justice Service"
LEICESTER = "Leicester Children and Young People's Justice Service"
CAMBS = "Cambridgeshire and Peterborough Youth Offending Service"
NAMES = {"cambs-peterborough": CAMBS, "leicester": LEICESTER, "warwickshire": WARWICKSHIRE}
ROLES = ["manager", "finance", "board", "chair", "viewer", "admin"]


def heading(page):
    return page.get_by_role("heading", level=1)


def test_sign_in_sign_out_and_a_wrong_password(demo, page):
    page.goto("/accounts/login/")
    expect(page).to_have_title(f"Sign in – {SERVICE}")
    expect(heading(page)).to_have_text("Sign in")
    axe_check(page)

    # A wrong password: the GOV.UK error summary, focused, with the generic message.
    page.get_by_label("Email address").fill(demo_email("manager", "warwickshire"))
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page).to_have_title(f"Error: Sign in – {SERVICE}")
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(summary.locator(".govuk-error-summary__list li")).to_have_text(
        ["Enter a correct email address and password"]
    )
    expect(summary).to_be_focused()  # GOV.UK's JavaScript moves focus to the summary
    expect(page.get_by_label("Email address")).to_have_value(demo_email("manager", "warwickshire"))
    expect(page.get_by_label("Password")).to_have_value("")
    axe_check(page)

    # The right password: the only partnership's home dashboard.
    page.get_by_label("Password").fill("yjplan-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/p/warwickshire/$"))
    expect(page).to_have_title(f"Home – {WARWICKSHIRE} – {SERVICE}")
    expect(heading(page)).to_have_text("Home")
    expect(page.locator(".app-partnership-bar__name")).to_have_text(WARWICKSHIRE)
    expect(page.locator(".app-partnership-bar")).to_contain_text("Signed in as Claire Danson")
    expect(page.get_by_text("As YOS manager:")).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Partnership")).to_be_visible()
    expect(nav.get_by_role("link", name="Members")).to_have_count(0)  # a manager does not manage members

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(heading(page)).to_have_text("Sign in")
    page.goto("/p/warwickshire/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/p/warwickshire/$"))


def test_multi_partnership_manager_switches_partnership(demo, page):
    sign_in(page, "multi@demo")
    expect(page).to_have_url(re.compile(r"/partnerships/$"))
    expect(heading(page)).to_have_text("Your partnerships")
    expect(page.locator("main ul.govuk-list > li > a")).to_have_text([CAMBS, LEICESTER, WARWICKSHIRE])
    expect(page.locator("main .govuk-tag")).to_have_count(0)  # nothing chosen yet
    axe_check(page)

    for slug in ("warwickshire", "leicester", "cambs-peterborough"):
        page.get_by_role("link", name=NAMES[slug], exact=True).click()
        expect(page).to_have_url(re.compile(rf"/p/{slug}/$"))
        expect(heading(page)).to_have_text("Home")
        expect(page.locator(".app-partnership-bar__name")).to_have_text(NAMES[slug])
        expect(page.locator("main .govuk-caption-l").first).to_have_text(NAMES[slug])
        expect(page).to_have_title(f"Home – {NAMES[slug]} – {SERVICE}")
        page.locator(".app-partnership-bar").get_by_role("link", name="Change partnership").click()
        expect(page).to_have_url(re.compile(r"/partnerships/$"))
        expect(heading(page)).to_have_text("Your partnerships")
        current = page.locator("main li", has=page.locator(".govuk-tag"))
        expect(current).to_have_count(1)
        expect(current.get_by_role("link")).to_have_text(NAMES[slug])
        expect(current.locator(".govuk-tag")).to_have_text("Current")

    # The service's home goes back to the partnership used last.
    page.get_by_role("link", name=SERVICE).click()
    expect(page).to_have_url(re.compile(r"/p/cambs-peterborough/$"))
    expect(page.locator(".app-partnership-bar__name")).to_have_text(CAMBS)


def test_admin_adds_a_member_and_changes_their_roles(demo, page):
    sign_in(page, demo_email("admin", "warwickshire"))
    expect(page).to_have_url(re.compile(r"/p/warwickshire/$"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Members").click()
    expect(page).to_have_url(re.compile(r"/p/warwickshire/members/$"))
    expect(heading(page)).to_have_text("Members")
    expect(page.locator("caption")).to_have_text("7 members")

    page.get_by_role("link", name="Add a member").click()
    expect(page).to_have_url(re.compile(r"/p/warwickshire/members/add/$"))
    expect(heading(page)).to_have_text("Add a member")
    page.get_by_label("Email address").fill("robin.ash@warwickshire.example")
    page.get_by_label("Full name").fill("Robin Ash")
    page.get_by_label("Viewer").check()
    page.get_by_label("Job title (optional)").fill("Team manager")
    page.get_by_role("button", name="Add member").click()

    expect(page).to_have_url(re.compile(r"/p/warwickshire/members/$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner.locator(".govuk-notification-banner__title")).to_have_text("Success")
    expect(banner.locator(".govuk-notification-banner__heading")).to_have_text(f"Robin Ash added to {WARWICKSHIRE}")
    expect(page.locator("caption")).to_have_text("8 members")
    row = page.locator("tbody tr", has_text="robin.ash@warwickshire.example")
    expect(row.locator(".govuk-tag")).to_have_text(["Viewer"])
    axe_check(page)  # with the success banner

    row.get_by_role("link", name="Change roles for Robin Ash").click()
    expect(heading(page)).to_have_text("Change roles for Robin Ash")
    expect(page.get_by_label("Viewer")).to_be_checked()
    page.get_by_label("Viewer").uncheck()
    page.get_by_label("Board member").check()
    page.get_by_label("Board chair").check()
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/p/warwickshire/members/$"))
    expect(page.locator(".govuk-notification-banner--success .govuk-notification-banner__heading")).to_have_text(
        "Roles for Robin Ash saved"
    )
    row = page.locator("tbody tr", has_text="robin.ash@warwickshire.example")
    expect(row.locator(".govuk-tag")).to_have_text(["Board member", "Board chair"])

    row.get_by_role("link", name="History of Robin Ash's membership").click()
    expect(heading(page)).to_have_text("Robin Ash's membership")
    items = page.locator(".moj-timeline__item")
    expect(items).to_have_count(2)
    expect(items.locator(".moj-timeline__title")).to_have_text(["Changed", "Created"])
    expect(items.locator(".moj-timeline__byline")).to_have_text(["by Ben Carter", "by Ben Carter"])
    expect(items.nth(0).locator(".app-timeline-changes li")).to_have_text(
        ["Board member: No → Yes", "Board chair: No → Yes", "Viewer: Yes → No"]
    )
    axe_check(page)


# --- The crawl ------------------------------------------------------------------------------

CRAWL_SKIP = ("/accounts/logout/", "/admin/", "/static/", "/media/")
CRAWL_LIMIT = 200  # pages per person: a safety stop, well above what any role reaches today
# YJPLAN_AXE_EVERY_PAGE=1 opens every page reached in the browser and runs axe-core on it, even when a
# page of the same kind and structure has been checked already (much slower).
AXE_EVERY_PAGE = os.environ.get("YJPLAN_AXE_EVERY_PAGE") == "1"


class PageFacts(HTMLParser):
    """What the crawl needs from a page's HTML: its links, <h1> count, <title>, and its structure
    (the elements, classes, roles and input types it is made of; not its text, nor how many rows)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.h1s = 0
        self.title = ""
        self.structure: set[tuple] = set()
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = ".".join(sorted((attrs.get("class") or "").split()))
        self.structure.add((tag, classes, attrs.get("role") or "", attrs.get("type") or ""))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.h1s += tag == "h1"
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def page_kind(path: str) -> tuple:
    """The URL pattern a path resolves to and its query's keys. Pages of one kind differ only in records."""
    parts = urlsplit(path)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    return route, tuple(sorted(parse_qs(parts.query)))


class Crawl:
    """Breadth-first over same-origin links (GET only) as one signed-in person, one page of each kind.

    Pages are fetched through the browser context's own request client (same cookies, no rendering):
    each must answer 200 (a link must never lead to a 403 or 404) and, when HTML, have one <h1> and a
    <title>. Each distinct rendering (page kind and structure, across everyone crawled) is then opened in
    Chromium and checked with axe-core, a few tabs at a time; a page the same in structure as one checked
    already adds nothing.
    """

    TABS = 3

    def __init__(self):
        self.problems: list[str] = []
        self.checked: set[tuple] = set()
        self.axe_runs = 0

    def run(self, page, who: str, starts: list[str]) -> dict[str, int]:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        queue, reached, to_check = deque((url, "the start") for url in starts), {}, []
        kinds = {page_kind(url) for url in starts}
        while queue and len(reached) < CRAWL_LIMIT:
            url, linked_from = queue.popleft()
            response = page.context.request.get(origin + url)
            reached[url] = response.status
            if response.status != 200:
                self.problems.append(f"{url} answered {response.status} to {who}, yet {linked_from} links to it")
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue  # a file to download (an export)
            facts = PageFacts(response.text())
            if self.needs_axe(url, facts):
                to_check.append(url)
            for href in facts.links:
                href = urldefrag(urljoin(response.url, href)).url
                if not href.startswith(origin + "/"):
                    continue
                path = href[len(origin) :]
                kind = page_kind(path)
                if path.startswith(CRAWL_SKIP) or kind in kinds:
                    continue
                kinds.add(kind)
                queue.append((path, url))
        if len(reached) >= CRAWL_LIMIT:
            self.problems.append(f"the crawl as {who} stopped at {CRAWL_LIMIT} pages: raise CRAWL_LIMIT")
        self.axe(page.context, origin, to_check)
        return reached

    def needs_axe(self, url: str, facts: PageFacts) -> bool:
        if facts.h1s != 1:
            self.problems.append(f"{url} has {facts.h1s} <h1> elements")
        if not facts.title.strip():
            self.problems.append(f"{url} has no <title>")
        rendering = (page_kind(url), frozenset(facts.structure))
        if rendering in self.checked and not AXE_EVERY_PAGE:
            return False
        self.checked.add(rendering)
        return True

    def axe(self, context, origin: str, urls: list[str]) -> None:
        if not urls:
            return
        tabs = [context.new_page() for _ in range(min(self.TABS, len(urls)))]
        for batch in (urls[i : i + len(tabs)] for i in range(0, len(urls), len(tabs))):
            started = []
            for tab, url in zip(tabs, batch, strict=False):
                response = tab.goto(origin + url)
                if response is None or response.status != 200:
                    self.problems.append(f"{url} answered {response and response.status} in the browser")
                    continue
                axe_start(tab)
                started.append((tab, url))
            for tab, url in started:
                self.axe_runs += 1
                self.problems.extend(f"{url}: {v}" for v in axe_collect(tab))
        for tab in tabs:
            tab.close()


# Pages each person must reach by links from their starting page (a floor, not the whole list).
EVERY_ROLE_REACHES = {"/p/warwickshire/", "/p/warwickshire/partnership/", "/partnerships/", "/accessibility/"}
ROLE_ALSO_REACHES = {
    "manager": {
        "/p/warwickshire/partnership/edit/",
        "/p/warwickshire/partnership/population/",
        "/p/warwickshire/actions/priorities/",
        "/p/warwickshire/actions/deleted/",
    },
    "admin": {"/p/warwickshire/members/", "/p/warwickshire/members/add/", "/p/warwickshire/partnership/edit/"},
}


def test_crawl_every_page_each_role_reaches(demo, new_context):
    crawl = Crawl()
    for role in ROLES:
        page = new_context().new_page()  # one signed-in context per role
        sign_in(page, demo_email(role, "warwickshire"))
        expect(page).to_have_url(re.compile(r"/p/warwickshire/$"))
        reached = crawl.run(page, role, ["/p/warwickshire/"])
        print(f"{role}: {len(reached)} pages reached; axe-core has run {crawl.axe_runs} times so far")
        expected = EVERY_ROLE_REACHES | ROLE_ALSO_REACHES.get(role, set())
        if missing := expected - set(reached):
            crawl.problems.append(f"{role} did not reach {sorted(missing)}")
        if others := [url for url in reached if url.startswith(("/p/leicester/", "/p/cambs-peterborough/"))]:
            crawl.problems.append(f"{role} of Warwickshire reached another partnership's pages: {others}")
        if role != "admin" and (members := [url for url in reached if url.startswith("/p/warwickshire/members/")]):
            crawl.problems.append(f"{role} was offered the administrator's member pages: {members}")
        page.context.close()

    page = new_context().new_page()
    sign_in(page, "multi@demo")
    expect(page).to_have_url(re.compile(r"/partnerships/$"))
    reached = crawl.run(page, "multi@demo", ["/partnerships/", *(f"/p/{slug}/" for slug in NAMES)])
    print(f"multi@demo: {len(reached)} pages; axe-core ran {crawl.axe_runs} times")
    if missing := {"/partnerships/", "/accessibility/"} - set(reached):
        crawl.problems.append(f"multi@demo did not reach {sorted(missing)}")
    assert all(reached[f"/p/{slug}/"] == 200 for slug in NAMES)

    assert not crawl.problems, "\n".join(crawl.problems)


# --- Error pages, signed-out pages, a form with errors, a page reached by a button ------------


def test_error_signed_out_and_form_pages_are_accessible(demo, new_context):
    anonymous = new_context().new_page()
    anonymous.goto("/accounts/login/")
    anonymous.get_by_role("link", name="I have forgotten my password").click()
    expect(anonymous).to_have_url(re.compile(r"/accounts/password_reset/$"))
    expect(heading(anonymous)).to_have_text("Reset your password")
    axe_check(anonymous)
    anonymous.get_by_role("button", name="Send link").click()
    expect(anonymous).to_have_title(f"Error: Reset your password – {SERVICE}")
    expect(anonymous.locator(".govuk-error-summary__list li")).to_have_count(1)
    axe_check(anonymous)
    anonymous.get_by_label("Email address").fill(demo_email("viewer", "warwickshire"))
    anonymous.get_by_role("button", name="Send link").click()
    expect(anonymous).to_have_url(re.compile(r"/accounts/password_reset/done/$"))
    expect(heading(anonymous)).to_have_text("Check your email")
    axe_check(anonymous)

    # A form sent without its CSRF cookie (say, after the browser dropped it) gets the styled 403 page.
    anonymous.goto("/accounts/login/")
    anonymous.context.clear_cookies()
    anonymous.get_by_label("Email address").fill(demo_email("viewer", "warwickshire"))
    anonymous.get_by_label("Password").fill("yjplan-demo")
    with anonymous.expect_response(lambda r: r.request.method == "POST") as sent:
        anonymous.get_by_role("button", name="Sign in").click()
    assert sent.value.status == 403
    expect(heading(anonymous)).to_have_text("Your form could not be sent")
    axe_check(anonymous)

    response = anonymous.goto("/no-such-page/")
    assert response.status == 404
    expect(heading(anonymous)).to_have_text("Page not found")
    axe_check(anonymous)

    page = new_context().new_page()
    sign_in(page, demo_email("manager", "warwickshire"))
    response = page.goto("/p/warwickshire/no-such-page/")
    assert response.status == 404
    expect(page).to_have_title(f"Page not found – {SERVICE}")
    expect(heading(page)).to_have_text("Page not found")
    axe_check(page)

    response = page.goto("/p/leicester/")  # another partnership: it does not exist as far as they know
    assert response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text("Leicester")
    axe_check(page)

    response = page.goto("/p/warwickshire/members/")  # a manager's roles do not include members
    assert response.status == 403
    expect(heading(page)).to_have_text("You do not have access to this page")
    axe_check(page)

    page.goto("/p/warwickshire/partnership/population/")
    expect(heading(page)).to_have_text("Children aged 10 to 17")
    page.get_by_role("button", name="Save population").click()
    expect(page).to_have_url(re.compile(r"/p/warwickshire/partnership/population/$"))
    expect(page).to_have_title(f"Error: 10 to 17 population – {WARWICKSHIRE} – {SERVICE}")
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(summary.locator(".govuk-error-summary__list li")).to_have_text(
        ["Enter the year", "Enter the 10 to 17 population"]
    )
    expect(page.locator(".govuk-error-message")).to_have_text(
        ["Error: Enter the year", "Error: Enter the 10 to 17 population"]
    )
    axe_check(page)

    # The PDF summary's page is reached by a button (a POST), so the GET-only crawl cannot find it.
    page.goto("/p/warwickshire/partnership/")
    page.get_by_role("button", name="Make a PDF summary").click()
    expect(page).to_have_url(re.compile(r"/p/warwickshire/documents/\d+/$"))
    expect(heading(page)).to_have_text(f"{WARWICKSHIRE}: partnership summary")
    expect(page.locator("#document-status .govuk-tag")).to_have_text("Ready", timeout=30_000)
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    # The server names it "<title>.pdf"; Chromium turns the colon, which file systems refuse, into "_".
    assert download.value.suggested_filename == f"{WARWICKSHIRE} - partnership summary.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
