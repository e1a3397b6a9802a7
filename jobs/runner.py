"""The one django-tasks task every job runs through: ``run_job(job_id)``.

It claims the job (queued -> running, one conditional UPDATE, so a job delivered twice runs
once), imports the job's function by its path (only functions marked with ``jobs.api.job``),
calls it with the stored arguments and records the outcome: succeeded, or failed with the error
and its traceback. The broker only ever carries a job's id; what to run is in the database.

Progress (``report_progress``) goes to the shared cache at once and to the job's row when the
task is not inside a transaction of its own (a transaction's writes are invisible to the admin
until it commits); the wrapper writes the last report to the row when the job ends.
"""

from __future__ import annotations

import contextvars
import traceback as tb

from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import Job

#: The attribute ``jobs.api.job`` sets on a function that may be run as a job.
MARK = "_minutebook_job"
PROGRESS_PREFIX = "minutebook:jobs:progress:"
PROGRESS_SECONDS = 24 * 3600

_current: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "minutebook_job", default=None
)


class NotAJob(Exception):
    """The stored path does not name a function marked as a job."""


def progress_key(job_id: int) -> str:
    return f"{PROGRESS_PREFIX}{job_id}"


def resolve(path: str):
    """The function at ``path`` if it is marked as a job; NotAJob otherwise (a row edited in
    the database cannot make a worker call an arbitrary function)."""
    try:
        function = import_string(path)
    except ImportError as exc:
        raise NotAJob(f"{path} cannot be imported: {exc}") from exc
    if not getattr(function, MARK, False):
        raise NotAJob(f"{path} is not marked as a job (jobs.api.job)")
    return function


def report_progress(done: int, total: int | None = None, message: str = "") -> None:
    """Record how far the running job has got; nothing when called outside a job. One cache
    write, and one UPDATE when not inside a transaction."""
    job_id = _current.get()
    if job_id is None:
        return
    done = max(0, int(done))
    if total is not None:
        total = max(0, int(total))
        done = min(done, total)
    message = message[:300]
    cache.set(progress_key(job_id), (done, total, message), PROGRESS_SECONDS)
    if not connection.in_atomic_block:
        Job.objects.filter(pk=job_id).update(
            progress_done=done, progress_total=total, progress_message=message
        )


def _last_progress(job_id: int) -> dict:
    reported = cache.get(progress_key(job_id))
    if reported is None:
        return {}
    cache.delete(progress_key(job_id))
    done, total, message = reported
    return {"progress_done": done, "progress_total": total, "progress_message": message}


@task()
def run_job(job_id: int) -> str:
    """Run the job ``job_id`` once and record its outcome. Returns the job's status. A job that
    is not queued (already run, running elsewhere, or gone) is left alone. Re-raises the
    task's exception after recording it, so the backend sees the failure too.

    Costs: the claiming UPDATE, the job's read, the task's own queries, the closing UPDATE."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, finished_at=None, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    # The closing UPDATEs are this attempt's only: a run marked failed as stale (its worker
    # thought dead) and retried meanwhile does not overwrite the retry's outcome.
    this_run = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, attempts=job.attempts)
    token = _current.set(job_id)
    try:
        function = resolve(job.task)
        function(*job.arguments)
    except Exception as exc:
        this_run.update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:5000],
            traceback="".join(tb.format_exception(exc)),
            **_last_progress(job_id),
        )
        raise
    finally:
        _current.reset(token)
    this_run.update(
        status=Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        error="",
        traceback="",
        **_last_progress(job_id),
    )
    return Job.Status.SUCCEEDED
