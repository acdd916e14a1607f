"""The Youth Justice Plan: templates (data), plans, sections and their revisions, comments, renditions,
signatures, submission, adoption and publication."""

from datetime import date

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from yjplan.integrity import RENDITION_MUTABLE, SignedRecordError
from yjplan.models.core import LocalAuthority, Membership, Partnership, User
from yjplan.models.documents import DocumentJob


class KeyArea(models.TextChoices):
    """The four key areas the YJB has asked every plan to address since 2010."""

    RESOURCING = "resourcing", "Resourcing and value for money"
    GOVERNANCE = "governance", "Structure and governance"
    PARTNERSHIP = "partnership", "Partnership arrangements"
    RISKS = "risks", "Risks to future delivery"


class PlanTemplateManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class PlanTemplate(models.Model):
    """A plan structure issued by the YJB. Headings change from year to year, so they are data."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    in_use_from = models.PositiveSmallIntegerField(help_text="The first plan year it applies to, e.g. 2021.")

    objects = PlanTemplateManager()

    class Meta:
        ordering = ["-in_use_from", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.key,)


class TemplateHeadingManager(models.Manager):
    def get_by_natural_key(self, template_key, key):
        return self.get(template__key=template_key, key=key)


class TemplateHeading(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="headings")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(help_text="Shown to the author beside the editor.")
    mandatory = models.BooleanField(default=False)
    key_area = models.CharField(max_length=20, choices=KeyArea.choices, blank=True)
    suggested_blocks = models.JSONField(default=list, blank=True)

    objects = TemplateHeadingManager()

    class Meta:
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="heading_unique_key")]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.template.key, self.key)

    natural_key.dependencies = ["yjplan.plantemplate"]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Board review"
    APPROVED = "approved", "Approved by the board"
    SIGNED = "signed", "Signed"
    SUBMITTED = "submitted", "Submitted to the YJB"
    ADOPTED = "adopted", "Adopted"
    PUBLISHED = "published", "Published"


class Plan(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(
        help_text="The financial year the plan starts, e.g. 2019 for 2019/20."
    )
    last_year = models.PositiveSmallIntegerField(help_text="The last financial year it covers.")
    template = models.ForeignKey(PlanTemplate, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    due_date = models.DateField("due to the YJB")
    update_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="updates", help_text="Annual update of"
    )
    version = models.PositiveIntegerField(default=1, help_text="Goes up with each amendment after adoption.")
    amendment_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approval_minute = models.CharField(max_length=200, blank=True, help_text="The board meeting's decision reference.")
    public_slug = models.SlugField(max_length=80, blank=True)
    published_rendition = models.ForeignKey(
        "Rendition", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    content_revision = models.PositiveIntegerField(
        default=0, help_text="Goes up with every change to the plan's text or sections; renditions record it."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")), name="plan_years_in_order"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return f"{self.first_year}/{str(self.first_year + 1)[-2:]}"
        return f"{self.first_year}–{self.last_year + 1}"

    @staticmethod
    def default_due_date(first_year: int) -> date:
        return date(first_year, 6, 30)


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    heading = models.ForeignKey(TemplateHeading, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    mandatory = models.BooleanField(default=False)
    key_area = models.CharField(max_length=20, choices=KeyArea.choices, blank=True)
    body = models.TextField(blank=True, help_text="Sanitised HTML with block markers.")
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        ordering = ["plan", "position"]

    def __str__(self):
        return self.title


class SectionRevision(models.Model):
    """Every save of a section: never changed afterwards. Restoring one makes a new revision."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["section", "-number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="revision_unique_number")]

    def __str__(self):
        return f"{self.section} revision {self.number}"


