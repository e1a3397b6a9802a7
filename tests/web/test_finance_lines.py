"""The financial lines (/finance/lines/) and their CSV and Excel downloads (/finance/lines.csv,
/finance/lines.xlsx): the lines the reader may see, filtered and paginated, each linking to its
record; exact amounts, the page's filters, text that no spreadsheet runs as a formula, and a
400 naming a bad filter."""

import io
from decimal import Decimal

import openpyxl
import pytest

from boards.models import Paper
from decisions.services import publish_notice, sign_notice
from finance.exports import HEADINGS
from finance.models import FinancialLine
from tests.factories import (
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    RecommendationFactory,
)
from tests.finance.factories import CollaboratedFunctionFactory, CollaborationAreaFactory
from tests.pages import get, parse, query, table_with_caption, text
from tests.web.money import (
    DAY,
    HIDDEN,
    Kind,
    csv_parts,
    line,
    listed,
    listed_on_every_page,
    pks,
    visible_pks,
)

pytestmark = pytest.mark.django_db

HEADER = HEADINGS


# -- the lines page -------------------------------------------------------------------------------


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


# -- the downloads --------------------------------------------------------------------------------


@pytest.fixture
def lines(signatory):
    board = BoardFactory(slug="bcb")
    meeting = MeetingFactory(board=board, date=DAY)
    paper = PaperFactory(board=board, meeting=meeting, title="ICT collaboration")
    notice = DecisionNoticeFactory(meeting=meeting, title="ICT contract")
    area = CollaborationAreaFactory(name="Joint Protective Services")
    function = CollaboratedFunctionFactory(name="Collaborated ICT", slug="ict", area=area)
    exempt = PaperFactory(
        board=board, access=Paper.Access.EXEMPT, exemption_reason="Paragraph 3: commercial."
    )
    made = {
        "paper": line(
            "197000",
            year="2015/16",
            paper=paper,
            description="ICT set-up",
            recurrence=FinancialLine.Recurrence.ONE_OFF,
            scope="Cambridgeshire",
            as_printed="£197k",
            source_table="Table 2",
            function=function,
        ),
        "recommendation": line(
            "52.50",
            year="2015/16",
            recommendation=RecommendationFactory(paper=paper, number="2.1"),
            description="Printing",
        ),
        "notice": line("1200000", Kind.GRANT, "2016/17", decision_notice=notice),
        "function": line("-515000", Kind.BUDGET, function=function, area=area, description="Cut"),
        "exempt": line("999999", year="2015/16", paper=exempt, description="Exempt estates"),
        "draft notice": line(
            "8000",
            year="2015/16",
            decision_notice=DecisionNoticeFactory(meeting=meeting),
            description="Draft money",
        ),
    }
    sign_notice(notice=notice, user=signatory, signed_on=DAY)
    publish_notice(notice=notice, user=signatory, published_on=DAY)
    return made


def csv_rows(client, params="", status=200) -> list[list[str]]:
    response = client.get("/finance/lines.csv" + params)
    assert response.status_code == status
    assert response.streaming is True
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="financial-lines-')
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return csv_parts(content)[1]


def xlsx_sheet(client, params=""):
    response = client.get("/finance/lines.xlsx" + params)
    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert ".xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook["Financial lines"]


def as_dicts(rows) -> dict[int, dict]:
    header, *body = rows
    return {int(row[0]): dict(zip(header, row, strict=True)) for row in body}


# -- CSV -------------------------------------------------------------------------------------------


def test_the_csv_has_a_header_and_one_row_per_line_the_public_may_see(client, lines):
    rows = csv_rows(client)
    assert rows[0] == HEADER
    assert set(as_dicts(rows)) == {
        lines[name].pk for name in ("paper", "recommendation", "notice", "function")
    }


def test_the_csv_says_whose_money_its_direction_nature_same_money_and_contradiction(client, lines):
    paper_line = lines["paper"]
    repeat = line(
        "52.50",
        year="2015/16",
        paper=paper_line.paper,
        description="Hourly rate again",
        scope="Cambridgeshire",
        scope_code="cambridgeshire",
        direction="pays",
        nature="rate",
        same_as=paper_line,
        counted=False,
        contradiction='=HYPERLINK("http://x") the table prints 52.00',
    )
    row = as_dicts(csv_rows(client))[repeat.pk]
    assert (row["Whose money"], row["Direction"], row["Nature"]) == (
        "Cambridgeshire",
        "Paid out",
        "Rate",
    )
    assert row["Same money as line"] == str(paper_line.pk)
    assert row["Counted in totals"] == "no"
    assert row["Contradiction"] == '\'=HYPERLINK("http://x") the table prints 52.00'


