"""The lines as CSV and XLSX, streamed: memory stays flat however many lines are exported.

CSV rows are written as they are read from the database (``iterator``). XLSX is written by
XlsxWriter in ``constant_memory`` mode, which flushes each row to a temporary file, and the
finished workbook is streamed from a temporary file that is deleted when the response closes.
Amounts are exact: a plain decimal in CSV, a number with a currency format in XLSX.

Never a file that looks complete but is not: the CSV's first row is read before the response
is made, so a failing query is a 500, not a 200 with only the header; a failure after that
is raised out of the stream, so the server aborts the connection and the client sees a broken
download. The XLSX is finished before its response: any failure is a 500, more lines than a
sheet holds is ``TooManyLines`` (the view answers 400), and a cell XlsxWriter would cut short
is an error, not a shorter cell.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import tempfile

import xlsxwriter
from django.http import FileResponse, HttpRequest, StreamingHttpResponse

from minutebook.exports import Echo, spreadsheet_text

CHUNK = 1000
COLUMNS = [
    ("line", 8),
    ("financial_year", 10),
    ("kind", 16),
    ("description", 50),
    ("amount", 16),
    ("recurrence", 11),
    ("scope", 20),
    ("as_printed", 14),
    ("source_table", 30),
    ("record_type", 16),
    ("record", 50),
    ("record_url", 40),
    ("function", 24),
    ("area", 24),
    ("counted_in_totals", 10),
    ("part_of_line", 10),
]
AMOUNT_COLUMN = 4
# The rows of one Excel sheet, less the header row.
MAX_XLSX_LINES = 1_048_575


class TooManyLines(Exception):
    """More lines than one sheet holds; the message says how to get them."""


def rows(request: HttpRequest, lines):
    """One list per line: the id, text cells as stored, the amount as Decimal."""
    base = request.build_absolute_uri("/")[:-1]
    lines = lines.with_records().order_by("financial_year", "kind", "position", "pk")
    for line in lines.iterator(chunk_size=CHUNK):
        yield [
            line.pk,
            line.financial_year,
            line.get_kind_display(),
            line.description,
            line.amount,
            line.get_recurrence_display() if line.recurrence else "",
            line.scope,
            line.as_printed,
            line.source_table,
            line.record_type.label,
            line.record_title,
            base + line.record.get_absolute_url(),
            line.function.name if line.function_id else "",
            line.area.name if line.area_id else "",
            "yes" if line.counted else "no",
            str(line.part_of_id) if line.part_of_id else "",
        ]


def _filename(ext: str) -> str:
    return f"financial-lines-{datetime.date.today():%Y-%m-%d}.{ext}"


def csv_response(request: HttpRequest, lines) -> StreamingHttpResponse:
    """The lines as CSV, streamed. Runs the query and writes the first row before returning
    (a failure there raises: a 500); a failure while streaming raises out of the stream."""
    writer = csv.writer(Echo())

    def body():
        for row in rows(request, lines):
            # CSV has no types: record text that a spreadsheet would run as a formula is
            # written as text (a leading apostrophe). XLSX cells are typed, so need no guard.
            yield writer.writerow(
                [
                    f"{value:.2f}"
                    if col == AMOUNT_COLUMN
                    else value
                    if col == 0
                    else spreadsheet_text(value)
                    for col, value in enumerate(row)
                ]
            )

    rest = body()
    first = list(itertools.islice(rest, 1))  # runs the query now: a failure is a 500
    header = writer.writerow([name for name, _width in COLUMNS])
    stream = itertools.chain(["\ufeff", header], first, rest)  # BOM: the £ read as UTF-8
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(request: HttpRequest, lines) -> FileResponse:
    """The lines as an XLSX workbook, finished before the response is made. Raises
    TooManyLines past MAX_XLSX_LINES, and ValueError when XlsxWriter refuses or cuts a cell."""
    # Outlives this function: the response streams it and closes (so deletes) it.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        _write_workbook(output, request, lines)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _checked(result: int, row: int, col: int) -> None:
    """XlsxWriter answers a cell it could not write, or wrote cut short, with a negative
    number instead of an error; a sheet missing a figure must not be served."""
    if result < 0:
        raise ValueError(
            f"XLSX: row {row}, column {COLUMNS[col][0]} could not be written (XlsxWriter {result})"
        )


def _write_workbook(output, request: HttpRequest, lines) -> None:
    workbook = xlsxwriter.Workbook(
        output,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet("Financial lines")
    bold = workbook.add_format({"bold": True})
    pounds = workbook.add_format({"num_format": "£#,##0.00;-£#,##0.00"})
    for col, (_name, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width, pounds if col == AMOUNT_COLUMN else None)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [name for name, _width in COLUMNS], bold)
    count = 0
    for count, row in enumerate(rows(request, lines), start=1):
        if count > MAX_XLSX_LINES:
            raise TooManyLines(
                f"These filters select more than {MAX_XLSX_LINES:,} lines, more than one Excel "
                "sheet holds: narrow them (a year, a kind, a board), or download the CSV."
            )
        for col, value in enumerate(row):
            if col == AMOUNT_COLUMN:
                result = sheet.write_number(count, col, float(value), pounds)
            elif col == 0:
                result = sheet.write_number(count, col, value)
            else:
                result = sheet.write_string(count, col, value)
            _checked(result, count, col)
    sheet.autofilter(0, 0, count, len(COLUMNS) - 1)
    workbook.close()
