"""The plan's life: template → sections with revisions → review → approval → rendition → signatures →
submission → adoption → publication → amendment. Stale renditions and conflicting saves lose nothing."""

import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.factories import PartnershipFactory, PopulationFactory, UserFactory, member
from yjplan.documents import document_render
from yjplan.models import DocumentJob, Plan, PlanStatus, PlanTemplate, SectionRevision
from yjplan.permissions import Role
from yjplan.plans import content, services

KEY_AREAS = [
    "Structure and governance",
    "Partnership arrangements",
    "Resourcing and value for money",
    "Risks to future delivery",
]


def pdftotext(job: DocumentJob) -> str:
    job.file.open("rb")
    data = job.file.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def templates(db):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    return PlanTemplate.objects.get(key="yjb-four-key-areas")


@pytest.fixture
def world(templates):
    partnership = PartnershipFactory(
        name="Cambridgeshire and Peterborough YOS",
        councils=["Cambridgeshire County Council", "Peterborough City Council"],
    )
    PopulationFactory(partnership=partnership, year=2019, population_10_17=83600)
    manager = member(partnership, Role.MANAGER, user=UserFactory(full_name="Sam Whitfield"))
    chair = member(
        partnership,
        Role.CHAIR,
        user=UserFactory(full_name="Helen Brook"),
        job_title="Assistant Chief Constable",
        organisation="Cambridgeshire Constabulary",
    )
    board = member(partnership, Role.BOARD, user=UserFactory(full_name="Gareth Lyle"), organisation="Probation")
    plan = services.plan_create(
        partnership=partnership,
        template=templates,
        title="Cambridgeshire and Peterborough Youth Justice Plan",
        first_year=2019,
        last_year=2021,
        created_by=manager.user,
    )
    return {"partnership": partnership, "manager": manager, "chair": chair, "board": board, "plan": plan}


def write_all(plan, author):
    for section in plan.sections.all():
        section.refresh_from_db()
        body = section.body + f"<p>Our own words about {section.title.lower()}.</p>"
        if section.position == 1:
            body += '<div data-block="nowhere.missing_table" data-options="{}"></div>'
        services.section_save(
            section=section, title=section.title, body=body, base_revision=section.revision, author=author
        )


def test_a_plan_starts_from_its_template(world):
    plan = world["plan"]
    sections = list(plan.sections.all())
    assert [s.title for s in sections][:3] == [
        "Chair's foreword",
        "Vision and strategic objectives",
        "Structure and governance",
    ]
    assert len(sections) == 10
    assert sorted(s.title for s in sections if s.mandatory) == sorted(KEY_AREAS)
    assert plan.due_date == date(2019, 6, 30)
    assert plan.period_label == "2019–2022"
    resourcing = plan.sections.get(key_area="resourcing")
    assert [m.key for m in content.markers(resourcing.body)] == [
        "budgets.contributions_table",
        "budgets.year_on_year",
        "budgets.value_for_money",
    ]
    assert SectionRevision.objects.filter(section__plan=plan).count() == 10


def test_every_save_is_a_sanitised_revision_and_restorable(world):
    section = world["plan"].sections.get(position=1)
    author = world["manager"].user
    saved = services.section_save(
        section=section,
        title="Chair's foreword",
        body=(
            '<p onclick="x()">Our year</p><script>alert(1)</script>'
            '<div data-block="yjplan.partnership_summary" data-options="{}"></div>'
        ),
        base_revision=1,
        author=author,
    )
    assert saved.revision == 2
    assert saved.body == '<p>Our year</p><div data-block="yjplan.partnership_summary" data-options="{}"></div>'
    services.section_save(section=saved, title="Foreword", body="<p>Changed</p>", base_revision=2, author=author)
    restored = services.section_restore(section=saved, number=2, author=author)
    assert restored.revision == 4
    assert restored.title == "Chair's foreword"
    assert restored.body == saved.body
    assert list(restored.revisions.values_list("number", "note")) == [
        (4, "Restored revision 2"),
        (3, ""),
        (2, ""),
        (1, "From the template"),
    ]


