"""Job rows for PDFs made by the Celery workers."""

from django.db import models
from django.utils import timezone

from yjplan.models.core import Partnership, User


class DocumentJob(models.Model):
    """One PDF made by a Celery worker from one exact state of the records (a tracker, a board pack …).

    The row is the job: queued → rendering → done or failed, with the error, timings, pages, SHA-256
    and the file. A job whose worker died is put back in the queue (or failed) by the sweeper.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    state_key = models.CharField(max_length=64, help_text="SHA-256 of the records the document is made from.")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    html_ms = models.PositiveIntegerField(null=True, blank=True)
    pdf_ms = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["partnership", "kind", "state_key"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)