def test_staff_get_every_line_in_the_csv(staff_client, lines):
    assert set(as_dicts(csv_rows(staff_client))) == {item.pk for item in lines.values()}


def test_the_csv_writes_each_line_in_full_with_the_exact_amount(client, lines):
    rows = as_dicts(csv_rows(client))
    paper_line = lines["paper"]
    assert rows[paper_line.pk] == {
        "Line": str(paper_line.pk),
        "Financial year": "2015/16",
        "Kind": "Cost",
        "Description": "ICT set-up",
        "Amount (£)": "197000.00",
        "Recurrence": "One-off",
        "Scope": "Cambridgeshire",
        "Whose money": "Scope not recorded",  # printed, but not classified
        "Direction": "Direction not recorded",
        "Nature": "Amount",
        "As printed": "£197k",
        "Printed in table": "Table 2",
        "Belongs to": "Paper",
        "Record": "ICT collaboration",
        "Record's address": f"http://testserver/papers/{paper_line.paper_id}/",
        "Collaborated function": "Collaborated ICT",
        "Collaboration area": "",
        "Counted in totals": "yes",
        "Part of line": "",
        "Same money as line": "",
        "Contradiction": "",
    }
    assert rows[lines["recommendation"].pk]["Amount (£)"] == "52.50"
    assert rows[lines["recommendation"].pk]["Record"] == "Recommendation 2.1 of “ICT collaboration”"
    assert rows[lines["recommendation"].pk]["Record's address"].endswith(
        f"/papers/{paper_line.paper_id}/#recommendation-{lines['recommendation'].recommendation_id}"
    )
    assert rows[lines["notice"].pk]["Amount (£)"] == "1200000.00"
    assert rows[lines["notice"].pk]["Belongs to"] == "Decision notice"
    function_row = rows[lines["function"].pk]
    assert (function_row["Amount (£)"], function_row["Financial year"]) == ("-515000.00", "")
    assert (function_row["Belongs to"], function_row["Record"]) == (
        "Collaborated function",
        "Collaborated ICT",
    )
    assert function_row["Record's address"] == "http://testserver/collaboration/functions/ict/"
    assert function_row["Collaboration area"] == "Joint Protective Services"


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ("?kind=grant", {"notice"}),
        ("?year_from=2016/17", {"notice"}),
        ("?year_to=2015/16", {"paper", "recommendation"}),
        ("?record_type=function", {"function"}),
        ("?board=bcb", {"paper", "recommendation", "notice"}),
    ],
)
def test_the_csv_applies_the_filters(client, lines, params, names):
    assert set(as_dicts(csv_rows(client, params))) == {lines[name].pk for name in names}


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_description_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, start):
    description = f'{start}HYPERLINK("http://evil.example","x")'
    saved = line("1000", paper=PaperFactory(), description=description, scope=f"{start}1+1")
    row = as_dicts(csv_rows(client))[saved.pk]
    assert row["Description"] == "'" + description
    assert row["Scope"] == f"'{start}1+1"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ("?year_from=2016/17&year_to=2015/16", "year_to"),
        ("?kind=bogus", "kind"),
        ("?year_from=2015-16", "year_from"),
    ],
)
@pytest.mark.parametrize("export", ["lines.csv", "lines.xlsx"])
def test_a_bad_filter_answers_400_in_plain_text_naming_the_field(
    client, lines, params, field, export
):
    response = client.get(f"/finance/{export}{params}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("Bad filter: ")
    assert f"{field}:" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("?year_from=2016/17&year_to=2015/16", "To year: The “to” year must not be before"),
        ("?year_from=2015-16", "From year: Select a valid choice"),
    ],
)
def test_a_bad_bookmarked_year_range_on_the_list_is_a_400_that_names_it(
    client, lines, params, message
):
    """The list shows one year control; a bookmarked range it no longer shows is named above
    the form when it is wrong, as on /finance/."""
    html = get(client, f"/finance/lines/{params}", status=400)
    summary = next(d for d in parse(html).iter("div") if d.get("class") == "error-summary")
    assert message in text(summary)


def test_an_export_of_no_lines_is_just_the_header(client, lines):
    assert csv_rows(client, "?kind=income") == [HEADER]
    sheet = xlsx_sheet(client, "?kind=income")
    assert sheet.max_row == 1
    assert [cell.value for cell in sheet[1]] == HEADER


