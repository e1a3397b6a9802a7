"""The jobs list for staff: what ran, for which record, how far it got, how it ended, and a
"Retry" action for failed jobs. Jobs are made by the code that enqueues them, never by hand:
no add, no edit; the detail page is read-only and shows the failure's traceback."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from minutebook.admin import BadInputGuard

from . import api
from .models import Job
from .runner import progress_key

RETRY_PERMISSION = "jobs.retry_job"
START_PERMISSION = "jobs.start_job"


@admin.register(Job)
class JobAdmin(BadInputGuard, admin.ModelAdmin):
    list_display = (
        "__str__",
        "record",
        "status",
        "progress_shown",
        "attempts",
        "enqueued_at",
        "started_at",
        "finished_at",
        "error_line",
    )
    list_filter = ("status", "task")
    search_fields = ("description", "record_name", "key", "error")
    date_hierarchy = "enqueued_at"
    actions = ["retry_failed", "fail_stale"]
    readonly_fields = (
        "description",
        "task",
        "arguments",
        "record",
        "key",
        "status",
        "progress_shown",
        "attempts",
        "requested_by",
        "enqueued_at",
        "started_at",
        "finished_at",
        "backend_id",
        "error",
        "traceback_shown",
    )
    fields = readonly_fields

    change_list_template = "admin/jobs/job/change_list.html"

    def get_urls(self):
        own = [
            path(
                "start/<slug:name>/",
                self.admin_site.admin_view(self.start_view),
                name="jobs_job_start",
            )
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        """The list, with a button per startable job (``jobs.api.startable``) for staff who
        may start them."""
        startable = []
        if request.user.has_perm(START_PERMISSION):
            startable = [
                (name, function.job_description) for name, (function, _key) in api.STARTABLE.items()
            ]
        return super().changelist_view(request, {**(extra_context or {}), "startable": startable})

    def start_view(self, request, name: str):
        """POST: enqueue the startable job ``name`` (or find the one already queued or running
        with its key) and go back to the list. 403 without "Can start a background job"."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(START_PERMISSION):
            raise PermissionDenied
        if name not in api.STARTABLE:
            raise Http404("No such job.")
        function, key = api.STARTABLE[name]
        job = api.enqueue(function, key=key, user=request.user)
        self.message_user(
            request, f"“{function.job_description}” is job {job.pk}.", messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:jobs_job_changelist"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # A job names its record and may quote it in its error: only staff who read every
        # record (MINUTEBOOK_JOBS_READER_PERMISSION) see the list, whatever "view job" says.
        return super().has_view_permission(request, obj) and request.user.has_perm(
            settings.MINUTEBOOK_JOBS_READER_PERMISSION
        )

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm(RETRY_PERMISSION)

    @admin.display(description="record")
    def record(self, job: Job) -> str:
        if not job.record_label:
            return "—"
        return job.record_name or f"{job.record_label} {job.record_pk}"

    @admin.display(description="progress")
    def progress_shown(self, job: Job) -> str:
        """The job's last report; for a running job the live one from the cache (a task inside
        its own transaction reports there first). One cache read for a running job."""
        if job.status == Job.Status.RUNNING:
            reported = cache.get(progress_key(job.pk))
            if reported is not None:
                job.progress_done, job.progress_total, job.progress_message = reported
        return job.progress or "—"

    @admin.display(description="error")
    def error_line(self, job: Job) -> str:
        return job.error.splitlines()[0][:120] if job.error else ""

    @admin.display(description="traceback")
    def traceback_shown(self, job: Job) -> str:
        # format_html escapes the traceback: it can quote record text.
        return (
            format_html('<pre class="job-traceback">{}</pre>', job.traceback)
            if job.traceback
            else "—"
        )

    @admin.action(description="Retry the selected failed jobs", permissions=["retry"])
    def retry_failed(self, request, queryset) -> None:
        """A new attempt of each selected failed job (others are left alone: retrying twice
        runs once). Each runs when this request's transaction commits."""
        retried = skipped = 0
        for job in queryset:
            if job.status != Job.Status.FAILED:
                skipped += 1
                continue
            api.retry(job, user=request.user)
            retried += 1
        if retried:
            self.message_user(request, f"{retried} job(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} job(s) were not failed and were left alone.", messages.WARNING
            )

    @admin.action(
        description="Mark the selected jobs running past the time limit as failed",
        permissions=["retry"],
    )
    def fail_stale(self, request, queryset) -> None:
        """The selected jobs "running" past ``MINUTEBOOK_TASKS_TIMEOUT`` (their worker
        stopped) are marked failed, ready to retry; the others are left alone."""
        count = api.fail_stale(queryset)
        self.message_user(request, f"{count} stale job(s) marked failed.", messages.SUCCESS)
