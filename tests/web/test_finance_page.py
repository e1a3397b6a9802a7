"""The finance pages as a reader meets them: totals by financial year and kind that add up to the
lines behind them, filters, the lines with links to their records, and the money shown on a
paper, a decision notice and the decisions register. Hidden records' money is never counted."""

import datetime
from collections import defaultdict
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.models import Paper
from decisions.services import publish_notice, sign_notice
from finance.models import FinancialLine
from tests.factories import (
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    RecommendationFactory,
)
from tests.finance.factories import CollaboratedFunctionFactory, FinancialLineFactory
from tests.html import get, parse

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 11, 26)
Kind = FinancialLine.Kind
KIND_LABELS = dict(Kind.choices)
NO_YEAR = "Year not recorded"


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts and filter choices are cached until a record changes; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


# -- helpers --------------------------------------------------------------------------------------


def line(amount, kind=Kind.COST, year="", **owner) -> FinancialLine:
    return FinancialLineFactory(amount=Decimal(amount), kind=kind, financial_year=year, **owner)


def publish(notice, signatory):
    sign_notice(notice=notice, user=signatory, signed_on=DAY)
    publish_notice(notice=notice, user=signatory, published_on=DAY)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def table_with_caption(root, starts_with: str):
    for table in root.iter("table"):
        caption = table.find("caption")
        if caption is not None and text(caption).startswith(starts_with):
            return table
    return None


def totals(html: str) -> dict[tuple[str, str], tuple[Decimal, str]]:
    """The totals table: {(year, kind label): (exact amount, link)}, "All years" included."""
    table = table_with_caption(parse(html), "Totals by financial year and kind")
    assert table is not None, "no totals table"
    kinds = [text(th) for th in table.find("thead").iter("th")][1:]
    cells = {}
    for tr in [*table.find("tbody").findall("tr"), *table.find("tfoot").findall("tr")]:
        year = text(tr.find("th"))
        for kind, td in zip(kinds, tr.findall("td"), strict=True):
            data = td.find(".//data")
            if data is not None:
                cells[(year, kind)] = (Decimal(data.get("value")), td.find("a").get("href"))
    return cells


def figures(html: str) -> dict[tuple[str, str], Decimal]:
    return {key: value for key, (value, _url) in totals(html).items()}


def listed(html: str) -> set[int]:
    """The pks of the lines a lines page lists."""
    return {
        int(tr.get("id").removeprefix("line-"))
        for tr in parse(html).iter("tr")
        if (tr.get("id") or "").startswith("line-")
    }


def listed_on_every_page(client, url: str) -> set[int]:
    pks: set[int] = set()
    page = 1
    while True:
        html = get(client, f"{url}{'&' if '?' in url else '?'}page={page}")
        pks |= listed(html)
        if 'rel="next"' not in html:
            return pks
        page += 1


def field_errors(html: str) -> dict[str, str]:
    """{field label: its error messages} of the filter form."""
    errors = {}
    for div in parse(html).iter("div"):
        if "field--error" in (div.get("class") or ""):
            label = text(div.find("label"))
            errors[label] = " ".join(text(p) for p in div.iter("p"))
    return errors


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# -- the records and their money --------------------------------------------------------------------

HIDDEN = {"exempt paper", "recommendation of the exempt paper", "draft paper", "draft notice"}


@pytest.fixture
def money(signatory):
    """Lines on records the public may see and on records only staff and members of the
    board (bcb) may see, with amounts that make every sum unambiguous."""
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    other_board = BoardFactory(name="Joint Chief Officer Board", slug="jcob")
    meeting = MeetingFactory(board=board, date=DAY)
    public = PaperFactory(board=board, meeting=meeting, title="ICT collaboration")
    other = PaperFactory(board=other_board, title="Estates strategy")
    exempt = PaperFactory(
        board=board, access=Paper.Access.EXEMPT, exemption_reason="Paragraph 3: commercial."
    )
    draft = PaperFactory(board=board, status=Paper.Status.DRAFT)
    published = DecisionNoticeFactory(meeting=meeting, title="Published decision")
    draft_notice = DecisionNoticeFactory(meeting=meeting, title="Draft decision")
    function = CollaboratedFunctionFactory(name="Collaborated ICT", slug="ict")
    recommendation = RecommendationFactory(paper=public)
    lines = {
        "public paper 2015/16": line("100000", year="2015/16", paper=public),
        "public paper 2016/17": line("20000", year="2016/17", paper=public),
        "public recommendation": line("5000", year="2015/16", recommendation=recommendation),
        "other board's paper": line("3000", year="2015/16", paper=other),
        "published notice": line("40000", Kind.GRANT, "2015/16", decision_notice=published),
        "function forecast": line("250000", Kind.FORECAST_SAVING, "2016/17", function=function),
        "function budget": line("12345.67", Kind.BUDGET, function=function),
        "exempt paper": line("1000000", year="2015/16", paper=exempt),
        "recommendation of the exempt paper": line(
            "300000", year="2015/16", recommendation=RecommendationFactory(paper=exempt)
        ),
        "draft paper": line("70000", year="2015/16", paper=draft),
        "draft notice": line("9000", year="2015/16", decision_notice=draft_notice),
    }
    publish(published, signatory)
    return {
        "board": board,
        "other_board": other_board,
        "public": public,
        "recommendation": recommendation,
        "published": published,
        "function": function,
        "lines": lines,
    }


