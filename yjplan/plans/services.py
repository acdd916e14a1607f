"""Every write to a plan: create from a template, save sections (revisions, conflicts, drafts), review,
approval, renditions, sign-off, submission, adoption, publication and amendment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from yjplan.cache import partnership_changed
from yjplan.documents import document_create
from yjplan.models import (
    Adoption,
    Comment,
    DocumentJob,
    Membership,
    Partnership,
    Plan,
    PlanSection,
    PlanStatus,
    PlanTemplate,
    Rendition,
    ReviewRequest,
    SectionDraft,
    SectionRevision,
    Signature,
    SignatureRequest,
    Submission,
    User,
)
from yjplan.plans import content
from yjplan.registry import registry
from yjplan.richtext import sanitise
from yjplan.services import email_send

LOCKED = {PlanStatus.SIGNED, PlanStatus.SUBMITTED, PlanStatus.ADOPTED, PlanStatus.PUBLISHED}
APPROVABLE = {PlanStatus.DRAFT, PlanStatus.IN_REVIEW}
SIGNABLE = {PlanStatus.APPROVED, PlanStatus.SIGNED}
PUBLISHABLE = {PlanStatus.ADOPTED, PlanStatus.PUBLISHED}
ALREADY_SIGNED = "You have already signed this rendition"
DEFAULT_STATEMENT = (
    "I confirm that the management board has approved this Youth Justice Plan and I sign it on behalf of the "
    "partnership."
)


@dataclass
class SectionConflict(Exception):
    """The section was saved by someone else after this editor opened it: nothing was written."""

    section: PlanSection
    original: SectionRevision | None
    theirs: SectionRevision
    yours_title: str
    yours_body: str


def _editable(plan: Plan) -> None:
    if plan.status in LOCKED:
        raise ValidationError(
            f"This plan is {plan.get_status_display().lower()}: start an amendment to change it "
            "(the signed version is kept)"
        )


def _touch(plan: Plan) -> None:
    """Any change to the plan's content makes existing renditions (and their signatures) stale."""
    Plan.objects.filter(pk=plan.pk).update(content_revision=F("content_revision") + 1, updated_at=timezone.now())
    partnership_changed(plan.partnership_id)  # QuerySet.update sends no signals
    # an approval covers the text the board saw: a later change sends the plan back to board review
    current = Plan.objects.get(pk=plan.pk)
    if current.status == PlanStatus.APPROVED:
        _move(current, PlanStatus.IN_REVIEW, approved_at=None, approved_by=None, approval_minute="")


def _move(plan: Plan, status: str, **fields) -> None:
    """Change the plan's status with ``save``, so that its history records the step and who took it (a
    ``QuerySet.update`` leaves no trace in the audit trail). Only the named fields are written."""
    plan.status = status
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save(update_fields=["status", *fields])


@transaction.atomic
def plan_create(
    *,
    partnership: Partnership,
    template: PlanTemplate,
    title: str,
    first_year: int,
    last_year: int,
    due_date: date | None = None,
    update_of: Plan | None = None,
    created_by: User | None = None,
) -> Plan:
    if last_year < first_year:
        raise ValidationError({"last_year": "The last year must be the same as or after the first year"})
    if update_of is not None and update_of.partnership_id != partnership.pk:
        raise ValidationError({"update_of": "Choose a plan of this partnership"})
    plan = Plan.objects.create(
        partnership=partnership,
        template=template,
        title=title.strip(),
        first_year=first_year,
        last_year=last_year,
        due_date=due_date or Plan.default_due_date(first_year),
        update_of=update_of,
    )
    for heading in template.headings.order_by("position"):
        body = "".join(content.marker_html(key) for key in heading.suggested_blocks)
        section = PlanSection.objects.create(
            plan=plan,
            heading=heading,
            position=heading.position,
            title=heading.title,
            guidance=heading.guidance,
            mandatory=heading.mandatory,
            key_area=heading.key_area,
            body=body,
            revision=1,
            updated_by=created_by,
        )
        SectionRevision.objects.create(
            section=section, number=1, title=section.title, body=body, author=created_by, note="From the template"
        )
    return plan


