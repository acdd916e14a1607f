"""National Standards self-audits and HMIP inspections: grades, ratings, recommendations and comments."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from yjplan.models import Partnership


class Standard(models.IntegerChoices):
    """The five National Standards for children in the youth justice system (2019)."""

    OUT_OF_COURT = 1, "Out-of-court disposals"
    AT_COURT = 2, "At court"
    IN_COMMUNITY = 3, "In the community"
    SECURE_SETTINGS = 4, "In secure settings"
    TRANSITIONS = 5, "On transition and resettlement"


class Grade(models.TextChoices):
    """The National Standards self-audit scale, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD_OUTSTANDING_FEATURES = "good_outstanding_features", "Good with outstanding features"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class Rating(models.TextChoices):
    """HMIP's four-point scale."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


WEAK = {"requires_improvement", "inadequate"}

# HMIP's youth offending services standards, as its inspection reports number and name them.
HMIP_STANDARDS = [
    ("1.1", "Governance and leadership"),
    ("1.2", "Staff"),
    ("1.3", "Partnerships and services"),
    ("1.4", "Information and facilities"),
    ("2.1", "Court disposals: assessment"),
    ("2.2", "Court disposals: planning"),
    ("2.3", "Court disposals: implementation and delivery"),
    ("2.4", "Court disposals: reviewing"),
    ("3.1", "Out-of-court disposals: assessment"),
    ("3.2", "Out-of-court disposals: planning"),
    ("3.3", "Out-of-court disposals: implementation and delivery"),
    ("3.4", "Out-of-court disposals: joint working"),
    ("3.5", "Out-of-court disposal policy and provision"),
    ("4.1", "Resettlement policy and provision"),
]


class StandardsAudit(models.Model):
    """One year's National Standards self-audit of a partnership: five standards, each graded twice."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="standards_audits")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2019), MaxValueValidator(2100)])
    conducted = models.CharField(
        "when the audit took place", max_length=100, blank=True, help_text="For example, May to June 2022."
    )
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="standards_audit_unique_year")]

    def __str__(self):
        return f"National Standards self-audit {self.year}"


class StandardGrade(models.Model):
    """One standard in an audit: operational and strategic grades, the evidence, the sample, linked actions."""

    audit = models.ForeignKey(StandardsAudit, on_delete=models.CASCADE, related_name="grades")
    standard = models.PositiveSmallIntegerField(choices=Standard.choices)
    operational = models.CharField("operational grade", max_length=30, choices=Grade.choices, blank=True)
    strategic = models.CharField("strategic grade", max_length=30, choices=Grade.choices, blank=True)
    evidence = models.TextField(blank=True)
    sample = models.CharField(
        "sample audited", max_length=300, blank=True, help_text="For example, 12 cases: 8 youth cautions, 4 outcome 22."
    )
    sample_size = models.PositiveIntegerField("number of cases audited", null=True, blank=True)
    action_references = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["audit", "standard"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "standard"], name="standard_grade_unique"),
            models.CheckConstraint(
                condition=Q(operational__in=["", *Grade.values]), name="standard_grade_operational_valid"
            ),
            models.CheckConstraint(
                condition=Q(strategic__in=["", *Grade.values]), name="standard_grade_strategic_valid"
            ),
        ]

    def __str__(self):
        return f"Standard {self.standard}: {self.get_standard_display()} ({self.audit.year})"

    @property
    def partnership(self):
        return self.audit.partnership


class Inspection(models.Model):
    """An HMIP inspection of the youth justice service: overall rating, ratings per standard, recommendations."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="inspections")
    title = models.CharField(max_length=200, default="Inspection of youth offending services")
    inspected_on = models.DateField("date of the inspection")
    published_on = models.DateField("date the report was published", null=True, blank=True)
    overall = models.CharField("overall rating", max_length=30, choices=Rating.choices, blank=True)
    report_url = models.URLField("address of the report", blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(overall__in=["", *Rating.values]), name="inspection_overall")]

    def __str__(self):
        return f"{self.title}, {self.inspected_on:%-d %B %Y}"


class InspectionRating(models.Model):
    """The rating an inspection gave one HMIP standard."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="ratings")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=150)
    rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="inspection_rating_unique"),
            models.CheckConstraint(condition=Q(rating__in=["", *Rating.values]), name="inspection_rating_valid"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Recommendation(models.Model):
    """A numbered recommendation of an inspection; ``action_reference`` is the tracked action made from it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    action_reference = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="recommendation_unique_number")]

    def __str__(self):
        return f"Recommendation {self.number}"


class AssessmentComment(models.Model):
    """A board member's (or manager's) comment on a self-audit or an inspection."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    audit = models.ForeignKey(StandardsAudit, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audit__isnull=False, inspection__isnull=True)
                | Q(audit__isnull=True, inspection__isnull=False),
                name="assessment_comment_one_subject",
            )
        ]

    def __str__(self):
        return f"Comment by {self.author}"
