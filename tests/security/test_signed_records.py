"""Signed renditions and signatures cannot be changed: the models refuse it, and on PostgreSQL so does the database."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import PartnershipFactory, UserFactory
from yjplan.integrity import SignedRecordError
from yjplan.models import DocumentJob, Plan, PlanTemplate, Rendition, Signature


def _job(partnership, title):
    return DocumentJob.objects.create(
        partnership=partnership, kind="yjplan.plan", state_key="0" * 64, title=title, status="done", sha256="a" * 64
    )


@pytest.fixture
def rendition(db):
    partnership = PartnershipFactory()
    template = PlanTemplate.objects.create(key="t", name="Template", in_use_from=2019)
    plan = Plan.objects.create(
        partnership=partnership,
        title="Plan 2019/20",
        first_year=2019,
        last_year=2019,
        template=template,
        due_date="2019-06-30",
    )
    return Rendition.objects.create(
        plan=plan,
        number=1,
        plan_version=1,
        content_revision=3,
        state_hash="b" * 64,
        snapshot={"sections": [{"title": "Foreword", "body": "<p>As signed.</p>"}]},
        job=_job(partnership, "Plan, rendition 1"),
    )


@pytest.fixture
def signature(rendition):
    user = UserFactory(full_name="Helen Brook")
    return Signature.objects.create(
        rendition=rendition,
        user=user,
        full_name="Helen Brook",
        role="Chair",
        organisation="Constabulary",
        statement="I sign.",
    )


def test_an_unsigned_rendition_may_still_change_and_go(rendition):
    rendition.content_revision = 4
    rendition.save()
    rendition.delete()
    assert not Rendition.objects.exists()


def test_a_signed_rendition_refuses_changes_in_code(rendition, signature):
    rendition.refresh_from_db()
    rendition.snapshot = {"sections": [{"title": "Foreword", "body": "<p>Rewritten.</p>"}]}
    with pytest.raises(SignedRecordError, match="snapshot cannot change"):
        rendition.save()
    rendition.refresh_from_db()
    rendition.content_revision = 9
    with pytest.raises(SignedRecordError, match="content_revision cannot change"):
        rendition.save(update_fields=["content_revision"])
    with pytest.raises(SignedRecordError, match="cannot be deleted"):
        rendition.delete()
    assert Rendition.objects.get(pk=rendition.pk).snapshot["sections"][0]["body"] == "<p>As signed.</p>"


def test_a_signed_rendition_still_takes_its_next_signed_document(rendition, signature):
    rendition.refresh_from_db()
    rendition.signed_job = _job(rendition.plan.partnership, "Plan, signed")
    rendition.save(update_fields=["signed_job"])
    rendition.signed_job = _job(rendition.plan.partnership, "Plan, signed again")
    rendition.save()
    assert Rendition.objects.get(pk=rendition.pk).signed_job.title == "Plan, signed again"


def test_a_signature_refuses_changes_in_code(signature):
    signature.statement = "I did not sign."
    with pytest.raises(SignedRecordError, match="cannot be changed"):
        signature.save()
    with pytest.raises(SignedRecordError, match="cannot be deleted"):
        signature.delete()
    with pytest.raises(SignedRecordError, match="cannot be changed"):
        Signature.objects.filter(pk=signature.pk).update(statement="I did not sign.")
    with pytest.raises(SignedRecordError, match="cannot be deleted"):
        Signature.objects.all().delete()
    assert Signature.objects.get().statement == "I sign."


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.fail("The database guards are PostgreSQL's: run the suite with DATABASE_URL set to PostgreSQL")


def test_postgresql_refuses_raw_sql_changes_to_a_signed_rendition(postgresql, rendition, signature):
    with pytest.raises(IntegrityError, match="is signed: only its signed document may change"):
        _raw("UPDATE yjplan_rendition SET snapshot = '{}'::jsonb WHERE id = %s", [rendition.pk])
    with pytest.raises(IntegrityError, match="is signed: only its signed document may change"):
        _raw("UPDATE yjplan_rendition SET state_hash = %s WHERE id = %s", ["c" * 64, rendition.pk])
    with pytest.raises(IntegrityError, match="is signed: it cannot be deleted"):
        _raw("DELETE FROM yjplan_signature WHERE false; DELETE FROM yjplan_rendition WHERE id = %s", [rendition.pk])
    other = UserFactory()
    with pytest.raises(IntegrityError, match="only its signed document may change"):
        _raw("UPDATE yjplan_rendition SET requested_by_id = %s WHERE id = %s", [other.pk, rendition.pk])
    with pytest.raises(IntegrityError, match="only its signed document may change"), transaction.atomic():
        Rendition.objects.filter(pk=rendition.pk).update(content_revision=99)
    assert Rendition.objects.get(pk=rendition.pk).state_hash == "b" * 64


def test_postgresql_lets_the_signed_document_move_on(postgresql, rendition, signature):
    job = _job(rendition.plan.partnership, "Plan, signed")
    _raw("UPDATE yjplan_rendition SET signed_job_id = %s, requested_by_id = NULL WHERE id = %s", [job.pk, rendition.pk])
    assert Rendition.objects.get(pk=rendition.pk).signed_job_id == job.pk


def test_postgresql_refuses_raw_sql_changes_to_a_signature(postgresql, signature):
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"):
        _raw("UPDATE yjplan_signature SET statement = 'forged' WHERE id = %s", [signature.pk])
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"):
        _raw("DELETE FROM yjplan_signature WHERE id = %s", [signature.pk])
    assert Signature.objects.get().statement == "I sign."