@transaction.atomic
def plan_details_update(*, plan: Plan, title: str, due_date: date) -> Plan:
    """The plan's title and its date due to the YJB (30 June of the first year unless changed here)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(plan)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter a title for the plan"})
    if (title, due_date) == (plan.title, plan.due_date):
        return plan
    plan.title, plan.due_date = title, due_date
    plan.save(update_fields=["title", "due_date", "updated_at"])
    _touch(plan)
    return plan


@transaction.atomic
def section_save(
    *, section: PlanSection, title: str, body: str, base_revision: int, author: User, note: str = ""
) -> PlanSection:
    section = PlanSection.objects.select_for_update().select_related("plan").get(pk=section.pk)
    _editable(section.plan)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter a heading for the section"})
    clean = sanitise(body, allow_blocks=True)
    if section.revision != base_revision:
        revisions = {r.number: r for r in section.revisions.filter(number__in=[base_revision, section.revision])}
        raise SectionConflict(
            section=section,
            original=revisions.get(base_revision),
            theirs=revisions[section.revision],
            yours_title=title,
            yours_body=clean,
        )
    if clean == section.body and title == section.title:
        return section
    section.revision += 1
    section.title = title
    section.body = clean
    section.updated_by = author
    section.save()
    SectionRevision.objects.create(
        section=section, number=section.revision, title=title, body=clean, author=author, note=note
    )
    SectionDraft.objects.filter(section=section, author=author).delete()
    _touch(section.plan)
    return section


@transaction.atomic
def block_options_set(
    *, section: PlanSection, index: int, options: dict, base_revision: int, author: User
) -> PlanSection:
    """Change the options of the section's ``index``-th block marker, saved as a new revision."""
    section = PlanSection.objects.select_for_update().get(pk=section.pk)
    if section.revision != base_revision:
        raise ValidationError(
            {"base_revision": "Someone saved this section since you opened this page: check the table and choose again"}
        )
    found = content.markers(section.body)
    if not 0 <= index < len(found):
        raise ValidationError({"base_revision": "This table is no longer in the section"})
    body = content.replace_marker(section.body, index, content.marker_html(found[index].key, options))
    return section_save(
        section=section,
        title=section.title,
        body=body,
        base_revision=base_revision,
        author=author,
        note=f"Options of “{found[index].key}” changed",
    )


def section_restore(*, section: PlanSection, number: int, author: User) -> PlanSection:
    section = PlanSection.objects.get(pk=section.pk)
    revision = section.revisions.filter(number=number).first()
    if revision is None:
        raise ValidationError("There is no such revision")
    return section_save(
        section=section,
        title=revision.title,
        body=revision.body,
        base_revision=section.revision,
        author=author,
        note=f"Restored revision {number}",
    )


@transaction.atomic
def draft_autosave(*, section: PlanSection, author: User, title: str, body: str, base_revision: int) -> SectionDraft:
    draft, _ = SectionDraft.objects.update_or_create(
        section=section,
        author=author,
        defaults={
            "title": title[:200],
            "body": sanitise(body, allow_blocks=True),
            "base_revision": base_revision,
            "saved_at": timezone.now(),
        },
    )
    return draft


@transaction.atomic
def section_add(*, plan: Plan, title: str, author: User) -> PlanSection:
    _editable(plan)
    if not title.strip():
        raise ValidationError({"title": "Enter a heading for the section"})
    position = (plan.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = PlanSection.objects.create(
        plan=plan, position=position, title=title.strip(), revision=1, updated_by=author
    )
    SectionRevision.objects.create(section=section, number=1, title=section.title, body="", author=author)
    _touch(plan)
    return section


@transaction.atomic
def section_move(*, section: PlanSection, direction: str) -> None:
    plan = Plan.objects.select_for_update().get(pk=section.plan_id)
    _editable(plan)
    ordered = list(plan.sections.order_by("position", "pk"))
    index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, 1):
        if item.position != position:
            PlanSection.objects.filter(pk=item.pk).update(position=position)
    _touch(plan)


@transaction.atomic
def section_delete(*, section: PlanSection) -> None:
    _editable(section.plan)
    if section.heading_id is not None:
        raise ValidationError("Sections from the YJB's template cannot be removed; leave it empty instead")
    plan = section.plan
    section.delete()
    _touch(plan)


