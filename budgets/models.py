"""The pooled partnership budget: one table a financial year, one line per agency (and council).

A line holds staffing costs, payments in kind and other delegated funds. Cash is staffing plus other
delegated funds; the line's total is cash plus in kind. The YJB layout (staffing | in kind | other
delegated | total) and the joint-service layout (per council: cash | in kind; total) are two views
of the same lines.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from yjplan.models import AgencyType, LocalAuthority, Partnership

MAX_AMOUNT = Decimal("100000000")
ZERO = Decimal("0.00")


class Agency(models.TextChoices):
    """The budget table's rows (the YJB's reference list)."""

    LOCAL_AUTHORITY = "local_authority", "Local Authority"
    POLICE = "police", "Police"
    PCC = "pcc", "Police and Crime Commissioner"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    PUBLIC_HEALTH = "public_health", "Public Health"
    EDUCATION = "education", "Education"
    YJB_GRANT = "yjb_grant", "YJB Youth Justice grant"
    YJB_REMAND = "yjb_remand", "YJB remand grant"
    WELSH_GOVERNMENT = "welsh_government", "Welsh Government"
    OTHER = "other", "Other"


# Who confirms a line: the board member representing this agency (Membership.agency).
CONFIRMING_AGENCY = {
    Agency.LOCAL_AUTHORITY: AgencyType.LOCAL_AUTHORITY,
    Agency.POLICE: AgencyType.POLICE,
    Agency.PCC: AgencyType.PCC,
    Agency.PROBATION: AgencyType.PROBATION,
    Agency.HEALTH: AgencyType.HEALTH,
    Agency.PUBLIC_HEALTH: AgencyType.PUBLIC_HEALTH,
    Agency.EDUCATION: AgencyType.EDUCATION,
    Agency.YJB_GRANT: AgencyType.YJB,
    Agency.YJB_REMAND: AgencyType.YJB,
    Agency.WELSH_GOVERNMENT: AgencyType.WELSH_GOVERNMENT,
    Agency.OTHER: AgencyType.OTHER,
}
AGENCY_ORDER = {agency.value: index for index, agency in enumerate(Agency)}


def year_label(start_year: int) -> str:
    """2019 → "2019/20"."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def money_field(verbose_name: str):
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_AMOUNT)],
    )


class BudgetYear(models.Model):
    """A partnership's pooled budget for one financial year (April to March)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONFIRMED = "confirmed", "Confirmed"
        LOCKED = "locked", "Locked"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="budget_years")
    start_year = models.PositiveSmallIntegerField(
        "financial year",
        help_text="The year the financial year starts: 2019 for 2019/20.",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    lock_reason = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    children_worked_with = models.PositiveIntegerField(
        "children worked with", null=True, blank=True, help_text="Children the service worked with in the year."
    )
    outcomes = models.PositiveIntegerField(
        "outcomes (disposals)", null=True, blank=True, help_text="Out-of-court and court outcomes in the year."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "start_year"], name="budget_year_unique_year"),
        ]

    def __str__(self):
        return f"Budget {self.label}"

    @property
    def label(self) -> str:
        return year_label(self.start_year)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED


class ContributionLine(models.Model):
    """One agency's contribution (for one council, in a joint service) in one budget year."""

    budget_year = models.ForeignKey(BudgetYear, on_delete=models.CASCADE, related_name="lines")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    other_name = models.CharField(
        "name of other contributor", max_length=120, blank=True, help_text="Only for the agency “Other”."
    )
    council = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        help_text="The council the contribution is for (joint services only).",
    )
    staffing_costs = money_field("staffing costs")
    payments_in_kind = money_field("payments in kind")
    other_delegated_funds = money_field("other delegated funds")
    note = models.CharField(max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["budget_year", "agency", "other_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "agency", "other_name", "council"],
                condition=Q(council__isnull=False),
                name="contribution_line_unique_per_council",
            ),
            models.UniqueConstraint(
                fields=["budget_year", "agency", "other_name"],
                condition=Q(council__isnull=True),
                name="contribution_line_unique_whole_partnership",
            ),
            models.CheckConstraint(
                condition=Q(staffing_costs__gte=0, staffing_costs__lte=MAX_AMOUNT)
                & Q(payments_in_kind__gte=0, payments_in_kind__lte=MAX_AMOUNT)
                & Q(other_delegated_funds__gte=0, other_delegated_funds__lte=MAX_AMOUNT),
                name="contribution_line_amounts_in_range",
            ),
            models.CheckConstraint(
                condition=Q(agency="other") | Q(other_name=""), name="contribution_line_name_only_for_other"
            ),
        ]

    def __str__(self):
        where = f" ({self.council.short_name})" if self.council_id else ""
        return f"{self.agency_label}{where}, {self.budget_year.label}"

    @property
    def agency_label(self) -> str:
        if self.agency == Agency.OTHER and self.other_name:
            return self.other_name
        return Agency(self.agency).label

    @property
    def cash(self) -> Decimal:
        return self.staffing_costs + self.other_delegated_funds

    @property
    def total(self) -> Decimal:
        return self.cash + self.payments_in_kind

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def confirming_agency(self) -> str:
        return CONFIRMING_AGENCY[Agency(self.agency)]
