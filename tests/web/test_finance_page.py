"""The finance page (/finance/) as a reader meets it: totals by financial year and kind that add
up to the lines behind them, each linking to those lines, the filters and their errors, and
totals kept in step with the lines. Hidden records' money is never counted."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.models import Paper
from finance.models import FinancialLine
from tests.factories import PaperFactory
from tests.pages import get, parse, query, table_with_caption, text
from tests.web.money import (
    FULL_TOTALS,
    HIDDEN,
    KIND_LABELS,
    NO_YEAR,
    PUBLIC_TOTALS,
    field_errors,
    figures,
    line,
    listed,
    listed_on_every_page,
    totals,
)

pytestmark = pytest.mark.django_db


# -- totals by year and kind ------------------------------------------------------------------------


def test_the_public_totals_leave_out_the_money_of_hidden_records_exactly(client, money):
    html = get(client, "/finance/")
    assert figures(html) == PUBLIC_TOTALS
    assert "(7 lines counted)" in html


def test_staff_totals_include_the_money_of_every_record(staff_client, money):
    html = get(staff_client, "/finance/")
    assert figures(html) == FULL_TOTALS
    assert "(11 lines counted)" in html


def test_a_member_of_the_board_sees_its_hidden_money_in_the_totals(member_of, money):
    html = get(member_of(money["board"]), "/finance/")
    assert figures(html) == FULL_TOTALS
    assert "(11 lines counted)" in html


def test_a_member_of_another_board_sees_only_the_public_totals(member_of, money):
    html = get(member_of(money["other_board"]), "/finance/")
    assert figures(html) == PUBLIC_TOTALS
    assert "(7 lines counted)" in html


def test_the_years_run_down_in_order_with_the_lines_of_no_year_last(client, money):
    table = table_with_caption(parse(get(client, "/finance/")), "Totals by financial year")
    years = [text(tr.find("th")) for tr in table.find("tbody").findall("tr")]
    assert years == ["2015/16", "2016/17", NO_YEAR]
    kinds = [text(th) for th in table.find("thead").iter("th")][1:]
    assert kinds == ["Cost", "Grant", "Budget", "Forecast saving"]  # the order of the kinds


@pytest.mark.parametrize(
    ("reader", "hidden"),
    [("anonymous", HIDDEN), ("staff", set())],
)
def test_each_total_links_to_exactly_the_lines_it_adds_up(
    client, staff_client, money, reader, hidden
):
    """Following a cell's link lists the lines of that year and kind, and their amounts add
    up to the figure in the cell."""
    reader_client = staff_client if reader == "staff" else client
    by_cell: dict[tuple[str, str], set[FinancialLine]] = defaultdict(set)
    for name, item in money["lines"].items():
        if name not in hidden:
            by_cell[(item.financial_year or NO_YEAR, KIND_LABELS[item.kind])].add(item)
            by_cell[("All years", KIND_LABELS[item.kind])].add(item)
    cells = totals(get(reader_client, "/finance/"))
    assert set(cells) == set(by_cell)
    for cell, (total, url) in cells.items():
        assert url.startswith("/finance/lines/?"), cell
        shown = listed_on_every_page(reader_client, url)
        assert shown == {item.pk for item in by_cell[cell]}, cell
        assert total == sum(item.amount for item in by_cell[cell]), cell


def test_a_cell_link_carries_its_year_and_kind_and_the_page_filters(client, money):
    cells = totals(get(client, "/finance/?record_type=paper"))
    # The factory's lines record no scope or direction: their cells say so in their links.
    column = {"scope": ["not_recorded"], "direction": ["not_recorded"], "nature": ["amount"]}
    assert query(cells[("2015/16", "Cost")][1]) == {
        "kind": ["cost"],
        "year": ["2015/16"],
        "record_type": ["paper"],
        **column,
    }
    assert query(cells[("All years", "Cost")][1]) == {
        "kind": ["cost"],
        "record_type": ["paper"],
        **column,
    }
    cells = totals(get(client, "/finance/"))
    assert query(cells[(NO_YEAR, "Budget")][1]) == {"kind": ["budget"], "no_year": ["1"], **column}


# -- filters ------------------------------------------------------------------------------------------


def test_a_to_year_leaves_out_lines_of_no_year_which_no_filter_totals_as_year_not_recorded(
    client, money
):
    assert (NO_YEAR, "Budget") in figures(get(client, "/finance/"))
    filtered = figures(get(client, "/finance/?year_to=2016/17"))
    assert NO_YEAR not in {year for year, _kind in filtered}
    assert "Budget" not in {kind for _year, kind in filtered}
    assert filtered[("2016/17", "Forecast saving")] == Decimal("250000.00")


def test_the_totals_follow_the_filters(client, money):
    assert figures(get(client, "/finance/?board=bcb&kind=cost")) == {
        ("2015/16", "Cost"): Decimal("105000.00"),
        ("2016/17", "Cost"): Decimal("20000.00"),
        ("All years", "Cost"): Decimal("125000.00"),
    }


@pytest.mark.parametrize("page", ["/finance/", "/finance/lines/"])
@pytest.mark.parametrize(
    ("params", "label", "message"),
    [
        ("kind=bogus", "Kind", "Select a valid choice"),
        ("year=2015-16", "Financial year", "Select a valid choice"),
        ("scope=wales", "Scope", "Select a valid choice"),
        ("direction=sideways", "Direction", "Select a valid choice"),
        ("record_type=minutes", "Belongs to", "Select a valid choice"),
    ],
)
def test_a_bad_filter_answers_400_naming_the_field_and_shows_no_figures(
    client, money, page, params, label, message
):
    html = get(client, f"{page}?{params}", status=400)
    errors = field_errors(html)
    assert list(errors) == [label]
    assert message in errors[label]
    assert table_with_caption(parse(html), "Totals by financial year") is None
    assert listed(html) == set()
    assert "Correct the filters above" in html


@pytest.mark.parametrize("page", ["/finance/"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("year_from=2016/17&year_to=2015/16", "To year: The “to” year must not be before"),
        ("year_from=2015-16", "From year: Select a valid choice"),
    ],
)
def test_a_bad_bookmarked_range_of_years_answers_400_naming_the_field_in_the_summary(
    client, money, page, params, message
):
    html = get(client, f"{page}?{params}", status=400)
    summary = parse(html).find(".//div[@class='error-summary']")
    assert summary is not None and message in text(summary)
    assert table_with_caption(parse(html), "Totals by financial year") is None
    assert listed(html) == set()


def test_the_page_filters_by_one_financial_year_with_one_control(client, money):
    html = get(client, "/finance/")
    form = parse(html).find(".//form[@class='filter-form']")
    selects = {s.get("name") for s in form.iter("select")}
    assert "year" in selects and not {"year_from", "year_to"} & selects
    filtered = figures(get(client, "/finance/?year=2016/17"))
    assert {year for year, _kind in filtered} == {"2016/17", "All years"}
    assert filtered[("2016/17", "Forecast saving")] == Decimal("250000.00")
    assert filtered[("2016/17", "Cost")] == Decimal("20000.00")


def test_a_year_row_label_links_to_that_years_lines(client, money):
    table = table_with_caption(parse(get(client, "/finance/")), "Totals by financial year")
    links = {
        text(tr.find("th")): tr.find("th").find("a").get("href")
        for tr in table.iter("tr")
        if tr.find("th") is not None and tr.find("th").find("a") is not None
    }
    shown = listed_on_every_page(client, links["2016/17"])
    assert shown == {
        item.pk
        for name, item in money["lines"].items()
        if name not in HIDDEN and item.financial_year == "2016/17"
    }
    assert listed_on_every_page(client, links["All years"]) == {
        item.pk for name, item in money["lines"].items() if name not in HIDDEN
    }


def test_a_bookmarked_financial_year_outside_the_recorded_years_is_accepted(client, money):
    html = get(client, "/finance/?year_from=2030/31")
    assert "No financial lines match these filters." in html
    assert table_with_caption(parse(html), "Totals by financial year") is None


def test_with_no_money_the_page_says_none_has_been_recorded(client, db):
    html = get(client, "/finance/")
    assert "none has been recorded on a record you may see" in html
    assert table_with_caption(parse(html), "Totals by financial year") is None
    assert "No financial lines match these filters." in get(client, "/finance/lines/")


def test_when_every_line_is_hidden_the_public_sees_the_empty_page(client, db):
    line("1000000", year="2015/16", paper=PaperFactory(status=Paper.Status.DRAFT))
    html = get(client, "/finance/")
    assert "none has been recorded on a record you may see" in html
    assert "lines counted" not in html


def test_when_every_line_is_hidden_staff_and_the_boards_members_still_see_it_counted(
    staff_client, member_of, db
):
    draft = PaperFactory(status=Paper.Status.DRAFT)
    line("1000000", year="2015/16", paper=draft)
    for reader in (staff_client, member_of(draft.board)):
        html = get(reader, "/finance/")
        assert "none has been recorded on a record you may see" not in html
        assert figures(html)[("2015/16", "Cost")] == Decimal("1000000.00")


def test_a_line_that_is_part_of_another_is_listed_but_not_added_to_the_totals(client, money):
    whole = money["lines"]["public paper 2015/16"]
    part = line(
        "60000",
        year="2015/16",
        paper=money["public"],
        part_of=whole,
        description="ICT hardware",
        note="Part of the ICT figure.",
    )
    cells = totals(get(client, "/finance/"))
    assert {key: value for key, (value, _url) in cells.items()} == PUBLIC_TOTALS
    html = get(client, cells[("2015/16", "Cost")][1])
    assert part.pk in listed(html)
    row = next(tr for tr in parse(html).iter("tr") if tr.get("id") == f"line-{part.pk}")
    assert "Not in totals" in text(row)
    assert f"/finance/lines/?line={whole.pk}" in [a.get("href") for a in row.iter("a")]
    assert listed(get(client, f"/finance/lines/?line={whole.pk}")) == {whole.pk}


# -- the totals cache ----------------------------------------------------------------------------


def test_a_new_line_shows_in_the_totals_at_once(client, money):
    assert figures(get(client, "/finance/"))[("2015/16", "Cost")] == Decimal("108000.00")
    line("1000.50", year="2015/16", paper=money["public"])
    assert figures(get(client, "/finance/"))[("2015/16", "Cost")] == Decimal("109000.50")


def test_a_changed_amount_shows_in_the_totals_at_once(client, money):
    assert figures(get(client, "/finance/"))[("2016/17", "Cost")] == Decimal("20000.00")
    changed = money["lines"]["public paper 2016/17"]
    changed.amount = Decimal("25000")
    changed.save()
    assert figures(get(client, "/finance/"))[("2016/17", "Cost")] == Decimal("25000.00")


def test_the_totals_page_reads_the_running_totals_never_the_lines(client, staff_client, money):
    """/finance/ sums a few bucket rows (finance.rollup), so its cost does not grow with the
    number of lines; the figures are still exactly the lines' (the tests above). Its list of
    disagreements reads at most 51 lines, off their own index."""
    for reader in (client, staff_client):
        with CaptureQueriesContext(connection) as ctx:
            get(reader, "/finance/?year_from=2015/16")
        tables = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "finance_linetotal" in tables
        # One query reads lines: the few where the documents disagree, never summed.
        (of_lines,) = [
            q["sql"] for q in ctx.captured_queries if "finance_financialline" in q["sql"]
        ]
        assert "SUM(" not in of_lines.upper() and "LIMIT 51" in of_lines.upper()


def test_the_cached_grid_follows_a_paper_made_a_draft_by_a_bulk_update_at_once(
    client, staff_client, money
):
    """The grid is kept in the cache per reader class and filters until any record changes:
    a paper made a draft with ``QuerySet.update`` leaves the public's next grid at once, and
    staff still see its money."""
    assert figures(get(client, "/finance/")) == PUBLIC_TOTALS
    assert figures(get(staff_client, "/finance/")) == FULL_TOTALS
    Paper.objects.filter(pk=money["public"].pk).update(status=Paper.Status.DRAFT)
    public = figures(get(client, "/finance/"))
    assert public[("2015/16", "Cost")] < PUBLIC_TOTALS[("2015/16", "Cost")]
    assert figures(get(staff_client, "/finance/")) == FULL_TOTALS


@pytest.mark.parametrize("first", ["staff", "anonymous"])
def test_the_public_and_staff_never_share_cached_totals(client, staff_client, money, first):
    readers = {"staff": (staff_client, FULL_TOTALS), "anonymous": (client, PUBLIC_TOTALS)}
    order = [first, *(name for name in readers if name != first)]
    for name in [*order, *order]:
        reader_client, expected = readers[name]
        assert figures(get(reader_client, "/finance/")) == expected, name


def test_members_of_different_boards_never_share_cached_totals(member_of, money, client):
    assert figures(get(member_of(money["board"]), "/finance/")) == FULL_TOTALS
    assert figures(get(client, "/finance/")) == PUBLIC_TOTALS


# -- where the documents disagree -------------------------------------------------------------------


@pytest.fixture
def disagreeing(money):
    """Contradictions on a public and an exempt paper's line; money reported twice with two
    amounts, once by two public lines and once by a public line repeating a draft paper's."""
    lines = money["lines"]
    said = lines["public paper 2015/16"]
    said.contradiction = "The paper's text prints £90k for this <b>cost</b>."
    said.save()
    hidden = lines["exempt paper"]
    hidden.contradiction = "The exempt paper's table adds up to £900k."
    hidden.save()
    public_pair = lines["public paper 2016/17"]  # £20k against the recommendation's £5k
    public_pair.same_as = lines["public recommendation"]
    public_pair.save()
    half_hidden = lines["other board's paper"]  # £3k against the draft paper's £70k
    half_hidden.same_as = lines["draft paper"]
    half_hidden.save()
    return lines


