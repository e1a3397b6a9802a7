"""``manage.py import_paper FILE [--board SLUG] [--meeting YYYY-MM-DD] [--job]``."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from boards.models import Paper
from documents import tasks
from documents.services import waiting_storage
from jobs import api
from jobs.models import Job
from jobs.runner import run_job
from tests.factories import BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db

TEXT = "To: Board\n\nDate: 1 April 2016\n\nA paper\n\n1. Purpose\n\n1.1 To inform.\n"


@pytest.fixture
def paper_file(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_paper", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_the_drafts_admin_address(paper_file):
    board = BoardFactory(slug="bcb")
    meeting = MeetingFactory(board=board, date=datetime.date(2016, 4, 1))
    address = run(str(paper_file), "--board", "bcb", "--meeting", "2016-04-01")
    paper = Paper.objects.get()
    assert address == reverse("admin:boards_paper_change", args=[paper.pk])
    assert (paper.meeting, paper.status) == (meeting, Paper.Status.DRAFT)


def test_a_missing_file_is_named(tmp_path):
    BoardFactory(slug="bcb")
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.docx"), "--board", "bcb")


def test_an_unknown_board_is_named_with_the_boards_there_are(paper_file):
    BoardFactory(slug="bcb")
    with pytest.raises(CommandError, match="No board “fsg”. Boards: bcb"):
        run(str(paper_file), "--board", "fsg")


def test_no_meeting_that_day_is_said(paper_file):
    BoardFactory(slug="bcb")
    with pytest.raises(CommandError, match="has no meeting on 2 April 2016"):
        run(str(paper_file), "--board", "bcb", "--meeting", "2016-04-02")
    assert not Paper.objects.exists()


def test_an_unreadable_file_is_refused_with_the_reason(tmp_path):
    BoardFactory(slug="bcb")
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(CommandError, match="UTF-8"):
        run(str(path), "--board", "bcb")


def test_job_enqueues_the_import_and_prints_the_jobs_admin_address(
    paper_file, django_capture_on_commit_callbacks
):
    BoardFactory(slug="bcb")
    with django_capture_on_commit_callbacks(execute=True):
        address = run(str(paper_file), "--board", "bcb", "--job")
    job = Job.objects.get(task="documents.tasks.import_waiting_paper")
    assert address == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.task == "documents.tasks.import_waiting_paper"
    assert job.status == Job.Status.SUCCEEDED
    paper = Paper.objects.get()
    assert (job.record_label, job.record_pk) == ("boards.paper", str(paper.pk))
    assert paper.title == "A paper" and paper.status == Paper.Status.DRAFT
    assert not waiting_storage().exists(job.arguments[0])
    # Delivered again (a broker's second delivery, a retry): the same paper, no other.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    assert run_job.call(job.pk) == Job.Status.SUCCEEDED
    assert Paper.objects.count() == 1


def test_job_with_no_worker_yet_leaves_the_job_queued_and_imports_nothing(paper_file):
    BoardFactory(slug="bcb")
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        address = run(str(paper_file), "--job")
    job = Job.objects.get(task="documents.tasks.import_waiting_paper")
    assert address == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.status == Job.Status.QUEUED
    assert (job.record_label, job.record_name) == ("documents.upload", "paper.txt")
    assert not Paper.objects.exists()


def test_job_that_fails_is_retried_once_its_cause_is_fixed(
    paper_file, monkeypatch, django_capture_on_commit_callbacks
):
    BoardFactory(slug="bcb")

    def broken(*args, **kwargs):
        raise OSError("the database went away")

    monkeypatch.setattr(tasks, "import_paper", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run(str(paper_file), "--job")
    job = Job.objects.get(task="documents.tasks.import_waiting_paper")
    assert job.status == Job.Status.FAILED and "the database went away" in job.error
    assert not Paper.objects.exists()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        api.retry(job)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert Paper.objects.get().title == "A paper"


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_import_at_once_save_one_paper(paper_file, monkeypatch):
    """A run given up as stale while still alive, and its retry: both read the upload at once,
    then take turns on the job's row, and the second returns the first's paper."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    BoardFactory(slug="bcb")
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        run(str(paper_file), "--job")
    job = Job.objects.get(task="documents.tasks.import_waiting_paper")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    both_reading = threading.Barrier(2, timeout=20)
    storage = waiting_storage()

    class Together:
        """The waiting storage, each run opening the upload only once both are there."""

        def open(self, name, mode="rb"):
            both_reading.wait()
            return storage.open(name, mode)

        def __getattr__(self, name):
            return getattr(storage, name)

    monkeypatch.setattr(tasks, "waiting_storage", lambda: Together())
    results, errors = [], []

    def one_run():
        try:
            results.append(tasks.import_waiting_paper(*job.arguments))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(timeout=60)
    assert errors == []
    assert Paper.objects.count() == 1
    assert results == [Paper.objects.get().pk] * 2
    assert not storage.exists(job.arguments[0])


def test_a_run_given_up_as_stale_that_then_saves_tells_its_retry_which_paper(
    paper_file, django_capture_on_commit_callbacks
):
    """The runner gave the first run up (its row failed), but it was alive and saved the
    paper: the row names the paper anyway, so the retry returns it and saves no other."""
    BoardFactory(slug="bcb")
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        run(str(paper_file), "--job")
    job = Job.objects.get(task="documents.tasks.import_waiting_paper")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="worker stopped")
    first = tasks.import_waiting_paper(*job.arguments)  # the stale run, finishing
    job.refresh_from_db()
    assert (job.record_label, job.record_pk) == ("boards.paper", str(first))
    with django_capture_on_commit_callbacks(execute=True):
        api.retry(job)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert list(Paper.objects.values_list("pk", flat=True)) == [first]