def test_a_line_that_is_part_of_another_is_exported_marked_not_counted(client, lines):
    part = line(
        "97000", year="2015/16", paper=lines["paper"].paper, part_of=lines["paper"], note="Of ICT"
    )
    rows = as_dicts(csv_rows(client))
    assert (rows[part.pk]["Counted in totals"], rows[part.pk]["Part of line"]) == (
        "no",
        str(lines["paper"].pk),
    )
    assert rows[part.pk]["Amount (£)"] == "97000.00"
    sheet = sheet_rows(xlsx_sheet(client))
    assert sheet[part.pk]["Counted in totals"].value == "no"


# -- XLSX ------------------------------------------------------------------------------------------


def sheet_rows(sheet) -> dict[int, dict]:
    header = [cell.value for cell in sheet[1]]
    assert header == HEADER
    return {
        row[0].value: {name: cell for name, cell in zip(header, row, strict=True)}
        for row in sheet.iter_rows(min_row=2)
    }


def test_the_xlsx_has_the_same_rows_as_the_reader_may_see(client, staff_client, lines):
    public = {lines[name].pk for name in ("paper", "recommendation", "notice", "function")}
    assert set(sheet_rows(xlsx_sheet(client))) == public
    assert set(sheet_rows(xlsx_sheet(staff_client))) == {item.pk for item in lines.values()}


def test_the_xlsx_amount_is_a_number_in_pounds_not_text(client, lines):
    rows = sheet_rows(xlsx_sheet(client))
    for name, pounds in [
        ("paper", Decimal("197000")),
        ("recommendation", Decimal("52.50")),
        ("notice", Decimal("1200000")),
        ("function", Decimal("-515000")),
    ]:
        cell = rows[lines[name].pk]["Amount (£)"]
        assert cell.data_type == "n", name
        assert isinstance(cell.value, int | float), name
        assert Decimal(str(cell.value)) == pounds, name
        assert "£" in cell.number_format, name
    paper_row = rows[lines["paper"].pk]
    assert paper_row["Description"].value == "ICT set-up"
    assert (
        paper_row["Record's address"].value
        == f"http://testserver/papers/{lines['paper'].paper_id}/"
    )


def test_the_xlsx_applies_the_filters(client, lines):
    assert set(sheet_rows(xlsx_sheet(client, "?kind=cost&year_to=2015/16"))) == {
        lines["paper"].pk,
        lines["recommendation"].pk,
    }


def test_an_xlsx_description_that_looks_like_a_formula_stays_text(client):
    description = "=SUM(A1:A9)"
    saved = line("1000", paper=PaperFactory(), description=description)
    cell = sheet_rows(xlsx_sheet(client))[saved.pk]["Description"]
    assert cell.data_type == "s"
    assert cell.value.endswith(description)


def test_a_list_longer_than_the_count_cap_pages_to_the_cap_and_says_there_are_more(
    client, monkeypatch
):
    """Counting stops at the cap (a COUNT over 800,000 lines is the slow part of the page):
    the list says it shows the first 30 of more than 30 and pages up to them; a list at the
    cap gives its exact count."""
    monkeypatch.setattr("minutebook.pagination.COUNT_CAP", 30)
    paper = PaperFactory()
    lines = [line(100 + n, year="2016/17", paper=paper) for n in range(31)]
    html = get(client, "/finance/lines/")
    assert "Page 1 of 2, the first 30 of more than 30 in all." in html
    assert "Narrow the filters, or download the CSV, for the rest." in html
    assert listed_on_every_page(client, "/finance/lines/") == {item.pk for item in lines[:30]}
    body = b"".join(client.get("/finance/lines.csv").streaming_content).decode("utf-8-sig")
    exported = csv_parts(body)[1]
    assert len(exported) == 1 + 31  # the header and every line
    lines[30].delete()
    html = get(client, "/finance/lines/")
    assert "Page 1 of 2 (30 in all)" in html
    assert "more than" not in html


# -- the totals of the lines list ------------------------------------------------------------------


def line_totals(html: str) -> dict[str, Decimal]:
    """The list's "Totals of these lines": {label: exact figure}."""
    section = next(
        s for s in parse(html).iter("section") if s.get("aria-labelledby") == "line-totals-heading"
    )
    return {
        text(div.find("dt")): Decimal(div.find(".//data").get("value"))
        for div in section.iter("div")
        if div.find("dt") is not None
    }


def test_the_list_totals_every_line_its_filters_select_not_only_the_page(client, lines, settings):
    settings.PAGE_SIZE = 1
    html = get(client, "/finance/lines/")
    assert line_totals(html) == {
        "Cost, Scope not recorded": Decimal("197052.50"),  # not the exempt paper's or a draft's
        "Grant, Scope not recorded": Decimal("1200000"),
        "Budget, Scope not recorded": Decimal("-515000"),
    }
    assert "Of every line these filters select, not only this page's, from the stored totals" in (
        text(html)
    )
    assert line_totals(get(client, "/finance/lines/?kind=cost&year=2015/16")) == {
        "Cost, Scope not recorded": Decimal("197052.50")
    }


