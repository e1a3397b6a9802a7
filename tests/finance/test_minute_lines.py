"""Money printed only in minutes belongs to the minute paragraph that prints it.

A minute's line is shown under its paragraph on the meeting page and counted in /finance/ for
those who may read the minutes: the public once the minutes of a public board are approved
and the item is not exempt; the board's members and OPCC staff always. The totals follow the
minutes being reopened, a paragraph moved and an item made exempt on the very next request.
The lines list and its exports filter by one minute (``?minute=``) and by the record type
(``?record_type=minute``); "Belongs to" links to the paragraph on the meeting page. The
admin enters and lists such lines, and refuses them on approved minutes, which lock the
money they print as a signed notice locks its own. Last, the seeded minutes' money: each
printed figure equals its line.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from boards.models import AgendaItem, Meeting, MinuteParagraph
from boards.services import reopen_minutes
from finance.models import FinancialLine, RecordType
from minutebook.records import LockedRecordError
from tests.admin_forms import form_of
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    approve,
)
from tests.finance.factories import FinancialLineFactory
from tests.pages import get, parse, table_with_caption, text
from tests.web.money import csv_table, figures, listed

pytestmark = pytest.mark.django_db

UNDERSPEND = ("2015/16", "Underspend")
ALL_UNDERSPEND = ("All years", "Underspend")


@pytest.fixture(autouse=True)
def empty_cache():
    """Totals and counts are cached until a record changes; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def minutes():
    """A public board's meeting with approved minutes: item 3 with a paragraph printing
    £2.1m (and a second paragraph printing nothing) and an exempt item 4 whose paragraph
    prints £40k; a draft-minutes meeting of the same board whose paragraph prints £300k."""
    board = BoardFactory(name="Finance Sub-Group", slug="fsg", short_name="FSG", is_public=True)
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 8, 27))
    item = AgendaItemFactory(meeting=meeting, number="3", title="Force Revenue Monitoring")
    paragraph = MinuteParagraphFactory(
        item=item, text="Table 1 showed a predicted year-end Force underspend of £2.1m."
    )
    MinuteParagraphFactory(item=item, text="The group noted the report.")
    exempt = AgendaItemFactory(
        meeting=meeting, number="4", title="Estates", is_exempt=True, exemption_reason="Section 43"
    )
    exempt_paragraph = MinuteParagraphFactory(item=exempt, text="A confidential sum of £40k.")
    underspend = FinancialLineFactory(
        minute_paragraph=paragraph,
        description="Predicted year-end Force underspend",
        amount=Decimal("2100000"),
        kind=FinancialLine.Kind.UNDERSPEND,
        financial_year="2015/16",
        as_printed="£2.1m",
    )
    confidential = FinancialLineFactory(
        minute_paragraph=exempt_paragraph,
        description="Confidential estates sum",
        amount=Decimal("40000"),
        kind=FinancialLine.Kind.UNDERSPEND,
        financial_year="2015/16",
    )
    approve(meeting)
    draft = MeetingFactory(board=board, date=datetime.date(2015, 9, 30), minutes_status="draft")
    draft_item = AgendaItemFactory(meeting=draft, number="3", title="Training")
    draft_paragraph = MinuteParagraphFactory(item=draft_item, text="About £300k less.")
    training = FinancialLineFactory(
        minute_paragraph=draft_paragraph,
        description="Training budget less than planned",
        amount=Decimal("300000"),
        kind=FinancialLine.Kind.UNDERSPEND,
        financial_year="2015/16",
    )
    return {
        "board": board,
        "meeting": Meeting.objects.get(pk=meeting.pk),
        "item": item,
        "exempt": exempt,
        "paragraph": paragraph,
        "exempt_paragraph": exempt_paragraph,
        "draft": draft,
        "draft_item": draft_item,
        "draft_paragraph": draft_paragraph,
        "underspend": underspend,
        "confidential": confidential,
        "training": training,
    }


