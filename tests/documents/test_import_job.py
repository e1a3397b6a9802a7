"""The admin import's parse step as a background job: the upload is stored, ``read_paper``
reads it, and the upload's review address shows the job's progress, its failure, or the draft."""

import re

import django_rq
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django_tasks_rq import Job as RQJob
from rq import SimpleWorker

from boards.models import Paper
from documents import admin_import as admin
from documents import tasks
from documents.services import waiting_storage
from jobs import api
from jobs.models import Job
from jobs.runner import progress_key, run_job
from tests.factories import BoardFactory, UserFactory
from tests.jobs.test_backends import rq_queue  # noqa: F401 (the fixture: a queue on a real Redis)

from .test_import_paper_admin import TEXT, URL, review_post

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
PAPER = TEXT.encode()
DAMAGED_ZIP = b"PK\x03\x04 this is not the rest of a zip file"


def post_upload(client, board, data=PAPER, name="paper.txt"):
    """The upload's response (a redirect), after the commit's callbacks ran: the embedded
    backend runs the reading job there."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            URL, {"file": SimpleUploadedFile(name, data), "board": board.pk, "meeting": ""}
        )


def reading_job() -> Job:
    return Job.objects.get(task="documents.tasks.read_paper")


def adder(username: str) -> Client:
    """A member of staff who may add papers (and nothing more)."""
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_paper", "view_paper"]))
    client = Client()
    client.force_login(user)
    return client


def test_an_upload_is_read_by_a_job_and_its_address_shows_the_draft(staff_client, staff_user):
    response = post_upload(staff_client, BoardFactory())
    assert response.status_code == 302
    review = response["Location"]
    assert review.startswith(URL) and review != URL
    job = reading_job()
    assert job.status == Job.Status.SUCCEEDED
    assert job.requested_by == staff_user
    assert (job.record_label, job.record_name) == ("documents.upload", "paper.txt")
    assert re.fullmatch(r"2 of 2: \d+ paragraphs, 1 recommendations, 2 sums of money", job.progress)
    page = staff_client.get(review)
    html = page.content.decode()
    assert page.status_code == 200
    assert review_post(page)["title"] == "Melbourn Police Office"
    assert "The original" in html and "To seek approval &lt;b&gt;now&lt;/b&gt;." in html
    assert 'http-equiv="refresh"' not in html
    assert not Paper.objects.exists()


def test_the_review_page_reads_the_kept_draft_and_parses_nothing(staff_client, monkeypatch):
    review = post_upload(staff_client, BoardFactory())["Location"]

    def no_parse(data):
        raise AssertionError("the request parsed the file")

    monkeypatch.setattr(tasks, "parse", no_parse)
    assert review_post(staff_client.get(review))["title"] == "Melbourn Police Office"


def test_the_draft_is_saved_from_the_review_address_and_its_files_removed(staff_client):
    review = post_upload(staff_client, BoardFactory())["Location"]
    data = review_post(staff_client.get(review))
    data["title"] = "Melbourn Police Office (corrected)"
    saved = staff_client.post(review, data)
    paper = Paper.objects.get()
    assert saved["Location"] == reverse("admin:boards_paper_change", args=[paper.pk])
    assert paper.title == "Melbourn Police Office (corrected)"
    assert waiting_storage().listdir("imports")[1] == []
    gone = staff_client.get(review)
    assert gone.status_code == 410
    assert "no longer available" in gone.content.decode()


def test_a_corrupt_file_fails_its_job_and_the_review_page_says_why(staff_client):
    review = post_upload(staff_client, BoardFactory(), DAMAGED_ZIP, "paper.docx")["Location"]
    job = reading_job()
    assert job.status == Job.Status.FAILED
    assert job.error == "ImportRefused: The file is a damaged zip: it is not a readable .docx."
    page = staff_client.get(review)
    html = page.content.decode()
    assert page.status_code == 200
    assert "The paper could not be read" in html
    assert "The file is a damaged zip: it is not a readable .docx." in html
    assert reverse("admin:jobs_job_change", args=[job.pk]) in html
    assert 'http-equiv="refresh"' not in html
    assert not Paper.objects.exists()


def test_a_failed_read_is_retried_once_its_cause_is_fixed(staff_client, monkeypatch):
    def broken(data):
        raise OSError("the disk went away")

    monkeypatch.setattr(tasks, "parse", broken)
    review = post_upload(staff_client, BoardFactory())["Location"]
    job = reading_job()
    assert job.status == Job.Status.FAILED
    assert "the disk went away" in staff_client.get(review).content.decode()
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        api.retry(job)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert review_post(staff_client.get(review))["title"] == "Melbourn Police Office"


def test_reading_an_upload_twice_gives_the_same_one_draft(staff_client):
    post_upload(staff_client, BoardFactory())
    upload = reading_job().arguments[0]
    first = tasks.read_draft(upload)
    tasks.read_paper(upload)
    assert tasks.read_draft(upload) == first
    assert sorted(waiting_storage().listdir("imports")[1]) == sorted(
        [upload.rsplit("/")[-1], tasks.draft_name(upload).rsplit("/")[-1]]
    )


@override_settings(TASKS=DUMMY)
def test_with_no_worker_yet_the_review_page_says_it_is_waiting_and_refreshes(staff_client):
    review = post_upload(staff_client, BoardFactory())["Location"]
    job = reading_job()
    assert job.status == Job.Status.QUEUED
    page = staff_client.get(review)
    html = page.content.decode()
    assert page.status_code == 200
    assert "waiting to be read" in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert f'<a href="{review}">Refresh now</a>' in html
    assert "The original" not in html
    # A worker picks it up and reports progress: the page shows how far it has got.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    cache.set(progress_key(job.pk), (1, 2, "31 paragraphs"), 60)
    assert "being read by a background job (running: 1 of 2: 31 paragraphs)" in (
        staff_client.get(review).content.decode()
    )
    # Once it has run, the same address shows the draft.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    assert run_job.call(job.pk) == Job.Status.SUCCEEDED
    assert review_post(staff_client.get(review))["title"] == "Melbourn Police Office"


def test_another_member_of_staff_cannot_open_someones_upload(staff_client):
    uploader = adder("uploader")
    review = post_upload(uploader, BoardFactory())["Location"]
    assert uploader.get(review).status_code == 200
    other = adder("colleague")
    assert other.get(review).status_code == 403
    data = review_post(uploader.get(review))
    assert other.post(review, data).status_code == 403
    assert staff_client.get(review).status_code == 403  # a superuser too: tickets are personal
    assert not Paper.objects.exists()


def test_staff_who_may_not_add_papers_cannot_open_even_their_own_upload(db):
    client = adder("uploader")
    review = post_upload(client, BoardFactory())["Location"]
    user = UserFactory._meta.model.objects.get(username="uploader")
    user.user_permissions.remove(Permission.objects.get(codename="add_paper"))
    assert client.get(review).status_code == 403


def test_saving_from_the_review_address_needs_the_csrf_token(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    page = client.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            URL,
            {
                "file": SimpleUploadedFile("paper.txt", TEXT.encode()),
                "board": BoardFactory().pk,
                "meeting": "",
                "csrfmiddlewaretoken": token.group(1),
            },
        )
    review = response["Location"]
    data = review_post(client.get(review))
    assert (
        client.post(
            review, {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
        ).status_code
        == 403
    )
    assert not Paper.objects.exists()
    assert client.post(review, data).status_code == 302
    assert Paper.objects.count() == 1


def test_an_unknown_or_expired_address_says_so(staff_client, monkeypatch):
    review = post_upload(staff_client, BoardFactory())["Location"]
    unknown = staff_client.get(review[:-4] + "abc/")
    assert unknown.status_code == 404
    assert "Unknown import" in unknown.content.decode()
    monkeypatch.setattr("documents.admin_import.TICKET_SECONDS", -1)
    expired = staff_client.get(review)
    assert expired.status_code == 410
    assert "This import has expired" in expired.content.decode()


@pytest.mark.usefixtures("rq_queue")
def test_with_redis_a_worker_reads_the_upload_and_the_page_then_shows_the_draft(staff_client):
    queue = django_rq.get_queue(settings.MINUTEBOOK_TASKS_QUEUE)
    review = post_upload(staff_client, BoardFactory())["Location"]
    assert reading_job().status == Job.Status.QUEUED
    assert "waiting to be read" in staff_client.get(review).content.decode()
    SimpleWorker([queue], connection=queue.connection, job_class=RQJob).work(burst=True)
    assert reading_job().status == Job.Status.SUCCEEDED
    assert review_post(staff_client.get(review))["title"] == "Melbourn Police Office"


@override_settings(TASKS=DUMMY)
def test_the_review_page_reads_the_job_while_waiting_and_only_the_form_once_read(
    staff_client, django_assert_num_queries
):
    review = post_upload(staff_client, BoardFactory())["Location"]
    # The session, the user, the job's row.
    with django_assert_num_queries(3):
        assert "waiting to be read" in staff_client.get(review).content.decode()
    run_job.call(reading_job().pk)
    # The session, the user, the boards and the meetings of the form's choices: the draft is
    # read from the storage, the job's row not at all.
    with django_assert_num_queries(4):
        assert "The original" in staff_client.get(review).content.decode()


@override_settings(TASKS=DUMMY)
def test_a_job_finishing_while_the_page_is_being_answered_shows_the_draft(
    staff_client, monkeypatch
):
    review = post_upload(staff_client, BoardFactory())["Location"]
    job = reading_job()
    looks = []
    real = admin.read_draft

    def slow_first_look(upload):
        looks.append(upload)
        if len(looks) == 1:  # the worker finishes just after the page's first look
            found = real(upload)
            run_job.call(job.pk)
            return found
        return real(upload)

    monkeypatch.setattr(admin, "read_draft", slow_first_look)
    assert review_post(staff_client.get(review))["title"] == "Melbourn Police Office"


@pytest.mark.django_db(transaction=True)
def test_with_the_embedded_backend_a_real_commit_has_the_draft_ready_at_the_redirect():
    """As under `make run`: no test transaction holding the commit back."""
    user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    board = BoardFactory()
    response = client.post(
        URL, {"file": SimpleUploadedFile("paper.txt", PAPER), "board": board.pk, "meeting": ""}
    )
    assert reading_job().status == Job.Status.SUCCEEDED  # before the redirect is followed
    data = review_post(client.get(response["Location"]))
    assert client.post(response["Location"], data).status_code == 302
    assert Paper.objects.get().title == "Melbourn Police Office"