def test_staff_see_the_hidden_lines_in_the_list_totals(staff_client, lines):
    totals = line_totals(get(staff_client, "/finance/lines/?kind=cost"))
    assert totals == {"Cost, Scope not recorded": Decimal("1205051.50")}  # + £999,999 + £8,000


def test_the_list_totals_kept_in_the_cache_follow_an_edit_at_once(client, staff_client, lines):
    """The totals are cached per reader class and filters until a record changes: a line
    added, and a line's paper made a draft, show in the very next request, for each reader."""
    assert line_totals(get(client, "/finance/lines/?kind=cost")) == {
        "Cost, Scope not recorded": Decimal("197052.50")
    }
    staff_before = line_totals(get(staff_client, "/finance/lines/?kind=cost"))
    line("1000", year="2015/16", paper=lines["paper"].paper, description="Added")
    assert line_totals(get(client, "/finance/lines/?kind=cost")) == {
        "Cost, Scope not recorded": Decimal("198052.50")
    }
    assert line_totals(get(staff_client, "/finance/lines/?kind=cost")) == {
        "Cost, Scope not recorded": staff_before["Cost, Scope not recorded"] + 1000
    }
    Paper.objects.filter(pk=lines["paper"].paper_id).update(status=Paper.Status.DRAFT)
    public = line_totals(get(client, "/finance/lines/?kind=cost"))
    assert public.get("Cost, Scope not recorded", Decimal(0)) < Decimal("198052.50")
    assert line_totals(get(staff_client, "/finance/lines/?kind=cost")) == {
        "Cost, Scope not recorded": staff_before["Cost, Scope not recorded"] + 1000
    }


def test_one_records_lines_are_totalled_from_the_lines_themselves(client, lines):
    paper = lines["paper"].paper_id
    html = get(client, f"/finance/lines/?paper={paper}")
    assert line_totals(html) == {"Cost, Scope not recorded": Decimal("197052.50")}
    assert "not only this page's, added up from these lines" in text(html)


def test_a_list_of_lines_none_of_which_is_counted_says_so(client, lines):
    part = line("1000", year="2015/16", paper=lines["paper"].paper, part_of=lines["paper"])
    html = get(client, f"/finance/lines/?line={part.pk}")
    assert "None of these lines is counted in totals." in text(html)


def test_the_totals_show_a_figure_from_1m_in_millions_with_the_exact_figure(client, lines):
    root = parse(get(client, "/finance/lines/?kind=grant"))
    data = next(d for d in root.iter("data") if d.get("value") == "1200000.00")
    assert (text(data), data.get("title")) == ("£1.20m", "£1,200,000.00")


# -- sorting ------------------------------------------------------------------------------------------


def order(html: str) -> list[int]:
    return [
        int(tr.get("id")[5:])
        for tr in parse(html).iter("tr")
        if (tr.get("id") or "").startswith("line-")
    ]


def headings(html: str) -> dict[str, dict]:
    """{column heading: {"aria-sort", "href"}} of the lines table's sortable headings."""
    table = table_with_caption(parse(html), "Financial lines")
    found = {}
    for th in table.find("thead").iter("th"):
        link = th.find("a")
        if link is not None:
            name = text(link).split(",")[0].rstrip(" ▲▼")
            found[name] = {"aria-sort": th.get("aria-sort"), "href": link.get("href")}
    return found


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("amount", ["function", "recommendation", "paper", "notice"]),
        ("-amount", ["notice", "paper", "recommendation", "function"]),
        ("description", ["function", "paper", "notice", "recommendation"]),
        ("-description", ["recommendation", "notice", "paper", "function"]),
        ("year", ["function", "paper", "recommendation", "notice"]),
        ("-year", ["notice", "recommendation", "paper", "function"]),
        ("kind", ["function", "paper", "recommendation", "notice"]),
        ("record", ["paper", "recommendation", "notice", "function"]),
        ("-record", ["function", "notice", "recommendation", "paper"]),
    ],
)
def test_the_lines_sort_by_a_column_either_way(client, lines, sort, names):
    # Descriptions: "Cut", "ICT set-up", the notice's "Line …" (its factory's), "Printing".
    html = get(client, f"/finance/lines/?sort={sort}")
    assert order(html) == [lines[name].pk for name in names]


