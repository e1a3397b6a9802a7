"""Attachments through the site: downloaded as each role may, listed on the paper, meeting and
notice pages and in the pack, and never shown (not even by title) to a reader not entitled."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from boards.models import Paper
from tests.documents import files
from tests.documents.factories import attachment
from tests.documents.files import attachment_storages  # noqa: F401  (the fixture)
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
)
from tests.pdf.conftest import text as pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_storages")]

SECRET = "Annex of tenders received"


@pytest.fixture
def board():
    return BoardFactory(is_public=True, slug="bcb", name="Business Coordination Board")


@pytest.fixture
def clients(board, staff_user, finance_user, member_user):
    """A client for each role: the public, staff, a finance officer, a member of the board,
    and a member of another board."""
    MembershipFactory(board=board, person=member_user.person)
    outsider = UserFactory(username="outsider")
    PersonFactory(user=outsider)
    MembershipFactory(board=BoardFactory(), person=outsider.person)
    made = {"public": Client()}
    for name, user in (
        ("staff", staff_user),
        ("finance", finance_user),
        ("member", member_user),
        ("other member", outsider),
    ):
        made[name] = Client()
        made[name].force_login(user)
    return made


@pytest.fixture
def paper(board):
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    return PaperFactory(board=board, meeting=meeting, title="Estates strategy")


# -- downloads ----------------------------------------------------------------------------------


def test_everyone_downloads_a_public_attachment_of_a_public_paper(clients, paper):
    found = attachment(paper, title="Lease plan", data=files.pdf_bytes("Lease plan"))
    for name, client in clients.items():
        response = client.get(found.get_absolute_url())
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content).startswith(b"%PDF-"), name


def test_a_download_carries_its_type_name_checksum_and_no_sniffing(client, paper):
    found = attachment(paper, title="Lease plan")
    response = client.get(found.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(found.size)
    assert response["Cache-Control"] == "private, no-cache"
    assert "sandbox" in response["Content-Security-Policy"]
    again = client.get(found.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_the_etag_changes_when_the_record_changes(client, paper):
    found = attachment(paper)
    before = client.get(found.get_absolute_url())["ETag"]
    paper.title = "Estates strategy (revised)"
    paper.save()
    response = client.get(found.get_absolute_url(), HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert response["ETag"] != before


def test_a_csv_file_is_downloaded_and_a_unicode_name_is_kept(client, paper):
    found = attachment(paper, title="Lines", data=files.CSV, name="Coûts 2015.csv")
    response = client.get(found.get_absolute_url())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Co%C3%BBts%202015.csv" in disposition


def test_an_address_with_another_name_redirects_to_the_files_own(client, paper):
    found = attachment(paper)
    response = client.get(f"/attachments/{found.pk}/passwd")
    assert response.status_code == 301
    assert response["Location"] == found.get_absolute_url()


def test_an_exempt_attachment_asks_the_public_to_sign_in_and_tells_nothing(clients, paper):
    found = attachment(paper, title=SECRET, exempt=True, name="tenders.pdf")
    response = clients["public"].get(found.get_absolute_url())
    assert response.status_code == 403
    assert SECRET.encode() not in response.content
    assert b"Sign in" in response.content
    # Under another name too: no redirect tells its own.
    assert clients["public"].get(f"/attachments/{found.pk}/x.pdf").status_code == 403


def test_an_exempt_attachment_is_a_404_to_signed_in_readers_not_entitled(clients, paper):
    found = attachment(paper, title=SECRET, exempt=True)
    for name in ("finance", "other member"):
        response = clients[name].get(found.get_absolute_url())
        assert response.status_code == 404, name
        assert SECRET.encode() not in response.content


def test_an_exempt_attachment_is_downloaded_by_those_entitled(clients, paper):
    found = attachment(paper, title=SECRET, exempt=True)
    for name in ("staff", "member"):
        assert clients[name].get(found.get_absolute_url()).status_code == 200, name


def test_an_attachment_of_a_hidden_record_is_a_404_even_to_the_public(clients, board):
    draft = PaperFactory(board=board, status=Paper.Status.DRAFT)
    found = attachment(draft, title=SECRET)
    assert clients["public"].get(found.get_absolute_url()).status_code == 404
    assert clients["member"].get(found.get_absolute_url()).status_code == 200
    assert clients["public"].get("/attachments/999999/x.pdf").status_code == 404


# -- pages --------------------------------------------------------------------------------------


def test_the_paper_page_lists_what_the_reader_may_see(clients, paper):
    attachment(paper, title="Lease plan")
    attachment(paper, title=SECRET, exempt=True)
    public = clients["public"].get(paper.get_absolute_url()).content.decode()
    assert "Lease plan" in public and "PDF," in public
    assert SECRET not in public
    for name in ("finance", "other member"):
        assert SECRET not in clients[name].get(paper.get_absolute_url()).content.decode(), name
    member = clients["member"].get(paper.get_absolute_url()).content.decode()
    assert SECRET in member and "Commercially sensitive" in member


def test_a_page_without_attachments_shows_no_attachments_section(client, paper):
    assert "Attachments" not in client.get(paper.get_absolute_url()).content.decode()


def test_the_meeting_page_lists_each_items_attachments(clients, paper):
    item = AgendaItemFactory(meeting=paper.meeting, number="4", title="Estates")
    exempt_item = AgendaItemFactory(
        meeting=paper.meeting,
        number="5",
        title="Tenders",
        is_exempt=True,
        exemption_reason="Para 3",
    )
    attachment(item, title="Tabled map")
    attachment(item, title=SECRET, exempt=True)
    attachment(exempt_item, title="Tender scores")
    url = paper.meeting.get_absolute_url()
    public = clients["public"].get(url).content.decode()
    assert "Tabled map" in public
    assert SECRET not in public and "Tender scores" not in public
    member = clients["member"].get(url).content.decode()
    assert "Tabled map" in member and SECRET in member and "Tender scores" in member


def test_the_notice_page_lists_its_attachments(clients, board):
    meeting = MeetingFactory(board=board)
    notice = DecisionNoticeFactory(
        meeting=meeting, status="published", published_on=datetime.date(2016, 1, 4)
    )
    attachment(notice, title="Signed notice scan")
    attachment(notice, title=SECRET, exempt=True)
    public = clients["public"].get(notice.get_absolute_url()).content.decode()
    assert "Signed notice scan" in public and SECRET not in public
    staff = clients["staff"].get(notice.get_absolute_url()).content.decode()
    assert SECRET in staff


def test_the_pack_lists_each_items_attachments_the_reader_may_see(clients, paper):
    item = AgendaItemFactory(meeting=paper.meeting, number="4", title="Estates", paper=paper)
    attachment(item, title="Tabled map")
    attachment(paper, title="Lease plan")
    attachment(paper, title=SECRET, exempt=True)
    url = f"/boards/bcb/{paper.meeting.date.isoformat()}/pack.pdf"
    public = pdf_text(clients["public"].get(url))
    assert "Tabled map" in public and "Lease plan" in public
    assert "Tenders" not in public and SECRET not in public
    assert SECRET in pdf_text(clients["member"].get(url))


# -- query counts -------------------------------------------------------------------------------


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_listing_attachments_run_the_same_queries_with_more_of_them(board):
    """The paper, meeting and notice pages read their attachments in one query each, however
    many there are: counted with one attachment per record, then with four."""

    def build(n, day):
        meeting = MeetingFactory(board=board, date=day)
        paper = PaperFactory(board=board, meeting=meeting)
        items = [AgendaItemFactory(meeting=meeting) for _ in range(n)]
        notice = DecisionNoticeFactory(
            meeting=meeting, status="published", published_on=datetime.date(2016, 1, 4)
        )
        for record in [paper, notice, *items]:
            for k in range(n):
                attachment(record, title=f"File {k}", exempt=bool(k % 2))
        return [paper.get_absolute_url(), meeting.get_absolute_url(), notice.get_absolute_url()]

    client = Client()
    small = [count(client, url) for url in build(1, datetime.date(2015, 1, 1))]
    large = [count(client, url) for url in build(4, datetime.date(2015, 2, 1))]
    assert small == large


def test_the_download_is_one_query(client, paper):
    found = attachment(paper)
    assert count(client, found.get_absolute_url()) == 1


def test_the_public_queryset_and_the_page_agree(paper):
    from documents.models import Attachment

    attachment(paper, title=SECRET, exempt=True)
    assert not Attachment.objects.visible_to(AnonymousUser()).exists()