@transaction.atomic
def comment_add(*, section: PlanSection, author: User, text: str, reply_to: Comment | None = None) -> Comment:
    if not text.strip():
        raise ValidationError({"text": "Enter a comment"})
    if reply_to is not None and reply_to.section_id != section.pk:
        raise ValidationError({"text": "Reply to a comment on this section"})
    root = reply_to.reply_to if reply_to is not None and reply_to.reply_to_id else reply_to
    return Comment.objects.create(section=section, author=author, text=text.strip(), reply_to=root)


@transaction.atomic
def comment_resolve(*, comment: Comment, by: User, resolved: bool) -> Comment:
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = by if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


@transaction.atomic
def review_request(
    *, plan: Plan, reviewers: list[Membership], message: str, requested_by: User, respond_by: date | None = None
) -> ReviewRequest:
    if not reviewers:
        raise ValidationError({"reviewers": "Choose at least one board member"})
    request = ReviewRequest.objects.create(plan=plan, requested_by=requested_by, message=message, respond_by=respond_by)
    request.reviewers.set(reviewers)
    if plan.status == PlanStatus.DRAFT:
        _move(Plan.objects.get(pk=plan.pk), PlanStatus.IN_REVIEW)
    by = f" by {respond_by:%-d %B %Y}" if respond_by else ""
    for membership in reviewers:
        email_send(
            to=[membership.user.email],
            subject=f"Please review the draft {plan.title}",
            body=(
                f"{requested_by.full_name} asks you to review the draft {plan.title}{by} "
                f"and comment on its sections.\n\n{message}\n\n"
                f"Sign in to the youth justice plan service and open the plan from {plan.partnership.name}."
            ),
        )
    return request


# Why the plan's state refuses a step now ("" when it accepts it): the services below raise these, and the
# pages use them to offer only the steps that apply.


def approval_refusal(plan: Plan) -> str:
    if plan.status not in APPROVABLE:
        return f"The plan is {plan.get_status_display().lower()}: it cannot be approved now"
    return ""


def amendment_refusal(plan: Plan) -> str:
    if plan.status not in LOCKED:
        return "Only a signed plan needs an amendment: edit the draft instead"
    return ""


def signing_refusal(rendition: Rendition, *, already_signed: bool = False) -> str:
    """Whether this rendition can be signed now, apart from who signs (``may_sign``). Its ``plan`` and ``job``
    are read."""
    if rendition.is_stale:
        return "The plan has changed since this rendition was made: make a new one and sign that"
    if rendition.job.status != DocumentJob.Status.DONE:
        return "This rendition's PDF is not ready yet: sign it once it is"
    if rendition.plan.status not in SIGNABLE:
        return "The board must approve the plan before it is signed"
    if already_signed:
        return ALREADY_SIGNED
    return ""


def signed_refusal(rendition: Rendition | None) -> str:
    """``rendition`` is the plan's latest rendition signed by the chair (``current_signed_rendition``): what
    submission, adoption and publication need."""
    if rendition is None or rendition.is_stale:
        return "The plan needs a current rendition signed by the chair first"
    return ""


def publication_refusal(plan: Plan, rendition: Rendition | None) -> str:
    """``rendition`` as for ``signed_refusal``, with its ``signed_job``."""
    if plan.status not in PUBLISHABLE:
        return "Only a plan adopted by every constituent council can be published"
    if refusal := signed_refusal(rendition):
        return refusal
    if rendition.signed_job is None or rendition.signed_job.status != DocumentJob.Status.DONE:
        return "The signed PDF is still being made: publish it once it is ready"
    return ""


@transaction.atomic
def plan_approve(*, plan: Plan, by: User, minute: str) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if refusal := approval_refusal(plan):
        raise ValidationError(refusal)
    missing = [s.title for s in plan.sections.all() if s.mandatory and content.word_count(s.body) == 0]
    if missing:
        raise ValidationError({"minute": f"Write the mandatory sections first: {', '.join(missing)}"})
    if not minute.strip():
        raise ValidationError({"minute": "Enter the board meeting's decision or minute reference"})
    plan.status = PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = by
    plan.approval_minute = minute.strip()
    plan.save()
    return plan


