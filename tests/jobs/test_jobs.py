"""A job's life: queued when enqueued, running while its function runs, succeeded or failed
(error and traceback kept and shown to staff); retried by staff with the permission; one active
job per idempotency key; nothing runs before the enqueuing transaction commits."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from jobs import api
from jobs.models import Job
from jobs.runner import progress_key, run_job
from tests.factories import MeetingFactory, UserFactory

from . import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_job_is_queued_until_the_enqueuing_transaction_commits_then_runs(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = api.enqueue(tasks.count_to, 3)
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert cache.get(tasks.SEEN_KEY) == [Job.Status.RUNNING]
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.progress) == (3, 3, "3 of 3: counted 3")
    assert job.attempts == 1
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    assert job.description == "Count to a number"
    assert job.arguments == [3]


def test_a_rolled_back_transaction_takes_its_job_with_it(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        api.enqueue(tasks.count_to, 1)
        raise RuntimeError("the approval failed")
    assert callbacks == []
    assert not Job.objects.exists()


def test_a_raising_task_fails_its_job_with_the_error_and_traceback(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = api.enqueue(tasks.fail_with, "the paper has no body")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "ValueError: the paper has no body"
    assert "Traceback" in job.traceback and "fail_with" in job.traceback
    assert job.finished_at is not None


def test_the_record_a_job_is_for_is_named_and_its_latest_job_found(
    django_capture_on_commit_callbacks,
):
    meeting, other = MeetingFactory(), MeetingFactory()
    assert api.latest_for(meeting) is None
    with django_capture_on_commit_callbacks(execute=True):
        api.enqueue(tasks.count_to, 1, record=meeting)
    job = api.enqueue(tasks.fail_with, "later", record=meeting)
    api.enqueue(tasks.count_to, 1, record=other)
    assert (job.record_label, job.record_pk, job.record_name) == (
        "boards.meeting",
        str(meeting.pk),
        str(meeting),
    )
    assert api.latest_for(meeting) == job
    assert api.latest_for(("boards.meeting", meeting.pk)) == job


def test_enqueuing_a_key_already_queued_returns_that_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = api.enqueue(tasks.count_to, 2, key="count:2")
        second = api.enqueue(tasks.count_to, 2, key="count:2")
    assert second.pk == first.pk
    assert Job.objects.count() == 1
    assert len(callbacks) == 1


def test_a_key_is_free_again_once_its_job_has_finished(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = api.enqueue(tasks.count_to, 2, key="count:2")
    with django_capture_on_commit_callbacks(execute=True):
        second = api.enqueue(tasks.count_to, 2, key="count:2")
    assert second.pk != first.pk
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.SUCCEEDED}


def test_the_database_refuses_a_second_active_job_with_one_key():
    Job.objects.create(task="tests.jobs.tasks.count_to", key="k", status=Job.Status.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(task="tests.jobs.tasks.count_to", key="k")
    # Finished jobs and jobs without a key are not held by it.
    Job.objects.create(task="tests.jobs.tasks.count_to", key="k", status=Job.Status.FAILED)
    Job.objects.create(task="tests.jobs.tasks.count_to")
    Job.objects.create(task="tests.jobs.tasks.count_to")


def test_a_job_delivered_twice_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = api.enqueue(tasks.count_to, 1)
    assert run_job.call(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1
    assert cache.get(tasks.SEEN_KEY) == [Job.Status.RUNNING]


def test_only_functions_marked_as_jobs_are_enqueued_or_run(django_capture_on_commit_callbacks):
    with pytest.raises(TypeError):
        api.enqueue(tasks.not_a_job)
    # A row pointing elsewhere (written to the database by hand) fails instead of running it.
    job = Job.objects.create(task="tests.jobs.tasks.not_a_job")
    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(lambda: api.dispatch(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "not marked as a job" in job.error


def test_arguments_json_cannot_carry_are_refused_at_once():
    with pytest.raises(TypeError):
        api.enqueue(tasks.count_to, object())
    assert not Job.objects.exists()


def test_retrying_a_failed_job_makes_a_new_attempt_and_retrying_twice_runs_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = api.enqueue(tasks.fail_once, "tests:flag", key="flaky")
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api.retry(job)
        api.retry(job)  # already queued: left alone
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error, job.traceback) == (
        Job.Status.SUCCEEDED,
        2,
        "",
        "",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert api.retry(job).status == Job.Status.SUCCEEDED  # not failed: nothing to retry
    assert callbacks == []


def test_retrying_a_failed_job_whose_key_is_taken_returns_the_active_job(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        failed = api.enqueue(tasks.fail_with, "no", key="same")
    with django_capture_on_commit_callbacks(execute=False):
        active = api.enqueue(tasks.count_to, 1, key="same")
        assert api.retry(failed).pk == active.pk
    failed.refresh_from_db()
    assert failed.status == Job.Status.FAILED


def test_a_broker_that_cannot_be_reached_fails_the_job_so_it_can_be_retried(
    django_capture_on_commit_callbacks, monkeypatch
):
    def unreachable(self, *args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(type(run_job), "enqueue", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        job = api.enqueue(tasks.count_to, 1, key="count")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "could not be handed to the task backend" in job.error
    assert "Connection refused" in job.error


# -- the admin -------------------------------------------------------------------------------


def failed_job(django_capture_on_commit_callbacks, message="<b>boom</b>") -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = api.enqueue(tasks.fail_with, message)
    job.refresh_from_db()
    return job


def test_staff_see_jobs_by_status_with_the_error_and_the_traceback_escaped(
    staff_client, django_capture_on_commit_callbacks
):
    job = failed_job(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        api.enqueue(tasks.count_to, 2)
    listing = staff_client.get("/admin/jobs/job/?status__exact=failed").content.decode()
    assert "Fail on purpose" in listing and "Count to a number" not in listing
    assert "ValueError: &lt;b&gt;boom&lt;/b&gt;" in listing
    detail = staff_client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "Traceback (most recent call last)" in detail
    assert "&lt;b&gt;boom&lt;/b&gt;" in detail and "<b>boom</b>" not in detail
    done = staff_client.get("/admin/jobs/job/?status__exact=succeeded").content.decode()
    assert "2 of 2: counted 2" in done


def test_jobs_are_not_added_or_edited_by_hand(staff_client, django_capture_on_commit_callbacks):
    job = failed_job(django_capture_on_commit_callbacks)
    assert staff_client.get("/admin/jobs/job/add/").status_code == 403
    response = staff_client.post(f"/admin/jobs/job/{job.pk}/change/", {"status": "succeeded"})
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_the_public_and_a_board_member_see_no_jobs(client, member_user):
    assert client.get("/admin/jobs/job/").status_code == 302  # to the admin's sign-in
    member = Client()
    member.force_login(member_user)
    assert member.get("/admin/jobs/job/").status_code == 302


def retry_post(client, job):
    return client.post(
        "/admin/jobs/job/", {"action": "retry_failed", "_selected_action": [job.pk]}, follow=True
    )


def test_staff_with_the_permission_retry_a_failed_job_from_the_list(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = api.enqueue(tasks.fail_once, "tests:admin-flag")
    with django_capture_on_commit_callbacks(execute=True):
        response = retry_post(staff_client, job)
    assert "1 job(s) queued again." in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)


def test_staff_without_the_permission_cannot_retry(django_capture_on_commit_callbacks):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_job", "read_restricted"])
    )
    client = Client()
    client.force_login(viewer)
    job = failed_job(django_capture_on_commit_callbacks)
    listing = client.get("/admin/jobs/job/").content.decode()
    assert "Fail on purpose" in listing and "retry_failed" not in listing
    with django_capture_on_commit_callbacks(execute=True):
        retry_post(client, job)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)


def test_a_job_left_running_by_a_dead_worker_is_marked_failed_then_retried(
    staff_client, django_capture_on_commit_callbacks, settings
):
    settings.MINUTEBOOK_TASKS_TIMEOUT = 60
    now = timezone.now()
    stale = Job.objects.create(
        task="tests.jobs.tasks.count_to",
        arguments=[1],
        key="count",
        status=Job.Status.RUNNING,
        started_at=now - datetime.timedelta(seconds=61),
        attempts=1,
    )
    alive = Job.objects.create(
        task="tests.jobs.tasks.fail_with",
        arguments=["still going"],
        status=Job.Status.RUNNING,
        started_at=now - datetime.timedelta(seconds=30),
        attempts=1,
    )
    response = staff_client.post(
        "/admin/jobs/job/",
        {"action": "fail_stale", "_selected_action": [stale.pk, alive.pk]},
        follow=True,
    )
    assert "1 stale job(s) marked failed." in response.content.decode()
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.status == Job.Status.FAILED and "worker stopped" in stale.error
    assert alive.status == Job.Status.RUNNING
    with django_capture_on_commit_callbacks(execute=True):
        api.retry(stale)
    stale.refresh_from_db()
    assert (stale.status, stale.attempts) == (Job.Status.SUCCEEDED, 2)


def test_a_running_jobs_live_progress_is_shown_from_the_shared_cache(staff_client):
    """A task inside its own transaction reports to the cache first (its row is updated when it
    ends), so the list shows the live report."""
    job = Job.objects.create(
        task="tests.jobs.tasks.count_to", status=Job.Status.RUNNING, started_at=timezone.now()
    )
    cache.set(progress_key(job.pk), (2, 5, "papers: 5000…"))
    assert "2 of 5: papers: 5000…" in staff_client.get("/admin/jobs/job/").content.decode()


def test_the_jobs_list_is_only_for_staff_who_read_every_record(django_capture_on_commit_callbacks):
    # A job names its record and may quote it in its error: "view job" alone is not enough.
    finance = UserFactory(username="finance", is_staff=True)
    finance.user_permissions.set(Permission.objects.filter(codename="view_job"))
    client = Client()
    client.force_login(finance)
    failed_job(django_capture_on_commit_callbacks)
    assert client.get("/admin/jobs/job/").status_code == 403
    assert "Fail on purpose" not in client.get("/admin/").content.decode()


def test_a_slow_run_given_up_and_retried_does_not_overwrite_the_retrys_outcome(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = api.enqueue(tasks.outlived_by_retry)
    job.refresh_from_db()
    # The first run ended after its retry had started: the row is the retry's, still running.
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 2)