def pks(money, *names) -> set[int]:
    return {money["lines"][name].pk for name in names}


def visible_pks(money, *, hidden=HIDDEN) -> set[int]:
    return {item.pk for name, item in money["lines"].items() if name not in hidden}


PUBLIC_TOTALS = {
    ("2015/16", "Cost"): Decimal("108000.00"),  # 100000 + 5000 + 3000
    ("2015/16", "Grant"): Decimal("40000.00"),
    ("2016/17", "Cost"): Decimal("20000.00"),
    ("2016/17", "Forecast saving"): Decimal("250000.00"),
    (NO_YEAR, "Budget"): Decimal("12345.67"),
    ("All years", "Cost"): Decimal("128000.00"),
    ("All years", "Grant"): Decimal("40000.00"),
    ("All years", "Budget"): Decimal("12345.67"),
    ("All years", "Forecast saving"): Decimal("250000.00"),
}
# The hidden records add 1,000,000 + 300,000 + 70,000 + 9,000 of cost in 2015/16.
FULL_TOTALS = {
    **PUBLIC_TOTALS,
    ("2015/16", "Cost"): Decimal("1487000.00"),
    ("All years", "Cost"): Decimal("1507000.00"),
}


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
    assert query(cells[("2015/16", "Cost")][1]) == {
        "kind": ["cost"],
        "year_from": ["2015/16"],
        "year_to": ["2015/16"],
        "record_type": ["paper"],
    }
    assert query(cells[("All years", "Cost")][1]) == {"kind": ["cost"], "record_type": ["paper"]}
    cells = totals(get(client, "/finance/"))
    assert query(cells[(NO_YEAR, "Budget")][1]) == {"kind": ["budget"], "no_year": ["1"]}


# -- filters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ("kind=grant", {"published notice"}),
        ("year_from=2016/17", {"public paper 2016/17", "function forecast"}),
        (
            "year_to=2015/16",
            {
                "public paper 2015/16",
                "public recommendation",
                "other board's paper",
                "published notice",
            },
        ),
        (
            "year_from=2015/16&year_to=2016/17&kind=cost",
            {
                "public paper 2015/16",
                "public paper 2016/17",
                "public recommendation",
                "other board's paper",
            },
        ),
        (
            "board=bcb",
            {
                "public paper 2015/16",
                "public paper 2016/17",
                "public recommendation",
                "published notice",
            },
        ),
        ("board=jcob", {"other board's paper"}),
        (
            "record_type=paper",
            {"public paper 2015/16", "public paper 2016/17", "other board's paper"},
        ),
        ("record_type=recommendation", {"public recommendation"}),
        ("record_type=decision_notice", {"published notice"}),
        ("record_type=function", {"function forecast", "function budget"}),
    ],
)
def test_the_lines_page_filters(client, money, params, names):
    assert listed(get(client, f"/finance/lines/?{params}")) == pks(money, *names)


def test_the_board_filter_takes_its_papers_recommendations_and_notices_hidden_ones_for_staff(
    staff_client, money
):
    assert listed(get(staff_client, "/finance/lines/?board=bcb")) == pks(
        money,
        "public paper 2015/16",
        "public paper 2016/17",
        "public recommendation",
        "published notice",
        *HIDDEN,
    )


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
        ("year_from=2016/17&year_to=2015/16", "To year", "must not be before the “from” year"),
        ("kind=bogus", "Kind", "Select a valid choice"),
        ("year_from=2015-16", "From year", "Select a valid choice"),
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
    number of lines; the figures are still exactly the lines' (the tests above)."""
    for reader in (client, staff_client):
        with CaptureQueriesContext(connection) as ctx:
            get(reader, "/finance/?year_from=2015/16")
        tables = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "finance_linetotal" in tables
        assert '"finance_financialline"' not in tables


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


