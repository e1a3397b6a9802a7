"""A paper's page (/papers/<pk>/): its metadata, its body, where it was considered, and its money
and its recommendations' money; a draft or exempt paper only for those entitled."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.models import Paper
from finance.models import FinancialLine
from tests.factories import PaperFactory, RecommendationFactory
from tests.finance.factories import CollaboratedFunctionFactory
from tests.pages import get, parse, rows, table_with_caption, text
from tests.pdf.conftest import text as pdf_text
from tests.web.money import Kind, line, listed, listed_on_every_page, money_totals

pytestmark = pytest.mark.django_db


def test_it_hides_draft_papers_from_the_public(client, records):
    draft = Paper.objects.get(title="Unfinished draft")
    get(client, draft.get_absolute_url(), status=404)
    assert "Unfinished draft" not in get(client, "/papers/?q=Unfinished")


def test_staff_and_the_boards_members_see_draft_papers(staff_client, member_of, records):
    draft = Paper.objects.get(title="Unfinished draft")
    for reader in (staff_client, member_of(records["board"])):
        get(reader, draft.get_absolute_url())
        assert "Unfinished draft" in get(reader, "/papers/?q=Unfinished")


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


# -- its money ------------------------------------------------------------------------------------


@pytest.fixture
def savings_paper(db):
    """A paper with a loose line, a line on its recommendation, and a printed savings table
    in £'000: ICT 27 and 86, Estates 541 and 508 in 2015/16 and 2016/17."""
    paper = PaperFactory(title="Collaboration savings")
    recommendation = RecommendationFactory(paper=paper, number="2.1")
    line("197000", year="2015/16", paper=paper, description="ICT set-up costs")
    line("5000", year="2015/16", recommendation=recommendation, description="Legal advice")
    for position, (description, year, amount) in enumerate(
        [
            ("ICT", "2015/16", "27000"),
            ("ICT", "2016/17", "86000"),
            ("Estates", "2015/16", "541000"),
            ("Estates", "2016/17", "508000"),
        ]
    ):
        line(
            amount,
            Kind.FORECAST_SAVING,
            year,
            paper=paper,
            description=description,
            source_table="Table 1: savings by function",
            in_thousands=True,
            recurrence=FinancialLine.Recurrence.RECURRENT,
            position=position,
        )
    return paper


def test_the_paper_page_shows_its_money_and_its_recommendations_money_by_kind(
    client, savings_paper
):
    html = get(client, savings_paper.get_absolute_url())
    assert money_totals(html, "Money in this paper") == {
        "Cost": (Decimal("202000.00"), "(2 lines)"),
        "Forecast saving": (Decimal("1162000.00"), "(4 lines)"),
    }
    other = table_with_caption(parse(html), "Other amounts")
    assert {row[0] for row in rows(other)} == {"ICT set-up costs", "Legal advice"}


def test_a_printed_table_is_shown_in_thousands_with_year_totals_and_running_totals(
    client, savings_paper
):
    table = table_with_caption(
        parse(get(client, savings_paper.get_absolute_url())), "Table 1: savings by function"
    )
    assert text(table.find("caption")) == ("Table 1: savings by function: forecast saving (£'000)")
    heads = [text(th) for th in table.find("thead").iter("th")]
    # The document prints none of the totals: each says the site computed it.
    assert heads == ["Line", "2015/16", "2016/17", "Total (computed by this site)"]
    assert rows(table) == [
        ["ICT", "27", "86", "113"],
        ["Estates", "541", "508", "1,049"],
        ["Total recurrent in each year (computed by this site)", "568", "594", "1,162"],
        ["Total annual cumulative (computed by this site)", "568", "1,162", ""],
        ["Total since 2015/16 (computed by this site)", "568", "1,730", ""],
    ]
    # The exact figure stays in the markup for machines and on hover.
    total_cell = table.find("tfoot").find("tr").findall("td")[-1]
    assert total_cell.find("data").get("value") == "1162000.00"


def test_a_line_that_repeats_another_is_not_added_to_the_papers_totals(client, savings_paper):
    ict = FinancialLine.objects.get(paper=savings_paper, description="ICT set-up costs")
    line("197000", year="2015/16", paper=savings_paper, part_of=ict, description="ICT again")
    html = get(client, savings_paper.get_absolute_url())
    assert money_totals(html, "Money in this paper")["Cost"] == (
        Decimal("202000.00"),
        "(2 lines)",
    )
    other = table_with_caption(parse(html), "Other amounts")
    (again,) = [row for row in rows(other) if row[0].startswith("ICT again")]
    assert "Not in totals" in again[0]


