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


def worker_env(*, redis_url: str, queue: str, media_root, mail_dir) -> dict:
    """The environment of a worker on the test database, ``redis_url`` and the test's media folder."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        # the same media folder as this process's (tests/conftest.py), so files the worker writes are found
        "MEDIA_ROOT": str(media_root),
        "DEBUG": "1",
    }


def spawn_worker(env: dict, log_path: Path, *options: str) -> subprocess.Popen:
    """``celery worker`` (``options``; the solo pool by default) on ``env``'s queue, its output in ``log_path``."""
    queue = env["CELERY_QUEUE"]
    with open(log_path, "a") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "yjplan",
                "worker",
                *(options or ("--pool=solo",)),
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


def wait_consuming(worker: subprocess.Popen, *, redis_url: str, queue: str, log_path: Path, timeout=30) -> None:
    """Block until the worker consumes ``queue`` (asked over the broker ``redis_url``)."""
    saved = _use_broker(redis_url, queue)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert worker.poll() is None, log_path.read_text()
            consumers = celery_app.control.inspect(timeout=0.5).active_queues() or {}
            if any(q["name"] == queue for queues in consumers.values() for q in queues):
                return
        pytest.fail(f"The Celery worker did not start within {timeout} s:\n{log_path.read_text()[-3000:]}")
    finally:
        _restore(saved)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    """Start ``celery worker`` on a private queue; yield (queue, mail folder); stop it at the end."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path_factory.mktemp("mail")
    with django_db_blocker.unblock():
        require_or_skip(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)", "YJPLAN_REQUIRE_SERVICES")
        env = worker_env(
            redis_url=redis_url, queue=queue, media_root=tmp_path_factory.getbasetemp() / "media", mail_dir=mail_dir
        )
    log_path = mail_dir.parent / f"{queue}.log"
    worker = spawn_worker(env, log_path)
    try:
        wait_consuming(worker, redis_url=redis_url, queue=queue, log_path=log_path)
        yield redis_url, queue, mail_dir
    finally:
        stop(worker)


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