def money_under(html: str, paragraph: MinuteParagraph) -> str:
    """The text of the money listed under ``paragraph`` on a meeting page ("" when none)."""
    for div in parse(html).iter("div"):
        if div.get("id") == f"minute-{paragraph.pk}":
            money = [d for d in div.iter("div") if "minute-money" in (d.get("class") or "")]
            return text(money[0]) if money else ""
    raise AssertionError(f"minute {paragraph.pk} is not on the page")


def underspend_total(client) -> Decimal | None:
    """The "All years" underspend of /finance/ as ``client`` reads it; None when the page
    shows no underspend (or no totals at all)."""
    html = get(client, "/finance/")
    if table_with_caption(parse(html), "Totals by financial year and kind") is None:
        return None
    return figures(html).get(ALL_UNDERSPEND)


# -- who sees a minute's money ---------------------------------------------------------------------


def test_the_public_sees_the_money_of_approved_public_minutes_under_its_paragraph(client, minutes):
    html = get(client, minutes["meeting"].get_absolute_url())
    shown = money_under(html, minutes["paragraph"])
    assert "Predicted year-end Force underspend" in shown
    assert "£2.1m" in shown and "2015/16" in shown
    assert f'href="/finance/lines/?line={minutes["underspend"].pk}"' in html
    assert "Confidential estates sum" not in html
    assert figures(get(client, "/finance/"))[UNDERSPEND] == Decimal("2100000.00")


def test_the_public_does_not_see_the_money_of_draft_minutes_or_exempt_items(client, minutes):
    draft = get(client, minutes["draft"].get_absolute_url())  # the page, not its minutes
    assert "Training budget less than planned" not in draft
    lines = get(client, "/finance/lines/?record_type=minute")
    assert listed(lines) == {minutes["underspend"].pk}
    assert underspend_total(client) == Decimal("2100000.00")  # not the £300k nor the £40k


@pytest.mark.parametrize("reader", ["member", "staff"])
def test_the_boards_members_and_staff_see_the_money_of_draft_minutes_and_exempt_items(
    member_of, staff_client, minutes, reader
):
    client = member_of(minutes["board"]) if reader == "member" else staff_client
    html = get(client, minutes["meeting"].get_absolute_url())
    assert "Confidential estates sum" in money_under(html, minutes["exempt_paragraph"])
    draft = get(client, minutes["draft"].get_absolute_url())
    assert "Training budget less than planned" in money_under(draft, minutes["draft_paragraph"])
    assert listed(get(client, "/finance/lines/?record_type=minute")) == {
        minutes[name].pk for name in ("underspend", "confidential", "training")
    }
    assert underspend_total(client) == Decimal("2440000.00")  # 2,100,000 + 40,000 + 300,000


def test_a_paragraph_that_prints_no_money_lists_none(client, minutes):
    html = get(client, minutes["meeting"].get_absolute_url())
    noted = minutes["item"].paragraphs.get(text="The group noted the report.")
    assert money_under(html, noted) == ""


def test_the_minutes_of_a_private_board_keep_their_money_from_the_public(
    client, member_of, minutes
):
    minutes["board"].is_public = False
    minutes["board"].save()
    assert underspend_total(client) is None
    assert listed(get(client, "/finance/lines/?record_type=minute")) == set()
    assert underspend_total(member_of(minutes["board"])) == Decimal("2440000.00")


# -- the totals follow the minutes on the very next request --------------------------------------


def test_the_totals_follow_minutes_reopened_a_paragraph_moved_and_approved_again(
    client, member_of, minutes
):
    member = member_of(minutes["board"])
    assert underspend_total(client) == Decimal("2100000.00")
    reopen_minutes(meeting=minutes["meeting"], reason="A figure to correct.", user=None)
    assert underspend_total(client) is None  # draft minutes: not the public's
    assert underspend_total(member) == Decimal("2440000.00")
    # Moved, while a draft, under the exempt item: approved again, the money stays hidden.
    paragraph = MinuteParagraph.objects.get(pk=minutes["paragraph"].pk)
    paragraph.item, paragraph.position = minutes["exempt"], 9
    paragraph.save()
    approve(Meeting.objects.get(pk=minutes["meeting"].pk))
    assert underspend_total(client) is None
    assert underspend_total(member) == Decimal("2440000.00")
    assert listed(get(client, "/finance/lines/?record_type=minute")) == set()