def test_a_stale_save_raises_a_conflict_with_theirs_yours_and_the_original(world):
    section = world["plan"].sections.get(position=2)
    services.section_save(
        section=section, title=section.title, body="<p>Theirs</p>", base_revision=1, author=world["chair"].user
    )
    with pytest.raises(services.SectionConflict) as conflict:
        services.section_save(
            section=section, title=section.title, body="<p>Mine</p>", base_revision=1, author=world["manager"].user
        )
    assert conflict.value.original.body == ""
    assert conflict.value.theirs.body == "<p>Theirs</p>"
    assert conflict.value.yours_body == "<p>Mine</p>"
    section.refresh_from_db()
    assert section.body == "<p>Theirs</p>"
    assert section.revision == 2


def test_approval_needs_the_four_key_areas_written(world):
    plan = world["plan"]
    with pytest.raises(ValidationError) as error:
        services.plan_approve(plan=plan, by=world["chair"].user, minute="YJMB 12 June 2019, item 4")
    assert "Write the mandatory sections first: Structure and governance, Partnership arrangements" in str(error.value)
    write_all(plan, world["manager"].user)
    approved = services.plan_approve(plan=plan, by=world["chair"].user, minute="YJMB 12 June 2019, item 4")
    assert approved.status == PlanStatus.APPROVED


def test_rendition_pdf_signature_and_staleness(world, django_capture_on_commit_callbacks):
    plan = world["plan"]
    write_all(plan, world["manager"].user)
    services.plan_approve(plan=plan, by=world["chair"].user, minute="YJMB 12 June 2019")
    rendition = services.rendition_request(plan=plan, requested_by=world["manager"].user)
    assert services.rendition_request(plan=plan, requested_by=world["manager"].user).pk == rendition.pk
    job = document_render(job_id=rendition.job_id)
    assert job.status == DocumentJob.Status.DONE, job.error
    text = pdftotext(job)
    for heading in KEY_AREAS:
        assert heading in text
    assert "Contents" in text
    assert "Cambridgeshire and Peterborough Youth Justice Plan" in text
    # blocks not yet available in this service are left out with a note, never a crash
    assert "is not available in this service yet" in text

    signature = services.signoff_record(
        rendition=rendition,
        membership=world["chair"],
        full_name="Helen Brook",
        role="Chair, Youth Justice Management Board",
        organisation="Cambridgeshire Constabulary",
        statement="",
    )
    assert signature.statement == services.DEFAULT_STATEMENT
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED
    rendition.refresh_from_db()
    signed = document_render(job_id=rendition.signed_job_id)
    signed_text = pdftotext(signed)
    assert rendition.job.sha256 in signed_text.replace(" ", "").replace("\n", "")
    assert "Helen Brook, Chair, Youth Justice Management Board, Cambridgeshire Constabulary" in signed_text

    # a board member not asked to sign is refused; once asked, they sign the same rendition
    with pytest.raises(ValidationError, match="Only the chair and the statutory partners asked to sign"):
        services.signoff_record(
            rendition=rendition,
            membership=world["board"],
            full_name="Gareth Lyle",
            role="Head",
            organisation="Probation",
            statement="",
        )
    services.signature_request_set(plan=plan, memberships=[world["board"]])
    services.signoff_record(
        rendition=rendition,
        membership=world["board"],
        full_name="gareth lyle",
        role="Head",
        organisation="Probation",
        statement="",
    )
    assert rendition.signatures.count() == 2

    # any change afterwards needs an amendment; after it the rendition and its signatures are stale
    section = plan.sections.get(position=1)
    with pytest.raises(ValidationError, match="This plan is signed: start an amendment"):
        services.section_save(
            section=section, title="X", body="<p>late</p>", base_revision=section.revision, author=world["manager"].user
        )
    services.plan_amend(plan=plan, reason="New PCC funding announced in September")
    rendition.refresh_from_db()
    assert rendition.is_stale is True
    with pytest.raises(ValidationError, match="The plan has changed since this rendition was made"):
        services.signoff_record(
            rendition=rendition,
            membership=world["chair"],
            full_name="Helen Brook",
            role="Chair",
            organisation="Police",
            statement="",
        )


def test_signing_needs_the_typed_name_to_match(world):
    plan = world["plan"]
    write_all(plan, world["manager"].user)
    services.plan_approve(plan=plan, by=world["chair"].user, minute="YJMB")
    rendition = services.rendition_request(plan=plan, requested_by=None)
    document_render(job_id=rendition.job_id)
    with pytest.raises(ValidationError) as error:
        services.signoff_record(
            rendition=rendition,
            membership=world["chair"],
            full_name="H Brook",
            role="",
            organisation="Police",
            statement="",
        )
    assert error.value.message_dict == {
        "role": ["Enter your role"],
        "full_name": ["Type your full name as it is on your account: Helen Brook"],
    }


