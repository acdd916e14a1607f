"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Never run ``playwright install``: the tests use ``/usr/bin/chromium`` (apt). Without it they skip on a
developer's machine and fail where ``YJPLAN_REQUIRE_BROWSER=1`` (CI) says the browser must be there.
"""

import atexit
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls made from fixtures are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PASSWORD = "yjplan-demo"
TIMEOUT_MS = 15_000


def demo_email(role: str, slug: str) -> str:
    return f"{role}@{slug}.demo"


@pytest.fixture(scope="session")
def browser(live_server):
    """One headless Chromium for the whole session.

    It asks for the live server so that it closes first: no request is then in flight while the server
    stops (with SQLite's shared in-memory connection that would raise in the server's thread).
    """
    if not CHROMIUM.exists():
        message = "Chromium not installed: apt-get install chromium"
        if os.environ.get("YJPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message} (YJPLAN_REQUIRE_BROWSER=1: the browser tests must run here)", pytrace=False)
        pytest.skip(message)
    return _shared_browser()


_CHROMIUM_PROCESS = {}


def _shared_browser():
    """One Playwright and one Chromium per test process, however many modules import the fixture.

    Spoke test modules import these fixtures, which makes pytest create the session fixture once per
    module; a second sync Playwright in the same process fails, so they all share this one.
    """
    if "browser" not in _CHROMIUM_PROCESS:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _CHROMIUM_PROCESS["playwright"] = playwright
        _CHROMIUM_PROCESS["browser"] = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        atexit.register(_close_browser)
    return _CHROMIUM_PROCESS["browser"]


def _close_browser():
    browser = _CHROMIUM_PROCESS.pop("browser", None)
    if browser is not None:
        browser.close()
        _CHROMIUM_PROCESS.pop("playwright").stop()


@pytest.fixture
def fast_passwords(settings):
    """Demo users are created and signed in many times: a cheap hasher keeps each test quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(transactional_db, fast_passwords):
    """The demo partnerships and users, committed so the live server's thread sees them."""
    # pytest-django runs with DEBUG off, where the command refuses unless forced.
    call_command("seed_demo", force=True, verbosity=0)
    return json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo" / "partnerships.json").read_text("utf-8"))


@pytest.fixture
def new_context(browser, live_server):
    """``new_context()`` opens a fresh browser context (own cookies); all are closed after the test."""
    contexts = []

    def make():
        # The app's strict CSP would refuse the injected axe-core script.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form and wait until the browser has left the sign-in page."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def axe_start(page) -> None:
    """Inject axe-core and start it on the page as it stands, without waiting (see ``axe_collect``).

    Chromium runs each tab in its own process, so several tabs can be checked at once.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    page.evaluate(
        """(tags) => {
            window.__axeResult = axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
              .then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
                count: v.nodes.length,
              })));
        }""",
        AXE_TAGS,
    )


def axe_collect(page) -> list[str]:
    """Wait for the run ``axe_start`` began; one readable line per violation (rule, impact, help, targets)."""
    result = page.evaluate("() => window.__axeResult")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} [{v['count']} element(s): {'; '.join(v['targets'])}]" for v in result
    ]


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.0-2.2 A and AA, and best practice) on the page as it stands."""
    axe_start(page)
    return axe_collect(page)


def axe_check(page) -> None:
    """Fail, readably, when axe-core finds any WCAG 2.2 AA or best-practice violation on the page."""
    violations = axe_violations(page)
    if violations:
        lines = [f"axe-core found {len(violations)} violation(s) on {page.url}:", *(f"  - {v}" for v in violations)]
        pytest.fail("\n".join(lines), pytrace=False)
