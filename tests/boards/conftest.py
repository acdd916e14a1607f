"""Shared fixtures for tests/boards: the browser's (Chromium, the demo data, pages) for test_browser.py and
the real Celery worker's (Redis, PostgreSQL) for test_integration.py.

The worker test is collected only where ``REDIS_URL`` names the broker (CI, ``make test`` with services),
like the hub's integration layer; elsewhere it is left out rather than reported as skipped.
"""

import os

import pytest

from tests.browser.conftest import browser, demo, fast_passwords, new_context, page  # noqa: F401
from tests.integration.conftest import celery_worker, celery_worker_process, redis_url  # noqa: F401

collect_ignore = [] if os.environ.get("REDIS_URL") else ["test_integration.py"]


@pytest.fixture
def no_action_tracker(monkeypatch):
    """As if the actions spoke were not installed: decisions wait for a tracked action."""
    from yjplan.registry import registry

    monkeypatch.setattr(registry, "action_creators", {})