def test_the_sorted_column_says_so_and_its_link_sorts_the_other_way(client, lines):
    html = get(client, "/finance/lines/?kind=cost&sort=amount")
    found = headings(html)
    assert set(found) == {"Description", "Year", "Kind", "Amount", "Belongs to"}
    assert found["Amount"]["aria-sort"] == "ascending"
    assert query(found["Amount"]["href"]) == {"kind": ["cost"], "sort": ["-amount"]}
    assert [found[h]["aria-sort"] for h in ("Description", "Year", "Kind", "Belongs to")] == [
        None
    ] * 4
    assert query(found["Description"]["href"]) == {"kind": ["cost"], "sort": ["description"]}
    assert "Amount ▲, sort descending" in text(table_with_caption(parse(html), "Financial lines"))
    assert headings(get(client, "/finance/lines/?sort=-amount"))["Amount"]["aria-sort"] == (
        "descending"
    )


def test_without_a_sort_the_list_is_in_year_order_and_says_so(client, lines):
    found = headings(get(client, "/finance/lines/"))
    assert found["Year"]["aria-sort"] == "ascending"
    assert query(found["Year"]["href"]) == {"sort": ["-year"]}


def test_the_next_page_keeps_the_filters_and_the_sort(client, lines, settings):
    settings.PAGE_SIZE = 2
    html = get(client, "/finance/lines/?board=bcb&sort=-amount")
    next_link = next(a for a in parse(html).iter("a") if a.get("rel") == "next")
    assert query(next_link.get("href")) == {"board": ["bcb"], "sort": ["-amount"], "page": ["2"]}
    second = get(client, "/finance/lines/" + next_link.get("href"))
    assert order(html) + order(second) == [
        lines[name].pk for name in ("notice", "paper", "recommendation")
    ]


def test_a_sort_link_goes_back_to_the_first_page(client, lines, settings):
    settings.PAGE_SIZE = 2
    found = headings(get(client, "/finance/lines/?page=2"))
    assert "page" not in query(found["Amount"]["href"])


@pytest.mark.parametrize("bad", ["price", "-", "amount;drop", "٣"])
def test_an_unknown_sort_answers_400_naming_it(client, lines, bad):
    response = client.get("/finance/lines/", {"sort": bad})
    assert response.status_code == 400
    assert f"Sort: “{bad}” is not a column the lines sort by" in text(response.content.decode())
    export = client.get("/finance/lines.csv", {"sort": bad})
    assert export.status_code == 400
    assert export.content.decode().startswith("Bad filter: sort: Sort: “")


def test_a_record_page_s_table_of_lines_has_no_sort_links(client, lines):
    html = get(client, f"/papers/{lines['paper'].paper_id}/")
    assert "sort-link" not in html


def test_the_link_to_the_totals_keeps_the_filters_but_not_the_sort(client, lines):
    root = parse(get(client, "/finance/lines/?kind=cost&sort=-amount"))
    to_totals = next(a for a in root.iter("a") if text(a) == "Totals for these filters")
    assert to_totals.get("href") == "/finance/?kind=cost"


# -- the same money reported twice, on a row ------------------------------------------------------


def row_of(html: str, pk: int) -> str:
    return next(text(tr) for tr in parse(html).iter("tr") if tr.get("id") == f"line-{pk}")


def test_a_row_names_the_line_of_the_same_money_and_how_much_they_disagree(client, money):
    lines = money["lines"]
    repeat, other = lines["public paper 2016/17"], lines["public recommendation"]
    repeat.same_as = other
    repeat.contradiction = "The paper and its recommendation print two <i>figures</i>."
    repeat.save()
    words = row_of(get(client, f"/finance/lines/?line={repeat.pk}"), repeat.pk)
    assert f"the same money as line {other.pk} (£5k)" in words
    assert "the two figures disagree by £15k, both kept as printed" in words
    assert "Contradiction: The paper and its recommendation print two <i>figures</i>." in words


def test_a_row_repeating_a_hidden_line_does_not_name_it_to_the_public(client, staff_client, money):
    lines = money["lines"]
    repeat, hidden = lines["other board's paper"], lines["draft paper"]
    repeat.same_as = hidden
    repeat.save()
    words = row_of(get(client, f"/finance/lines/?line={repeat.pk}"), repeat.pk)
    assert "the same money as a line of a record that is not published" in words
    assert f"line {hidden.pk}" not in words and "£70k" not in words
    words = row_of(get(staff_client, f"/finance/lines/?line={repeat.pk}"), repeat.pk)
    assert f"the same money as line {hidden.pk} (£70k)" in words
    assert "the two figures disagree by £67k" in words