@transaction.atomic
def rendition_request(*, plan: Plan, requested_by: User | None) -> Rendition:
    """Freeze the plan and its blocks and queue the PDF. The same state reuses its rendition."""
    plan = Plan.objects.select_for_update().select_related("partnership", "template").get(pk=plan.pk)
    data = content.snapshot(plan)
    digest = content.state_hash(data)
    existing = (
        plan.renditions.select_related("job")
        .filter(state_hash=digest)
        .exclude(job__status=DocumentJob.Status.FAILED)
        .first()
    )
    if existing is not None:
        return existing
    number = (plan.renditions.aggregate(m=Max("number"))["m"] or 0) + 1
    job = document_create(
        partnership=plan.partnership,
        kind="yjplan.plan",
        params={"plan": plan.pk, "number": number},
        state_key=digest,
        title=f"{plan.title}, rendition {number}",
        requested_by=requested_by,
    )
    return Rendition.objects.create(
        plan=plan,
        number=number,
        plan_version=plan.version,
        content_revision=plan.content_revision,
        state_hash=digest,
        snapshot=data,
        job=job,
        requested_by=requested_by,
    )


def may_sign(plan: Plan, membership: Membership) -> bool:
    if membership.is_chair:
        return True
    return SignatureRequest.objects.filter(plan=plan, membership=membership).exists()


@transaction.atomic
def signature_request_set(*, plan: Plan, memberships: list[Membership]) -> None:
    SignatureRequest.objects.filter(plan=plan).exclude(membership__in=memberships).delete()
    for membership in memberships:
        SignatureRequest.objects.get_or_create(plan=plan, membership=membership)


@transaction.atomic
def signoff_record(
    *,
    rendition: Rendition,
    membership: Membership,
    full_name: str,
    role: str,
    organisation: str,
    statement: str,
) -> Signature:
    rendition = Rendition.objects.select_for_update().select_related("plan", "job").get(pk=rendition.pk)
    plan = Plan.objects.select_for_update().get(pk=rendition.plan_id)
    rendition.plan = plan
    if refusal := signing_refusal(rendition):
        raise ValidationError(refusal)
    if not may_sign(plan, membership):
        raise ValidationError("Only the chair and the statutory partners asked to sign can sign this plan")
    if rendition.signatures.filter(user=membership.user).exists():
        raise ValidationError(ALREADY_SIGNED)
    errors = {}
    for field, value in (("full_name", full_name), ("role", role), ("organisation", organisation)):
        if not value.strip():
            errors[field] = {
                "full_name": "Type your full name",
                "role": "Enter your role",
                "organisation": "Enter your organisation",
            }[field]
    if full_name.strip() and full_name.strip().casefold() != membership.user.full_name.strip().casefold():
        errors["full_name"] = f"Type your full name as it is on your account: {membership.user.full_name}"
    if errors:
        raise ValidationError(errors)
    signature = Signature.objects.create(
        rendition=rendition,
        user=membership.user,
        full_name=full_name.strip(),
        role=role.strip(),
        organisation=organisation.strip(),
        statement=statement.strip() or DEFAULT_STATEMENT,
        as_chair=membership.is_chair,
    )
    if membership.is_chair:
        plan.status = PlanStatus.SIGNED
        plan.save(update_fields=["status", "updated_at"])
        _freeze_blocks(rendition)
    _signed_document(rendition, requested_by=membership.user)
    return signature


def _freeze_blocks(rendition: Rendition) -> None:
    """Lock the records a signed rendition shows, through each block's ``freeze`` (e.g. the budget year)."""
    reason = f"Used by {rendition.plan.title}, rendition {rendition.number}, signed by the chair"
    for entry in rendition.snapshot.get("blocks", {}).values():
        block = registry.blocks.get(entry["key"])
        if block is not None and block.freeze is not None and entry["data"] is not None:
            block.freeze(rendition.plan.partnership, entry["data"], reason=reason)


