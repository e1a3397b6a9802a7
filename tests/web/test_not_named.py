"""What the reader may not see is not named either: a published notice taken at a private
board's meeting does not name the board or link to the meeting on its page, its PDF or the
register's CSV; a public sub-group of a private board does not name its parent on /boards/ or
in its own page. Those entitled (staff, the private board's members) read the names."""

import csv
import datetime
import io

import pytest
from django.test import Client

from decisions.services import publish_notice, sign_notice
from tests.factories import BoardFactory, DecisionNoticeFactory, MeetingFactory
from tests.pages import get

pytestmark = pytest.mark.django_db

SECRET = "Chief Officers Private Group"


@pytest.fixture
def private(signatory):
    board = BoardFactory(name=SECRET, slug="cops", short_name="COPG", is_public=False)
    meeting = MeetingFactory(board=board, date=datetime.date(2016, 3, 1))
    notice = DecisionNoticeFactory(meeting=meeting, title="Estates disposal")
    day = datetime.date(2016, 3, 2)
    sign_notice(notice=notice, user=signatory, signed_on=day)
    publish_notice(notice=notice, user=signatory, published_on=day)
    BoardFactory(name="Estates Sub-Group", slug="estates", parent=board)
    return {"board": board, "meeting": meeting, "notice": notice}


def csv_rows(client) -> list[dict]:
    return list(csv.DictReader(io.StringIO(get(client, "/decisions/export.csv"))))


def test_a_published_notice_of_a_private_meeting_names_neither_board_nor_meeting(private):
    client = Client()
    notice = private["notice"]
    page = get(client, notice.get_absolute_url())
    assert "Estates disposal" in page
    assert SECRET not in page and private["meeting"].get_absolute_url() not in page
    assert "a meeting whose records are not published" in page
    pdf = client.get(f"/decisions/{notice.pk}.pdf")
    assert pdf.status_code == 200 and SECRET.encode() not in pdf.content
    [row] = csv_rows(client)
    assert row["board"] == "" and row["meeting_date"] == ""


def test_staff_and_the_boards_members_read_where_it_was_taken(private, staff_client, member_of):
    for client in (staff_client, member_of(private["board"])):
        page = get(client, private["notice"].get_absolute_url())
        assert SECRET in page and private["meeting"].get_absolute_url() in page
        [row] = csv_rows(client)
        assert row["board"] == SECRET and row["meeting_date"] == "2016-03-01"


def test_a_public_sub_group_does_not_name_its_private_parent(private):
    client = Client()
    assert SECRET not in get(client, "/boards/")
    page = get(client, "/boards/estates/")
    assert "Estates Sub-Group" in page and SECRET not in page
    assert "a board whose records are not published" in page


def test_staff_and_the_parents_members_read_the_parent(private, staff_client, member_of):
    for client in (staff_client, member_of(private["board"])):
        assert SECRET in get(client, "/boards/estates/")
        assert SECRET in get(client, "/boards/")


def test_search_finds_the_published_notice_without_naming_its_private_board(private):
    """The notice is public, so /search/ finds it: neither in the result nor in the board
    facet is the private board named."""
    page = get(Client(), "/search/?q=estates+disposal")
    assert "Estates disposal" in page
    assert SECRET not in page and "board=cops" not in page


def test_staff_and_the_boards_members_find_it_with_its_board(private, staff_client, member_of):
    for client in (staff_client, member_of(private["board"])):
        page = get(client, "/search/?q=estates+disposal")
        assert "Estates disposal" in page and SECRET in page and "board=cops" in page


def test_search_never_quotes_a_notices_text_its_page_does_not_show(signatory):
    """A withdrawal reason on a notice that was not withdrawn, an exemption kept on a notice
    that is not part exempt, a forum of a notice taken at a meeting: none is found."""
    meeting = MeetingFactory(board=BoardFactory(is_public=True), date=datetime.date(2016, 3, 1))
    notice = DecisionNoticeFactory(
        meeting=meeting,
        title="Fleet renewal",
        withdrawn_reason="Zanzibarian objection",
        forum="Quixotic forum",
    )
    day = datetime.date(2016, 3, 2)
    sign_notice(notice=notice, user=signatory, signed_on=day)
    publish_notice(notice=notice, user=signatory, published_on=day)
    assert "Fleet renewal" in get(Client(), "/search/?q=fleet")
    for word in ("zanzibarian", "quixotic"):
        assert "Fleet renewal" not in get(Client(), f"/search/?q={word}")