def test_submission_adoption_by_each_council_and_publication(world):
    plan = world["plan"]
    write_all(plan, world["manager"].user)
    services.plan_approve(plan=plan, by=world["chair"].user, minute="YJMB")
    rendition = services.rendition_request(plan=plan, requested_by=None)
    document_render(job_id=rendition.job_id)
    with pytest.raises(ValidationError, match="needs a current rendition signed by the chair"):
        services.submission_record(plan=plan, submitted_on=date(2019, 6, 28), feedback="", by=world["manager"].user)
    services.signoff_record(
        rendition=rendition,
        membership=world["chair"],
        full_name="Helen Brook",
        role="Chair",
        organisation="Police",
        statement="",
    )
    services.submission_record(plan=plan, submitted_on=date(2019, 6, 28), feedback="Received", by=world["manager"].user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    cambs, peterborough = world["partnership"].local_authorities.order_by("position")
    services.adoption_record(
        plan=plan, council=cambs, body="Full Council", adopted_on=date(2019, 7, 16), reference="Item 9", by=None
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError, match="Cambridgeshire County Council has already adopted this version"):
        services.adoption_record(
            plan=plan, council=cambs, body="Cabinet", adopted_on=date(2019, 7, 16), reference="", by=None
        )
    services.adoption_record(
        plan=plan, council=peterborough, body="Cabinet", adopted_on=date(2019, 7, 22), reference="", by=None
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    rendition.refresh_from_db()
    with pytest.raises(ValidationError, match="The signed PDF is still being made"):
        services.plan_publish(plan=plan)
    document_render(job_id=rendition.signed_job_id)
    published = services.plan_publish(plan=plan)
    assert published.status == PlanStatus.PUBLISHED
    assert published.public_slug == "cambridgeshire-and-peterborough-youth-justice-plan-2019-2022"
    assert published.published_rendition_id == rendition.pk


def test_sections_can_be_added_moved_and_local_ones_removed(world):
    plan = world["plan"]
    author = world["manager"].user
    local = services.section_add(plan=plan, title="Feedback from children", author=author)
    assert local.position == 11
    services.section_move(section=local, direction="up")
    titles = list(Plan.objects.get(pk=plan.pk).sections.values_list("title", flat=True))
    assert titles[-2:] == ["Feedback from children", "Approval"]
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.section_delete(section=plan.sections.get(position=1))
    services.section_delete(section=local)
    assert plan.sections.count() == 10
    assert Plan.objects.get(pk=plan.pk).content_revision == 3


def test_every_step_of_the_sign_off_chain_is_in_the_plans_history(world):
    plan, manager, chair = world["plan"], world["manager"], world["chair"]
    write_all(plan, manager.user)
    services.review_request(plan=plan, reviewers=[world["board"]], message="Please read", requested_by=manager.user)
    services.plan_approve(plan=plan, by=chair.user, minute="YJMB")
    section = plan.sections.get(position=1)
    services.section_save(
        section=section,
        title=section.title,
        body="<p>Changed after approval.</p>",
        base_revision=section.revision,
        author=manager.user,
    )
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.approved_at) == (PlanStatus.IN_REVIEW, None, None)
    services.plan_approve(plan=plan, by=chair.user, minute="YJMB again")
    rendition = services.rendition_request(plan=plan, requested_by=None)
    document_render(job_id=rendition.job_id)
    services.signoff_record(
        rendition=rendition,
        membership=chair,
        full_name="Helen Brook",
        role="Chair",
        organisation="Police",
        statement="",
    )
    services.submission_record(plan=plan, submitted_on=date(2019, 6, 28), feedback="", by=manager.user)
    cambs, peterborough = world["partnership"].local_authorities.order_by("position")
    for council in (cambs, peterborough):
        services.adoption_record(
            plan=plan, council=council, body="Cabinet", adopted_on=date(2019, 7, 9), reference="", by=None
        )
    steps = []
    for record in plan.history.order_by("history_date", "history_id"):
        if not steps or steps[-1] != record.status:
            steps.append(record.status)
    assert steps == ["draft", "in_review", "approved", "in_review", "approved", "signed", "submitted", "adopted"]
    withdrawn = plan.history.filter(status="in_review", approval_minute="").order_by("history_date").last()
    assert withdrawn.approved_by_id is None
