"""Thin Celery tasks of the actions spoke.

The hub's settings schedule the daily digest::

    CELERY_BEAT_SCHEDULE["actions-reminders"] = {
        "task": "actions.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    }
"""

from celery import shared_task


@shared_task(acks_late=True)
def send_reminders() -> dict:
    """Idempotent: a person already sent today's digest is skipped (the digest table's unique key)."""
    from actions.services import reminders_send

    return reminders_send()
