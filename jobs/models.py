"""The record of a background job: what ran, for which record, how far it got, how it ended.

A job is written when it is enqueued (``jobs.enqueue``) and updated by the wrapper that runs it
(``jobs.runner.run_job``): queued, running, succeeded or failed, with the task's progress and,
on failure, the error and its traceback. The record is named by text (``record_label`` such as
``boards.meeting`` and ``record_pk``), so this kernel-level app knows no domain model.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    #: A job of these statuses holds its idempotency key: enqueuing the key again returns it.
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    task = models.CharField(
        max_length=200,
        help_text="The import path of the job's function, e.g. web.tasks.render_minutes_pdfs.",
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="What the job does, as staff read it."
    )
    arguments = models.JSONField(
        default=list, blank=True, help_text="The function's arguments (JSON)."
    )
    record_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="The kind of record the job works on, e.g. boards.meeting.",
    )
    record_pk = models.CharField(max_length=64, blank=True, help_text="The record's key.")
    record_name = models.CharField(
        max_length=300, blank=True, help_text="The record as it was named when enqueued."
    )
    key = models.CharField(
        max_length=300,
        blank=True,
        help_text="Idempotency key: while a job with this key is queued or running, enqueuing "
        "it again returns that job.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    progress_message = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True, help_text="The last failure's exception and message.")
    traceback = models.TextField(blank=True, help_text="The last failure's traceback.")
    attempts = models.PositiveIntegerField(
        default=0, help_text="How many times the job has started."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    backend_id = models.CharField(
        max_length=64, blank=True, help_text="The task backend's id of the last attempt."
    )
    enqueued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enqueued_at", "-pk"]
        permissions = [
            ("retry_job", "Can retry a failed background job"),
            ("start_job", "Can start a background job from the jobs list"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["queued", "running"]) & ~Q(key=""),
                name="jobs_job_one_active_job_per_key",
                violation_error_message="A job with this key is already queued or running.",
            ),
            models.CheckConstraint(
                condition=Q(progress_total__isnull=True)
                | Q(progress_done__lte=models.F("progress_total")),
                name="jobs_job_progress_within_total",
            ),
        ]
        indexes = [models.Index(fields=["record_label", "record_pk"], name="jobs_job_record")]

    def __str__(self) -> str:
        what = self.description or self.task.rsplit(".", 1)[-1]
        return f"{what} ({self.get_status_display().lower()})"

    @property
    def progress(self) -> str:
        """ "3 of 10: indexing papers", or the message alone, or "" before any report."""
        counted = f"{self.progress_done} of {self.progress_total}" if self.progress_total else ""
        return ": ".join(part for part in (counted, self.progress_message) if part)
