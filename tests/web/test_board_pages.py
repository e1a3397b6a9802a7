"""The boards list (/boards/) and a board's page (/boards/<slug>/): its meetings by year, its
members; a private board only for staff and its members."""

import datetime

import pytest

from tests.factories import BoardFactory, MeetingFactory
from tests.pages import get

pytestmark = pytest.mark.django_db


def test_the_boards_list_links_to_each_board(client, records):
    html = get(client, "/boards/")
    assert records["board"].get_absolute_url() in html


def test_a_board_page_shows_its_meetings_for_the_chosen_year(client, records):
    html = get(client, "/boards/bcb/?year=2015")
    assert records["approved"].get_absolute_url() in html
    assert "No members have been recorded" in html
    # A bad or empty year falls back to the latest year with meetings instead of failing.
    for year in ["nonsense", "1990"]:
        html = get(client, f"/boards/bcb/?year={year}")
        assert "Meetings in 2015" in html and records["approved"].get_absolute_url() in html


def test_a_private_board_is_invisible_to_the_public(client, staff_client):
    private = BoardFactory(name="Chief Officer Group", slug="cog", is_public=False)
    MeetingFactory(board=private, date=datetime.date(2016, 1, 5))
    get(client, "/boards/cog/", status=404)
    get(client, "/boards/cog/2016-01-05/", status=404)
    assert "Chief Officer Group" not in get(client, "/boards/")
    assert "Chief Officer Group" in get(staff_client, "/boards/")


def test_staff_and_the_boards_members_see_a_private_board_and_its_meetings(staff_client, member_of):
    private = BoardFactory(name="Chief Officer Group", slug="cog", is_public=False)
    MeetingFactory(board=private, date=datetime.date(2016, 1, 5))
    for reader in (staff_client, member_of(private)):
        assert "Chief Officer Group" in get(reader, "/boards/")
        get(reader, "/boards/cog/")
        get(reader, "/boards/cog/2016-01-05/")