def test_the_totals_follow_an_item_made_exempt_by_update_and_a_paragraph_moved_by_update(
    client, member_of, minutes
):
    member = member_of(minutes["board"])
    approve(minutes["draft"])
    assert underspend_total(client) == Decimal("2400000.00")  # 2,100,000 + 300,000
    reopen_minutes(meeting=minutes["draft"], reason="Item 3 was exempt.", user=None)
    AgendaItem.objects.filter(pk=minutes["draft_item"].pk).update(
        is_exempt=True, exemption_reason="Section 43"
    )
    approve(Meeting.objects.get(pk=minutes["draft"].pk))
    assert underspend_total(client) == Decimal("2100000.00")
    reopen_minutes(meeting=Meeting.objects.get(pk=minutes["draft"].pk), reason="Moved.", user=None)
    other = AgendaItemFactory(meeting=minutes["draft"], number="5", title="Other business")
    MinuteParagraph.objects.filter(pk=minutes["draft_paragraph"].pk).update(item=other, position=1)
    approve(Meeting.objects.get(pk=minutes["draft"].pk))
    assert underspend_total(client) == Decimal("2400000.00")
    assert underspend_total(member) == Decimal("2440000.00")


# -- locked with the approved minutes ------------------------------------------------------------


def test_the_money_of_approved_minutes_is_locked_with_them_and_reopening_opens_it(minutes):
    line = FinancialLine.objects.get(pk=minutes["underspend"].pk)
    line.amount = Decimal("2000000")
    with pytest.raises(LockedRecordError, match="approved minutes of FSG 27 August 2015"):
        line.save()
    with pytest.raises(LockedRecordError):
        line.delete()
    with pytest.raises(LockedRecordError):
        FinancialLineFactory(minute_paragraph=minutes["paragraph"], amount=Decimal("1"))
    with pytest.raises(LockedRecordError):
        FinancialLine.objects.filter(pk=line.pk).update(amount=Decimal("1"))
    assert FinancialLine.objects.get(pk=line.pk).amount == Decimal("2100000.00")
    reopen_minutes(meeting=minutes["meeting"], reason="A figure to correct.", user=None)
    line = FinancialLine.objects.get(pk=line.pk)
    line.amount = Decimal("2000000")
    line.save()  # a draft's money changes
    assert FinancialLine.objects.get(pk=line.pk).amount == Decimal("2000000.00")


# -- the lines list, its filters and exports -------------------------------------------------------


def test_the_lines_list_filters_by_one_minute_and_links_to_the_paragraph(client, minutes):
    paragraph = minutes["paragraph"]
    html = get(client, f"/finance/lines/?minute={paragraph.pk}")
    assert listed(html) == {minutes["underspend"].pk}
    url = f"/boards/fsg/2015-08-27/#minute-{paragraph.pk}"
    assert paragraph.get_absolute_url() == url
    assert f'href="{url}"' in html
    assert "Minute 3.1 of FSG 27 August 2015" in html
    # A minute the reader may not read lists nothing; a bad one is refused with a message.
    assert listed(get(client, f"/finance/lines/?minute={minutes['exempt_paragraph'].pk}")) == set()
    assert listed(get(client, f"/finance/lines/?minute={minutes['draft_paragraph'].pk}")) == set()
    assert "Minute" in get(client, "/finance/lines/?minute=abc", status=400)


def test_the_exports_filter_by_minute_and_record_type(client, staff_client, minutes):
    rows = csv_table(get(client, "/finance/lines.csv?record_type=minute").lstrip("\ufeff"))
    assert [row["Belongs to"] for row in rows] == ["Minute"]
    (row,) = rows
    assert row["Record"] == "Minute 3.1 of FSG 27 August 2015"
    address = f"/boards/fsg/2015-08-27/#minute-{minutes['paragraph'].pk}"
    assert row["Record's address"].endswith(address)
    staff_rows = csv_table(
        get(staff_client, f"/finance/lines.csv?minute={minutes['exempt_paragraph'].pk}").lstrip(
            "\ufeff"
        )
    )
    assert [row["Description"] for row in staff_rows] == ["Confidential estates sum"]
    response = client.get("/finance/lines.xlsx?record_type=minute")
    assert response.status_code == 200
    assert 'filename="financial-lines-minute.xlsx"' in response["Content-Disposition"]