def _signed_document(rendition: Rendition, *, requested_by: User) -> None:
    """The final document: the rendition with a signature page stating its SHA-256 (re-made on each signature)."""
    names = ",".join(str(pk) for pk in rendition.signatures.order_by("pk").values_list("pk", flat=True))
    job = document_create(
        partnership=rendition.plan.partnership,
        kind="yjplan.signed_plan",
        params={"rendition": rendition.pk, "signatures": names},
        state_key=content.state_hash({"rendition": rendition.job.sha256, "signatures": names}),
        title=f"{rendition.plan.title}, signed",
        requested_by=requested_by,
    )
    rendition.signed_job = job
    rendition.save(update_fields=["signed_job"])


def current_signed_rendition(plan: Plan) -> Rendition | None:
    """The plan's latest rendition signed by the chair (stale or not: see ``signed_refusal``), with its
    ``signed_job``; ``plan`` as given (read it afresh to judge staleness)."""
    rendition = (
        Rendition.objects.select_related("signed_job")
        .filter(plan=plan, signatures__as_chair=True)
        .order_by("-number")
        .first()
    )
    if rendition is not None:
        rendition.plan = plan
    return rendition


def _current_signed_rendition(plan: Plan) -> Rendition:
    rendition = current_signed_rendition(Plan.objects.get(pk=plan.pk))
    if refusal := signed_refusal(rendition):
        raise ValidationError(refusal)
    return rendition


@transaction.atomic
def submission_record(*, plan: Plan, submitted_on: date, feedback: str, by: User) -> Submission:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    rendition = _current_signed_rendition(plan)
    if submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": "The date of submission must be today or in the past"})
    submission = Submission.objects.create(
        plan=plan, rendition=rendition, submitted_on=submitted_on, feedback=feedback.strip(), recorded_by=by
    )
    if plan.status == PlanStatus.SIGNED:
        _move(plan, PlanStatus.SUBMITTED)
    return submission


@transaction.atomic
def adoption_record(*, plan: Plan, council, body: str, adopted_on: date, reference: str, by: User) -> Adoption:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    rendition = _current_signed_rendition(plan)
    if council.partnership_id != plan.partnership_id:
        raise ValidationError({"council": "Choose one of the partnership's councils"})
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": "The date of adoption must be today or in the past"})
    if not body.strip():
        raise ValidationError({"body": "Enter the body that adopted the plan, for example Cabinet"})
    if Adoption.objects.filter(plan=plan, council=council, rendition=rendition).exists():
        raise ValidationError({"council": f"{council.name} has already adopted this version"})
    adoption = Adoption.objects.create(
        plan=plan,
        council=council,
        rendition=rendition,
        body=body.strip(),
        adopted_on=adopted_on,
        reference=reference.strip(),
        recorded_by=by,
    )
    councils = set(plan.partnership.local_authorities.values_list("pk", flat=True))
    adopted = set(Adoption.objects.filter(plan=plan, rendition=rendition).values_list("council_id", flat=True))
    if councils <= adopted and plan.status in (PlanStatus.SIGNED, PlanStatus.SUBMITTED):
        _move(plan, PlanStatus.ADOPTED)
    return adoption


@transaction.atomic
def plan_publish(*, plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    rendition = current_signed_rendition(plan)
    if refusal := publication_refusal(plan, rendition):
        raise ValidationError(refusal)
    if not plan.public_slug:
        words = plan.title.replace("–", " ").replace("/", " ")
        if str(plan.first_year) not in plan.title:
            words += " " + plan.period_label.replace("–", " ").replace("/", " ")
        plan.public_slug = slugify(words)[:80]
    plan.status = PlanStatus.PUBLISHED
    plan.published_rendition = rendition
    plan.published_at = timezone.now()
    plan.save(update_fields=["public_slug", "status", "published_rendition", "published_at", "updated_at"])
    return plan


@transaction.atomic
def plan_amend(*, plan: Plan, reason: str) -> Plan:
    """A change after signing: a new version with its reason, to be approved and signed again."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if refusal := amendment_refusal(plan):
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the plan is being amended"})
    plan.version += 1
    plan.amendment_reason = reason.strip()
    plan.status = PlanStatus.DRAFT
    plan.approved_at = None
    plan.approved_by = None
    plan.approval_minute = ""
    plan.save()
    return plan