def disagreements(html: str) -> str:
    """The words of /finance/'s "Where the documents disagree"; "" when it is not there."""
    found = [s for s in parse(html).iter("section") if s.get("class") == "disagreements"]
    return text(found[0]) if found else ""


def test_the_public_sees_the_contradictions_and_repeats_of_public_lines_only(client, disagreeing):
    html = get(client, "/finance/")
    words = disagreements(html)
    assert "The paper's text prints £90k for this <b>cost</b>." in words
    assert "&lt;b&gt;cost&lt;/b&gt;" in html  # what was typed is escaped
    assert "the two figures disagree by £15k" in words  # both lines public
    assert "£900k" not in words  # the exempt paper's contradiction
    # The public line repeating a draft paper's money is not listed: the draft is not named.
    assert "£67k" not in words and f"“{disagreeing['draft paper'].description}”" not in html


def test_staff_see_every_contradiction_and_every_repeat_that_disagrees(staff_client, disagreeing):
    words = disagreements(get(staff_client, "/finance/"))
    assert "The paper's text prints £90k for this <b>cost</b>." in words
    assert "The exempt paper's table adds up to £900k." in words
    assert "the two figures disagree by £15k" in words
    assert "the two figures disagree by £67k" in words
    assert f"“{disagreeing['draft paper'].description}”" in words


def test_a_member_of_the_board_sees_its_hidden_papers_disagreements(member_of, money, disagreeing):
    words = disagreements(get(member_of(money["board"]), "/finance/"))
    assert "£900k" in words and "the two figures disagree by £67k" in words


def test_a_member_of_another_board_sees_the_publics_disagreements(member_of, money, disagreeing):
    words = disagreements(get(member_of(money["other_board"]), "/finance/"))
    assert "the two figures disagree by £15k" in words
    assert "£900k" not in words and "£67k" not in words


def test_the_disagreements_follow_the_filters(client, disagreeing):
    assert "£90k" in disagreements(get(client, "/finance/?year=2015/16"))
    words = disagreements(get(client, "/finance/?year=2016/17"))
    assert "£90k" not in words and "the two figures disagree by £15k" in words


def test_repeats_that_agree_and_pages_without_contradictions_list_nothing(client, money):
    lines = money["lines"]
    repeat = lines["public paper 2016/17"]
    repeat.amount = lines["public recommendation"].amount
    repeat.same_as = lines["public recommendation"]
    repeat.save()
    html = get(client, "/finance/")
    assert disagreements(html) == "" and "Where the documents disagree" not in html
