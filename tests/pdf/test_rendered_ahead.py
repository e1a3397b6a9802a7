"""PDFs of newly locked records are rendered in the background and stored, so the first reader
never waits: approved minutes, signed and published notices, and a meeting's pack once its
papers are published. A stored PDF is served only to the reader class it was rendered for and
only while the records are as they were.

Each test runs the jobs the way the embedded default does: once the transaction commits
(``django_capture_on_commit_callbacks(execute=True)``), in this process."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from boards.models import MinuteParagraph
from boards.services import reopen_minutes
from decisions.services import publish_notice, sign_notice
from jobs.models import Job
from minutebook.pdf import render
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    approve,
)

from .conftest import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

SIGNED_ON = datetime.date(2015, 11, 26)


@pytest.fixture
def site_url():
    """The test client's own address, as readers reach the site."""
    with override_settings(MINUTEBOOK_SITE_URL="http://testserver"):
        yield


@pytest.fixture
def renders():
    """Counts calls of the one render function (and still renders)."""
    with mock.patch.object(render, "render_pdf", wraps=render.render_pdf) as spy:
        yield spy


@pytest.fixture
def meeting():
    """Draft minutes with an open item and an exempt one."""
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    open_item = AgendaItemFactory(meeting=meeting, number="1", title="Estates strategy")
    MinuteParagraphFactory(item=open_item, text="The board noted the estates strategy.")
    secret = AgendaItemFactory(
        meeting=meeting,
        number="2",
        title="Insurance claim settlement",
        is_exempt=True,
        exemption_reason="Commercially sensitive",
    )
    MinuteParagraphFactory(item=secret, text="The claim was settled for an undisclosed sum.")
    return meeting


def minutes_url(meeting) -> str:
    return f"/boards/{meeting.board.slug}/{meeting.date.isoformat()}/minutes.pdf"


def test_after_approval_the_first_readers_of_each_class_get_the_minutes_without_a_render(
    renders, staff_client, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(meeting)
    job = Job.objects.get(key=f"pdf:minutes:{meeting.pk}")
    assert job.status == Job.Status.SUCCEEDED
    assert (job.record_label, job.record_pk) == ("boards.meeting", str(meeting.pk))
    assert renders.call_count == 2  # the public's minutes and the staff's (exempt item in)
    renders.reset_mock()

    public = Client().get(minutes_url(meeting))
    staff = staff_client.get(minutes_url(meeting))
    assert public.status_code == staff.status_code == 200
    assert renders.call_count == 0
    assert "The claim was settled" not in text(public)
    assert "The board noted the estates strategy." in text(public)
    assert "The claim was settled for an undisclosed sum." in text(staff)


def test_a_reader_class_with_no_stored_pdf_gets_its_own_rendered_on_demand(
    renders, meeting, member_of, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(meeting)
    renders.reset_mock()
    member = member_of(meeting.board)  # sits on the board from now: a class nobody held then
    response = member.get(minutes_url(meeting))
    assert renders.call_count == 1
    assert "The claim was settled for an undisclosed sum." in text(response)


def test_a_stored_pdf_is_not_served_once_the_minutes_change(
    renders, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(meeting)
    reopen_minutes(meeting=meeting, reason="Correct the estates minute")
    paragraph = MinuteParagraph.objects.get(item__meeting=meeting, item__number="1")
    paragraph.text = "The board approved the estates strategy."
    paragraph.save()
    meeting.refresh_from_db()
    approve(meeting)  # no commit: the job does not run, so nothing new is stored
    renders.reset_mock()
    response = Client().get(minutes_url(meeting))
    assert renders.call_count == 1
    assert "The board approved the estates strategy." in text(response)
    assert "noted the estates strategy" not in text(response)


def test_nothing_is_rendered_ahead_without_the_sites_address(
    renders, meeting, django_capture_on_commit_callbacks
):
    with (
        override_settings(MINUTEBOOK_SITE_URL=""),
        django_capture_on_commit_callbacks(execute=True),
    ):
        approve(meeting)
    assert renders.call_count == 0
    assert not Job.objects.exists()


@pytest.fixture
def notice(meeting):
    return DecisionNoticeFactory(
        title="Termination of the lease of Melbourn Police Office",
        decision="I approve the termination of the lease.",
        decision_maker=PersonFactory(full_name="Sir Graham Bright"),
        meeting=meeting,
    )


def test_a_signed_notice_is_stored_for_those_who_may_see_it_and_published_for_everyone(
    renders, signatory, staff_client, notice, django_capture_on_commit_callbacks
):
    url = f"/decisions/{notice.pk}.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        sign_notice(notice=notice, user=signatory, signed_on=SIGNED_ON)
    renders.reset_mock()
    assert Client().get(url).status_code == 404  # signed, not yet published
    assert staff_client.get(url).status_code == 200
    assert renders.call_count == 0

    with django_capture_on_commit_callbacks(execute=True):
        publish_notice(notice=notice, user=signatory)
    renders.reset_mock()
    public = Client().get(url)
    assert public.status_code == 200
    assert renders.call_count == 0
    assert "I approve the termination of the lease." in text(public)


def test_a_published_papers_meeting_has_its_pack_stored(
    renders, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PaperFactory(
            board=meeting.board, meeting=meeting, title="Estates strategy 2015", status="published"
        )
    assert Job.objects.get(key=f"pdf:pack:{meeting.pk}").status == Job.Status.SUCCEEDED
    renders.reset_mock()
    response = Client().get(f"/boards/bcb/{meeting.date.isoformat()}/pack.pdf")
    assert response.status_code == 200
    assert renders.call_count == 0
    assert "Estates strategy 2015" in text(response)


def test_pdfs_rendered_ahead_outlive_the_cache_in_the_pdfs_storage(
    renders, meeting, tmp_path, django_capture_on_commit_callbacks
):
    storages = {
        **settings.STORAGES,
        "pdfs": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    with override_settings(STORAGES=storages):
        with django_capture_on_commit_callbacks(execute=True):
            approve(meeting)
        assert len(list(tmp_path.rglob("*.pdf"))) == 2  # the public's and the staff's
        cache.clear()  # a restart, or the cache evicted them
        renders.reset_mock()
        response = Client().get(minutes_url(meeting))
        assert response.status_code == 200
        assert renders.call_count == 0
        assert "The claim was settled" not in text(response)
        assert "The board noted the estates strategy." in text(response)