class SectionDraft(models.Model):
    """An author's autosaved, unsaved text: kept per person so a closed tab loses seconds, not work."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    base_revision = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "author"], name="draft_one_per_author")]

    def __str__(self):
        return f"Draft of {self.section_id} by {self.author_id}"


class Comment(models.Model):
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="comments")
    reply_to = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class ReviewRequest(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="review_requests")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewers = models.ManyToManyField(Membership, related_name="+")
    message = models.TextField(blank=True)
    respond_by = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[reviewers])

    def __str__(self):
        return f"Review of {self.plan_id} requested {self.created_at:%d %B %Y}"


class Rendition(models.Model):
    """One exact state of a plan, frozen as JSON and rendered to PDF by a worker."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="renditions")
    number = models.PositiveIntegerField()
    plan_version = models.PositiveIntegerField()
    content_revision = models.PositiveIntegerField()
    state_hash = models.CharField(max_length=64)
    snapshot = models.JSONField()
    job = models.OneToOneField(DocumentJob, on_delete=models.PROTECT, related_name="rendition")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_job = models.OneToOneField(
        DocumentJob, on_delete=models.PROTECT, null=True, blank=True, related_name="signed_rendition"
    )

    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="rendition_unique_number")]

    def __str__(self):
        return f"{self.plan} rendition {self.number}"

    def save(self, *args, update_fields=None, **kwargs):
        if not self._state.adding and self.pk is not None and Signature.objects.filter(rendition_id=self.pk).exists():
            self._refuse_changes_once_signed(update_fields)
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        if Signature.objects.filter(rendition_id=self.pk).exists():
            raise SignedRecordError(f"{self} is signed: it cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_stale(self) -> bool:
        """Any change to the plan after this rendition makes it, and its signatures, stale."""
        return self.plan.content_revision != self.content_revision or self.plan.version != self.plan_version

    def _refuse_changes_once_signed(self, update_fields):
        concrete = self._meta.concrete_fields
        stored = Rendition.objects.filter(pk=self.pk).values(*(f.attname for f in concrete)).first()
        if stored is None:
            return
        checked = [f for f in concrete if update_fields is None or f.name in update_fields]
        changed = [
            f.name for f in checked if f.name not in RENDITION_MUTABLE and stored[f.attname] != getattr(self, f.attname)
        ]
        if self.requested_by_id not in (None, stored["requested_by_id"]) and any(
            f.name == "requested_by" for f in checked
        ):
            changed.append("requested_by")
        if changed:
            raise SignedRecordError(f"{self} is signed: {', '.join(changed)} cannot change")


class SignatureQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SignedRecordError("Signatures cannot be changed")

    def delete(self):
        raise SignedRecordError("Signatures cannot be deleted")


class Signature(models.Model):
    """A signature belongs to one rendition; never changed or deleted."""

    rendition = models.ForeignKey(Rendition, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150)
    statement = models.TextField()
    as_chair = models.BooleanField(default=False)
    signed_at = models.DateTimeField(default=timezone.now)

    objects = SignatureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["rendition", "user"], name="signature_once_per_person")]

    def __str__(self):
        return f"{self.full_name}, {self.role}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignedRecordError(f"The signature of {self.full_name} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedRecordError(f"The signature of {self.full_name} cannot be deleted")


class SignatureRequest(models.Model):
    """A statutory partner asked to sign the plan alongside the chair."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="signature_requests")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "membership"], name="signature_request_once")]

    def __str__(self):
        return f"Signature of {self.membership_id} asked for plan {self.plan_id}"


class Submission(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="submissions")
    rendition = models.ForeignKey(Rendition, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField()
    feedback = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    def __str__(self):
        return f"Submitted to the YJB on {self.submitted_on:%d %B %Y}"


class Adoption(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="adoptions")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    rendition = models.ForeignKey(Rendition, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(max_length=100, help_text="For example, Cabinet or Full Council.")
    adopted_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "council", "rendition"], name="adoption_once_per_council")
        ]

    def __str__(self):
        return f"Adopted by {self.body} on {self.adopted_on:%d %B %Y}"