def test_the_record_type_filter_of_the_totals_counts_the_minutes_apart(client, minutes):
    html = get(client, f"/finance/?record_type={RecordType.MINUTE}")
    assert figures(html)[UNDERSPEND] == Decimal("2100000.00")
    assert listed(get(client, f"/finance/lines/?record_type={RecordType.PAPER}")) == set()


# -- the admin ------------------------------------------------------------------------------------


def add_form(paragraph, **overrides) -> dict:
    data = {
        "description": "Training budget less than planned",
        "amount": "£300k",
        "kind": "underspend",
        "financial_year": "2015/16",
        "on_date": "",
        "recurrence": "",
        "scope_code": "",
        "scope": "",
        "direction": "",
        "nature": "amount",
        "as_printed": "about £300k",
        "source_table": "",
        "position": "1",
        "note": "",
        "contradiction": "",
        "counted": "on",
        "paper": "",
        "recommendation": "",
        "decision_notice": "",
        "minute_paragraph": str(paragraph.pk),
        "function": "",
        "area": "",
        "business_case": "",
        "version": "0",
    }
    data.update(overrides)
    return data


def test_the_admin_enters_a_minutes_money_and_lists_it_as_the_minutes(staff_client, minutes):
    draft_paragraph = MinuteParagraphFactory(item=minutes["draft_item"], text="Another £5k.")
    response = staff_client.post(
        reverse("admin:finance_financialline_add"),
        add_form(draft_paragraph, description="Another sum", amount="£5k"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = FinancialLine.objects.get(description="Another sum")
    assert (saved.minute_paragraph, saved.amount) == (draft_paragraph, Decimal("5000.00"))
    assert saved.record_type == RecordType.MINUTE
    html = get(
        staff_client,
        reverse("admin:finance_financialline_changelist") + "?record_type=minute",
    )
    assert "Another sum" in html and "Predicted year-end Force underspend" in html
    assert f"#minute-{draft_paragraph.pk}" in html
    assert "Minute: <a" in html


def test_the_admin_refuses_a_line_on_approved_minutes_or_on_two_records(staff_client, minutes):
    response = staff_client.post(
        reverse("admin:finance_financialline_add"), add_form(minutes["paragraph"]), follow=True
    )
    assert response.status_code == 200
    assert "approved minutes of FSG 27 August 2015" in response.content.decode()
    response = staff_client.post(
        reverse("admin:finance_financialline_add"),
        add_form(minutes["draft_paragraph"], paper=str(PaperFactory().pk)),
        follow=True,
    )
    assert response.status_code == 200
    assert "not paper and minute" in response.content.decode()
    assert (
        not FinancialLine.objects.filter(description="Training budget less than planned")
        .exclude(pk=minutes["training"].pk)
        .exists()
    )


def test_removing_a_paragraph_whose_money_is_recorded_is_refused_with_a_message(
    staff_client, minutes
):
    """The take-minutes screen names the line instead of failing: a minute's money belongs to
    it, and nothing is saved."""
    url = reverse("admin:boards_meeting_minutes", args=[minutes["draft"].pk])
    data = form_of(staff_client, url)
    paragraph = minutes["draft_paragraph"]
    row = next(
        key
        for key, value in data.items()
        if key.startswith("p-") and key.endswith("-id") and value == str(paragraph.pk)
    )
    data[row.removesuffix("-id") + "-DELETE"] = "on"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Training budget less than planned" in response.content.decode()
    assert MinuteParagraph.objects.filter(pk=paragraph.pk).exists()
    assert FinancialLine.objects.filter(pk=minutes["training"].pk).exists()


# -- the seeded minutes' money ---------------------------------------------------------------------

# (minute paragraph pk in the seed, line pk, amount, kind, year, scope code, as printed,
# counted): each figure as the minutes print it (001 = the seed bundle of the Nov/Dec 2015
# records; FSG 27 Aug 2015 at l.42-64, BCB 26 Nov 2015 minutes 9.4 and 10.4 at l.484, l.493).
SEEDED = [
    (10301, 1201, "2100000", "underspend", "2015/16", "cambridgeshire", "£2.1m", True),
    (10306, 1202, "25000", "cost", "", "", "£25k", True),
    (10307, 1203, "300000", "underspend", "2015/16", "", "about £300k", True),
    (10401, 1204, "226000", "capital", "2015/16", "", "£226k", False),
    (10402, 1205, "51000", "capital", "2015/16", "cambridgeshire", "£51k", True),
    (10402, 1206, "83000", "capital", "2015/16", "cambridgeshire", "£83k", True),
    (30904, 307, "3200000", "forecast_saving", "", "cambridgeshire", "over £3.2 million", True),
    (31004, 1207, "5000000", "cost", "2016/17", "", "approximately £5m", True),
]


def test_the_seeded_minutes_money_is_each_figure_as_the_minutes_print_it(client):
    call_command("seed", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    minute_lines = FinancialLine.objects.of_record_type(RecordType.MINUTE)
    assert sorted(minute_lines.values_list("pk", flat=True)) == sorted(row[1] for row in SEEDED)
    for paragraph_pk, pk, amount, kind, year, scope, printed, counted in SEEDED:
        line = FinancialLine.objects.select_related("minute_paragraph").get(pk=pk)
        facts = (line.minute_paragraph_id, line.amount, line.kind, line.financial_year)
        assert facts == (paragraph_pk, Decimal(amount), kind, year), pk
        assert (line.scope_code, line.as_printed, line.counted) == (scope, printed, counted), pk
        # The printed figure is in the paragraph's own words, and no other record holds it.
        figure = printed.removeprefix("about ").removeprefix("approximately ").removeprefix("over ")
        assert figure in line.minute_paragraph.text, pk
        assert (line.paper_id, line.recommendation_id, line.decision_notice_id) == (None,) * 3
        assert line.same_as_id is None and line.part_of_id is None
    # Paper 3 prints no "£3.2 million": none of its lines is that saving.
    assert not FinancialLine.objects.filter(paper_id=3, amount=Decimal("3200000")).exists()
    # Public approved minutes: the money is public, and shown under each paragraph.
    assert set(minute_lines.filter(visible_to_public=True).values_list("pk", flat=True)) == {
        row[1] for row in SEEDED
    }
    fsg = get(client, "/boards/finance-sub-group/2015-08-27/")
    for paragraph_pk in (10301, 10306, 10307, 10401, 10402):
        assert money_under(fsg, MinuteParagraph.objects.get(pk=paragraph_pk)), paragraph_pk
    assert "Not in totals" in money_under(fsg, MinuteParagraph.objects.get(pk=10401))
    bcb = get(client, "/boards/business-coordination-board/2015-11-26/")
    assert "over £3.2 million" in money_under(bcb, MinuteParagraph.objects.get(pk=30904))
    assert "approximately £5m" in money_under(bcb, MinuteParagraph.objects.get(pk=31004))


def test_the_minute_box_on_a_line_names_nothing_of_the_minute_to_a_finance_officer(
    finance_client, minutes
):
    """Finance officers enter a minute's money by the paragraph's id; the admin never shows them
    the paragraph's words (draft or exempt minutes are not theirs to read), even when the form
    comes back with an error."""
    exempt = minutes["confidential"].minute_paragraph
    response = finance_client.post(
        reverse("admin:finance_financialline_add"), add_form(exempt, amount="not an amount")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "errornote" in html
    assert f'value="{exempt.pk}"' in html  # the id they typed is kept
    assert "confidential sum" not in html.lower()
    change = reverse("admin:finance_financialline_change", args=[minutes["underspend"].pk])
    assert "predicted year-end force underspend of" not in get(finance_client, change).lower()


def test_staff_still_enter_a_minutes_money_by_its_id(staff_client, minutes):
    html = get(staff_client, reverse("admin:finance_financialline_add"))
    assert 'name="minute_paragraph"' in html
