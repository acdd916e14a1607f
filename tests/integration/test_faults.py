"""Faults, injected for real: Redis stopped, a worker killed with SIGKILL mid-render, PostgreSQL connections
terminated, and a block that cannot be made. Each runs on a private ``redis-server`` and private workers,
so the shared Redis and the suite's worker are never touched."""

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from kombu import pools as kombu_pools

from tests.conftest import require_or_skip
from tests.factories import PartnershipFactory, UserFactory, member
from tests.integration import conftest as integration
from tests.integration.conftest import wait_for
from yjplan import documents
from yjplan.celery import app as celery_app
from yjplan.models import DocumentJob, PlanTemplate
from yjplan.permissions import Role
from yjplan.plans import services

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A ``redis-server`` of this test's own, on a free port, to stop and start at will."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = folder
        self.process = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        command += ["no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_for(lambda: integration._redis_up(self.url), timeout=10), "redis-server did not start"

    def stop(self) -> None:
        integration.stop(self.process)
        assert not integration._redis_up(self.url)


@pytest.fixture
def redis_server(tmp_path):
    require_or_skip(shutil.which("redis-server") is not None, "redis-server", "YJPLAN_REQUIRE_SERVICES")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        integration.stop(server.process)


class Workers:
    """Celery workers on the private Redis, on one queue, with this test's media folder."""

    def __init__(self, redis: PrivateRedis, media_root, folder: Path):
        self.redis = redis
        self.queue = f"faults-{uuid.uuid4().hex[:8]}"
        self.log = folder / f"{self.queue}.log"
        self.env = integration.worker_env(redis_url=redis.url, queue=self.queue, media_root=media_root, mail_dir=folder)
        self.running = []

    def start(self, *extra: str, ready=True) -> subprocess.Popen:
        """Start a worker; with ``ready`` wait until it consumes (not when it will be busy with a task at once)."""
        worker = integration.spawn_worker(self.env, self.log, *extra)
        self.running.append(worker)
        if ready:
            integration.wait_consuming(worker, redis_url=self.redis.url, queue=self.queue, log_path=self.log)
        return worker

    def stop_all(self) -> None:
        for worker in self.running:
            if worker.poll() is None:
                integration.stop(worker)


@contextmanager
def broker(url: str, queue: str):
    """This process queues its tasks on ``url``: a fresh connection pool before, the old one back after."""
    saved = integration._use_broker(url, queue)
    _reset_pools()
    try:
        yield
    finally:
        integration._restore(saved)
        _reset_pools()


def _reset_pools() -> None:
    """Close and forget every broker connection, kombu's process-wide pools included: a closed pool left in
    kombu's registry would be handed to the next test that queues on the same broker."""
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def workers(redis_server, settings, tmp_path, django_db_blocker):
    settings.CACHES = {
        "default": {
            "BACKEND": "yjplan.cache_backend.TolerantRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    pool = Workers(redis_server, settings.MEDIA_ROOT, tmp_path)
    with broker(redis_server.url, pool.queue):
        try:
            yield pool
        finally:
            pool.stop_all()


@pytest.fixture
def plan_world(transactional_db):
    require_or_skip(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)", "YJPLAN_REQUIRE_SERVICES")
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory(
        name="Warwickshire Youth Justice Service", councils=["Warwickshire County Council"]
    )
    manager = member(partnership, Role.MANAGER, user=UserFactory(full_name="Sam Whitfield"))
    plan = services.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Warwickshire Youth Justice Plan",
        first_year=2023,
        last_year=2025,
        created_by=manager.user,
    )
    return {"partnership": partnership, "manager": manager, "plan": plan}


def save(section, body: str, author) -> None:
    section.refresh_from_db()
    services.section_save(
        section=section, title=section.title, body=body, base_revision=section.revision, author=author
    )


def finished(job_id: int, timeout=120) -> DocumentJob:
    job = wait_for(
        lambda: DocumentJob.objects.filter(pk=job_id, status__in=["done", "failed"]).first(), timeout=timeout
    )
    assert job is not None, f"job {job_id} still {DocumentJob.objects.get(pk=job_id).status} after {timeout} s"
    return job


def job_page(client, job: DocumentJob) -> str:
    url = reverse("document_detail", kwargs={"slug": job.partnership.slug, "pk": job.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Redis stopped ---------------------------------------------------------------------------


def test_redis_stopped_while_a_rendition_and_a_pack_are_requested(client, plan_world, workers, redis_server):
    workers.start()
    partnership, plan = plan_world["partnership"], plan_world["plan"]
    client.force_login(plan_world["manager"].user)
    redis_server.stop()

    # the pages still answer, served from the database (the cache misses, sessions come from the database)
    for name in ("dashboard", "plan_list"):
        assert client.get(reverse(name, kwargs={"slug": partnership.slug})).status_code == 200

    started = time.monotonic()
    response = client.post(reverse("rendition_new", kwargs={"slug": partnership.slug, "plan": plan.pk}))
    pack = client.post(
        reverse("document_request", kwargs={"slug": partnership.slug, "kind": "yjplan.partnership_summary"})
    )
    assert time.monotonic() - started < 10, "queueing must give up quickly while Redis is down"
    assert response.status_code == 302 and pack.status_code == 302
    rendition = plan.renditions.get()
    summary = DocumentJob.objects.get(kind="yjplan.partnership_summary")
    for job in (rendition.job, summary):
        job.refresh_from_db()
        assert (job.status, job.error, job.attempts) == ("queued", documents.WAITING_FOR_QUEUE, 0)
        page = job_page(client, job)
        assert "Waiting for the task queue: it will start as soon as the queue is back." in page
    assert response["Location"] == reverse("document_detail", kwargs={"slug": partnership.slug, "pk": rendition.job_id})

    # asking again while Redis is down reuses the same job: nothing doubled, nothing lost
    client.post(reverse("rendition_new", kwargs={"slug": partnership.slug, "plan": plan.pk}))
    assert plan.renditions.count() == 1 and DocumentJob.objects.count() == 2

    redis_server.start()  # an empty Redis, as after a restart without persistence
    # the beat's sweep (every 60 s in production) queues what never reached the queue
    assert sorted(documents.documents_sweep()["requeued"]) == sorted([rendition.job_id, summary.pk])
    for job in (rendition.job, summary):
        done = finished(job.pk)
        assert (done.status, done.attempts, done.error) == ("done", 1, ""), workers.log.read_text()[-3000:]
        assert "Download the PDF" in job_page(client, done)


# --- A worker killed mid-render --------------------------------------------------------------


def long_plan(plan_world, paragraphs=30):
    """Enough words that rendering takes long enough to be caught in the middle of it."""
    text = "".join(
        f"<p>Paragraph {n}: the partnership reviews its out-of-court disposals, its custody figures and its "
        "reoffending cohort with the police, health, education and children's services every quarter.</p>"
        for n in range(paragraphs)
    )
    for section in plan_world["plan"].sections.all():
        save(section, section.body + text, plan_world["manager"].user)


def kill_when_rendering(job_id: int, pid: int) -> DocumentJob:
    rendering = wait_for(
        lambda: DocumentJob.objects.filter(pk=job_id, status="rendering").first(), timeout=60, interval=0.01
    )
    assert rendering is not None, f"the job never started rendering: {DocumentJob.objects.get(pk=job_id).status}"
    os.kill(pid, signal.SIGKILL)
    return rendering


def test_a_worker_killed_mid_render_is_swept_and_the_job_rendered_again(plan_world, workers, client):
    long_plan(plan_world)
    worker = workers.start()
    rendition = services.rendition_request(plan=plan_world["plan"], requested_by=None)
    kill_when_rendering(rendition.job_id, worker.pid)
    worker.wait(timeout=10)

    job = DocumentJob.objects.get(pk=rendition.job_id)
    assert (job.status, job.attempts) == ("rendering", 1), "the worker finished before it was killed"
    # before its deadline the job may still be rendering somewhere: the sweeper leaves it
    assert documents.documents_sweep() == {"requeued": [], "failed": []}
    # past its deadline it is queued again, with the reason, and a worker renders it
    assert documents.documents_sweep(now=job.deadline + timedelta(seconds=1))["requeued"] == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error) == ("queued", "The renderer stopped before finishing; trying again.")
    client.force_login(plan_world["manager"].user)
    assert "The renderer stopped before finishing; trying again." in job_page(client, job)
    workers.start(ready=False)
    done = finished(job.pk)
    assert (done.status, done.attempts, done.error) == ("done", 2, ""), workers.log.read_text()[-3000:]
    assert done.pages > 1


def child_of(pid: int) -> int:
    children = wait_for(lambda: Path(f"/proc/{pid}/task/{pid}/children").read_text().split(), timeout=10)
    assert children, "the prefork worker has no child process"
    return int(children[0])


def test_a_pool_process_killed_mid_render_gives_the_task_back_and_it_is_retried(plan_world, workers):
    long_plan(plan_world)
    worker = workers.start("--pool=prefork", "--concurrency=1")
    rendition = services.rendition_request(plan=plan_world["plan"], requested_by=None)
    kill_when_rendering(rendition.job_id, child_of(worker.pid))

    # acks_late + reject_on_worker_lost: the message goes back to the queue and a new pool process renders it
    done = finished(rendition.job_id)
    assert (done.status, done.attempts, done.error) == ("done", 2, ""), workers.log.read_text()[-3000:]
    assert "WorkerLostError" in workers.log.read_text()


def test_after_the_deadline_and_the_last_attempt_the_job_fails_with_its_reason(plan_world, workers, client):
    long_plan(plan_world)
    worker = workers.start()
    rendition = services.rendition_request(plan=plan_world["plan"], requested_by=None)
    for attempt in range(1, documents.MAX_ATTEMPTS + 1):
        if attempt > 1:
            worker = workers.start(ready=False)
            deadline = DocumentJob.objects.get(pk=rendition.job_id).deadline
            assert documents.documents_sweep(now=deadline + timedelta(seconds=1))["requeued"] == [rendition.job_id]
        kill_when_rendering(rendition.job_id, worker.pid)
        worker.wait(timeout=10)
    job = DocumentJob.objects.get(pk=rendition.job_id)
    assert (job.status, job.attempts) == ("rendering", documents.MAX_ATTEMPTS)
    assert documents.documents_sweep(now=job.deadline + timedelta(seconds=1)) == {"requeued": [], "failed": [job.pk]}
    job.refresh_from_db()
    assert job.status == "failed"
    client.force_login(plan_world["manager"].user)
    page = job_page(client, job)
    assert "The PDF could not be made: The renderer stopped 3 times without finishing (worker lost)." in page


# --- PostgreSQL connections terminated -------------------------------------------------------


def terminate_others() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_next_request_succeeds_after_postgresql_connections_are_terminated(plan_world, client):
    from bench.run import serve

    partnership = plan_world["partnership"]
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": "",
        "DEBUG": "1",
        "AXES_ENABLED": "0",
        "CONN_MAX_AGE": "600",
    }
    import urllib.request

    paths = [
        f"/p/{partnership.slug}/",
        f"/p/{partnership.slug}/plans/",
        f"/p/{partnership.slug}/plans/{plan_world['plan'].pk}/",
    ]

    def statuses(base, cookie):
        codes = []
        for path in paths * 3:
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
            with urllib.request.urlopen(request) as response:  # noqa: S310 - our own gunicorn
                codes.append(response.status)
        return codes

    with serve(env) as base:
        client.force_login(plan_world["manager"].user)  # the session is in the database gunicorn reads
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        assert set(statuses(base, cookie)) == {200}
        assert terminate_others() >= 1  # gunicorn's persistent connections
        assert set(statuses(base, cookie)) == {200}
        assert terminate_others() >= 1
        assert set(statuses(base, cookie)) == {200}


# --- A block that cannot be made -------------------------------------------------------------

BAD_BLOCK = '<div data-block="budgets.contributions_table" data-options="{&quot;year&quot;: &quot;twenty&quot;}"></div>'


def test_a_block_that_cannot_be_made_fails_the_job_with_its_reason_and_keeps_the_last_rendition(
    plan_world, workers, client
):
    workers.start()
    partnership, plan, manager = plan_world["partnership"], plan_world["plan"], plan_world["manager"]
    first = services.rendition_request(plan=plan, requested_by=manager.user)
    good = finished(first.job_id)
    assert good.status == "done", good.error

    section = plan.sections.first()
    save(section, section.body + BAD_BLOCK, manager.user)
    client.force_login(manager.user)
    # on screen the section explains the table instead of failing
    page = client.get(
        reverse("section_detail", kwargs={"slug": partnership.slug, "plan": plan.pk, "section": section.pk})
    )
    assert page.status_code == 200
    assert (
        "cannot be shown: its options are not valid (invalid literal for int() with base 10: &#x27;twenty&#x27;)"
        in (page.content.decode())
    )

    response = client.post(reverse("rendition_new", kwargs={"slug": partnership.slug, "plan": plan.pk}))
    assert response.status_code == 302
    second = plan.renditions.get(number=2)
    failed = finished(second.job_id)
    reason = (
        "BlockError: The table “Partner contributions to the pooled budget” could not be made from its options "
        "(invalid literal for int() with base 10: 'twenty'). Edit the section to choose them again, then make "
        "a new rendition."
    )
    assert (failed.status, failed.error) == ("failed", reason)
    assert "The PDF could not be made: BlockError: The table" in job_page(client, failed)

    # the previous rendition is kept and still downloads, byte for byte
    download = client.get(reverse("document_download", kwargs={"slug": partnership.slug, "pk": good.pk}))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF")
    assert documents.sha256(body) == good.sha256
