"""Roles are a rule of the access module, not a side effect of ``is_staff``.

A finance officer opens the admin (``is_staff``) but reads the site's records as the public
does: no draft minutes, no exempt items or papers, no private boards. On /finance/ and its
exports they read every line and total. OPCC staff and signatories read everything; the
twin of each "does not see" below."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from boards import access
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    UserFactory,
)
from tests.finance.factories import FinancialLineFactory
from tests.pages import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    board = BoardFactory(slug="bcb", name="Business Coordination Board")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))  # draft minutes
    item = AgendaItemFactory(meeting=meeting, title="Insurance claim", is_exempt=True,
                             exemption_reason="Paragraph 3")  # fmt: skip
    MinuteParagraphFactory(item=item, text="The claim was settled for an undisclosed sum.")
    exempt = PaperFactory(board=board, title="Claims reserve", access="exempt",
                          exemption_reason="Paragraph 3")  # fmt: skip
    FinancialLineFactory(
        paper=exempt, amount=Decimal("52000"), kind="cost", financial_year="2015/16"
    )
    private = BoardFactory(slug="private", name="Chief Officers Private Group", is_public=False)
    return {"meeting": meeting, "exempt": exempt, "private": private}


def test_a_finance_officer_reads_the_records_as_the_public_does(finance_client, hidden):
    meeting_page = get(finance_client, hidden["meeting"].get_absolute_url())
    assert "Insurance claim" not in meeting_page
    assert "undisclosed sum" not in meeting_page
    assert finance_client.get(hidden["exempt"].get_absolute_url()).status_code == 404
    assert finance_client.get("/boards/private/").status_code == 404
    assert (
        finance_client.get(hidden["meeting"].get_absolute_url() + "minutes.pdf").status_code == 404
    )


def test_staff_read_those_records(staff_client, hidden):
    meeting_page = get(staff_client, hidden["meeting"].get_absolute_url())
    assert "Insurance claim" in meeting_page and "undisclosed sum" in meeting_page
    assert staff_client.get(hidden["exempt"].get_absolute_url()).status_code == 200
    assert staff_client.get("/boards/private/").status_code == 200


def test_a_signatory_reads_those_records_too(signatory, hidden):
    client = Client()
    client.force_login(signatory)
    assert "undisclosed sum" in get(client, hidden["meeting"].get_absolute_url())


def test_a_finance_officer_reads_every_line_and_total_on_the_finance_pages(finance_client, hidden):
    assert "52,000.00" in get(finance_client, "/finance/lines/")
    assert "Claims reserve" in get(finance_client, "/finance/lines.csv")
    assert "£52k" in get(finance_client, "/finance/")


def test_the_public_does_not_see_that_money(client, hidden):
    assert "52,000.00" not in get(client, "/finance/lines/")
    assert "Claims reserve" not in get(client, "/finance/lines.csv")


def test_is_staff_alone_reads_nothing_more_than_the_public(hidden):
    clerk = UserFactory(username="clerk", is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get(hidden["exempt"].get_absolute_url()).status_code == 404
    assert not access.sees_everything(clerk) and not access.reads_all_money(clerk)
    assert access.reader_class(clerk) == "public"


def test_each_role_has_its_own_reader_class(finance_user, staff_user, signatory):
    assert access.reader_class(finance_user) == "money"
    assert access.reader_class(staff_user) == access.reader_class(signatory) == "staff"
