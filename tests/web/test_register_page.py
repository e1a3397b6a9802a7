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
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PersonFactory,
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
