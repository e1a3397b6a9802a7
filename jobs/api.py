"""Running work in the background: mark a function as a job, enqueue it, report progress.

    from jobs.api import enqueue, job, progress

    @job("Render the minutes PDFs")
    def render_minutes_pdfs(meeting_pk: int) -> None:
        ...
        progress(1, 3, "public")

    enqueue(render_minutes_pdfs, meeting.pk, key=f"pdf:minutes:{meeting.pk}", record=meeting)

A job's function takes JSON arguments (ids, strings), reads the records it needs when it runs
and must be idempotent: running it twice gives the same result, because a failed job is
retried by staff and a broker may deliver a job twice. ``enqueue`` writes the Job row at once
(inside the caller's transaction: rolled back with it) and hands the job to the task backend
when that transaction commits, so the job always sees the caller's data.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Job
from .runner import MARK, report_progress, run_job

logger = logging.getLogger(__name__)

#: Re-exported: ``progress(done, total, message)`` inside a job's function.
progress = report_progress


def job(description: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a module-level function as runnable by ``enqueue``; ``description`` is what staff
    read in the jobs list ("Rebuild the search index")."""

    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        setattr(function, MARK, True)
        function.job_description = description
        return function

    return mark


#: Jobs staff may start from the jobs list (``startable``): name -> (function, key).
STARTABLE: dict[str, tuple[Callable[..., Any], str]] = {}


def startable(function: Callable[..., Any], *, name: str, key: str) -> None:
    """Offer a job without arguments (a full rebuild) as a button of the admin's jobs list, to
    staff holding "Can start a background job". ``name`` names it in the address; ``key`` is
    its idempotency key, so pressing twice enqueues once. Called from an app's ``ready()``."""
    _path(function)  # refuses an unmarked function now, not when pressed
    STARTABLE[name] = (function, key)


def _path(function: Callable[..., Any]) -> str:
    if not getattr(function, MARK, False):
        raise TypeError(f"{function!r} is not marked as a job: decorate it with jobs.api.job(...)")
    return f"{function.__module__}.{function.__qualname__}"


def _record(record: Any) -> tuple[str, str, str]:
    """(label, pk, name) of a model instance or a ``(label, pk)`` pair; blanks for None."""
    if record is None:
        return "", "", ""
    if isinstance(record, tuple):
        label, pk = record
        return str(label), str(pk), ""
    return record._meta.label_lower, str(record.pk), str(record)[:300]


def enqueue(
    function: Callable[..., Any],
    *args: Any,
    key: str = "",
    record: Any = None,
    user: Any = None,
) -> Job:
    """Enqueue ``function(*args)`` as a job and return its Job row.

    ``key`` makes the job idempotent at the queue: while a job with the same key is queued or
    running, that job is returned and nothing new is enqueued (a named partial unique
    constraint holds it under concurrency). ``record`` (a model instance or a ``(label, pk)``
    pair) says which record the job is for; ``user`` who asked for it.

    Costs: a SELECT of an active job with the key (when given) and an INSERT in a savepoint;
    the backend hears of the job when the current transaction commits (at once outside one).
    """
    path = _path(function)
    arguments = json.loads(json.dumps(list(args)))  # refuses what JSON cannot carry, now
    if key:
        existing = Job.objects.filter(key=key, status__in=Job.ACTIVE).first()
        if existing is not None:
            return existing
    label, pk, name = _record(record)
    try:
        with transaction.atomic():
            new = Job.objects.create(
                task=path,
                description=getattr(function, "job_description", "")[:300],
                arguments=arguments,
                key=key[:300],
                record_label=label,
                record_pk=pk,
                record_name=name,
                requested_by=user if getattr(user, "pk", None) else None,
            )
    except IntegrityError:
        # Another process enqueued the same key between our SELECT and INSERT.
        existing = Job.objects.filter(key=key, status__in=Job.ACTIVE).first()
        if existing is None:
            raise
        return existing
    transaction.on_commit(lambda: dispatch(new.pk))
    return new


def latest_for(record: Any) -> Job | None:
    """The last job enqueued for ``record`` (a model instance or a ``(label, pk)`` pair), for a
    page that shows how its import or render is going; None if none. One query."""
    label, pk, _name = _record(record)
    return Job.objects.filter(record_label=label, record_pk=pk).first()


def retry(job: Job, *, user: Any = None) -> Job:
    """A new attempt of a failed job: back to queued and handed to the backend on commit.
    Returns the job that will run: this one, or the job already queued or running with its key
    (then this one stays failed). A job that is not failed is returned as it is, so retrying
    twice runs once. One conditional UPDATE (and a SELECT when the key is taken)."""
    try:
        with transaction.atomic():
            moved = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
                status=Job.Status.QUEUED,
                finished_at=None,
                requested_by=user if getattr(user, "pk", None) else job.requested_by,
            )
    except IntegrityError:
        return Job.objects.filter(key=job.key, status__in=Job.ACTIVE).first() or job
    if moved:
        transaction.on_commit(lambda: dispatch(job.pk))
    job.refresh_from_db()
    return job


def fail_stale(jobs: QuerySet[Job] | None = None, *, now: datetime.datetime | None = None) -> int:
    """Mark failed the jobs (of ``jobs``, else all) "running" for longer than
    ``MINUTEBOOK_TASKS_TIMEOUT``: their worker died (a live one stops a job at that age and
    records it), so staff can retry them and their keys are free. Returns how many. One UPDATE."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.MINUTEBOOK_TASKS_TIMEOUT)
    jobs = Job.objects.all() if jobs is None else jobs
    return jobs.filter(status=Job.Status.RUNNING, started_at__lt=cutoff).update(
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        error=f"No word from its worker for more than {settings.MINUTEBOOK_TASKS_TIMEOUT} "
        "seconds: the worker stopped. Retry the job.",
    )


def dispatch(job_id: int) -> None:
    """Hand the job to the task backend (``settings.TASKS``) on the jobs queue. A backend
    that cannot be reached (Redis down) fails the job with the reason, so staff can retry it
    rather than wait for a job no worker will ever see."""
    try:
        result = run_job.using(queue_name=settings.MINUTEBOOK_TASKS_QUEUE).enqueue(job_id)
    except Exception as exc:  # the broker's errors are not ours to enumerate
        logger.exception("Job %s could not be handed to the task backend", job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error=f"The job could not be handed to the task backend: {type(exc).__name__}: {exc}",
        )
        return
    Job.objects.filter(pk=job_id).update(backend_id=result.id[:64])
