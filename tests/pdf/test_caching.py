"""Every PDF renders once per state of its HTML and is then served from the cache; every PDF
answers 304 to a matching validator; what one class of reader gets is never served to another;
renders are bounded per process (503 with Retry-After beyond the bound)."""

import datetime
import threading
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils.http import http_date

from boards.models import Paper
from minutebook.pdf import render
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    approve,
)

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    """Counts calls of the one render function (and still renders)."""
    with mock.patch.object(render, "render_pdf", wraps=render.render_pdf) as spy:
        yield spy


def minutes_url(meeting) -> str:
    return f"/boards/{meeting.board.slug}/{meeting.date.isoformat()}/minutes.pdf"


@pytest.fixture
def approved_meeting():
    meeting = MeetingFactory(date=datetime.date(2015, 11, 26))
    MinuteParagraphFactory(item=AgendaItemFactory(meeting=meeting, number="1"))
    return approve(meeting)


def test_a_locked_record_is_rendered_once_and_then_served_from_the_cache(renders, approved_meeting):
    client = Client()
    first = client.get(minutes_url(approved_meeting))
    second = client.get(minutes_url(approved_meeting))
    assert first.status_code == second.status_code == 200
    assert renders.call_count == 1
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]


def test_a_draft_is_rendered_once_until_it_changes(renders, staff_client):
    meeting = MeetingFactory(minutes_status="draft")
    paragraph = MinuteParagraphFactory(item=AgendaItemFactory(meeting=meeting, number="1"))
    first = staff_client.get(minutes_url(meeting))
    second = staff_client.get(minutes_url(meeting))
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert renders.call_count == 1
    paragraph.text = "The board noted the revised estates figures."
    paragraph.save()
    third = staff_client.get(minutes_url(meeting))
    assert renders.call_count == 2
    assert "The board noted the revised estates figures." in text(third)


def test_a_render_beyond_the_bound_gets_503_with_retry_after_and_a_cached_pdf_still_serves(
    approved_meeting,
):
    """While a render holds this process's only slot, another uncached PDF is refused at once
    (nothing waits behind it), an already cached one is served, and the refused one renders
    once the slot is free."""
    client = Client()
    assert client.get(minutes_url(approved_meeting)).status_code == 200  # now cached
    other = PaperFactory(title="Custody suite refurbishment")
    started, release = threading.Event(), threading.Event()
    real = render.render_pdf

    def slow(html, *, base_url):
        def hold(*args, **kwargs):
            started.set()
            release.wait(10)
            return b"%PDF-held"

        with mock.patch.object(render, "HTML") as html_class:
            html_class.return_value.write_pdf.side_effect = hold
            return real(html, base_url=base_url)

    holder = threading.Thread(target=slow, args=("<p>held</p>",), kwargs={"base_url": "/"})
    with override_settings(MINUTEBOOK_PDF_RENDERS=1, MINUTEBOOK_PDF_RETRY_AFTER=7):
        holder.start()
        assert started.wait(10)
        try:
            busy = client.get(f"/papers/{other.pk}.pdf")
            cached = client.get(minutes_url(approved_meeting))
        finally:
            release.set()
            holder.join(10)
        assert busy.status_code == 503
        assert busy["Retry-After"] == "7"
        assert "try again in 7 seconds" in busy.content.decode()
        assert cached.status_code == 200
        assert cached["Content-Type"] == "application/pdf"
        after = client.get(f"/papers/{other.pk}.pdf")
    assert after.status_code == 200
    assert "Custody suite refurbishment" in text(after)


def test_a_changed_record_is_rendered_again_with_a_new_etag(renders):
    paper = PaperFactory(title="Estates strategy")
    first = Client().get(f"/papers/{paper.pk}.pdf")
    paper.title = "Estates strategy (revised)"
    paper.save()
    second = Client().get(f"/papers/{paper.pk}.pdf")
    assert renders.call_count == 2
    assert second["ETag"] != first["ETag"]
    assert "Estates strategy (revised)" in text(second)


