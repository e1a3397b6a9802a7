"""Exports never silently truncate (issue 9): /finance/lines.csv, /finance/lines.xlsx and
/decisions/export.csv.

A failure before the first row (the query, the first row's cells) is a 500: the view raises, and
Django's test client raises it instead of answering 500. A failure after streaming started is
raised out of the stream, so the server aborts the connection (no last chunk) and the client
sees a broken download: here, reading ``streaming_content`` raises after the rows before it.
The XLSX is finished before its response, so any failure is a 500, and more lines than a sheet
holds is a plain-text 400."""

from __future__ import annotations

import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from decisions import exports as decision_exports
from decisions.models import DecisionNotice
from finance import exports as finance_exports
from finance.models import FinancialLine
from tests.finance.factories import CollaboratedFunctionFactory
from tests.web.money import Kind, line

pytestmark = pytest.mark.django_db
EXPORTS = ("/finance/lines.csv", "/finance/lines.xlsx")


class Boom(Exception):
    """The failure planted in a row."""


def failing_on(module, match):
    """Replace ``module.spreadsheet_text`` by one that raises Boom for a value ``match`` accepts
    (a cell of one row), and writes every other value as before."""
    real = module.spreadsheet_text

    def spreadsheet_text(value):
        if match(value):
            raise Boom(f"cannot write {value!r}")
        return real(value)

    return spreadsheet_text


@pytest.fixture
def two_lines():
    """Two public lines (a function's own), listed "2015/16" first, "2016/17" second."""
    function = CollaboratedFunctionFactory(name="Collaborated ICT", slug="ict")
    return [
        line("1000", Kind.COST, "2015/16", function=function, description="First line"),
        line("2000", Kind.COST, "2016/17", function=function, description="Second line"),
    ]


def read_until_broken(response) -> tuple[str, Exception | None]:
    """The body a client receives, and the exception that broke the stream (None if none)."""
    received = []
    try:
        for chunk in response.streaming_content:
            received.append(chunk)
    except Exception as exc:  # what the server aborts the connection on
        return b"".join(received).decode(), exc
    return b"".join(received).decode(), None


def test_the_lines_csv_streams_every_line_when_nothing_fails(client, two_lines):
    body, broken = read_until_broken(client.get("/finance/lines.csv"))
    assert broken is None
    assert "First line" in body and "Second line" in body


def test_a_line_that_fails_mid_stream_breaks_the_csv_download(client, two_lines, monkeypatch):
    monkeypatch.setattr(
        finance_exports, "spreadsheet_text", failing_on(finance_exports, "Second line".__eq__)
    )
    response = client.get("/finance/lines.csv")
    assert response.status_code == 200  # the headers went out with the first row
    body, broken = read_until_broken(response)
    assert isinstance(broken, Boom), "the stream ended cleanly: a truncated file looked whole"
    assert "First line" in body and "Second line" not in body


def test_a_csv_that_fails_before_its_first_row_is_a_500_not_an_empty_file(two_lines, monkeypatch):
    monkeypatch.setattr(
        finance_exports, "spreadsheet_text", failing_on(finance_exports, "First line".__eq__)
    )
    with pytest.raises(Boom):
        Client().get("/finance/lines.csv")
    quiet = Client(raise_request_exception=False)
    assert quiet.get("/finance/lines.csv").status_code == 500


def test_a_csv_whose_query_fails_is_a_500(two_lines, monkeypatch):
    def failing_rows(request, lines):
        raise Boom("the database went away")
        yield  # a generator, as rows() is: it fails on the first read, not when called

    monkeypatch.setattr(finance_exports, "rows", failing_rows)
    assert Client(raise_request_exception=False).get("/finance/lines.csv").status_code == 500


def test_a_line_that_fails_in_the_xlsx_is_a_500(two_lines, monkeypatch):
    real_rows = finance_exports.rows

    def rows(request, lines):
        for row in real_rows(request, lines):
            if row[3] == "Second line":
                raise Boom("cannot read the second line")
            yield row

    monkeypatch.setattr(finance_exports, "rows", rows)
    assert Client(raise_request_exception=False).get("/finance/lines.xlsx").status_code == 500


