"""The finance pages and their CSV/XLSX exports."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from finance import exports
from minutebook.filtering import bad_filter_response
from minutebook.pagination import paginate

from ..page_cache import cached_page
from ..pages.finance import filtered_lines, index_context, line_totals, lines_context


@cached_page
def index(request: HttpRequest) -> HttpResponse:
    """Totals by financial year (rows) and kind (columns), each linking down to its lines."""
    context, status = index_context(request)
    return render(request, "finance/index.html", context, status=status)


@cached_page
def line_list(request: HttpRequest) -> HttpResponse:
    """The lines themselves, paginated, each linking up to its record."""
    context, lines, count_key, status = lines_context(request)
    context["page"] = paginate(request, lines, count_key=count_key)
    return render(request, "finance/line_list.html", context, status=status)


def lines_csv(request: HttpRequest) -> HttpResponse:
    """The list's lines for the same filters as CSV, after notes saying what it holds."""
    filterset, lines, status = filtered_lines(request)
    if status != 200:
        return bad_filter_response(filterset)
    totals = line_totals(request, filterset, lines)
    return exports.csv_response(request, filterset, filterset.ordered(lines), totals.rows)


def lines_xlsx(request: HttpRequest) -> HttpResponse:
    """The workbook, or a plain-text 400 when the filters select more lines than a sheet holds."""
    filterset, lines, status = filtered_lines(request)
    if status != 200:
        return bad_filter_response(filterset)
    totals = line_totals(request, filterset, lines)
    try:
        return exports.xlsx_response(request, filterset, filterset.ordered(lines), totals.rows)
    except exports.TooManyLines as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