def test_a_matching_if_none_match_gets_a_304_without_rendering(renders, approved_meeting):
    client = Client()
    etag = client.get(minutes_url(approved_meeting))["ETag"]
    response = client.get(minutes_url(approved_meeting), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert renders.call_count == 1


def test_a_draft_also_answers_304_to_its_etag(renders, staff_client):
    meeting = MeetingFactory(minutes_status="draft")
    etag = staff_client.get(minutes_url(meeting))["ETag"]
    assert staff_client.get(minutes_url(meeting), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert renders.call_count == 1


def test_a_matching_if_modified_since_gets_a_304(renders, approved_meeting):
    client = Client()
    last_modified = client.get(minutes_url(approved_meeting))["Last-Modified"]
    response = client.get(minutes_url(approved_meeting), HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    assert response["Last-Modified"] == last_modified
    assert renders.call_count == 1


def test_an_old_if_modified_since_or_stale_etag_gets_the_whole_pdf(approved_meeting):
    client = Client()
    url = minutes_url(approved_meeting)
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_every_pdf_response_names_itself_and_carries_validators_and_private_no_cache(
    approved_meeting,
):
    response = Client().get(minutes_url(approved_meeting))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="')
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "private, no-cache"


def test_the_public_never_gets_the_pack_cached_for_staff(renders, staff_client, approved_meeting):
    PaperFactory(
        board=approved_meeting.board,
        meeting=approved_meeting,
        title="Insurance renewal terms",
        access=Paper.Access.EXEMPT,
        exemption_reason="Commercial interests",
    )
    PaperFactory(board=approved_meeting.board, meeting=approved_meeting, title="Forward plan")
    url = f"/boards/{approved_meeting.board.slug}/{approved_meeting.date.isoformat()}/pack.pdf"

    staff = staff_client.get(url)
    public = Client().get(url)
    assert "Insurance renewal terms" in text(staff)
    assert "Insurance renewal terms" not in text(public)
    assert "Forward plan" in text(public)
    assert public["ETag"] != staff["ETag"]
    assert renders.call_count == 2
    # Each class of reader is then served its own cached copy.
    assert Client().get(url).content == public.content
    assert staff_client.get(url).content == staff.content
    assert renders.call_count == 2
    # A public reader holding the staff ETag still gets the public pack, not a 304.
    assert Client().get(url, HTTP_IF_NONE_MATCH=staff["ETag"]).status_code == 200


def test_a_cached_locked_pdf_is_served_to_the_public_without_a_query(approved_meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    first = client.get(minutes_url(approved_meeting))
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(minutes_url(approved_meeting))
    assert second.content == first.content
    # Nothing changed since: answered from the cache before the view looks anything up.
    assert len(ctx.captured_queries) == 0


def test_a_change_to_a_related_record_is_seen_in_the_next_pdf():
    from boards.models import Attendance, Person

    person = Person.objects.create(full_name="Alec Wood")
    meeting = MeetingFactory(date=datetime.date(2015, 11, 26))
    MinuteParagraphFactory(item=AgendaItemFactory(meeting=meeting, number="1"))
    Attendance.objects.create(meeting=meeting, person=person, capacity="apologies")
    approve(meeting)
    client = Client()
    assert "Alec Wood" in text(client.get(minutes_url(meeting)))
    # Attendance is locked with the minutes; a person's name is not.
    person.full_name = "Alec Wood QPM"
    person.save()
    assert "Alec Wood QPM" in text(client.get(minutes_url(meeting)))


def test_a_pdf_served_under_one_host_is_not_served_under_another(approved_meeting, settings):
    """Its links are absolute, so the document for 127.0.0.1 is its own (its ETag hashes the
    base URL), not the one the host that asked first was given."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    first = Client(HTTP_HOST="localhost").get(minutes_url(approved_meeting))
    second = Client(HTTP_HOST="127.0.0.1").get(minutes_url(approved_meeting))
    assert first.status_code == second.status_code == 200
    assert first["ETag"] != second["ETag"]  # rendered for its own host, not served the first


def test_a_new_release_builds_the_pdf_again_though_no_record_changed(approved_meeting):
    """The fast path answers before the document is built; a new release (a template or view
    changed, say to stop naming a record) must not find the PDF the old release built."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minutebook.pdf import responses

    client = Client()
    client.get(minutes_url(approved_meeting))
    with CaptureQueriesContext(connection) as same_release:
        client.get(minutes_url(approved_meeting))
    next_one = mock.patch.object(responses, "release_fingerprint", return_value="the-next-release")
    with next_one, CaptureQueriesContext(connection) as next_release:
        assert client.get(minutes_url(approved_meeting)).status_code == 200
    assert len(same_release.captured_queries) == 0
    assert len(next_release.captured_queries) > 0  # the document was built again
