"""``manage.py sweep_imports``: originals whose import review was left unfinished are removed."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from documents import tasks
from documents.services import waiting_storage
from jobs.models import Job

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def waiting(name: str, days_old: float) -> str:
    storage = waiting_storage()
    stored = storage.save(name, ContentFile(b"To: Board\n\nA paper\n"))
    then = time.time() - days_old * DAY
    os.utime(storage.path(stored), (then, then))
    return stored


def sweep(*args) -> str:
    out = io.StringIO()
    call_command("sweep_imports", *args, stdout=out)
    return out.getvalue()


def test_an_upload_left_for_a_fortnight_goes_with_its_draft_and_a_recent_one_stays():
    storage = waiting_storage()
    old = waiting("imports/oldupload", 15)
    draft = waiting(tasks.draft_name(old), 15)
    command_upload = waiting("imports/abc123/paper.docx", 20)
    recent = waiting("imports/recentupload", 2)
    out = sweep()
    for name in (old, draft, command_upload):
        assert not storage.exists(name)
        assert f"Removed {name}" in out
    assert storage.exists(recent)
    assert "3 waiting file(s) older than 14 days removed." in out


def test_an_upload_a_job_is_still_reading_stays_however_old():
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    old = waiting("imports/queuedupload", 30)
    with override_settings(TASKS=dummy):
        job = tasks.enqueue_read(old, name="paper.docx")
    assert job.status == Job.Status.QUEUED
    assert "0 waiting file(s)" in sweep()
    assert waiting_storage().exists(old)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    assert f"Removed {old}" in sweep()


def test_a_dry_run_lists_and_removes_nothing_and_a_bad_age_is_refused():
    old = waiting("imports/dryupload", 40)
    out = sweep("--dry-run", "--days", "30")
    assert f"Would remove {old}" in out and "1 waiting file(s) older than 30 days would be" in out
    assert waiting_storage().exists(old)
    with pytest.raises(CommandError, match="--days must be 1 or more; got 0"):
        sweep("--days", "0")


def test_the_original_of_a_failed_import_job_stays_for_its_retry():
    """A failed import is retried from its original (the jobs list's Retry): never swept."""
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    old = waiting("imports/failedimport/paper.txt", 30)
    from tests.factories import BoardFactory

    with override_settings(TASKS=dummy):
        job = tasks.enqueue_import(old, board_id=BoardFactory().pk, name="paper.txt")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
    assert "0 waiting file(s)" in sweep()
    assert waiting_storage().exists(old)


def test_an_old_upload_whose_draft_was_read_lately_stays_with_it():
    old = waiting("imports/readlately", 20)
    draft = waiting(tasks.draft_name(old), 1)
    assert "0 waiting file(s)" in sweep()
    assert waiting_storage().exists(old) and waiting_storage().exists(draft)
