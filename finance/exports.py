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

Each export describes itself. Its file name says what it holds
(``financial-lines-2015-16-cost.xlsx``, ``financial-lines-all.csv``). The workbook's first sheet,
"About this export", and the CSV's leading notes (lines starting ``#``, their number given on the
first line, before the header row: ``skiprows`` in pandas, or skip to the line starting
``Line,``) state the filters, whose lines the reader may see, the time of export, the number of
lines and a total per kind and scope, the lines list's (``web.pages.finance.line_totals``).
The columns have readable names ("Financial year", "Amount (£)"); the lines come in the list's
order (its ``?sort=``).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import itertools
import tempfile
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from boards import access
from minutebook.exports import Echo, spreadsheet_text

CHUNK = 1000
# (heading, width): the heading is what a reader sees over the column.
COLUMNS = [
    ("Line", 8),
    ("Financial year", 10),
    ("Kind", 16),
    ("Description", 50),
    ("Amount (£)", 16),
    ("Recurrence", 11),
    ("Scope", 20),
    ("Whose money", 24),
    ("Direction", 14),
    ("Nature", 16),
    ("As printed", 14),
    ("Printed in table", 30),
    ("Belongs to", 16),
    ("Record", 50),
    ("Record's address", 40),
    ("Collaborated function", 24),
    ("Collaboration area", 24),
    ("Counted in totals", 10),
    ("Part of line", 10),
    ("Same money as line", 10),
    ("Contradiction", 50),
]
HEADINGS = [heading for heading, _width in COLUMNS]
AMOUNT_COLUMN = 4
# The rows of one Excel sheet, less the header row.
MAX_XLSX_LINES = 1_048_575
LINES_SHEET = "Financial lines"
ABOUT_SHEET = "About this export"
# Year filters come first in a file name ("2015-16-cost"), then the kind, then the rest.
_NAME_ORDER = ("year", "kind")


class TooManyLines(Exception):
    """More lines than one sheet holds; the message says how to get them."""


@dataclasses.dataclass
class About:
    """What an export holds: its filters as the reader reads them, whose lines, when, and the
    totals of its counted lines by kind."""

    filters: list[tuple[str, str]]
    order: str
    reader: str
    exported_at: datetime.datetime
    address: str
    totals: list[tuple[str, Decimal]]
    name: str

    @property
    def filter_text(self) -> str:
        if not self.filters:
            return "none: every line the reader may see"
        return "; ".join(f"{label}: {value}" for label, value in self.filters)


def _shown(filterset, name: str, value) -> str:
    """A filter's value as the form shows it: the choice's label, a board's name."""
    field = filterset.form.fields[name]
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, bool):
        return "yes" if value else "no"
    if str(value) in choices and not hasattr(value, "pk"):
        return str(choices[str(value)])
    return str(value)


def _slug(filterset, name: str, value) -> str:
    if isinstance(value, bool):
        return slugify(filterset.filters[name].label or name) if value else ""
    if hasattr(value, "slug"):
        text = value.slug
    elif isinstance(value, int):
        text = f"{name}-{value}"
    else:
        text = str(value).replace("/", "-").replace("_", "-")
    prefix = {"year_from": "from-", "year_to": "to-"}.get(name, "")
    return prefix + slugify(text)


def used_filters(filterset) -> list[tuple[str, object]]:
    """(name, value) of each filter given, in the form's order. No query."""
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    return [
        (name, data[name])
        for name in filterset.filters
        if data.get(name) not in (None, "", False) and name != "sort"
    ]


def filename_stem(filterset) -> str:
    """ "financial-lines-2015-16-cost": the filters given, years first, then the kind, then the
    others in the form's order; a range of one year is written once; "financial-lines-all"
    without filters. No query."""
    used = dict(used_filters(filterset))
    if used.get("year_from") and used.get("year_from") == used.get("year_to"):
        used["year_to"] = None
        used["year_from"] = str(used["year_from"])
        parts_of = {"year_from": slugify(used["year_from"].replace("/", "-"))}
    else:
        parts_of = {}

    def rank(name: str) -> int:
        return next((i for i, start in enumerate(_NAME_ORDER) if name.startswith(start)), 9)

    parts = [
        parts_of.get(name) or _slug(filterset, name, value)
        for name, value in sorted(used.items(), key=lambda item: rank(item[0]))
        if value not in (None, "")
    ]
    return "-".join(["financial-lines", *([p for p in parts if p] or ["all"])])


def reader_scope(user) -> str:
    """Whose lines the reader's export holds, in words. No query beyond the cached
    memberships."""
    if access.reads_all_money(user):
        return (
            "Every line, those of exempt papers, unpublished notices and draft minutes included "
            "(OPCC staff and finance officers): not for publication."
        )
    if access.member_board_ids(user):
        return (
            "Lines of public records, and of the records of the boards the reader is a "
            "member of (exempt ones included): not for publication."
        )
    return (
        "Lines of public records only (papers, published decision notices, approved minutes, "
        "collaboration)."
    )


def describe(request: HttpRequest, filterset, totals) -> About:
    """The About of an export of ``filterset``'s lines whose totals are ``totals``: [(label,
    total)], one per scope and kind (the lines list's, never two scopes added). No query."""
    query = filterset.query()
    return About(
        filters=[
            (str(filterset.filters[name].label or name), _shown(filterset, name, value))
            for name, value in used_filters(filterset)
        ],
        order=_shown(filterset, "sort", filterset.sort_key),
        reader=reader_scope(request.user),
        exported_at=timezone.now(),
        address=request.build_absolute_uri(reverse("finance:lines"))
        + (f"?{query}" if query else ""),
        totals=list(totals),
        name=filename_stem(filterset),
    )


