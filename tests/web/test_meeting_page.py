"""A meeting's page (/boards/<slug>/<date>/) as the public, a board member and OPCC staff:
minutes, attendance, papers, actions raised and carried forward, recommendations and the
decisions taken; exempt items and draft minutes only for those entitled."""

import datetime

import pytest
from django.urls import reverse

from boards.models import Action, Meeting
from tests.factories import (
    ActionFactory,
    BoardFactory,
    MeetingFactory,
    PersonFactory,
    approve,
)
from tests.pages import get, rows, table_with_caption, text

pytestmark = pytest.mark.django_db


def test_the_meeting_page_shows_approved_minutes_and_attendance(client, records):
    html = get(client, "/boards/bcb/2015-11-26/")
    assert "The Board approved the extension." in html
    assert "Alec Wood" in html
    assert "Apologies" in html
    assert records["public_paper"].get_absolute_url() in html
    assert "Write up the key principles" in html


def test_it_hides_exempt_items_their_minutes_papers_and_actions_from_the_public(client, records):
    html = get(client, "/boards/bcb/2015-11-26/")
    for hidden in [
        "Secret estates matter",
        "Confidential price discussed",
        "Negotiate the confidential price",
        "Estates disposal",
    ]:
        assert hidden not in html
    # The exempt paper's address asks the public to sign in, naming nothing of it.
    assert "Estates disposal" not in get(client, records["exempt_paper"].get_absolute_url(), 403)
    assert "Negotiate the confidential price" not in get(client, "/actions/")
    assert "Estates disposal" not in get(client, "/papers/")


def test_staff_and_the_boards_members_see_exempt_items_their_minutes_papers_and_actions(
    staff_client, member_of, records
):
    for reader in (staff_client, member_of(records["board"])):
        html = get(reader, "/boards/bcb/2015-11-26/")
        for shown in [
            "Secret estates matter",
            "Confidential price discussed",
            "Negotiate the confidential price",
            "Estates disposal",
        ]:
            assert shown in html
        get(reader, records["exempt_paper"].get_absolute_url())
        assert "Negotiate the confidential price" in get(reader, "/actions/")
        assert "Estates disposal" in get(reader, "/papers/")


def test_it_hides_draft_minutes_and_their_actions_from_the_public(client, records):
    html = get(client, "/boards/bcb/2015-12-16/")
    assert "Innovation Fund Bids Review" in html  # the agenda is public
    assert "Draft minute text not yet approved" not in html
    assert "in draft" in html
    assert "Draft action not yet approved" not in get(client, "/actions/")


def test_staff_and_the_boards_members_see_draft_minutes_and_their_actions(
    staff_client, member_of, records
):
    for reader in (staff_client, member_of(records["board"])):
        assert "Draft minute text not yet approved" in get(reader, "/boards/bcb/2015-12-16/")
        assert "Draft action not yet approved" in get(reader, "/actions/")


def test_a_board_member_sees_the_exempt_items_and_drafts_of_their_own_board(member_of, records):
    member = member_of(records["board"])
    html = get(member, "/boards/bcb/2015-11-26/")
    assert "Secret estates matter" in html and "Confidential price discussed" in html
    assert "Draft minute text not yet approved" in get(member, "/boards/bcb/2015-12-16/")
    get(member, records["exempt_paper"].get_absolute_url())


def test_a_board_member_does_not_see_exempt_items_of_other_boards(member_of, records):
    member = member_of(BoardFactory(name="Finance Sub-Group", slug="fsg"))
    html = get(member, "/boards/bcb/2015-11-26/")
    assert "Secret estates matter" not in html


def test_staff_see_everything_and_a_link_to_edit(staff_client, records):
    html = get(staff_client, "/boards/bcb/2015-11-26/")
    assert "Secret estates matter" in html
    assert reverse("admin:boards_meeting_change", args=[records["approved"].pk]) in html
    assert "Unfinished draft" in get(staff_client, "/papers/")


def test_a_meeting_that_does_not_exist_or_an_impossible_date_is_a_404(client, records):
    get(client, "/boards/bcb/2015-11-27/", status=404)
    get(client, "/boards/bcb/2015-02-30/", status=404)
    get(client, "/boards/nope/", status=404)