# -- the lines -------------------------------------------------------------------------------------


def test_the_lines_are_paginated_and_every_visible_line_is_on_one_page(client, money, settings):
    settings.PAGE_SIZE = 3
    first = get(client, "/finance/lines/")
    assert "Page 1 of 3 (7 in all)" in first
    assert len(listed(first)) == 3
    assert listed_on_every_page(client, "/finance/lines/") == visible_pks(money)


def test_the_count_of_lines_follows_a_new_line_and_is_never_shared_with_staff(
    client, staff_client, money, settings
):
    settings.PAGE_SIZE = 3
    assert "(7 in all)" in get(client, "/finance/lines/")
    staff_count = get(staff_client, "/finance/lines/")
    assert "(7 in all)" not in staff_count  # staff also count the hidden lines
    line("5000", year="2015/16", paper=money["public"])
    assert "(8 in all)" in get(client, "/finance/lines/")


def test_the_next_page_keeps_the_filters(client, money, settings):
    settings.PAGE_SIZE = 2
    html = get(client, "/finance/lines/?kind=cost")
    next_link = next(a for a in parse(html).iter("a") if a.get("rel") == "next")
    assert query(next_link.get("href")) == {"kind": ["cost"], "page": ["2"]}
    second = listed(get(client, "/finance/lines/" + next_link.get("href")))
    assert second and second <= pks(
        money,
        "public paper 2015/16",
        "public paper 2016/17",
        "public recommendation",
        "other board's paper",
    )


def test_each_line_links_up_to_the_record_it_belongs_to(client, money):
    root = parse(get(client, "/finance/lines/"))
    links = {}
    for tr in root.iter("tr"):
        if (tr.get("id") or "").startswith("line-"):
            belongs_to = tr.findall("td")[6]
            links[int(tr.get("id")[5:])] = belongs_to.find("a").get("href")
    lines, public, rec = money["lines"], money["public"], money["recommendation"]
    assert links[lines["public paper 2015/16"].pk] == f"/papers/{public.pk}/"
    assert links[lines["public recommendation"].pk] == (
        f"/papers/{public.pk}/#recommendation-{rec.pk}"
    )
    assert links[lines["published notice"].pk] == f"/decisions/{money['published'].pk}/"
    assert links[lines["function budget"].pk] == "/collaboration/functions/ict/"
    # The recommendation's anchor is on its paper's page.
    assert f'id="recommendation-{rec.pk}"' in get(client, f"/papers/{public.pk}/")
    assert "Collaborated ICT" in get(client, "/collaboration/functions/ict/")


@pytest.mark.parametrize("params", ["", "?board=bcb", "?kind=cost", "?year_to=2015/16"])
def test_a_hidden_line_never_appears_in_the_list(client, money, params):
    html = get(client, "/finance/lines/" + params)
    assert not listed(html) & pks(money, *HIDDEN)
    for name in HIDDEN:
        assert money["lines"][name].description not in html


def test_staff_see_the_hidden_lines_in_the_list(staff_client, money):
    assert listed_on_every_page(staff_client, "/finance/lines/") == visible_pks(money, hidden=set())


def test_a_lines_own_address_shows_that_line(client, money):
    wanted = money["lines"]["published notice"]
    assert listed(get(client, wanted.get_absolute_url())) == {wanted.pk}


# -- money on a paper, a notice and the register -----------------------------------------------------


def money_totals(html: str, heading: str) -> dict[str, tuple[Decimal, str]]:
    """{kind label: (exact total, "(n lines)")} of the money section headed ``heading``."""
    for section in parse(html).iter("section"):
        h2 = section.find("h2")
        if h2 is not None and text(h2) == heading:
            result = {}
            for div in section.find("dl").findall("div"):
                dd = div.find("dd")
                count = text(dd.find("span"))
                result[text(div.find("dt"))] = (Decimal(dd.find("data").get("value")), count)
            return result
    raise AssertionError(f"no section headed {heading!r}")


def rows_of(table) -> list[list[str]]:
    return [
        [text(cell) for cell in tr if cell.tag in {"th", "td"}]
        for part in ("tbody", "tfoot")
        if table.find(part) is not None
        for tr in table.find(part).findall("tr")
    ]


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
    assert {row[0] for row in rows_of(other)} == {"ICT set-up costs", "Legal advice"}


