"""PDF documents: request (reusing a job for the same state), render, fail visibly, sweep stuck jobs."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PartnershipFactory, PopulationFactory, member
from yjplan import documents
from yjplan.models import DocumentJob
from yjplan.pdf import render_pdf, sha256
from yjplan.permissions import Role
from yjplan.registry import DocumentKind, registry


def pdftotext(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def leicester(db):
    partnership = PartnershipFactory(name="Leicester Youth Justice Service", councils=["Leicester City Council"])
    PopulationFactory(partnership=partnership, year=2022, population_10_17=37400)
    return partnership


def pdfinfo(data: bytes) -> dict:
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def test_render_pdf_makes_a_tagged_pdf_with_the_text():
    pdf, pages = render_pdf(
        "<html lang='en-GB'><head><title>T</title></head><body><h1>Review of the plan</h1>"
        "<p style='break-before: page'>Second page</p></body></html>"
    )
    assert pdf.startswith(b"%PDF-")
    info = {k: v.strip() for k, v in pdfinfo(pdf).items()}
    assert info["Tagged"] == "yes"
    assert info["Pages"] == "2"
    assert info["Title"] == "T"
    assert pages == 2
    text = pdftotext(pdf)
    assert "Review of the plan" in text
    assert "Second page" in text


def test_request_render_and_reuse_for_the_same_state(leicester):
    job = documents.document_request(partnership=leicester, kind="yjplan.partnership_summary")
    assert job.status == DocumentJob.Status.QUEUED
    assert job.title == "Leicester Youth Justice Service: partnership summary"
    again = documents.document_request(partnership=leicester, kind="yjplan.partnership_summary")
    assert again.pk == job.pk

    done = documents.document_render(job_id=job.pk)
    assert done.status == DocumentJob.Status.DONE
    data = done.file.read()
    assert done.sha256 == sha256(data)
    assert done.size_bytes == len(data)
    assert done.pages == 1
    assert done.attempts == 1
    text = pdftotext(data)
    assert "Leicester City Council" in text
    assert "37,400 (2022)" in text
    assert "Page 1 of 1" in text
    # rendering again is a no-op (idempotent task)
    assert documents.document_render(job_id=job.pk).sha256 == done.sha256

    # a change to the records is a new state, so a new job
    PopulationFactory(partnership=leicester, year=2023, population_10_17=38100)
    newer = documents.document_request(partnership=leicester, kind="yjplan.partnership_summary")
    assert newer.pk != job.pk


@pytest.fixture
def broken_kind():
    def build(job):
        raise ValueError("bad markup in block actions.action_plan")

    kind = registry.register_document(
        DocumentKind(key="tests.broken", title=lambda p, params: "Broken", state=lambda p, params: "s", build=build)
    )
    yield kind
    registry.unregister("tests.broken")


def test_a_failed_render_shows_why_and_keeps_earlier_documents(leicester, broken_kind):
    good = documents.document_render(
        job_id=documents.document_request(partnership=leicester, kind="yjplan.partnership_summary").pk
    )
    failed = documents.document_render(job_id=documents.document_request(partnership=leicester, kind="tests.broken").pk)
    assert failed.status == DocumentJob.Status.FAILED
    assert failed.error == "ValueError: bad markup in block actions.action_plan"
    good.refresh_from_db()
    assert good.status == DocumentJob.Status.DONE
    # a failed job is not reused: asking again makes a fresh attempt
    retry = documents.document_request(partnership=leicester, kind="tests.broken")
    assert retry.pk != failed.pk


def test_sweeper_requeues_jobs_whose_worker_died_and_fails_them_after_three_attempts(leicester):
    job = documents.document_request(partnership=leicester, kind="yjplan.partnership_summary")
    past = timezone.now() - timedelta(minutes=1)
    DocumentJob.objects.filter(pk=job.pk).update(status="rendering", deadline=past, attempts=1)
    result = documents.documents_sweep()
    job.refresh_from_db()
    assert result["requeued"] == [job.pk]
    assert job.status == DocumentJob.Status.QUEUED
    assert job.error == "The renderer stopped before finishing; trying again."

    DocumentJob.objects.filter(pk=job.pk).update(status="rendering", deadline=past, attempts=3)
    result = documents.documents_sweep()
    job.refresh_from_db()
    assert result == {"requeued": [], "failed": [job.pk]}
    assert job.status == DocumentJob.Status.FAILED
    assert job.error == "The renderer stopped 3 times without finishing (worker lost)."


def test_jobs_queued_too_long_are_sent_to_the_queue_again(leicester):
    job = documents.document_request(partnership=leicester, kind="yjplan.partnership_summary")
    DocumentJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - timedelta(minutes=5))
    assert documents.documents_sweep()["requeued"] == [job.pk]


def test_request_progress_and_download_in_the_browser_flow(client, leicester, django_capture_on_commit_callbacks):
    client.force_login(member(leicester, Role.VIEWER).user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("document_request", kwargs={"slug": leicester.slug, "kind": "yjplan.partnership_summary"})
        )
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("document_detail", kwargs={"slug": leicester.slug, "pk": job.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Ready" in page
    assert "1 page," in page
    assert job.sha256 in page
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="document-status"')
    download = client.get(reverse("document_download", kwargs={"slug": leicester.slug, "pk": job.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="Leicester Youth Justice Service - partnership summary.pdf"' in download["Content-Disposition"]
    assert sha256(b"".join(download.streaming_content)) == job.sha256


def test_queued_document_page_polls_and_unknown_kinds_are_404(client, leicester):
    client.force_login(member(leicester, Role.MANAGER).user)
    job = documents.document_request(partnership=leicester, kind="yjplan.partnership_summary")
    html = client.get(reverse("document_detail", kwargs={"slug": leicester.slug, "pk": job.pk})).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "The PDF is being made." in html
    assert client.get(reverse("document_download", kwargs={"slug": leicester.slug, "pk": job.pk})).status_code == 404
    bad = client.post(reverse("document_request", kwargs={"slug": leicester.slug, "kind": "nope.nothing"}))
    assert bad.status_code == 404


def test_another_partnership_s_document_is_404(client, leicester):
    job = documents.document_render(
        job_id=documents.document_request(partnership=leicester, kind="yjplan.partnership_summary").pk
    )
    other = PartnershipFactory()
    client.force_login(member(other, Role.MANAGER).user)
    for name in ("document_detail", "document_download"):
        assert client.get(reverse(name, kwargs={"slug": other.slug, "pk": job.pk})).status_code == 404