def test_a_meeting_with_nothing_recorded_says_so(client):
    meeting = MeetingFactory(
        board=BoardFactory(slug="pcp"), status="", minutes_status=Meeting.MinutesStatus.NONE
    )
    html = get(client, meeting.get_absolute_url())
    assert "No agenda has been recorded" in html
    assert html.count("not recorded") >= 3


def test_a_meeting_lists_at_most_fifty_carried_forward_actions_and_links_to_the_rest(
    client, settings
):
    board = BoardFactory(slug="bcb", name="Business Coordination Board")
    first = approve(MeetingFactory(board=board, date=datetime.date(2015, 9, 30)))
    for n in range(51):
        ActionFactory(meeting=first, text=f"Carried action {n:02d}")
    later = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    html = get(client, later.get_absolute_url())
    assert "Carried action 49" in html and "Carried action 50" not in html
    assert "/actions/?board=bcb&amp;status=open" in html


def test_the_meeting_page_shows_each_papers_recommendations_and_the_decisions_taken(
    client, register
):
    from boards.models import AgendaItem

    AgendaItem.objects.create(
        meeting=register["published"].meeting,
        number="4",
        title="Restorative Justice",
        paper=register["paper"],
    )
    html = get(client, "/boards/bcb/2015-11-26/")
    assert "Approve the 12-month extension." in html
    assert register["published"].get_absolute_url() in html
    assert "Melbourn lease" not in html  # signed, not yet published


def test_staff_and_the_boards_members_see_the_decisions_signed_but_not_yet_published(
    staff_client, member_of, register
):
    for reader in (staff_client, member_of(register["board"])):
        assert "Melbourn lease" in get(reader, "/boards/bcb/2015-11-26/")


def test_open_actions_are_not_carried_forward_where_the_minutes_record_none_outstanding(client):
    board = BoardFactory(slug="bcb", name="Business Coordination Board")
    first = approve(MeetingFactory(board=board, date=datetime.date(2015, 9, 30)))
    ActionFactory(meeting=first, text="Brief the board on the estates review")
    carried = MeetingFactory(board=board, date=datetime.date(2015, 10, 27))
    assert "Brief the board on the estates review" in get(client, carried.get_absolute_url())
    none_outstanding = MeetingFactory(
        board=board,
        date=datetime.date(2015, 11, 26),
        actions_arising=Meeting.ActionsArising.NONE_OUTSTANDING,
    )
    html = get(client, none_outstanding.get_absolute_url())
    assert "Brief the board on the estates review" not in html
    assert "The minutes record that there were no outstanding actions" in html


def test_a_meeting_whose_actions_arising_are_not_recorded_says_so_not_none(client):
    board = BoardFactory(slug="bcb")
    first = approve(MeetingFactory(board=board, date=datetime.date(2015, 9, 30)))
    ActionFactory(meeting=first, text="Brief the board on the estates review")
    later = MeetingFactory(board=board, date=datetime.date(2015, 11, 26), actions_arising="")
    page = text(get(client, later.get_absolute_url()))
    assert "Which actions were carried forward to this meeting is not recorded." in page
    assert "No open actions were carried forward" not in page
    assert "Brief the board on the estates review" not in page


def test_the_chair_is_shown_only_where_the_minutes_name_one(client):
    board = BoardFactory(slug="bcb")
    unnamed = approve(MeetingFactory(board=board))
    assert "Chair" not in text(get(client, unnamed.get_absolute_url()))
    named = approve(MeetingFactory(board=board, chair=PersonFactory(full_name="Sir Graham Bright")))
    assert "Chair Sir Graham Bright" in text(get(client, named.get_absolute_url()))


def test_an_action_due_in_a_month_shows_the_month_and_one_without_a_status_says_not_recorded(
    client,
):
    meeting = approve(MeetingFactory(board=BoardFactory(slug="bcb")))
    ActionFactory(
        meeting=meeting,
        text="Equality and Diversity update paper to Board",
        due_date=datetime.date(2016, 5, 1),
        due_precision=Action.DuePrecision.MONTH,
        status=Action.Status.NOT_RECORDED,
    )
    (row,) = rows(table_with_caption(get(client, meeting.get_absolute_url()), "Actions raised"))
    assert row == [
        "Equality and Diversity update paper to Board",
        "not recorded",
        "May 2016",
        "not recorded",
    ]
