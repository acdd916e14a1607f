"""A kept page (ADR 015) in a browser that enforces the CSP: its inline script runs with this response's
nonce, nothing is refused, and its sign-out form carries a token the server accepts."""

import pytest
from django.core.cache import cache

from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.factories import PASSWORD, PartnershipFactory, member
from yjplan.permissions import Role

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def kept_pages() -> int:
    return sum(".page." in key for key in cache._cache)  # LocMemCache, shared with the live server's thread


def test_a_kept_page_runs_its_script_under_the_csp_and_signs_out(transactional_db, browser, live_server):
    partnership = PartnershipFactory(slug="keptshire")
    manager = member(partnership, Role.MANAGER)
    context = browser.new_context(base_url=live_server.url)  # the CSP enforced, unlike the axe contexts
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        sign_in(page, manager.user.email, PASSWORD)
        before = kept_pages()  # the home page the sign-in led to
        page.goto("/p/keptshire/plans/")
        assert kept_pages() == before + 1
        page.goto("/p/keptshire/plans/")  # served from the cache
        assert kept_pages() == before + 1
        assert page.evaluate("document.body.classList.contains('js-enabled')") is True
        assert refused == []
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(lambda url: "/p/keptshire/" not in url)
        assert "Forbidden" not in page.content()
        page.goto("/p/keptshire/plans/")
        assert "/accounts/login/" in page.url  # signed out: the kept page's token was accepted
    finally:
        context.close()
