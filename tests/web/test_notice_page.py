"""A decision notice's page (/decisions/<pk>/): its meeting, papers and recommendations, and the
money it commits."""

from decimal import Decimal

import pytest

from tests.factories import (
    EARLY_MEETING,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    RecommendationFactory,
)
from tests.pages import get, text
from tests.web.money import Kind, line, money_totals, publish

pytestmark = pytest.mark.django_db


def test_a_notice_links_to_its_meeting_papers_and_recommendations(client, register):
    html = get(client, register["published"].get_absolute_url())
    assert "/boards/bcb/2015-11-26/" in html
    assert register["paper"].get_absolute_url() in html
    assert "Approve the 12-month extension." in html and "Approved" in html


def test_the_notice_page_shows_the_money_it_commits_and_its_recommendations_money(
    client, signatory
):
    meeting = MeetingFactory(date=EARLY_MEETING)
    notice = DecisionNoticeFactory(meeting=meeting, title="ICT contract")
    paper = PaperFactory(board=meeting.board, meeting=meeting)
    recommendation = RecommendationFactory(paper=paper, decision_notice=notice)
    line("1200000", year="2016/17", decision_notice=notice)
    line("40000", Kind.GRANT, "2016/17", decision_notice=notice)
    line("5000", year="2016/17", recommendation=recommendation)
    publish(notice, signatory)
    html = get(client, notice.get_absolute_url())
    assert money_totals(html, "Money this decision commits") == {
        "Cost": (Decimal("1205000.00"), "(2 lines)"),
        "Grant": (Decimal("40000.00"), "(1 line)"),
    }


def test_a_notice_taken_outside_a_meeting_says_so(client, signatory):
    notice = DecisionNoticeFactory(
        title="Urgent decision", meeting=None, taken_outside_meeting=True
    )
    publish(notice, signatory)
    page = text(get(client, notice.get_absolute_url()))
    assert "Taken at Outside a meeting" in page
