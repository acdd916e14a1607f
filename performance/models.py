"""Indicators (definitions are data), the areas figures belong to, observations and per-partnership settings."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from yjplan.models import Partnership


class Polarity(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"
    NONE = "none", "Neither higher nor lower is better"


class PeriodType(models.TextChoices):
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Calendar year"
    FINANCIAL_YEAR = "financial_year", "Financial year (April to March)"
    ROLLING_YEAR = "rolling_year", "12 months to a date"
    COHORT = "cohort", "Quarterly cohort tracked 12 months"
    POINT = "point", "A point in time"


class Unit(models.TextChoices):
    PER_100K = "per_100k", "per 100,000 children aged 10 to 17"
    PER_1000 = "per_1000", "per 1,000 children aged 10 to 17"
    PERCENT = "percent", "per cent"
    FREQUENCY = "frequency", "offences per person"
    COUNT = "count", "number"
    RATIO = "ratio", "ratio"


class Group(models.TextChoices):
    NATIONAL = "national", "National indicator"
    LOCAL = "local", "Local indicator"
    KPI = "kpi", "YJB key performance indicator"


class TestKind(models.TextChoices):
    """Which significance test suits the indicator's numerator and denominator."""

    PROPORTION = "proportion", "Two-proportion z-test (people out of a cohort)"
    POISSON = "poisson", "Poisson test (events over a population or cohort)"
    NONE = "none", "Not tested"


class IndicatorManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code, partnership__isnull=True)


class Indicator(models.Model):
    """What is measured: national definitions come from fixtures; partnerships may add local ones."""

    code = models.CharField(max_length=40, help_text="A short code used in imports, e.g. FTE or KPI1.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    group = models.CharField(max_length=10, choices=Group.choices, default=Group.LOCAL)
    unit = models.CharField(max_length=12, choices=Unit.choices)
    decimals = models.PositiveSmallIntegerField(
        "display format (decimal places)", default=1, validators=[MaxValueValidator(4)]
    )
    multiplier = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("1"))
    polarity = models.CharField(max_length=6, choices=Polarity.choices, default=Polarity.NONE)
    period_type = models.CharField(max_length=16, choices=PeriodType.choices, default=PeriodType.QUARTER)
    source = models.CharField(max_length=200, blank=True)
    is_share = models.BooleanField(default=False, help_text="The numerator can never exceed the denominator.")
    test = models.CharField(max_length=10, choices=TestKind.choices, default=TestKind.NONE)
    numerator_label = models.CharField(max_length=120, blank=True)
    denominator_label = models.CharField(max_length=120, blank=True)
    is_key = models.BooleanField(default=False, help_text="Shown on the performance dashboard.")
    position = models.PositiveSmallIntegerField(default=0)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        help_text="Empty for national definitions; set for a partnership's own local indicator.",
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="sub_measures")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = IndicatorManager()

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(partnership__isnull=True), name="indicator_unique_national_code"
            ),
            models.UniqueConstraint(fields=["partnership", "code"], name="indicator_unique_local_code"),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"

    def natural_key(self):
        return (self.code,)

    @property
    def is_national(self) -> bool:
        return self.partnership_id is None


class AreaKind(models.TextChoices):
    PARTNERSHIP = "partnership", "This partnership"
    COUNCIL = "council", "Constituent council area"
    FAMILY = "family", "YOT family"
    REGION = "region", "Region"
    POLICE = "police", "Police force area"
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    OTHER = "other", "Other comparator"


OWN_KINDS = (AreaKind.PARTNERSHIP, AreaKind.COUNCIL)


class ComparatorAreaManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code, partnership__isnull=True)


class ComparatorArea(models.Model):
    """Where a figure is for: the partnership itself, one of its council areas, or a comparator.

    England, Wales and the regions are shared (fixtures); a partnership's own area, council areas,
    YOT family and police force area belong to it.
    """

    code = models.CharField(max_length=40, help_text="A short code used in imports, e.g. ENGLAND or FAMILY.")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=AreaKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="performance_areas"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ComparatorAreaManager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(partnership__isnull=True), name="area_unique_shared_code"
            ),
            models.UniqueConstraint(fields=["partnership", "code"], name="area_unique_partnership_code"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    @property
    def is_own(self) -> bool:
        return self.kind in OWN_KINDS


class Observation(models.Model):
    """One figure: an indicator for an area and a period, with its numerator and denominator where known."""

    # no index of its own: the unique constraint's index starts with the partnership
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="observations", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey(ComparatorArea, on_delete=models.CASCADE, related_name="observations")
    period_start = models.DateField()
    period_end = models.DateField()
    label = models.CharField("period label", max_length=60, blank=True, help_text="For example, Jan–Dec 2018.")
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=6)
    source = models.CharField(max_length=200, blank=True)
    published_on = models.DateField("date published", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # imports write a history row per changed figure: index only what timelines look up (id, date)
    history = HistoricalRecords(no_db_index=["partnership", "indicator", "area"])

    class Meta:
        ordering = ["indicator__position", "period_end", "area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "indicator", "area", "period_start", "period_end"],
                name="observation_unique_period",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="observation_period"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0), name="observation_positive_denominator"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.area} {self.label or self.period_end}"

    @property
    def is_illustrative(self) -> bool:
        return "illustrative" in self.source.lower()


class PerformanceSettings(models.Model):
    """A partnership's thresholds for small-number cautions and whether small counts are suppressed."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="performance_settings")
    small_numerator = models.PositiveIntegerField(
        "smallest numerator to test",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Figures with fewer people or events than this carry a small-numbers caution.",
    )
    small_cohort = models.PositiveIntegerField(
        "smallest cohort to test",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text="Figures from a smaller cohort or population carry a small-numbers caution.",
    )
    suppress_small_counts = models.BooleanField(
        "suppress counts of 1 to 4 in published output",
        default=True,
    )
    baseline_year = models.PositiveSmallIntegerField(
        "baseline year",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="Direction of travel against the baseline uses each indicator's first period ending in this year; "
        "empty means the earliest period recorded.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "performance settings"
        verbose_name_plural = "performance settings"

    def __str__(self):
        return f"Performance settings of {self.partnership}"


from performance.capability.models import (  # noqa: E402, F401 - the self-assessment's tables, seen by Django here
    ActivityComment,
    ActivityResponse,
    AreaAssignment,
    Assessment,
    CriticalActivity,
    Gap,
    IndicatorCommentary,
    OutcomeArea,
    SignOff,
)
from performance.standards.models import (  # noqa: E402, F401 - the National Standards and HMIP tables
    AssessmentComment,
    Inspection,
    InspectionRating,
    Recommendation,
    StandardGrade,
    StandardsAudit,
)
