"""A meeting pack made by a real Celery worker on Redis: its text holds the agenda, the last minutes and
every registered tracker (``actions.*``) block."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.boards.factories import AgendaItemFactory, BoardFactory, MeetingFactory, at
from tests.integration.conftest import wait_for
from yjplan.registry import registry

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]


@pytest.mark.django_db(transaction=True)
def test_a_meeting_pack_is_made_by_the_worker(celery_worker, partnership):
    from yjplan import documents
    from yjplan.models import DocumentJob

    board = BoardFactory(partnership=partnership, name="Youth Justice Management Board")
    MeetingFactory(
        board=board,
        starts_at=at("2024-03-05"),
        ends_at=at("2024-03-05", "12:00"),
        minutes="<p>The board agreed the custody audit.</p>",
    )
    meeting = MeetingFactory(board=board, starts_at=at("2024-06-04"), ends_at=at("2024-06-04", "12:00"))
    AgendaItemFactory(meeting=meeting, order=1, title="Action tracker exceptions", kind="decision")
    AgendaItemFactory(meeting=meeting, order=2, title="Spotlight: the reparation project", kind="spotlight")
    job = documents.document_request(partnership=partnership, kind="boards.pack", params={"p_meeting": str(meeting.pk)})
    done = wait_for(lambda: DocumentJob.objects.filter(pk=job.pk, status="done").first(), timeout=90)
    assert done is not None, DocumentJob.objects.get(pk=job.pk).error
    assert done.attempts == 1
    # the worker stores the file under its own media root (the environment's, not this test's private one)
    stored = Path(os.environ.get("MEDIA_ROOT", Path(settings.BASE_DIR) / "media")) / done.file.name
    pdf = stored.read_bytes()
    stored.unlink()
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    text = " ".join(result.stdout.decode().split())
    assert "Action tracker exceptions" in text
    assert "Spotlight: the reparation project" in text
    assert "The board agreed the custody audit." in text
    for key in sorted(k for k in registry.blocks if k.startswith("actions.")):
        assert registry.blocks[key].title in text, key
