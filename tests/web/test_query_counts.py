"""Each page runs a fixed number of queries, whatever the number of records.

Every test builds the same page at two data sizes and asserts the same count; the comment
above each test lists the queries.
"""

import datetime

import pytest
from django.core.cache import cache

from finance.models import FinancialLine
from tests.factories import (
    EARLY_MEETING,
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    DecisionNoticeFactory,
    DeclarationFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    RecommendationFactory,
    approve,
)
from tests.finance.factories import CollaboratedFunctionFactory
from tests.pages import count_queries
from tests.web.money import KIND_LABELS, Kind, line, publish

pytestmark = pytest.mark.django_db


# -- the boards' pages ----------------------------------------------------------------------------


def build(slug: str, size: int, first_day: datetime.date, *, exempt_every: int = 0):
    """A board with ``size`` members, sub-groups and meetings; each meeting has ``size`` items,
    each with a paper, a presenter, ``size`` paragraphs (the first printing ``size`` amounts of
    money), an action and an attendee (with ``exempt_every``, every such item from the first
    is exempt). Returns the board and its last meeting."""
    board = BoardFactory(slug=slug)
    MembershipFactory.create_batch(size, board=board)
    BoardFactory.create_batch(size, parent=board)
    meeting = earlier = None
    for m in range(size):
        earlier = meeting
        meeting = MeetingFactory(board=board, date=first_day + datetime.timedelta(days=30 * m))
        for i in range(size):
            paper = PaperFactory(board=board, meeting=meeting)
            exempt = bool(exempt_every) and i % exempt_every == 0
            item = AgendaItemFactory(
                meeting=meeting,
                number=str(i + 1),
                paper=paper,
                presenter=PersonFactory(),
                is_exempt=exempt,
                exemption_reason="Commercial" if exempt else "",
                exemption_paragraph="3" if exempt else "",
            )
            paragraphs = MinuteParagraphFactory.create_batch(size, item=item)
            for n in range(size):
                line(str(1000 + n), minute_paragraph=paragraphs[0])
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


def counts_at_two_sizes(client, url_for) -> tuple[int, int]:
    small = count_queries(client, url_for(*build("small", 2, datetime.date(2015, 1, 1))))
    large = count_queries(client, url_for(*build("large", 6, datetime.date(2016, 1, 1))))
    return small, large


# Anonymous queries per page, listed:
# meeting page: meeting+board (1), items (2), paragraphs prefetch (3), the paragraphs' money
#   prefetch (4: their financial lines the reader may see, one query for every paragraph),
#   the items' attachments (5), papers (6), their recommendations (7), decision notices (8),
#   attendance (9), declarations (10), actions raised (11), actions arising (12).
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
        ("meeting", lambda b, m: m.get_absolute_url(), 12),  # 11 + the minutes' money
        ("papers", lambda b, m: "/papers/", 3),  # boards for the filter, count, page
        # paper, items, decision notices, recommendations, attachments, financial lines
        ("paper", lambda b, m: m.papers.first().get_absolute_url(), 6),
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
    # session, user, memberships, then the anonymous twelve.
    assert count_queries(member, meeting.get_absolute_url()) == 2 + 1 + 12


def test_the_meeting_page_lists_exempt_items_in_the_same_queries_at_two_data_sizes(
    client, member_of
):
    """The public's agenda lists the exempt items it may not open from the same query as the
    rest (items, then paragraphs of the items shown); a member's reads them all."""
    small = build("small", 2, datetime.date(2015, 1, 1), exempt_every=2)
    large = build("large", 6, datetime.date(2016, 1, 1), exempt_every=2)
    assert [count_queries(client, m.get_absolute_url()) for _, m in (small, large)] == [12, 12]
    member_of(small[0])
    member = member_of(large[0])  # sits on both boards
    # session, user, memberships, then the anonymous twelve (the paragraphs' money one of them).
    assert [count_queries(member, m.get_absolute_url()) for _, m in (small, large)] == [15, 15]


# -- the finance pages and the register's money ----------------------------------------------------


def count_uncached(client, url: str) -> int:
    """The queries of ``url`` with nothing cached: the totals' aggregate runs every time."""
    cache.clear()
    return count_queries(client, url)


def early_meeting(board):
    """A meeting of ``board`` before the day its notices are signed, a day earlier each time."""
    taken = board.meetings.count()
    return MeetingFactory(board=board, date=EARLY_MEETING - datetime.timedelta(days=taken))


def lines_of_every_record(count: int, signatory) -> None:
    """``count`` public lines, each on its own paper, recommendation, notice, minute (of
    approved minutes) or function."""
    board = BoardFactory()
    makers = [
        lambda: {"paper": PaperFactory(board=board)},
        lambda: {"recommendation": RecommendationFactory(paper=PaperFactory(board=board))},
        lambda: {"function": CollaboratedFunctionFactory()},
        lambda: {"decision_notice": DecisionNoticeFactory(meeting=early_meeting(board))},
        lambda: {
            "minute_paragraph": MinuteParagraphFactory(
                item=AgendaItemFactory(meeting=early_meeting(board))
            )
        },
    ]
    for n in range(count):
        owner = makers[n % len(makers)]()
        year = f"{2010 + n % 7}/{11 + n % 7}"
        line(str(1000 + n), list(KIND_LABELS)[n % 4], year, **owner)
        if "decision_notice" in owner:
            publish(owner["decision_notice"], signatory)
        if "minute_paragraph" in owner:
            approve(owner["minute_paragraph"].item.meeting)


# Anonymous queries:
# /finance/: boards for the filter, the years the lines span, the totals aggregate, the lines
#   where the documents disagree (off their partial index, at most 51).
# /finance/lines/: the years the lines span, the totals of these lines (the stored totals),
#   count, the page of lines with their records, the minutes of the page's minute lines with
#   their items, meetings and boards (only when one is listed: every record has lines here),
#   boards for the filter.
@pytest.mark.parametrize(("url", "expected"), [("/finance/", 4), ("/finance/lines/", 6)])
def test_the_finance_pages_run_the_same_queries_at_two_data_sizes(client, signatory, url, expected):
    lines_of_every_record(5, signatory)
    small = count_uncached(client, url)
    lines_of_every_record(45, signatory)
    assert FinancialLine.objects.count() == 50
    large = count_uncached(client, url)
    assert (small, large) == (expected, expected)


def test_the_finance_pages_for_staff_run_the_same_queries_at_two_data_sizes(
    staff_client, signatory
):
    lines_of_every_record(5, signatory)
    small = [count_uncached(staff_client, url) for url in ("/finance/", "/finance/lines/")]
    lines_of_every_record(45, signatory)
    large = [count_uncached(staff_client, url) for url in ("/finance/", "/finance/lines/")]
    assert small == large


def notices_with_money(count: int, signatory) -> None:
    meeting = MeetingFactory(date=EARLY_MEETING)
    for n in range(count):
        notice = DecisionNoticeFactory(meeting=meeting)
        line(str(1000 + n), year="2016/17", decision_notice=notice)
        line(str(2000 + n), Kind.GRANT, "2016/17", decision_notice=notice)
        publish(notice, signatory)


# Anonymous: boards and decision makers for the filter, count, the page, the page's money.
def test_the_register_with_money_runs_the_same_queries_at_two_data_sizes(client, signatory):
    notices_with_money(3, signatory)
    small = count_uncached(client, "/decisions/")
    notices_with_money(20, signatory)
    large = count_uncached(client, "/decisions/")
    assert (small, large) == (5, 5)
