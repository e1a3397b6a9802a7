"""The finance pages: totals by financial year and kind, the lines, and their CSV/XLSX exports.

Everything starts from ``FinancialLine.objects.visible_to(user)``, so a line of a paper, notice
or recommendation the reader may not see is never listed, counted, totalled or exported.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from minutebook.access import reader_class
from minutebook.filtering import apply_filters
from minutebook.pagination import paginate

from . import exports, rollup
from .filters import FinancialLineFilter
from .models import FinancialLine

FILTER_NAMES = ("board", "kind", "year_from", "year_to", "record_type")


def filtered_lines(request: HttpRequest):
    """(filterset, lines, status): the reader's lines, filtered; a bad filter gives none and 400."""
    return apply_filters(
        FinancialLineFilter, request, FinancialLine.objects.visible_to(request.user)
    )


def _query(request: HttpRequest, **overrides) -> str:
    params = {name: request.GET.get(name, "") for name in FILTER_NAMES}
    params.update(overrides)
    return urlencode({k: v for k, v in params.items() if v})


def _cache_part(request: HttpRequest, **extra) -> str:
    """The part of a cache key that says who reads and which lines: reader class and filters."""
    filters = _query(request, **extra)
    return f"{reader_class(request.user)}:{hashlib.sha256(filters.encode()).hexdigest()[:24]}"


def _totals(request: HttpRequest, filterset) -> list[dict]:
    """Rows of (year, kind, total, count) for the reader and filters, summed from the running
    totals (``finance.rollup``) rather than from the lines: a few hundred rows, not a million.
    The filters mean here what ``FinancialLineFilter`` means on the lines."""
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    totals = rollup.visible_totals(request.user).filter(lines__gt=0)
    if data.get("board"):
        totals = totals.filter(board_id=data["board"].pk)
    if data.get("kind"):
        totals = totals.filter(kind=data["kind"])
    if data.get("year_from"):
        totals = totals.filter(financial_year__gte=data["year_from"])
    if data.get("year_to"):
        totals = totals.filter(financial_year__lte=data["year_to"]).exclude(financial_year="")
    if data.get("record_type"):
        totals = totals.filter(record_type=data["record_type"])
    return list(
        totals.order_by()
        .values("financial_year", "kind")
        .annotate(total=Sum("total"), lines=Sum("lines"))
    )


def index(request: HttpRequest) -> HttpResponse:
    """Totals by financial year (rows) and kind (columns), each linking down to its lines."""
    filterset, _lines, status = filtered_lines(request)
    rows = _totals(request, filterset) if status == 200 else []
    kinds_present = {row["kind"] for row in rows}
    kinds = [(k, label) for k, label in FinancialLine.Kind.choices if k in kinds_present]
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        cells[row["financial_year"]][row["kind"]] = row
    years = sorted(y for y in cells if y)
    if "" in cells:
        years.append("")  # lines with no year recorded come last
    table = []
    for year in years:
        row_cells = []
        for kind, _label in kinds:
            cell = cells[year].get(kind)
            if cell:
                overrides = {"kind": kind}
                if year:
                    overrides.update(year_from=year, year_to=year)
                cell = {
                    **cell,
                    "url": reverse("finance:lines") + "?" + _query(request, **overrides),
                }
                if not year:
                    cell["url"] += "&no_year=1"
            row_cells.append(cell)
        table.append({"year": year, "cells": row_cells})
    kind_totals = []
    for kind, label in kinds:
        present = [cells[y][kind] for y in years if kind in cells[y]]
        kind_totals.append(
            {
                "kind": kind,
                "label": label,
                "total": sum((c["total"] for c in present), Decimal(0)),
                "lines": sum(c["lines"] for c in present),
                "url": reverse("finance:lines") + "?" + _query(request, kind=kind),
            }
        )
    return render(
        request,
        "finance/index.html",
        {
            "filter": filterset,
            "kinds": kinds,
            "table": table,
            "kind_totals": kind_totals,
            "line_count": sum(row["lines"] for row in rows),
            "query": _query(request),
        },
        status=status,
    )


def line_list(request: HttpRequest) -> HttpResponse:
    """The lines themselves, paginated, each linking up to its record."""
    filterset, lines, status = filtered_lines(request)
    if request.GET.get("no_year") == "1":
        lines = lines.filter(financial_year="")
    line = request.GET.get("line", "")
    if line.isdigit():  # one line's own address (FinancialLine.get_absolute_url)
        lines = lines.filter(pk=int(line))
    lines = exports.with_records(lines).order_by("financial_year", "kind", "position", "pk")
    count_key = "finance-lines:" + _cache_part(
        request, no_year=request.GET.get("no_year", ""), line=line
    )
    return render(
        request,
        "finance/line_list.html",
        {
            "filter": filterset,
            "page": paginate(request, lines, count_key=count_key),
            "query": _query(request),
        },
        status=status,
    )


def _bad_filter(filterset) -> HttpResponse:
    return HttpResponse(
        "Bad filter: "
        + "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def lines_csv(request: HttpRequest) -> HttpResponse:
    filterset, lines, status = filtered_lines(request)
    if status != 200:
        return _bad_filter(filterset)
    return exports.csv_response(request, lines)


def lines_xlsx(request: HttpRequest) -> HttpResponse:
    filterset, lines, status = filtered_lines(request)
    if status != 200:
        return _bad_filter(filterset)
    return exports.xlsx_response(request, lines)
