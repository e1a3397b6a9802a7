"""The action log (/actions/): its filters; actions under exempt items, of draft minutes and of
private boards only for staff and the board's members."""

import datetime

import pytest

from boards.models import Action
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    approve,
)
from tests.pages import get, parse, rows, table_with_caption, text

pytestmark = pytest.mark.django_db


def test_the_action_log_filters_by_board_owner_and_status(client, records):
    owner = records["approved"].actions.get(text="Write up the key principles").owner
    assert "Write up the key principles" in get(client, f"/actions/?owner={owner.pk}")
    assert "Write up the key principles" not in get(client, "/actions/?status=done")
    assert "Write up the key principles" in get(client, "/actions/?board=bcb&status=open")
    get(client, "/actions/?status=nonsense", status=400)


def test_staff_and_the_boards_members_see_actions_under_exempt_items(
    client, staff_client, member_of
):
    board = BoardFactory(slug="bcb")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    exempt = AgendaItemFactory(
        meeting=meeting, is_exempt=True, exemption_reason="Commercially sensitive"
    )
    ActionFactory(meeting=meeting, item=exempt, text="Negotiate the confidential price")
    approve(meeting)
    assert "Negotiate the confidential price" not in get(client, "/actions/")
    for reader in (staff_client, member_of(board)):
        assert "Negotiate the confidential price" in get(reader, "/actions/")


def test_staff_and_the_boards_members_see_actions_of_draft_minutes(client, staff_client, member_of):
    board = BoardFactory(slug="bcb")
    draft = MeetingFactory(board=board, date=datetime.date(2015, 12, 16))
    assert draft.minutes_status == "draft"
    ActionFactory(meeting=draft, text="Draft action not yet approved")
    assert "Draft action not yet approved" not in get(client, "/actions/")
    for reader in (staff_client, member_of(board)):
        assert "Draft action not yet approved" in get(reader, "/actions/")


def test_staff_and_the_boards_members_see_actions_of_private_boards(
    client, staff_client, member_of
):
    private = BoardFactory(name="Chief Officer Group", slug="cog", is_public=False)
    meeting = MeetingFactory(board=private, date=datetime.date(2016, 1, 5))
    ActionFactory(meeting=meeting, text="Brief the chief officers on the estates review")
    approve(meeting)
    assert "Brief the chief officers" not in get(client, "/actions/")
    for reader in (staff_client, member_of(private)):
        assert "Brief the chief officers" in get(reader, "/actions/")


def test_the_action_log_says_a_status_is_not_recorded_and_filters_those_actions(client):
    meeting = approve(MeetingFactory(board=BoardFactory(slug="bcb")))
    ActionFactory(meeting=meeting, text="Historic action", status=Action.Status.NOT_RECORDED)
    ActionFactory(meeting=meeting, text="Action typed today")
    log = {row[0]: row[4] for row in rows(table_with_caption(get(client, "/actions/"), "Actions"))}
    assert log == {"Historic action": "not recorded", "Action typed today": "Open"}
    not_recorded = get(client, "/actions/?status=not-recorded")
    assert "Historic action" in not_recorded and "Action typed today" not in not_recorded
    open_ = get(client, "/actions/?status=open")
    assert "Action typed today" in open_ and "Historic action" not in open_


def test_an_action_links_to_the_meeting_it_is_due_at_and_the_one_that_closed_it(client):
    """The due and closing meetings are read by key (ActionQuerySet.for_rows), not joined: the
    row still names each by its date and links to its page, another board's included."""
    board = BoardFactory(slug="bcb", short_name="BCB")
    raised = approve(MeetingFactory(board=board, date=datetime.date(2015, 11, 26)))
    due = approve(MeetingFactory(board=BoardFactory(slug="jac"), date=datetime.date(2016, 1, 14)))
    closed = approve(MeetingFactory(board=board, date=datetime.date(2016, 2, 3)))
    ActionFactory(
        meeting=raised, text="Report back on the estates review", due_meeting=due,
        due_date=None, status=Action.Status.DONE, closed_at=closed,
    )  # fmt: skip
    page = get(client, "/actions/")
    [row] = rows(table_with_caption(page, "Actions"))
    assert row[2:] == ["BCB 26 Nov 2015", "meeting of 14 Jan 2016", "Done at 3 Feb 2016"]
    root = parse(page)
    links = {text(a): a.get("href") for a in root.iter("a")}
    assert links["meeting of 14 Jan 2016"] == "/boards/jac/2016-01-14/"
    assert links["3 Feb 2016"] == "/boards/bcb/2016-02-03/"
    assert links["BCB 26 Nov 2015"] == f"/boards/bcb/2015-11-26/#action-{raised.actions.get().pk}"
