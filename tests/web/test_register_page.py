"""The decisions register (/decisions/) and its CSV (/decisions/export.csv): the notices the
reader may see, newest first, the filters, and each notice's money."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from decisions.models import DecisionNotice
from decisions.services import publish_notice, sign_notice
from tests.factories import (
    EARLY_MEETING,
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PersonFactory,
    approve,
)
from tests.pages import get, parse, table_with_caption, text
from tests.web.money import Kind, line, publish

pytestmark = pytest.mark.django_db


def test_the_public_register_lists_published_notices_only(client, register):
    html = get(client, "/decisions/")
    assert "Restorative Justice extension" in html and "CPCC 2015-001" in html
    assert "Melbourn lease" not in html and "Unsigned draft decision" not in html
    get(client, DecisionNotice.objects.get(title="Unsigned draft decision").get_absolute_url(), 404)


def test_staff_see_every_unpublished_notice_and_the_boards_members_those_of_their_board(
    staff_client, member_of, register
):
    signed = DecisionNotice.objects.get(title="Melbourn lease")
    unsigned = DecisionNotice.objects.get(title="Unsigned draft decision")  # of no meeting
    html = get(staff_client, "/decisions/")
    assert "Melbourn lease" in html and "Unsigned draft decision" in html
    get(staff_client, signed.get_absolute_url())
    get(staff_client, unsigned.get_absolute_url())
    member = member_of(register["board"])
    assert "Melbourn lease" in get(member, "/decisions/")
    get(member, signed.get_absolute_url())


def test_staff_see_every_notice_newest_first(staff_client, register):
    html = get(staff_client, "/decisions/")
    assert html.index("Melbourn lease") < html.index("Restorative Justice extension")
    assert "Unsigned draft decision" in html


def test_the_register_filters_by_year_status_board_maker_and_words(staff_client, register):
    assert "Restorative" not in get(staff_client, "/decisions/?year=2016")
    assert "Melbourn" not in get(staff_client, "/decisions/?status=published")
    maker = register["published"].decision_maker
    assert "Melbourn" not in get(staff_client, f"/decisions/?decision_maker={maker.pk}")
    assert "Restorative" in get(staff_client, "/decisions/?board=bcb&q=restorative")
    assert "Enter a number." in get(staff_client, "/decisions/?year=soon", 400)


def test_the_csv_export_holds_what_the_reader_may_see(client, staff_client, register):
    rows = list(csv.DictReader(io.StringIO(get(client, "/decisions/export.csv"))))
    assert [r["title"] for r in rows] == ["Restorative Justice extension"]
    assert (
        rows[0]["reference"] == "CPCC 2015-001"
        and rows[0]["board"] == "Business Coordination Board"
    )
    staff_rows = list(
        csv.DictReader(io.StringIO(get(staff_client, "/decisions/export.csv?status=signed")))
    )
    assert [r["title"] for r in staff_rows] == ["Melbourn lease"]
    assert "year" in get(client, "/decisions/export.csv?year=x", 400)


# -- each notice's money ---------------------------------------------------------------------------


def register_money(html: str) -> dict[str, list[tuple[Decimal, str]]]:
    """{notice title: [(exact total, kind), ...]} from the register's money column."""
    table = table_with_caption(parse(html), "Decision notices")
    heads = [text(th) for th in table.find("thead").iter("th")]
    money_column = heads.index("Money")
    result = {}
    for tr in table.find("tbody").findall("tr"):
        cells = tr.findall("td")
        cell = cells[money_column]
        amounts = [Decimal(data.get("value")) for data in cell.iter("data")]
        kinds = [text(span) for span in cell.iter("span") if span.get("class") == "hint"]
        result[text(cells[2])] = list(zip(amounts, kinds, strict=True)) or text(cell)
    return result


def test_the_register_shows_each_notices_money_by_kind_and_a_dash_for_none(client, signatory):
    meeting = MeetingFactory(date=EARLY_MEETING)
    with_money = DecisionNoticeFactory(meeting=meeting, title="ICT contract")
    line("1200000", year="2016/17", decision_notice=with_money)
    line("300000", year="2017/18", decision_notice=with_money)
    line("40000", Kind.GRANT, "2016/17", decision_notice=with_money)
    without = DecisionNoticeFactory(meeting=meeting, title="Lease renewal")
    publish(with_money, signatory)
    publish(without, signatory)
    assert register_money(get(client, "/decisions/")) == {
        # Each total names its scope (the factory's lines record none).
        "ICT contract": [
            (Decimal("1500000.00"), "cost: scope not recorded"),
            (Decimal("40000.00"), "grant: scope not recorded"),
        ],
        # A dash is shown; "none recorded" is what a screen reader reads out instead.
        "Lease renewal": "–none recorded",
    }


