"""The minutes PDF lists each paragraph's money under it, as the meeting's page does (one
partial, ``finance/_minute_money.html``), and only the lines the reader may see."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance.models import FinancialLine
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    approve,
)
from tests.finance.factories import FinancialLineFactory

from .conftest import in_order, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    """Approved minutes of a public board: an open item whose paragraph prints £2.1m, and an
    exempt item whose paragraph prints £40k."""
    board = BoardFactory(name="Finance Sub-Group", slug="fsg", short_name="FSG")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 8, 27))
    item = AgendaItemFactory(meeting=meeting, number="3", title="Force Revenue Monitoring")
    paragraph = MinuteParagraphFactory(item=item, text="A predicted underspend of £2.1m.")
    FinancialLineFactory(
        minute_paragraph=paragraph,
        description="Predicted year-end Force underspend",
        amount=Decimal("2100000"),
        kind=FinancialLine.Kind.UNDERSPEND,
        financial_year="2015/16",
        as_printed="£2.1m",
    )
    exempt = AgendaItemFactory(
        meeting=meeting, number="4", title="Estates", is_exempt=True, exemption_reason="Section 43"
    )
    FinancialLineFactory(
        minute_paragraph=MinuteParagraphFactory(item=exempt, text="A confidential sum."),
        description="Confidential estates sum",
        amount=Decimal("40000"),
        kind=FinancialLine.Kind.UNDERSPEND,
        financial_year="2015/16",
    )
    approve(meeting)
    return meeting


def url(meeting) -> str:
    return f"/boards/{meeting.board.slug}/{meeting.date.isoformat()}/minutes.pdf"


def test_the_public_minutes_pdf_lists_the_money_of_the_minutes_it_prints(meeting):
    content = text(Client().get(url(meeting)))
    assert in_order(
        content,
        [
            "A predicted underspend of £2.1m.",
            "Money in this minute:",
            "Predicted year-end Force underspend: £2.10m (printed “£2.1m”)",
            "underspend, 2015/16; Scope not recorded",
        ],
    )
    assert "Confidential estates sum" not in content


def test_staff_see_the_money_of_the_exempt_minute_too(staff_client, meeting):
    content = text(staff_client.get(url(meeting)))
    assert "Predicted year-end Force underspend" in content
    assert in_order(content, ["A confidential sum.", "Confidential estates sum: £40k"])
