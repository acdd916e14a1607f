"""The integration layer: a real Celery worker on Redis against the real PostgreSQL test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import require_or_skip
from yjplan.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def _redis_up(url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require_or_skip(bool(url) and _redis_up(url), "Redis (REDIS_URL)", "YJPLAN_REQUIRE_SERVICES")
    return url


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    """Start ``celery worker`` on a private queue; yield (queue, mail folder); stop it at the end."""
    with django_db_blocker.unblock():
        require_or_skip(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)", "YJPLAN_REQUIRE_SERVICES")
        db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path_factory.mktemp("mail")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        # the same media folder as this process's (tests/conftest.py), so files the worker writes are found
        "MEDIA_ROOT": str(tmp_path_factory.getbasetemp() / "media"),
        "DEBUG": "1",
    }
    log = open(mail_dir.parent / f"{queue}.log", "w")  # noqa: SIM115 - kept open for the worker's lifetime
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "yjplan",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = _use_broker(redis_url, queue)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert worker.poll() is None, (mail_dir.parent / f"{queue}.log").read_text()
            consumers = celery_app.control.inspect(timeout=0.5).active_queues() or {}
            if any(q["name"] == queue for queues in consumers.values() for q in queues):
                break
        else:
            pytest.fail("The Celery worker did not start within 30 s")
    finally:
        _restore(saved)
    try:
        yield redis_url, queue, mail_dir
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def _use_broker(redis_url, queue):
    saved = (celery_app.conf.task_always_eager, celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_url
    celery_app.conf.task_default_queue = queue
    return saved


def _restore(saved):
    celery_app.conf.task_always_eager, celery_app.conf.broker_url, celery_app.conf.task_default_queue = saved


@pytest.fixture
def celery_worker(celery_worker_process):
    """For one test, tasks go to the real worker's queue; yields (queue, mail folder)."""
    redis_url, queue, mail_dir = celery_worker_process
    saved = _use_broker(redis_url, queue)
    try:
        yield queue, mail_dir
    finally:
        _restore(saved)


def wait_for(predicate, timeout=20.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()
