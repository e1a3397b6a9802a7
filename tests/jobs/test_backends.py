"""The two ways jobs run: the embedded default (no broker: in the process, once the
transaction commits) and Redis with RQ workers on any host (a real Redis at 127.0.0.1:6379, a
burst worker on a queue of this test's own)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from jobs import api
from jobs.models import Job

from . import tasks

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"


def settings_of(**env) -> dict:
    """TASKS and INSTALLED_APPS as ``minutebook.settings`` reads them from ``env`` alone, in a
    fresh interpreter (the module reads the environment once, on import)."""
    script = (
        "import json, minutebook.settings as s; "
        "print(json.dumps({'TASKS': s.TASKS, 'rq': 'django_rq' in s.INSTALLED_APPS}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINUTEBOOK_", "DJANGO_"))}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_make_run_settings_need_no_broker_and_run_a_job_in_the_process(
    django_capture_on_commit_callbacks,
):
    found = settings_of(DJANGO_DEBUG="1")  # what `make run` sets
    assert found["TASKS"]["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )
    assert found["rq"] is False
    cache.clear()
    with (
        override_settings(TASKS=found["TASKS"]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = api.enqueue(tasks.count_to, 2)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def test_a_redis_url_switches_jobs_to_rq_workers():
    found = settings_of(MINUTEBOOK_TASKS_REDIS_URL="redis://redis.internal:6379/2")
    assert found["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert found["rq"] is True


def test_a_redis_url_that_is_not_one_is_refused_naming_the_variable():
    with pytest.raises(subprocess.CalledProcessError) as raised:
        settings_of(MINUTEBOOK_TASKS_REDIS_URL="127.0.0.1:6379")
    assert "MINUTEBOOK_TASKS_REDIS_URL must start with redis://" in raised.value.stderr


@pytest.fixture
def rq_queue():
    """A queue of this test's own on a real Redis, emptied afterwards; skipped without Redis."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis is not running at {REDIS_URL} ({exc}); the RQ backend is not tested")
    name = f"minutebook-test-{uuid.uuid4().hex[:12]}"
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}},
        RQ_QUEUES={name: {"URL": REDIS_URL}},
        MINUTEBOOK_TASKS_QUEUE=name,
    ):
        import django_rq

        queue = django_rq.get_queue(name)
        yield queue
        queue.empty()
        for registry in (queue.finished_job_registry, queue.failed_job_registry):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
        queue.delete(delete_jobs=True)


def test_jobs_go_through_redis_to_a_worker_that_records_their_outcome(
    rq_queue, django_capture_on_commit_callbacks
):
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = api.enqueue(tasks.count_to, 3, key="rq:count")
        failed = api.enqueue(tasks.fail_with, "no paper body")
    done.refresh_from_db()
    failed.refresh_from_db()
    # Handed to Redis, not run: nothing runs in the web process.
    assert (done.status, failed.status) == (Job.Status.QUEUED, Job.Status.QUEUED)
    assert rq_queue.count == 2
    assert done.backend_id

    worker = SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=RQJob)
    worker.work(burst=True)

    done.refresh_from_db()
    failed.refresh_from_db()
    assert (done.status, done.attempts, done.progress) == (
        Job.Status.SUCCEEDED,
        1,
        "3 of 3: counted 3",
    )
    assert failed.status == Job.Status.FAILED
    assert failed.error == "ValueError: no paper body"
    assert "Traceback" in failed.traceback
    assert rq_queue.count == 0