def test_a_cell_xlsxwriter_would_cut_short_is_a_500_not_a_shorter_cell(two_lines, monkeypatch):
    real_rows = finance_exports.rows

    def rows(request, lines):
        for row in real_rows(request, lines):
            row[3] = "x" * 40_000  # more than the 32,767 characters an Excel cell holds
            yield row

    monkeypatch.setattr(finance_exports, "rows", rows)
    quiet = Client(raise_request_exception=False)
    assert quiet.get("/finance/lines.xlsx").status_code == 500


def test_more_lines_than_a_sheet_holds_is_a_plain_text_400(client, two_lines, monkeypatch):
    monkeypatch.setattr(finance_exports, "MAX_XLSX_LINES", 1)
    response = client.get("/finance/lines.xlsx")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "more than 1 lines, more than one Excel sheet holds" in response.content.decode()
    monkeypatch.setattr(finance_exports, "MAX_XLSX_LINES", 2)
    response = client.get("/finance/lines.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook["Financial lines"].max_row == 3  # the header and both lines


def test_a_notice_that_fails_mid_stream_breaks_the_register_download(
    staff_client, register, monkeypatch
):
    written = []
    titles = set(DecisionNotice.objects.values_list("title", flat=True))

    def count_titles(value):
        if value in titles:  # other text columns are guarded too: count the titles only
            written.append(value)
            return len(written) == 2  # the second notice's title
        return False

    monkeypatch.setattr(
        decision_exports, "spreadsheet_text", failing_on(decision_exports, count_titles)
    )
    response = staff_client.get("/decisions/export.csv")
    assert response.status_code == 200
    body, broken = read_until_broken(response)
    assert isinstance(broken, Boom), "the stream ended cleanly: a truncated file looked whole"
    assert body.startswith("reference,title") and written[0] in body
    assert written[1] not in body


def test_a_register_that_fails_before_its_first_row_is_a_500(register, monkeypatch):
    monkeypatch.setattr(
        decision_exports, "spreadsheet_text", failing_on(decision_exports, lambda value: True)
    )
    with pytest.raises(Boom):
        Client().get("/decisions/export.csv")
    assert Client(raise_request_exception=False).get("/decisions/export.csv").status_code == 500


def test_the_register_streams_every_notice_when_nothing_fails(staff_client, register):
    body, broken = read_until_broken(staff_client.get("/decisions/export.csv"))
    assert broken is None
    assert body.count("\n") == 4  # the header and three notices


# -- memory: flat however many lines -------------------------------------------------------------


def add_lines(function, count: int) -> None:
    FinancialLine.objects.bulk_create(
        [
            FinancialLine(
                description=f"Line {n} of the streaming test",
                amount=Decimal(1000 + n),
                kind=Kind.COST,
                financial_year="2015/16",
                function=function,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )


def peak_while_downloading(client, url: str) -> tuple[int, int]:
    """(peak bytes Python allocated while the download was made and read, bytes received)."""
    tracemalloc.start()
    try:
        received = sum(len(chunk) for chunk in client.get(url).streaming_content)
        return tracemalloc.get_traced_memory()[1], received
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_the_exports_memory_stays_flat_from_10000_to_100000_lines(client):
    """Ten times the lines may not take much more memory: the CSV streams rows as they are read,
    the XLSX is written row by row to a temporary file and streamed from it."""
    function = CollaboratedFunctionFactory(name="Collaborated ICT", slug="ict")
    add_lines(function, 10_000)
    small = {url: peak_while_downloading(client, url) for url in EXPORTS}
    add_lines(function, 90_000)
    large = {url: peak_while_downloading(client, url) for url in EXPORTS}
    for url in EXPORTS:
        (small_peak, small_size), (large_peak, large_size) = small[url], large[url]
        assert large_size > 8 * small_size, url  # ten times the lines were exported
        assert large_peak < 1.5 * small_peak + 2_000_000, (url, small_peak, large_peak)
