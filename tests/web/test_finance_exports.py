"""The lines' downloads describe themselves (issue 11): a file name that says the filters, a
first sheet (XLSX) or leading notes (CSV) stating the filters, whose lines, the time of export
and a total per kind of the counted lines, readable column names, amounts as numbers; and they
hold exactly the lines the list shows for the same filters, in its order."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest

from boards.models import Paper
from finance.exports import HEADINGS
from tests.factories import BoardFactory, MeetingFactory, PaperFactory
from tests.pages import get
from tests.web.money import DAY, Kind, csv_parts, line, listed_on_every_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    board = BoardFactory(slug="bcb", name="Business Coordination Board")
    meeting = MeetingFactory(board=board, date=DAY)
    paper = PaperFactory(board=board, meeting=meeting, title="ICT collaboration")
    exempt = PaperFactory(
        board=board, access=Paper.Access.EXEMPT, exemption_reason="Paragraph 3: commercial."
    )
    return {
        "set-up": line("197000", year="2015/16", paper=paper, description="Set-up"),
        "licences": line("52.50", year="2015/16", paper=paper, description="Licences"),
        "grant": line("1200000", Kind.GRANT, "2015/16", paper=paper, description="Grant"),
        "later": line("3700", year="2016/17", paper=paper, description="Later cost"),
        "part": line(
            "97000",
            year="2015/16",
            paper=paper,
            description="Part of set-up",
            part_of=None,
            counted=False,
        ),
        "exempt": line("999999", year="2015/16", paper=exempt, description="Exempt estates"),
    }


def download(client, export: str, params: str = ""):
    response = client.get(f"/finance/{export}{params}")
    assert response.status_code == 200
    filename = re.search(r'filename="([^"]+)"', response["Content-Disposition"])[1]
    return filename, b"".join(response.streaming_content)


def csv_download(client, params=""):
    filename, body = download(client, "lines.csv", params)
    notes, (header, *rows) = csv_parts(body.decode("utf-8-sig"))
    return filename, notes, header, rows


def workbook(client, params=""):
    filename, body = download(client, "lines.xlsx", params)
    return filename, openpyxl.load_workbook(io.BytesIO(body))


def about(book) -> dict[str, object]:
    """The first sheet's facts and totals: {label in column A: value in column B}."""
    return {row[0].value: row[1].value for row in book.worksheets[0].iter_rows() if row[0].value}


# -- file names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "stem"),
    [
        ("", "financial-lines-all"),
        ("?year=2015/16&kind=cost", "financial-lines-2015-16-cost"),
        ("?kind=forecast_saving", "financial-lines-forecast-saving"),
        ("?year_from=2015/16&year_to=2016/17", "financial-lines-from-2015-16-to-2016-17"),
        ("?board=bcb&record_type=paper", "financial-lines-bcb-paper"),
        ("?year=2015/16&sort=-amount", "financial-lines-2015-16"),
    ],
)
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_the_file_name_says_the_filters(client, lines, params, stem, ext):
    filename, _body = download(client, f"lines.{ext}", params)
    assert filename == f"{stem}.{ext}"


# -- what the CSV says of itself ----------------------------------------------------------------


def test_the_csv_notes_state_the_filters_whose_lines_when_and_the_totals(client, lines):
    _name, notes, header, rows = csv_download(client, "?year=2015/16&kind=cost")
    assert notes[0].startswith(f"Notes: the first {len(notes)} rows;")
    assert notes[1] == "Financial lines: Kind: Cost; Financial year: 2015/16"
    assert notes[2] == "Order: Financial year, earliest first"
    assert re.fullmatch(
        r"Exported \d{4}-\d\d-\d\d \d\d:\d\d UTC from "
        r"http://testserver/finance/lines/\?kind=cost&year=2015%2F16",
        notes[3],
    ), notes[3]
    assert notes[4].startswith("Whose lines: Lines of public records only")
    assert notes[5].startswith("Lines: 3.")
    # The counted cost lines (set-up and licences; not the part, not the exempt paper's).
    assert [n for n in notes if n.startswith("Total ")] == [
        "Total Cost, Scope not recorded: 197052.50"
    ]
    assert header == HEADINGS
    assert {row[3] for row in rows} == {"Set-up", "Licences", "Part of set-up"}


def test_a_sorted_export_says_its_order_and_links_the_list_in_that_order(client, lines):
    _name, notes, _header, _rows = csv_download(client, "?sort=-amount")
    assert "Order: Amount, largest first" in notes
    _name, book = workbook(client, "?sort=-amount")
    facts = about(book)
    assert facts["Order"] == "Amount, largest first"
    assert facts["The same lines on the site"] == "http://testserver/finance/lines/?sort=-amount"


