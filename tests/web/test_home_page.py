"""The home page (/): recent meetings, the latest papers and the latest decisions, each as the
reader may see them."""

import pytest

from tests.pages import get

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_recent_meetings_and_published_papers(client, records):
    html = get(client, "/")
    assert "26 November 2015" in html
    assert "Restorative Justice Provision" in html
    assert "Estates disposal" not in html
    assert "Unfinished draft" not in html


def test_staff_and_the_boards_members_see_its_exempt_and_draft_papers(
    staff_client, member_of, records
):
    for reader in (staff_client, member_of(records["board"])):
        html = get(reader, "/")
        assert "Estates disposal" in html
        assert "Unfinished draft" in html


def test_the_home_page_lists_the_latest_published_decisions(client, register):
    html = get(client, "/")
    assert "Restorative Justice extension" in html and "Melbourn lease" not in html


def test_staff_and_the_boards_members_see_its_signed_decisions_not_yet_published(
    staff_client, member_of, register
):
    for reader in (staff_client, member_of(register["board"])):
        assert "Melbourn lease" in get(reader, "/")
