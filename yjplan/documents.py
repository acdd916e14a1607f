"""PDF documents made by Celery workers: request, render, sweep. One machinery for every kind.

A request for a state already rendered (or being rendered) reuses that job. The task takes the job's
id, so it is idempotent: a job already done is left alone. A job whose worker died past its deadline
is queued again up to ``MAX_ATTEMPTS`` times, then failed with the reason, never left "rendering".
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from yjplan.models import DocumentJob, Partnership
from yjplan.pdf import print_stylesheet, render_pdf, sha256
from yjplan.registry import registry

log = logging.getLogger(__name__)

RENDER_DEADLINE = timedelta(minutes=10)
QUEUE_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 3
WAITING_FOR_QUEUE = "Waiting for the task queue: it will start as soon as the queue is back."
Status = DocumentJob.Status


def print_html(template: str, *, partnership: Partnership, title: str, context: dict) -> str:
    """Print HTML for a document: the lean print stylesheet, running header and footer, then ``template``."""
    return render_to_string(
        template,
        {
            "partnership": partnership,
            "title": title,
            "made": timezone.now(),
            "stylesheet": print_stylesheet(),
            **context,
        },
    )


def _enqueue(job_id: int) -> None:
    from yjplan.tasks import render_document

    try:
        render_document.delay(job_id)
    except Exception as error:  # noqa: BLE001 - the broker is down: the sweeper enqueues it later
        log.warning("Could not queue document job %s: %s", job_id, error)
        DocumentJob.objects.filter(pk=job_id, status=Status.QUEUED).update(error=WAITING_FOR_QUEUE)


@transaction.atomic
def document_request(
    *, partnership: Partnership, kind: str, params: dict | None = None, requested_by=None
) -> DocumentJob:
    spec = registry.document(kind)
    params = params or {}
    state = spec.state(partnership, params)
    existing = (
        DocumentJob.objects.select_for_update()
        .filter(partnership=partnership, kind=kind, params=params, state_key=state)
        .exclude(status=Status.FAILED)
        .order_by("-requested_at")
        .first()
    )
    if existing is not None:
        return existing
    return document_create(
        partnership=partnership,
        kind=kind,
        params=params,
        state_key=state,
        title=spec.title(partnership, params),
        requested_by=requested_by,
    )


def document_create(*, partnership, kind: str, params: dict, state_key: str, title: str, requested_by=None):
    """A new job, queued after the surrounding transaction commits (callers that compute their own state)."""
    job = DocumentJob.objects.create(
        partnership=partnership,
        kind=kind,
        params=params,
        state_key=state_key,
        title=title,
        requested_by=requested_by,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def document_render(*, job_id: int) -> DocumentJob:
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().select_related("partnership").get(pk=job_id)
        if job.status in (Status.DONE, Status.FAILED):
            return job
        job.status = Status.RENDERING
        job.started_at = timezone.now()
        job.deadline = job.started_at + RENDER_DEADLINE
        job.attempts += 1
        job.error = ""
        job.save(update_fields=["status", "started_at", "deadline", "attempts", "error"])
    try:
        spec = registry.document(job.kind)
        began = time.perf_counter()
        html = spec.build(job)
        built = time.perf_counter()
        pdf, pages = render_pdf(html)
        finished = time.perf_counter()
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the job for the user to see
        log.exception("Document job %s failed", job_id)
        DocumentJob.objects.filter(pk=job_id).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        job.file.save(f"{job.kind.replace('.', '-')}-{job.pk}.pdf", ContentFile(pdf), save=False)
        job.status = Status.DONE
        job.finished_at = timezone.now()
        job.html_ms = round((built - began) * 1000)
        job.pdf_ms = round((finished - built) * 1000)
        job.pages = pages
        job.size_bytes = len(pdf)
        job.sha256 = sha256(pdf)
        job.save()
    return job


def documents_sweep(*, now=None) -> dict:
    """Requeue jobs whose worker died (past the deadline) or that never reached the queue.

    A job the request could not queue (the broker was down) is queued on the next sweep; any other job
    still waiting after ``QUEUE_GRACE`` is queued again, in case the broker lost its queue on a restart
    (a duplicate is harmless: the task leaves a finished job alone).
    """
    now = now or timezone.now()
    requeued, failed = [], []
    with transaction.atomic():
        stuck = DocumentJob.objects.select_for_update(skip_locked=True).filter(
            status=Status.RENDERING, deadline__lt=now
        )
        for job in stuck:
            if job.attempts >= MAX_ATTEMPTS:
                job.status = Status.FAILED
                job.error = f"The renderer stopped {job.attempts} times without finishing (worker lost)."
                job.finished_at = now
                failed.append(job.pk)
            else:
                job.status = Status.QUEUED
                job.error = "The renderer stopped before finishing; trying again."
                requeued.append(job.pk)
            job.save(update_fields=["status", "error", "finished_at"])
        waiting = DocumentJob.objects.filter(
            Q(requested_at__lt=now - QUEUE_GRACE) | Q(error=WAITING_FOR_QUEUE), status=Status.QUEUED
        )
        requeued += [pk for pk in waiting.values_list("pk", flat=True) if pk not in requeued]
    for pk in requeued:
        transaction.on_commit(lambda pk=pk: _enqueue(pk))
    return {"requeued": requeued, "failed": failed}
