"""Shared fixtures. Unit tests run Celery tasks in-process and use a private in-memory cache."""

import os

import pytest

from tests.factories import PartnershipFactory, member
from yjplan.celery import app as celery_app
from yjplan.permissions import Role

celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True


def require_or_skip(available: bool, what: str, env_flag: str) -> None:
    """Skip when a real service is missing on a developer's machine; fail in CI, which sets ``env_flag``."""
    if available:
        return
    if os.environ.get(env_flag) == "1":
        pytest.fail(f"{what} is required here ({env_flag}=1) but is not available")
    pytest.skip(f"{what} is not available on this machine")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The suite runs without migrations: add what migrations add beyond tables (PostgreSQL's triggers)."""
    from django.db import connection

    from yjplan.integrity import install_database_guards

    with django_db_blocker.unblock():
        install_database_guards(connection)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"
    settings.DEMO_RENDER_PDFS = False  # tests that need the demo plans' PDFs turn it back on
    # Demo and test users are created many times; production's slow hash is not what these tests test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def partnership(db):
    return PartnershipFactory()


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory()


@pytest.fixture
def make_member(db):
    return member


@pytest.fixture
def signed_in(client):
    """``signed_in(membership)`` signs the test client in as that member and returns the client."""

    def sign_in(membership):
        client.force_login(membership.user)
        return client

    return sign_in


@pytest.fixture
def manager(partnership):
    return member(partnership, Role.MANAGER)


@pytest.fixture
def admin_member(partnership):
    return member(partnership, Role.ADMIN)


@pytest.fixture
def query_guard():
    from tests.querycount import QueryGuard

    return QueryGuard()