def test_a_printed_table_is_shown_in_thousands_with_year_totals_and_running_totals(
    client, savings_paper
):
    table = table_with_caption(
        parse(get(client, savings_paper.get_absolute_url())), "Table 1: savings by function"
    )
    assert text(table.find("caption")) == ("Table 1: savings by function: forecast saving (£'000)")
    heads = [text(th) for th in table.find("thead").iter("th")]
    assert heads == ["Line", "2015/16", "2016/17", "Total"]
    assert rows_of(table) == [
        ["ICT", "27", "86", "113"],
        ["Estates", "541", "508", "1,049"],
        ["Total recurrent in each year", "568", "594", "1,162"],
        ["Total annual cumulative", "568", "1,162", ""],
        ["Total since 2015/16", "568", "1,730", ""],
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
    (again,) = [row for row in rows_of(other) if row[0].startswith("ICT again")]
    assert "Not in totals" in again[0]


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
    get(client, exempt.get_absolute_url(), status=404)


def test_the_notice_page_shows_the_money_it_commits_and_its_recommendations_money(
    client, signatory
):
    meeting = MeetingFactory()
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
    meeting = MeetingFactory()
    with_money = DecisionNoticeFactory(meeting=meeting, title="ICT contract")
    line("1200000", year="2016/17", decision_notice=with_money)
    line("300000", year="2017/18", decision_notice=with_money)
    line("40000", Kind.GRANT, "2016/17", decision_notice=with_money)
    without = DecisionNoticeFactory(meeting=meeting, title="Lease renewal")
    publish(with_money, signatory)
    publish(without, signatory)
    assert register_money(get(client, "/decisions/")) == {
        "ICT contract": [(Decimal("1500000.00"), "cost"), (Decimal("40000.00"), "grant")],
        "Lease renewal": "–",
    }


# -- query counts ------------------------------------------------------------------------------------


def lines_of_every_record(count: int, signatory) -> None:
    """``count`` public lines, each on its own paper, recommendation, notice or function."""
    board = BoardFactory()
    makers = [
        lambda: {"paper": PaperFactory(board=board)},
        lambda: {"recommendation": RecommendationFactory(paper=PaperFactory(board=board))},
        lambda: {"function": CollaboratedFunctionFactory()},
        lambda: {"decision_notice": DecisionNoticeFactory(meeting=MeetingFactory(board=board))},
    ]
    for n in range(count):
        owner = makers[n % len(makers)]()
        year = f"{2010 + n % 7}/{11 + n % 7}"
        line(str(1000 + n), list(KIND_LABELS)[n % 4], year, **owner)
        if "decision_notice" in owner:
            publish(owner["decision_notice"], signatory)


def count_queries(client, url: str) -> int:
    cache.clear()  # the totals' aggregate runs every time
    with CaptureQueriesContext(connection) as ctx:
        get(client, url)
    return len(ctx.captured_queries)


# Anonymous queries:
# /finance/: boards for the filter, the years the lines span, the totals aggregate.
# /finance/lines/: the years the lines span, count, the page of lines with their records,
#   boards for the filter.
@pytest.mark.parametrize(("url", "expected"), [("/finance/", 3), ("/finance/lines/", 4)])
def test_the_finance_pages_run_the_same_queries_at_two_data_sizes(client, signatory, url, expected):
    lines_of_every_record(5, signatory)
    small = count_queries(client, url)
    lines_of_every_record(45, signatory)
    assert FinancialLine.objects.count() == 50
    large = count_queries(client, url)
    assert (small, large) == (expected, expected)


def test_the_finance_pages_for_staff_run_the_same_queries_at_two_data_sizes(
    staff_client, signatory
):
    lines_of_every_record(5, signatory)
    small = [count_queries(staff_client, url) for url in ("/finance/", "/finance/lines/")]
    lines_of_every_record(45, signatory)
    large = [count_queries(staff_client, url) for url in ("/finance/", "/finance/lines/")]
    assert small == large


def notices_with_money(count: int, signatory) -> None:
    meeting = MeetingFactory()
    for n in range(count):
        notice = DecisionNoticeFactory(meeting=meeting)
        line(str(1000 + n), year="2016/17", decision_notice=notice)
        line(str(2000 + n), Kind.GRANT, "2016/17", decision_notice=notice)
        publish(notice, signatory)


# Anonymous: boards and decision makers for the filter, count, the page, the page's money.
def test_the_register_with_money_runs_the_same_queries_at_two_data_sizes(client, signatory):
    notices_with_money(3, signatory)
    small = count_queries(client, "/decisions/")
    notices_with_money(20, signatory)
    large = count_queries(client, "/decisions/")
    assert (small, large) == (5, 5)
