"""The search index rebuilt as a job: from the command with --job, and from the jobs list by
staff who may start jobs; with its progress by kind of record."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from jobs.models import Job
from search.documents import BUILDERS
from search.models import SearchEntry
from tests.factories import PaperFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_command_enqueues_the_rebuild_as_a_job_that_reports_its_progress(
    django_capture_on_commit_callbacks,
):
    paper = PaperFactory(title="Estates strategy", status="published")
    SearchEntry.objects.all().delete()  # as after a bulk load the receivers never saw
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_search_index", "--job", stdout=io.StringIO())
    job = Job.objects.get(key="search:rebuild")
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (len(BUILDERS), len(BUILDERS))
    assert job.progress_message.endswith("indexed")
    assert SearchEntry.objects.filter(object_id=paper.pk).exists()


def test_staff_who_may_start_jobs_rebuild_the_index_from_the_jobs_list(
    staff_client, django_capture_on_commit_callbacks
):
    listing = staff_client.get("/admin/jobs/job/").content.decode()
    assert "Rebuild the search index" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/jobs/job/start/rebuild-search-index/", follow=True)
    assert response.status_code == 200
    assert Job.objects.get(key="search:rebuild").status == Job.Status.SUCCEEDED
    assert staff_client.get("/admin/jobs/job/start/rebuild-search-index/").status_code == 405
    assert staff_client.post("/admin/jobs/job/start/nothing/").status_code == 404


def test_staff_who_may_not_start_jobs_see_no_button_and_are_refused():
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_job"))
    client = Client()
    client.force_login(viewer)
    assert "Rebuild the search index" not in client.get("/admin/jobs/job/").content.decode()
    assert client.post("/admin/jobs/job/start/rebuild-search-index/").status_code == 403
    assert not Job.objects.exists()
