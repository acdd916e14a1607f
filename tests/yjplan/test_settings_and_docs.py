"""Settings come from the environment; production settings pass `check --deploy`; docs match the code."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from yjplan.permissions import CAPABILITIES, Role, has_capability, permissions_markdown

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-secret-key-for-the-deploy-check-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "yjplan.example.gov.uk",
    "DATABASE_URL": "sqlite:////tmp/yjplan-deploy-check.sqlite3",
}


def run_manage(*args, env_extra=None, drop=()):
    # the browser tests allow Playwright's event loop beside the ORM; a production check must not see that
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION, drop=("REDIS_URL",))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_production_needs_a_secret_key_and_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", env_extra=env, drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = run_manage("check", env_extra=env, drop=("ALLOWED_HOSTS",))
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


SHOW = (
    "from django.conf import settings as s;"
    "from yjplan.celery import app;"
    "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], app.conf.task_always_eager,"
    " app.conf.broker_url, s.EMAIL_BACKEND, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
)


def test_defaults_need_nothing_installed():
    result = run_manage("shell", "-c", SHOW, drop=("DATABASE_URL", "REDIS_URL", "DEBUG", "EMAIL_BACKEND"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
        "memory://",
        "django.core.mail.backends.console.EmailBackend",
        "False",
        "0",
    ]


def test_database_and_redis_urls_switch_to_postgresql_redis_and_a_worker():
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/yjplan", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = run_manage("shell", "-c", SHOW, env_extra={**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "yjplan.cache_backend.TolerantRedisCache",
        "False",
        "redis://127.0.0.1:6379/3",
        "django.core.mail.backends.console.EmailBackend",
        "True",
        "31536000",
    ]


def test_security_headers_on_every_response(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_permissions_doc_is_generated_from_the_table():
    doc = (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert doc == permissions_markdown(), "docs/permissions.md is stale: run `python manage.py permissions_doc`"
    for capability in CAPABILITIES:
        assert f"| `{capability}` |" in doc


def test_capability_table():
    assert has_capability([Role.FINANCE], "budget.edit") is True
    assert has_capability([Role.VIEWER], "budget.edit") is False
    assert has_capability([Role.VIEWER, Role.ADMIN], "members.manage") is True
    with pytest.raises(KeyError, match="Unknown capability 'budget.delete'"):
        has_capability([Role.MANAGER], "budget.delete")


def test_celery_runs_in_process_in_unit_tests():
    from yjplan.celery import app

    assert app.conf.task_always_eager is True
    assert django_settings.CELERY_TASK_ACKS_LATE is True
