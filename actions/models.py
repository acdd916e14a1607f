"""The improvement tracker (priorities, actions, progress updates), the risk register and reminders."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from yjplan.models import Membership, Partnership


class Completion(models.TextChoices):
    """Completion RAG: green is "on track", as boards say."""

    NOT_STARTED = "not_started", "Not started"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "On track"
    COMPLETE = "complete", "Complete"


COMPLETION_TAG = {
    Completion.NOT_STARTED: "govuk-tag--grey",
    Completion.RED: "govuk-tag--red",
    Completion.AMBER: "govuk-tag--yellow",
    Completion.GREEN: "govuk-tag--green",
    Completion.COMPLETE: "govuk-tag--blue",
}


class Impact(models.TextChoices):
    NONE = "no_impact", "No impact"
    STARTING = "progress_starting", "Progress starting"
    MADE = "progress_made", "Progress made"


IMPACT_TAG = {Impact.NONE: "govuk-tag--grey", Impact.STARTING: "govuk-tag--yellow", Impact.MADE: "govuk-tag--green"}


class Source(models.TextChoices):
    PLAN_PRIORITY = "plan_priority", "Plan priority"
    HMIP = "hmip", "HMIP inspection recommendation"
    NATIONAL_STANDARDS = "national_standards", "National Standards audit"
    SELF_ASSESSMENT = "self_assessment", "Capacity and capability self-assessment gap"
    PEER_REVIEW = "peer_review", "Peer review"
    SERIOUS_CASE_REVIEW = "serious_case_review", "Serious case review"
    OFSTED = "ofsted", "Ofsted"
    BOARD_DECISION = "board_decision", "Board decision"


def natural_key(reference: str) -> tuple:
    """ "2" < "3" < "3.1" < "6a" < "12": numbers compare as numbers."""
    return tuple(
        (0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.findall(r"\d+|[^\d.\s/]+", reference)
    )


class Priority(models.Model):
    """A priority or improvement target: groups actions on the tracker."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="action_priorities")
    number = models.CharField(max_length=20, help_text="For example 2, or 6a.")
    title = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["partnership", "number"], name="actions_priority_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Action(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    reference = models.CharField(max_length=20, help_text="Unique in the partnership, for example 2 or 3.1.")
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name="priority"
    )
    text = models.TextField("action")
    leads = models.ManyToManyField(Membership, blank=True, related_name="led_actions")
    target_date = models.DateField(null=True, blank=True)
    completion = models.CharField(
        "completion RAG", max_length=12, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    impact = models.CharField("impact RAG", max_length=20, choices=Impact.choices, default=Impact.NONE)
    outcome = models.TextField("outcome measure / evidence of impact", blank=True)
    gap = models.TextField(blank=True, help_text="The gap it closes (2010 improvement plan).")
    source = models.CharField(max_length=24, choices=Source.choices, default=Source.PLAN_PRIORITY)
    source_reference = models.CharField(max_length=200, blank=True)
    link_text = models.CharField(max_length=200, blank=True)
    link_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    latest_update = models.ForeignKey(
        "ProgressUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Leads are in the history too; services save the action and its leads as one record (see record_save).
    history = HistoricalRecords(excluded_fields=["latest_update"], m2m_fields=["leads"])

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="actions_action_unique_reference")
        ]
        indexes = [models.Index(fields=["partnership", "target_date"])]

    def __str__(self):
        return f"Action {self.reference}"

    @property
    def completion_tag(self) -> str:
        return COMPLETION_TAG[Completion(self.completion)]

    @property
    def impact_tag(self) -> str:
        return IMPACT_TAG[Impact(self.impact)]

    @property
    def last_activity(self):
        return self.last_update_at or self.created_at


class ProgressUpdate(models.Model):
    """A dated entry in an action's progress log. Never edited or deleted: corrections are new entries."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=150)
    date = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    completion_from = models.CharField(max_length=12, choices=Completion.choices, blank=True)
    completion_to = models.CharField(max_length=12, choices=Completion.choices, blank=True)
    impact_from = models.CharField(max_length=20, choices=Impact.choices, blank=True)
    impact_to = models.CharField(max_length=20, choices=Impact.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"]), models.Index(fields=["partnership", "created_at"])]

    def __str__(self):
        return f"Update to {self.action_id} on {self.date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Progress updates are never changed: add a new entry to correct one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Progress updates are never deleted: add a new entry to correct one")

    @property
    def rag_changed(self) -> bool:
        return bool(self.completion_to) and self.completion_from != self.completion_to

    @property
    def impact_changed(self) -> bool:
        return bool(self.impact_to) and self.impact_from != self.impact_to


class RiskCategory(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    WORKFORCE = "workforce", "Workforce"
    PERFORMANCE = "performance", "Performance"
    PARTNERSHIP = "partnership", "Partnership"
    DEMAND = "demand", "Demand and complexity"
    DATA = "data", "Data"
    OTHER = "other", "Other"


def risk_band(score: int) -> str:
    if score >= 17:
        return "Very high"
    if score >= 10:
        return "High"
    if score >= 5:
        return "Medium"
    return "Low"


BAND_TAG = {
    "Very high": "govuk-tag--red",
    "High": "govuk-tag--orange",
    "Medium": "govuk-tag--yellow",
    "Low": "govuk-tag--green",
}


class Risk(models.Model):
    """A risk to future delivery."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField("risk", max_length=300)
    category = models.CharField(max_length=20, choices=RiskCategory.choices, default=RiskCategory.OTHER)
    description = models.TextField("description and cause", blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    impact = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    mitigation = models.TextField(blank=True)
    owner = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_risks")
    review_date = models.DateField(null=True, blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="risks", verbose_name="linked actions")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=["actions"])

    class Meta:
        ordering = ["-likelihood", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(likelihood__gte=1, likelihood__lte=5), name="actions_risk_l_1_5"),
            models.CheckConstraint(condition=models.Q(impact__gte=1, impact__lte=5), name="actions_risk_i_1_5"),
        ]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return risk_band(self.score)

    @property
    def band_tag(self) -> str:
        return BAND_TAG[self.band]


class ReminderOptOut(models.Model):
    """A person who does not want the daily reminder digest (a personal setting, not a partnership record)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} opted out of reminders"


class ReminderDigest(models.Model):
    """One digest sent to one person on one day: the unique key is what keeps it to one a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    action_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="actions_digest_one_a_day")]

    def __str__(self):
        return f"Digest to {self.user} on {self.date}"
