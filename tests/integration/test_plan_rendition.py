"""The demo plans render to PDF through a real Celery worker on Redis; the signed PDF verifies by its SHA-256."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.integration.conftest import wait_for
from yjplan.models import DocumentJob, Membership, Plan
from yjplan.plans import services

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]

KEY_AREAS = [
    "Structure and governance",
    "Partnership arrangements",
    "Resourcing and value for money",
    "Risks to future delivery",
]


def text_of(job: DocumentJob) -> str:
    with job.file.open("rb") as handle:
        data = handle.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def done(job_id: int) -> DocumentJob:
    job = wait_for(lambda: DocumentJob.objects.filter(pk=job_id, status__in=["done", "failed"]).first(), timeout=120)
    assert job is not None, "the worker did not finish the PDF in 2 minutes"
    assert job.status == "done", job.error
    return job


@pytest.mark.django_db(transaction=True)
def test_demo_plans_render_sign_and_verify_through_the_worker(celery_worker, client, settings):
    settings.DEMO_RENDER_PDFS = False
    call_command("seed_demo", force=True, verbosity=0)
    for slug, figures in {
        "cambs-peterborough": ["£3,286,812", "£1,816,514", "£1,062,386", "185"],
        "warwickshire": ["£2,493,798", "£1,826,448", "£667,350", "27.3"],
    }.items():
        plan = Plan.objects.get(partnership__slug=slug)
        rendition = services.rendition_request(plan=plan, requested_by=None)
        job = done(rendition.job_id)
        text = text_of(job)
        for heading in KEY_AREAS:
            assert heading in text, f"{slug}: {heading} missing"
        for figure in figures:
            assert figure in text, f"{slug}: {figure} missing from the PDF"

        chair = Membership.objects.select_related("user").get(partnership=plan.partnership, is_chair=True)
        services.signoff_record(
            rendition=rendition,
            membership=chair,
            full_name=chair.user.full_name,
            role="Chair of the management board",
            organisation=chair.organisation,
            statement="",
        )
        rendition.refresh_from_db()
        signed = done(rendition.signed_job_id)
        signed_text = text_of(signed).replace(" ", "").replace("\n", "")
        assert job.sha256 in signed_text

        client.force_login(chair.user)
        with signed.file.open("rb") as handle:
            upload = SimpleUploadedFile("plan.pdf", handle.read(), content_type="application/pdf")
        page = client.post(reverse("plan_verify", kwargs={"slug": slug}), {"file": upload}).content.decode()
        assert plan.title in page
        assert chair.user.full_name in page