def test_an_other_amounts_row_shows_every_fact_of_its_line_and_escapes_what_was_typed(
    client, savings_paper
):
    """The row is written in Python (``{% line_rows %}``), so it is checked here cell by cell:
    as printed, scope, why it is not in totals, year, kind, recurrence, amount, exact figure,
    the record it belongs to and its collaboration, with every typed text escaped."""
    ict = FinancialLine.objects.get(paper=savings_paper, description="ICT set-up costs")
    function = CollaboratedFunctionFactory(name="ICT <b>joint</b>", slug="ict-joint")
    hostile = line(
        "197000",
        year="2015/16",
        paper=savings_paper,
        part_of=ict,
        description="Again <script>alert(1)</script>",
        as_printed="£197k <i>",
        scope="Cambridgeshire & <em>Beds</em>",
        note="Repeats the set-up " + "cost " * 60,
        recurrence=FinancialLine.Recurrence.ONE_OFF,
        function=function,
    )
    html = get(client, savings_paper.get_absolute_url())
    assert "<script>alert" not in html and "<b>joint" not in html and "<em>Beds" not in html
    row = parse(html).find(f".//tr[@id='line-{hostile.pk}']")
    cells = [text(td) for td in row.findall("td")]
    assert cells[0].startswith(
        "Again <script>alert(1)</script> (printed “£197k <i>”) Cambridgeshire & <em>Beds</em> "
        f"Not in totals part of line {ict.pk}: Repeats the set-up cost"
    )
    assert cells[0].endswith("…") and len(cells[0]) < 330  # the note cut at 160 characters
    assert cells[1:7] == [
        "2015/16",
        "Cost",
        "One-off",
        "£197k",
        "£197,000.00",
        "Paper: " + savings_paper.title,
    ]
    assert cells[7] == "ICT <b>joint</b>"
    links = [a.get("href") for a in row.iter("a")]
    assert links == [
        f"/finance/lines/?line={ict.pk}",
        savings_paper.get_absolute_url(),
        function.get_absolute_url(),
    ]


def test_a_paper_without_money_says_so(client, db):
    html = get(client, PaperFactory().get_absolute_url())
    assert "No money has been recorded against this paper or its recommendations." in html


def test_the_paper_page_leaves_out_nothing_it_may_show_and_a_hidden_paper_is_not_shown(
    client, money
):
    assert money_totals(get(client, money["public"].get_absolute_url()), "Money in this paper") == {
        "Cost": (Decimal("125000.00"), "(3 lines)")
    }
    exempt = money["lines"]["exempt paper"].paper
    assert "Sign in to view" in get(client, exempt.get_absolute_url(), status=403)


def test_staff_and_the_boards_members_see_a_hidden_papers_money(staff_client, member_of, money):
    exempt = money["lines"]["exempt paper"].paper
    for reader in (staff_client, member_of(money["board"])):
        assert money_totals(get(reader, exempt.get_absolute_url()), "Money in this paper") == {
            "Cost": (Decimal("1300000.00"), "(2 lines)")
        }


def test_a_paper_with_many_lines_lists_the_first_fifty_totals_all_and_links_to_every_line(
    client, records
):
    """The page stays quick to read: 50 other amounts listed, the totals over all 61 lines
    (60 of the paper, 1 of its recommendation), and a link to the list of exactly those lines,
    which the paper's PDF also prints in full."""
    paper = PaperFactory(title="Estates disposal programme")
    recommendation = RecommendationFactory(paper=paper)
    own = [line(1000 + n, year="2016/17", paper=paper) for n in range(60)]
    followed = line(5, recommendation=recommendation)
    line(999_999, paper=PaperFactory(title="Another paper"))  # not this paper's
    html = get(client, paper.get_absolute_url())
    shown = listed(html)
    assert len(shown) == 50
    total = Decimal(sum(1000 + n for n in range(60)) + 5)
    assert money_totals(html, "Money in this paper")["Cost"] == (total, "(61 lines)")
    link = parse(html).find(".//p[@class='more-lines']/a")
    assert text(link) == "all 61 lines in the list of financial lines"
    assert link.get("href") == f"/finance/lines/?paper={paper.pk}"
    assert listed_on_every_page(client, link.get("href")) == {item.pk for item in own} | {
        followed.pk
    }
    printed = pdf_text(client.get(f"/papers/{paper.pk}.pdf"))
    assert all(f"£{1000 + n:,}" in printed for n in range(60))


def test_a_hidden_papers_lines_are_not_listed_by_its_key_and_are_for_those_entitled(
    client, staff_client, records
):
    exempt = PaperFactory(
        board=records["board"], access=Paper.Access.EXEMPT, exemption_reason="Commercial terms"
    )
    secret = line(424_242, paper=exempt)
    url = f"/finance/lines/?paper={exempt.pk}"
    assert listed(get(client, url)) == set()
    assert listed(get(staff_client, url)) == {secret.pk}


# -- the money section kept in the cache ----------------------------------------------------------