def test_every_text_column_of_the_register_csv_is_guarded_against_formulas(client, signatory):
    day = datetime.date(2016, 1, 28)
    board = BoardFactory(name="=HYPERLINK(1)", slug="formula")
    notice = DecisionNoticeFactory(
        title="@SUM(A1)",
        meeting=MeetingFactory(board=board, date=day),
        decision_maker=PersonFactory(full_name="+1+1"),
    )
    sign_notice(notice=notice, user=signatory, signed_on=day)
    publish_notice(notice=notice, user=signatory, published_on=day)
    [row] = csv.DictReader(io.StringIO(get(client, "/decisions/export.csv")))
    assert (row["title"], row["board"], row["decision_maker"]) == (
        "'@SUM(A1)",
        "'=HYPERLINK(1)",
        "'+1+1",
    )


# -- decisions known from the minutes that record their signing (issue 11) ----------------------


def signed_in_minutes(signatory, *, title, exempt=False, approved=True):
    """A signed, unpublished notice whose signing a minute paragraph records ("the Commissioner
    signed the Decision Notice"), under an exempt item or not, in approved minutes or draft."""
    board = BoardFactory(is_public=True)
    meeting = MeetingFactory(board=board, date=EARLY_MEETING)
    item = AgendaItemFactory(
        meeting=meeting,
        number="9",
        title=title,
        is_exempt=exempt,
        exemption_reason="Commercial" if exempt else "",
    )
    minute = MinuteParagraphFactory(
        item=item,
        number="9.2",
        text="The Board approved and the Commissioner signed the Decision Notice.",
    )
    notice = DecisionNoticeFactory(
        title=title, meeting=meeting, signing_minute=minute, decision="Spend £197k on tuServ."
    )
    sign_notice(notice=notice, user=signatory)
    if approved:
        approve(meeting)
    return DecisionNotice.objects.get(pk=notice.pk)


def test_the_public_register_lists_a_decision_approved_minutes_record_as_signed(client, signatory):
    notice = signed_in_minutes(signatory, title="Funding for Tuserv")
    html = get(client, "/decisions/")
    row = text(table_with_caption(parse(html), "Decision notices"))
    assert "Funding for Tuserv The notice itself is not published here." in row
    assert "Signing recorded in minute 9.2" in row and "not published" in row
    assert notice.get_absolute_url() not in html
    # The notice itself stays hidden, and its text is not searchable.
    get(client, notice.get_absolute_url(), 404)
    assert "Funding for Tuserv" not in get(client, "/decisions/?q=tuserv+spend")


def test_staff_see_the_full_notice_of_a_decision_the_public_knows_from_the_minutes(
    staff_client, signatory
):
    notice = signed_in_minutes(signatory, title="Funding for Tuserv")
    html = get(staff_client, "/decisions/")
    row = text(table_with_caption(parse(html), "Decision notices"))
    assert notice.get_absolute_url() in html and "not published here" not in row
    assert "Spend £197k on tuServ." in get(staff_client, notice.get_absolute_url())
    assert "Funding for Tuserv" in get(staff_client, "/decisions/?q=tuserv+spend")


def test_a_signing_minuted_under_an_exempt_item_or_in_draft_minutes_makes_nothing_public(
    client, member_of, signatory
):
    exempt = signed_in_minutes(signatory, title="Estates disposal", exempt=True)
    draft = signed_in_minutes(signatory, title="Vehicle workshop", approved=False)
    public = get(client, "/decisions/")
    assert "Estates disposal" not in public and "Vehicle workshop" not in public
    # Its twin: the board's members see the notice itself.
    member = member_of(exempt.meeting.board)
    assert exempt.get_absolute_url() in get(member, "/decisions/")
    approve(draft.meeting)
    assert "Vehicle workshop" in get(client, "/decisions/")


def test_a_draft_named_in_public_minutes_is_not_made_public(client, staff_client, db):
    board = BoardFactory(is_public=True)
    meeting = MeetingFactory(board=board, date=EARLY_MEETING)
    item = AgendaItemFactory(meeting=meeting, number="3", title="Bids")
    minute = MinuteParagraphFactory(item=item, text="The Commissioner will sign the notice.")
    DecisionNoticeFactory(title="Innovation bids", meeting=meeting, signing_minute=minute)
    approve(meeting)
    assert "Innovation bids" not in get(client, "/decisions/")
    assert "Innovation bids" in get(staff_client, "/decisions/")
