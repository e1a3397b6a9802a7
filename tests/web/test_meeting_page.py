"""Every public page, as the anonymous public, a board member and OPCC staff."""

import datetime

import pytest
from django.urls import reverse

from boards.models import Meeting, Paper
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    approve,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    """A public board with an approved meeting holding a public item and an exempt item,
    a draft-minutes meeting, a published paper, an exempt paper and a draft paper."""
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    owner = PersonFactory(full_name="Josie Gowler", initials="JG")
    approved = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    public_paper = PaperFactory(
        board=board, meeting=approved, title="Restorative Justice Provision"
    )
    exempt_paper = PaperFactory(
        board=board,
        meeting=approved,
        title="Estates disposal",
        access="exempt",
        exemption_reason="Commercial",
    )
    PaperFactory(board=board, meeting=approved, title="Unfinished draft", status="draft")
    public_item = AgendaItemFactory(
        meeting=approved, number="6", title="Restorative Justice", paper=public_paper
    )
    MinuteParagraphFactory(item=public_item, text="The Board approved the extension.")
    exempt_item = AgendaItemFactory(
        meeting=approved,
        number="7",
        title="Secret estates matter",
        is_exempt=True,
        exemption_reason="Commercially sensitive",
        paper=exempt_paper,
    )
    MinuteParagraphFactory(item=exempt_item, text="Confidential price discussed.")
    ActionFactory(
        meeting=approved, item=public_item, owner=owner, text="Write up the key principles"
    )
    ActionFactory(meeting=approved, item=exempt_item, text="Negotiate the confidential price")
    AttendanceFactory(
        meeting=approved, person=PersonFactory(full_name="Alec Wood"), capacity="apologies"
    )
    approve(approved)
    draft = MeetingFactory(board=board, date=datetime.date(2015, 12, 16))
    draft_item = AgendaItemFactory(meeting=draft, number="1", title="Innovation Fund Bids Review")
    MinuteParagraphFactory(item=draft_item, text="Draft minute text not yet approved.")
    ActionFactory(meeting=draft, text="Draft action not yet approved")
    return {
        "board": board,
        "approved": approved,
        "draft": draft,
        "public_paper": public_paper,
        "exempt_paper": exempt_paper,
    }


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_home_page_lists_recent_meetings_and_published_papers(client, records):
    html = get(client, "/")
    assert "26 November 2015" in html
    assert "Restorative Justice Provision" in html
    assert "Estates disposal" not in html
    assert "Unfinished draft" not in html


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
    get(client, records["exempt_paper"].get_absolute_url(), status=404)
    assert "Negotiate the confidential price" not in get(client, "/actions/")
    assert "Estates disposal" not in get(client, "/papers/")


def test_it_hides_draft_minutes_and_their_actions_from_the_public(client, records):
    html = get(client, "/boards/bcb/2015-12-16/")
    assert "Innovation Fund Bids Review" in html  # the agenda is public
    assert "Draft minute text not yet approved" not in html
    assert "in draft" in html
    assert "Draft action not yet approved" not in get(client, "/actions/")


def test_it_hides_draft_papers_from_the_public(client, records):
    draft = Paper.objects.get(title="Unfinished draft")
    get(client, draft.get_absolute_url(), status=404)
    assert "Unfinished draft" not in get(client, "/papers/?q=Unfinished")


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


def test_a_private_board_is_invisible_to_the_public(client, staff_client):
    private = BoardFactory(name="Chief Officer Group", slug="cog", is_public=False)
    MeetingFactory(board=private, date=datetime.date(2016, 1, 5))
    get(client, "/boards/cog/", status=404)
    get(client, "/boards/cog/2016-01-05/", status=404)
    assert "Chief Officer Group" not in get(client, "/boards/")
    assert "Chief Officer Group" in get(staff_client, "/boards/")


def test_a_paper_page_shows_its_metadata_and_where_it_was_considered(client, records):
    paper = records["public_paper"]
    html = get(client, paper.get_absolute_url())
    assert "Restorative Justice Provision" in html
    assert records["approved"].get_absolute_url() in html
    assert "item 6" in html
    assert "not recorded" in html  # no author line recorded


def test_paper_body_tables_render_as_tables_and_user_html_is_escaped(client, records):
    paper = PaperFactory(
        board=records["board"],
        body="| Bid | Cost |\n| --- | --- |\n| Drones | £10k |\n\n<img src=x onerror=alert(1)>",
    )
    html = get(client, paper.get_absolute_url())
    assert "<table>" in html and "<th>Bid</th>" in html
    assert "<img" not in html and "&lt;img" in html


def test_the_papers_list_filters_by_board_year_dates_and_words(client, records):
    other = PaperFactory(
        board=BoardFactory(slug="fsg"), title="Capital Programme", date=datetime.date(2016, 3, 1)
    )
    assert other.title not in get(client, "/papers/?board=bcb")
    assert "Restorative Justice Provision" not in get(client, "/papers/?year=2016")
    assert other.title in get(client, "/papers/?date_from=2016-01-01&date_to=2016-12-31")
    assert other.title not in get(client, "/papers/?q=restorative")


def test_bad_paper_filters_answer_400_with_a_message_naming_the_field(client, records):
    html = get(client, "/papers/?date_from=not-a-date", status=400)
    assert "Enter a valid date" in html
    html = get(client, "/papers/?date_from=2016-01-01&date_to=2015-01-01", status=400)
    assert "must not be before" in html
    get(client, "/papers/?board=no-such-board", status=400)


def test_the_action_log_filters_by_board_owner_and_status(client, records):
    owner = records["approved"].actions.get(text="Write up the key principles").owner
    assert "Write up the key principles" in get(client, f"/actions/?owner={owner.pk}")
    assert "Write up the key principles" not in get(client, "/actions/?status=done")
    assert "Write up the key principles" in get(client, "/actions/?board=bcb&status=open")
    get(client, "/actions/?status=nonsense", status=400)


def test_lists_are_paginated(client, settings):
    settings.PAGE_SIZE = 2
    board = BoardFactory(slug="bcb")
    for day in range(5):
        PaperFactory(board=board, title=f"Paper number {day}", date=datetime.date(2015, 1, day + 1))
    first = get(client, "/papers/")
    assert "Page 1 of 3" in first and "Paper number 4" in first and "Paper number 2" not in first
    assert "Paper number 0" in get(client, "/papers/?page=3")
    assert "Page 3 of 3" in get(client, "/papers/?page=999")


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


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


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
