"""The management board: boards, their members, meetings, agenda items, attendance, decisions, summaries."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from yjplan.models import STATUTORY_AGENCIES, AgencyType, Partnership


class Board(models.Model):
    """A board of the partnership: the management board, a sub-group or another forum."""

    class Kind(models.TextChoices):
        MANAGEMENT = "management", "Management board"
        SUB_GROUP = "sub_group", "Sub-group"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200, help_text="For example, Youth Justice Management Board.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MANAGEMENT)
    terms_of_reference = models.TextField(blank=True)
    quorum = models.PositiveSmallIntegerField(
        "quorum (statutory partner agencies)",
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(len(STATUTORY_AGENCIES))],
        help_text="The least number of statutory partner agencies (in person or by a deputy) for a quorate meeting.",
    )
    reports_to = models.TextField(
        blank=True, help_text="The boards it reports to, one a line (safeguarding partnership, community safety …)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="board_unique_name")]

    def __str__(self):
        return self.name

    @property
    def reports_to_list(self) -> list[str]:
        return [line.strip() for line in self.reports_to.splitlines() if line.strip()]


class BoardMember(models.Model):
    """A person's seat on a board for a period; a later seat of the same person is a new row."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        ADVISER = "adviser", "Adviser"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("person's name", max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_seats",
        help_text="Their account in this partnership, if they have one (lets them record their own apologies).",
    )
    organisation = models.CharField(max_length=150, blank=True)
    agency = models.CharField(max_length=20, choices=AgencyType.choices)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    seniority = models.CharField(
        "job title and seniority", max_length=150, blank=True, help_text="For example, Assistant Chief Constable."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    induction_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="board_member_dates"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display().lower()}, {self.board})"

    @property
    def is_statutory(self) -> bool:
        return self.agency in STATUTORY_AGENCIES

    def active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True, help_text="A room and building, or leave blank if online.")
    online = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True, help_text="Sanitised HTML.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start")]

    def __str__(self):
        from django.utils import timezone

        return f"{self.board.name}, {timezone.localtime(self.starts_at):%-d %B %Y}"

    @property
    def day(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()

    @property
    def where(self) -> str:
        if self.online and self.place:
            return f"{self.place} and online"
        return "Online" if self.online else (self.place or "Not set")


PAPER_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def paper_path(item, filename: str) -> str:
    extension = PurePath(filename).suffix.lower().lstrip(".")
    return f"boards/papers/{uuid.uuid4().hex}.{extension}"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        STANDING = "standing", "Standing item"
        SPOTLIGHT = "spotlight", "Practice spotlight"
        DECISION = "decision", "For decision"
        INFORMATION = "information", "For information"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INFORMATION)
    carried_over_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    finished = models.BooleanField(default=False, help_text="Unfinished items are proposed for the next agenda.")
    paper = models.FileField(upload_to=paper_path, blank=True, max_length=200)
    paper_name = models.CharField(max_length=200, blank=True)
    links = models.TextField(blank=True, help_text="Web addresses or references, one a line.")
    source = models.CharField(max_length=100, blank=True, help_text="The attention source that proposed it.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        DEPUTY = "deputy", "Sent a deputy"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)
    deputy_name = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "member__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")]

    def __str__(self):
        return f"{self.member.name}: {self.get_status_display().lower()}"


class Decision(models.Model):
    """A decision of a meeting. ``action_requested`` asks the actions spoke for a tracked action;
    ``action_reference`` is the tracked action's reference once it exists."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    action_requested = models.BooleanField("create a tracked action", default=False)
    action_reference = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "created_at", "id"]

    def __str__(self):
        return self.text[:80]


class QuarterlySummary(models.Model):
    """The lead officer's summary after a quarter: achieved, support needed, priorities, risks."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="summaries")
    quarter_start = models.DateField(help_text="The first day of the quarter (1 April, 1 July, 1 October, 1 January).")
    achieved = models.TextField("achieved in the last quarter", blank=True)
    support_needed = models.TextField("support needed from partner boards", blank=True)
    priorities = models.TextField("priorities for the next three months", blank=True)
    risks = models.TextField("identified risks", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "-quarter_start"]
        verbose_name_plural = "quarterly summaries"
        constraints = [models.UniqueConstraint(fields=["board", "quarter_start"], name="summary_unique_quarter")]

    def __str__(self):
        return f"{self.board.name}: quarter from {self.quarter_start:%-d %B %Y}"
