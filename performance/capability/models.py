"""The framework (outcome areas and critical activities, reference data) and a partnership's assessments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from yjplan.models import Membership, Partnership


class Score(models.IntegerChoices):
    POOR = 0, "0 – Poor: below minimum requirements"
    ADEQUATE = 1, "1 – Adequate: at only minimum requirements"
    GOOD = 2, "2 – Good: above minimum requirements"
    EXCELLENT = 3, "3 – Excellent: consistently above minimum requirements"


SCORE_WORDS = {0: "Poor", 1: "Adequate", 2: "Good", 3: "Excellent"}


class OutcomeAreaManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class OutcomeArea(models.Model):
    """One of the nine outcome areas (reference data from fixtures/reference/capability_framework.json)."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    prompt = models.TextField(blank=True)

    objects = OutcomeAreaManager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def natural_key(self):
        return (self.number,)


class CriticalActivityManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class CriticalActivity(models.Model):
    area = models.ForeignKey(OutcomeArea, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(max_length=8, unique=True, help_text="As the framework numbers it, e.g. 1.1")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    objects = CriticalActivityManager()

    class Meta:
        ordering = ["area__number", "position"]
        verbose_name_plural = "critical activities"

    def __str__(self):
        return f"{self.code} {self.text}"

    def natural_key(self):
        return (self.code,)

    natural_key.dependencies = ["performance.outcomearea"]


class Assessment(models.Model):
    """A partnership's capacity and capability self-assessment for a year."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="capability_assessments")
    year = models.PositiveSmallIntegerField(help_text="The year the assessment is made, e.g. 2010.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="capability_one_per_year")]

    def __str__(self):
        return f"Capacity and capability self-assessment {self.year}"


class AreaAssignment(models.Model):
    """Who completes an outcome area of an assessment: they may edit its activities whatever their role."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    area = models.ForeignKey(OutcomeArea, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["area__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="capability_one_assignee_per_area")]

    def __str__(self):
        return f"{self.assessment}: area {self.area.number}"

    @property
    def partnership_id(self):
        return self.assessment.partnership_id


def _score_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 3}), name=name
    )


class ActivityResponse(models.Model):
    """The written evidence, self-assessed score and validated score for one critical activity."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    activity = models.ForeignKey(CriticalActivity, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)
    self_score = models.PositiveSmallIntegerField("self-assessed score", choices=Score.choices, null=True, blank=True)
    validated_score = models.PositiveSmallIntegerField("validated score", choices=Score.choices, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["activity__area__number", "activity__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "activity"], name="capability_one_response_per_activity"),
            _score_check("self_score", "capability_self_score_0_3"),
            _score_check("validated_score", "capability_validated_score_0_3"),
        ]

    def __str__(self):
        return f"{self.assessment}: {self.activity.code}"


class Gap(models.Model):
    """A gap found while self-assessing (seed 001 section 3): it became a tracked action and a risk."""

    response = models.ForeignKey(ActivityResponse, on_delete=models.CASCADE, related_name="gaps")
    gap = models.TextField()
    risk = models.TextField("risk identified")
    action = models.TextField("action to overcome this risk")
    success_criteria = models.TextField()
    owner = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField()
    action_reference = models.CharField(max_length=40, blank=True)
    risk_reference = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["response__activity__area__number", "response__activity__position", "created_at"]

    def __str__(self):
        return self.gap[:80]


class ActivityComment(models.Model):
    """A board member's (or manager's) comment on an activity's evidence and score."""

    response = models.ForeignKey(ActivityResponse, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]


class IndicatorCommentary(models.Model):
    """The partnership's comment on a national indicator's table (seed 001 part two, section 1)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="commentaries")
    indicator = models.ForeignKey("performance.Indicator", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "indicator commentaries"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="capability_one_commentary_per_indicator")
        ]

    def __str__(self):
        return f"{self.assessment}: {self.indicator.code}"


class SignOff(models.Model):
    """One line of the sign-off list (seed 001 part three): name, role and the date they signed."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="signoffs")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=300)
    signed_on = models.DateField("date signed", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "sign-off"

    def __str__(self):
        return f"{self.name}, {self.role}"
