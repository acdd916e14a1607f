"""Thin Celery tasks for the hub."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, to: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, None, to)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_document(job_id: int) -> str:
    from yjplan.documents import document_render

    return document_render(job_id=job_id).status


@shared_task
def sweep_documents() -> dict:
    from yjplan.documents import documents_sweep

    return documents_sweep()