def rows(request: HttpRequest, lines):
    """One list per line, in the order of ``lines``: the id, text cells as stored, the amount
    as Decimal."""
    base = request.build_absolute_uri("/")[:-1]
    lines = lines.with_records()
    for line in lines.iterator(chunk_size=CHUNK):
        yield [
            line.pk,
            line.financial_year,
            line.get_kind_display(),
            line.description,
            line.amount,
            line.get_recurrence_display() if line.recurrence else "",
            line.scope,
            line.scope_label,
            line.get_direction_display(),
            line.get_nature_display(),
            line.as_printed,
            line.source_table,
            line.record_type.label,
            line.record_title,
            base + line.record.get_absolute_url(),
            line.function.name if line.function_id else "",
            line.area.name if line.area_id else "",
            "yes" if line.counted else "no",
            str(line.part_of_id) if line.part_of_id else "",
            str(line.same_as_id) if line.same_as_id else "",
            line.contradiction,
        ]


def _stamp(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment, datetime.UTC):%Y-%m-%d %H:%M} UTC"


def csv_notes(about: About, count: int) -> list[str]:
    """The CSV's leading notes, one cell each, starting "# " (the first says how many rows
    they take, so a reader can skip them: the header row comes next), each on one line (no
    line break inside). Totals are plain decimals."""
    notes = [
        f"Financial lines: {about.filter_text}",
        f"Order: {about.order}",
        f"Exported {_stamp(about.exported_at)} from {about.address}",
        f"Whose lines: {about.reader}",
        f"Lines: {count}. Amounts are exact pounds and pence. A line counted in totals "
        "'no' repeats or is part of another line and is not added up.",
    ]
    if about.totals:
        notes += [f"Total {label}: {total:.2f}" for label, total in about.totals]
    else:
        notes.append("Total: no line of these is counted in totals")
    first = f"Notes: the first {len(notes) + 1} rows; the table's header is row {len(notes) + 2}"
    return [f"# {' '.join(text.split())}" for text in [first, *notes]]


def csv_response(request: HttpRequest, filterset, lines, totals) -> StreamingHttpResponse:
    """The lines as CSV, streamed, after its notes. Runs the count, the totals and the
    lines' query, and writes the first row, before returning (a failure there raises: a 500);
    a failure while streaming raises out of the stream."""
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

    about = describe(request, filterset, totals)
    notes = [writer.writerow([note]) for note in csv_notes(about, lines.count())]
    rest = body()
    first = list(itertools.islice(rest, 1))  # runs the query now: a failure is a 500
    header = writer.writerow(HEADINGS)
    stream = itertools.chain(["\ufeff", *notes, header], first, rest)  # BOM: £ read as UTF-8
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{about.name}.csv"'
    return response


def xlsx_response(request: HttpRequest, filterset, lines, totals) -> FileResponse:
    """The lines as an XLSX workbook, finished before the response is made: "About this
    export" first, then the lines. Raises TooManyLines past MAX_XLSX_LINES, and ValueError
    when XlsxWriter refuses or cuts a cell."""
    about = describe(request, filterset, totals)
    # Outlives this function: the response streams it and closes (so deletes) it.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        _write_workbook(output, request, lines, about)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{about.name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _checked(result: int, row: int, col: int) -> None:
    """XlsxWriter answers a cell it could not write, or wrote cut short, with a negative
    number instead of an error; a sheet missing a figure must not be served."""
    if result < 0:
        raise ValueError(
            f"XLSX: row {row}, column {COLUMNS[col][0]} could not be written (XlsxWriter {result})"
        )


def _write_about(sheet, formats, about: About, count: int) -> None:
    """The first sheet: a title, what the export holds, and a totals row per kind (numbers)."""
    bold, pounds, wrap = formats["bold"], formats["pounds"], formats["wrap"]
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90, wrap)
    sheet.write_string(0, 0, "Financial lines", formats["title"])
    facts = [
        ("Filters", about.filter_text),
        ("Order", about.order),
        ("Whose lines", about.reader),
        ("Exported", _stamp(about.exported_at)),
        ("The same lines on the site", about.address),
        ("Lines", count),
        (
            "Amounts",
            "Exact pounds and pence, as numbers, on the sheet “Financial lines”. A line whose "
            "“Counted in totals” is “no” repeats or is part of another line: it is listed, "
            "never added up.",
        ),
    ]
    row = 2
    for label, value in facts:
        sheet.write_string(row, 0, label, bold)
        if isinstance(value, int):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, value)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Totals of the counted lines", bold)
    sheet.write_string(row, 1, "Amount (£)", bold)
    row += 1
    if not about.totals:
        sheet.write_string(row, 0, "No line of these is counted in totals")
    for label, total in about.totals:
        sheet.write_string(row, 0, f"Total {label}")
        sheet.write_number(row, 1, float(total), pounds)
        row += 1


def _write_workbook(output, request: HttpRequest, lines, about: About) -> None:
    workbook = xlsxwriter.Workbook(
        output,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    # Added first so it opens first; written last, when the lines are counted (each sheet of
    # a constant-memory workbook has its own temporary file).
    about_sheet = workbook.add_worksheet(ABOUT_SHEET)
    sheet = workbook.add_worksheet(LINES_SHEET)
    formats = {
        "bold": workbook.add_format({"bold": True}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "pounds": workbook.add_format({"num_format": "£#,##0.00;-£#,##0.00"}),
    }
    pounds, bold = formats["pounds"], formats["bold"]
    for col, (_name, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width, pounds if col == AMOUNT_COLUMN else None)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, HEADINGS, bold)
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
    _write_about(about_sheet, formats, about, count)
    about_sheet.activate()
    workbook.close()