def test_the_cached_money_section_follows_a_new_line_and_a_changed_amount_at_once(
    client, staff_client, savings_paper
):
    """The page keeps its money section in the cache per reader class until any record
    changes: an added line and a changed amount show in the very next request, for each
    reader."""
    url = savings_paper.get_absolute_url()
    for reader in (client, staff_client):
        assert money_totals(get(reader, url), "Money in this paper")["Cost"] == (
            Decimal("202000.00"),
            "(2 lines)",
        )
    line("1000", year="2015/16", paper=savings_paper, description="Added later")
    for reader in (client, staff_client):
        assert money_totals(get(reader, url), "Money in this paper")["Cost"] == (
            Decimal("203000.00"),
            "(3 lines)",
        )
    FinancialLine.objects.filter(paper=savings_paper, description="Added later").update(
        amount=Decimal("2000")
    )
    assert money_totals(get(client, url), "Money in this paper")["Cost"] == (
        Decimal("204000.00"),
        "(3 lines)",
    )


def test_while_nothing_changes_the_page_reads_its_lines_once(client, savings_paper):
    url = savings_paper.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        get(client, url)
    with CaptureQueriesContext(connection) as again:
        html = get(client, url)
    lines_read = [q for q in first.captured_queries if '"finance_financialline"' in q["sql"]]
    assert lines_read  # the first request reads them
    assert not [q for q in again.captured_queries if '"finance_financialline"' in q["sql"]]
    assert money_totals(html, "Money in this paper")["Cost"] == (Decimal("202000.00"), "(2 lines)")


def test_a_printed_total_is_set_beside_the_rows_it_totals_and_its_total_marked(
    client, savings_paper
):
    caption = "Table 1: savings by function"
    printed = line(
        "1100000",
        Kind.FORECAST_SAVING,
        "2016/17",
        paper=savings_paper,
        description="Total recurrent in each year",
        source_table=caption,
        in_thousands=True,
        nature=FinancialLine.Nature.PRINTED_TOTAL,
        printed_total_of=FinancialLine.PrintedTotalOf.YEAR,
        as_printed="1,100",
        position=9,
    )
    root = parse(get(client, savings_paper.get_absolute_url()))
    table = table_with_caption(root, caption)
    assert rows(table)[2][0] == "Total recurrent in each year (computed; printed figures below)"
    assert rows(table)[3][0] == "Total annual cumulative (computed by this site)"
    checks = next(ul for ul in root.iter("ul") if ul.get("class") == "printed-totals")
    assert text(checks) == (
        "Total recurrent in each year 2016/17: printed 1,100, computed from the rows 594: they "
        "differ by 506."
    )
    assert not FinancialLine.objects.get(pk=printed.pk).in_totals


def test_money_reported_twice_with_a_hidden_line_does_not_name_it_to_the_public(
    client, staff_client, money
):
    lines = money["lines"]
    repeat, hidden = lines["public paper 2016/17"], lines["draft paper"]
    repeat.same_as = hidden
    repeat.save()

    def said(reader) -> str:
        html = get(reader, money["public"].get_absolute_url())
        return next(text(d) for d in parse(html).iter("div") if d.get("class") == "same-money")

    public = said(client)
    assert "is the same money as a line of a record that is not published" in public
    assert f"“{hidden.description}”" not in public and "£70k" not in public
    staff = said(staff_client)
    assert f"“{hidden.description}” (£70k)" in staff
    assert "The two figures disagree by £50k" in staff


def test_a_hidden_line_reporting_a_papers_money_again_is_named_only_to_those_entitled(
    client, staff_client, money
):
    lines = money["lines"]
    counted, hidden = lines["public paper 2016/17"], lines["draft paper"]
    hidden.same_as = counted
    hidden.save()
    html = get(client, money["public"].get_absolute_url())
    assert f"“{hidden.description}”" not in html and "reports the same money" not in html
    html = get(staff_client, money["public"].get_absolute_url())
    section = next(text(d) for d in parse(html).iter("div") if d.get("class") == "same-money")
    assert f"“{hidden.description}” (£70k" in section
    assert f"reports the same money as “{counted.description}” here (£20k" in section
    assert "The two figures disagree by £50k" in section


def test_a_printed_tables_caption_is_shown_as_typed_escaped_once(client, savings_paper):
    caption = "The Constabulary's <spend> & savings"
    line("1000", year="2015/16", paper=savings_paper, source_table=caption, description="ICT")
    line("2000", year="2016/17", paper=savings_paper, source_table=caption, description="ICT")
    html = get(client, savings_paper.get_absolute_url())
    table = table_with_caption(parse(html), "The Constabulary")
    assert text(table.find("caption")) == f"{caption}: cost"
    assert "&amp;#x27;" not in html and "<spend>" not in html
