"""Each page runs a fixed number of queries, whatever the number of records.

Every test builds the same page at two data sizes and asserts the same count.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    DeclarationFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def build(slug: str, size: int, first_day: datetime.date):
    """A board with ``size`` members, sub-groups and meetings; each meeting has ``size`` items,
    each with a paper, a presenter, ``size`` paragraphs, an action and an attendee. Returns
    the board and its last meeting."""
    board = BoardFactory(slug=slug)
    MembershipFactory.create_batch(size, board=board)
    BoardFactory.create_batch(size, parent=board)
    meeting = earlier = None
    for m in range(size):
        earlier = meeting
        meeting = MeetingFactory(board=board, date=first_day + datetime.timedelta(days=30 * m))
        for i in range(size):
            paper = PaperFactory(board=board, meeting=meeting)
            item = AgendaItemFactory(
                meeting=meeting, number=str(i + 1), paper=paper, presenter=PersonFactory()
            )
            MinuteParagraphFactory.create_batch(size, item=item)
            ActionFactory(meeting=meeting, item=item, owner=PersonFactory())
            if earlier is not None:  # carried forward: due at this meeting, closed at it
                ActionFactory(
                    meeting=earlier,
                    owner=PersonFactory(),
                    due_meeting=meeting,
                    status="done",
                    closed_at=meeting,
                )
            AttendanceFactory(meeting=meeting)
        DeclarationFactory(meeting=meeting)
        meeting.minutes_status = "approved"
        meeting.save()
    return board, meeting


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def counts_at_two_sizes(client, url_for) -> tuple[int, int]:
    small = count_queries(client, url_for(*build("small", 2, datetime.date(2015, 1, 1))))
    large = count_queries(client, url_for(*build("large", 6, datetime.date(2016, 1, 1))))
    return small, large


# Anonymous queries per page, listed:
# meeting page: meeting+board (1), items (2), paragraphs prefetch (3), papers (4),
#   their recommendations (5), decision notices (6), attendance (7), declarations (8),
#   actions raised (9), actions arising (10).
@pytest.mark.parametrize(
    ("name", "url_for", "expected"),
    [
        ("home", lambda b, m: "/", 4),  # upcoming, recent, decisions, papers
        ("boards", lambda b, m: "/boards/", 2),  # count, page
        (
            "board",
            lambda b, m: f"/boards/{b.slug}/",
            5,
        ),  # board, years, members, sub-groups, meetings
        ("meeting", lambda b, m: m.get_absolute_url(), 10),
        ("papers", lambda b, m: "/papers/", 3),  # boards for the filter, count, page
        # paper, items, decision notices, recommendations, financial lines
        ("paper", lambda b, m: m.papers.first().get_absolute_url(), 5),
        # boards, owners' ids (cached until a record changes), owners, count, page
        ("actions", lambda b, m: "/actions/", 5),
    ],
)
def test_a_page_runs_the_same_queries_at_two_data_sizes(client, name, url_for, expected):
    small, large = counts_at_two_sizes(client, url_for)
    assert (small, large) == (expected, expected), name


def test_a_board_member_adds_one_query_for_their_memberships(member_of):
    board, meeting = build("small", 2, datetime.date(2015, 1, 1))
    member = member_of(board)
    # session, user, memberships, then the anonymous ten.
    assert count_queries(member, meeting.get_absolute_url()) == 2 + 1 + 10
