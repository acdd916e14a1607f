"""E-mail leaves through a real Celery worker on Redis, after the transaction that asked for it commits."""

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory, UserFactory, member
from tests.integration.conftest import wait_for
from yjplan.permissions import Role

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("integration")]


@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_sent_by_the_worker(client, celery_worker):
    queue, mail_dir = celery_worker
    partnership = PartnershipFactory(name="Northshire Youth Justice Service")
    client.force_login(member(partnership, Role.ADMIN, user=UserFactory(full_name="Ada Admin")).user)

    response = client.post(
        reverse("member_add", kwargs={"slug": partnership.slug}),
        {"email": "worker.test@northshire.gov.uk", "full_name": "Wendy Worker", "roles": ["board"]},
    )
    assert response.status_code == 302

    def sent():
        return [p.read_text() for p in mail_dir.iterdir() if "worker.test@northshire.gov.uk" in p.read_text()]

    messages = wait_for(sent)
    assert len(messages) == 1, "the worker did not send the invitation"
    text = messages[0]
    assert "Subject: You have been added to Northshire Youth Justice Service" in text
    assert "Ada Admin has added you to Northshire Youth Justice Service" in text
    assert "/accounts/reset/" in text


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(celery_worker):
    from django.db import transaction

    from yjplan import services

    queue, mail_dir = celery_worker
    partnership = PartnershipFactory()

    def failing_request():
        with transaction.atomic():
            services.membership_add(
                partnership=partnership, email="rolled.back@northshire.gov.uk", full_name="R B", roles=["viewer"]
            )
            raise RuntimeError("the request failed after the service ran")

    with pytest.raises(RuntimeError, match="the request failed"):
        failing_request()
    # a marker task proves the worker has drained the queue before we look
    services.email_send(to=["marker@northshire.gov.uk"], subject="marker", body="marker")
    assert wait_for(lambda: any("marker@northshire.gov.uk" in p.read_text() for p in mail_dir.iterdir()))
    assert not any("rolled.back@northshire.gov.uk" in p.read_text() for p in mail_dir.iterdir())
    assert not partnership.memberships.exists()


@pytest.mark.django_db(transaction=True)
def test_a_pdf_is_rendered_by_the_worker(celery_worker):
    from yjplan import documents
    from yjplan.models import DocumentJob

    partnership = PartnershipFactory(
        name="Warwickshire Youth Justice Service", councils=["Warwickshire County Council"]
    )
    job = documents.document_request(partnership=partnership, kind="yjplan.partnership_summary")
    done = wait_for(lambda: DocumentJob.objects.filter(pk=job.pk, status="done").first(), timeout=60)
    assert done is not None, DocumentJob.objects.get(pk=job.pk).error
    assert done.pages == 1
    assert done.attempts == 1
    assert len(done.sha256) == 64
