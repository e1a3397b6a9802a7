"""Job functions for the tests (module level, as a worker imports them by path)."""

from django.core.cache import cache
from django.db.models import F

from jobs.api import job, progress
from jobs.models import Job

SEEN_KEY = "tests:jobs:seen"


@job("Count to a number")
def count_to(number: int) -> int:
    """Reports progress as it goes and records the status its own job had while running."""
    seen = cache.get(SEEN_KEY, [])
    running = Job.objects.filter(task="tests.jobs.tasks.count_to", status=Job.Status.RUNNING)
    seen.append(running.get().status)
    cache.set(SEEN_KEY, seen)
    for done in range(1, number + 1):
        progress(done, number, f"counted {done}")
    return number


@job("Fail on purpose")
def fail_with(message: str) -> None:
    raise ValueError(message)


@job("Fail the first time")
def fail_once(flag: str) -> None:
    """Fails until ``flag`` is set in the cache, then sets nothing else: idempotent."""
    if not cache.get(flag):
        cache.set(flag, True)
        raise RuntimeError("the broker hiccupped")


@job("Outlived by its retry")
def outlived_by_retry() -> None:
    """While it runs, its job is marked failed as stale and retried elsewhere (attempt 2 now
    running), as when staff gave up on a worker that was only slow."""
    Job.objects.filter(task="tests.jobs.tasks.outlived_by_retry").update(
        status=Job.Status.RUNNING, attempts=F("attempts") + 1
    )


def not_a_job() -> None:
    """Not marked with jobs.api.job: enqueue refuses it, the runner will not call it."""
