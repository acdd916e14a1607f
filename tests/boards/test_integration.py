"""A meeting pack made by a real Celery worker on Redis: its text holds the agenda, the last minutes and
every registered tracker (``actions.*``) block."""

import subprocess

import pytest

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
    # the worker shares this test's media folder (tests/integration/conftest.py)
    with done.file.open("rb") as handle:
        pdf = handle.read()
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    text = " ".join(result.stdout.decode().split())
    assert "Action tracker exceptions" in text
    assert "Spotlight: the reparation project" in text
    assert "The board agreed the custody audit." in text
    for key in sorted(k for k in registry.blocks if k.startswith("actions.")):
        assert registry.blocks[key].title in text, key