def test_the_csv_header_has_readable_column_names(client, lines):
    _name, _notes, header, _rows = csv_download(client)
    assert header[:5] == ["Line", "Financial year", "Kind", "Description", "Amount (£)"]
    assert "Counted in totals" in header and "Record's address" in header


def test_staff_are_told_their_csv_holds_exempt_lines_and_the_public_is_not(
    client, staff_client, lines
):
    _n, public_notes, _h, public_rows = csv_download(client)
    _n, staff_notes, _h, staff_rows = csv_download(staff_client)
    assert "Exempt estates" not in {row[3] for row in public_rows}
    assert "Exempt estates" in {row[3] for row in staff_rows}
    assert not any("not for publication" in note for note in public_notes)
    assert any(
        note.startswith("Whose lines: Every line") and "not for publication" in note
        for note in staff_notes
    )
    public_total = next(n for n in public_notes if n.startswith("Total Cost"))
    staff_total = next(n for n in staff_notes if n.startswith("Total Cost"))
    assert public_total.endswith(": 200752.50")
    assert staff_total.endswith(": 1200751.50")  # the exempt paper's £999,999 too


def test_a_board_name_with_a_comma_or_a_line_break_stays_one_note_of_one_line(client):
    board = BoardFactory(slug="odd", name="Audit, Risk\nand =Assurance")
    line("1000", paper=PaperFactory(board=board), year="2015/16")
    _name, notes, header, rows = csv_download(client, "?board=odd")
    assert notes[1] == "Financial lines: Board: Audit, Risk and =Assurance"
    assert header == HEADINGS and len(rows) == 1


# -- what the workbook says of itself ---------------------------------------------------------


def test_the_workbook_opens_on_a_sheet_about_the_export(client, lines):
    _name, book = workbook(client, "?year=2015/16")
    assert book.sheetnames == ["About this export", "Financial lines"]
    assert book.active.title == "About this export"
    facts = about(book)
    assert book.worksheets[0]["A1"].value == "Financial lines"
    assert facts["Filters"] == "Financial year: 2015/16"
    assert facts["Order"] == "Financial year, earliest first"
    assert facts["Whose lines"].startswith("Lines of public records only")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", facts["Exported"])
    assert facts["The same lines on the site"] == "http://testserver/finance/lines/?year=2015%2F16"
    assert facts["Lines"] == 4


def test_the_first_sheet_totals_each_kind_as_numbers_in_pounds(client, lines):
    _name, book = workbook(client, "?year=2015/16")
    sheet = book.worksheets[0]
    totals = {
        row[0].value: row[1]
        for row in sheet.iter_rows()
        if isinstance(row[0].value, str) and row[0].value.startswith("Total ")
    }
    assert set(totals) == {"Total Cost, Scope not recorded", "Total Grant, Scope not recorded"}
    cost = totals["Total Cost, Scope not recorded"]
    assert cost.data_type == "n" and "£" in cost.number_format
    assert Decimal(str(cost.value)) == Decimal("197052.50")
    assert Decimal(str(totals["Total Grant, Scope not recorded"].value)) == Decimal("1200000")


def test_a_workbook_of_no_lines_says_none_is_counted(client, lines):
    _name, book = workbook(client, "?kind=income")
    facts = about(book)
    assert facts["Lines"] == 0
    assert "No line of these is counted in totals" in facts
    assert book["Financial lines"].max_row == 1


def test_the_lines_sheet_has_readable_headings_and_amounts_as_numbers(client, lines):
    _name, book = workbook(client)
    sheet = book["Financial lines"]
    assert [cell.value for cell in sheet[1]] == HEADINGS
    amounts = {row[3].value: row[4] for row in sheet.iter_rows(min_row=2)}
    assert amounts["Licences"].data_type == "n"
    assert Decimal(str(amounts["Licences"].value)) == Decimal("52.50")
    assert "£" in amounts["Licences"].number_format


# -- the same lines as the list -------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    ["", "?year=2015/16", "?kind=cost&sort=-amount", "?board=bcb&sort=description", "?sort=record"],
)
def test_the_exports_hold_exactly_the_lines_the_list_shows_in_its_order(
    client, lines, settings, params
):
    settings.PAGE_SIZE = 2
    shown = listed_on_every_page(client, "/finance/lines/" + params)
    _name, _notes, _header, rows = csv_download(client, params)
    _name, book = workbook(client, params)
    in_sheet = [row[0].value for row in book["Financial lines"].iter_rows(min_row=2)]
    assert {int(row[0]) for row in rows} == shown == set(in_sheet)
    assert [int(row[0]) for row in rows] == in_sheet
    settings.PAGE_SIZE = 100
    html = get(client, "/finance/lines/" + params)
    order = [int(m) for m in re.findall(r'<tr id="line-(\d+)"', html)]
    assert order == in_sheet
