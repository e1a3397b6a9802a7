"""The finance pages: totals by financial year and kind, and the lines behind them.

Everything starts from ``FinancialLine.objects.visible_to(user)`` and the stored totals the
reader may see, narrowed by one ``FinancialLineFilter``, so a line of a record the reader may
not see is never listed, counted, totalled or exported, and every link of the grid selects
exactly the lines its figure adds up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from boards.access import reader_class
from finance import summary
from finance.filters import FinancialLineFilter
from finance.models import FinancialLine
from finance.models import totals as stored
from finance.models.kinds import column_label
from finance.models.totals import visible_totals
from minutebook.filtering import apply_filters


def filtered_lines(request):
    """(filterset, lines, status): the reader's lines, filtered; a bad filter gives none and 400.
    Queries: the filter's choices (boards, the years' span)."""
    return apply_filters(
        FinancialLineFilter, request, FinancialLine.objects.visible_to(request.user)
    )


def index_context(request) -> tuple[dict, int]:
    """The totals grid for the reader and filters. Queries: the filter's choices, the grid."""
    filterset, _lines, status = filtered_lines(request)
    grid = summary.totals_grid(filterset, visible_totals(request.user)) if status == 200 else None
    return {"filter": filterset, "grid": grid, "query": filterset.query()}, status


@dataclass
class LineTotals:
    """The totals of the lines a filter selects, one per scope and column (never two scopes,
    directions or natures added), and where they come from: the stored totals, or, for one
    record's or one line's lines (which no stored total holds), one aggregate of the lines."""

    rows: list[tuple[str, Decimal]]  # ("Cost, Cambridgeshire", total)
    source: str


def line_totals(request, filterset, lines) -> LineTotals:
    """The totals of ``lines`` (``filterset``'s, as the reader may see them). One query: the
    stored totals narrowed by the same filters, or the lines' own aggregate (``by_kind``)."""
    if filterset.filter_totals(visible_totals(request.user)).query.is_empty():
        rows = []
        for bucket, _label, total in lines.by_kind():
            scope, *column = bucket.rsplit("|", 3)  # "scope|kind|direction|nature"
            rows.append((f"{column_label(*column)}, {stored.scope_label(scope)}", total))
        return LineTotals(rows, "added up from these lines")
    grid = summary.totals_grid(filterset, visible_totals(request.user))
    rows = [
        (f"{column.label}, {scope.label}", total["total"])
        for scope in grid.scopes
        for column, total in zip(scope.columns, scope.column_totals, strict=True)
    ]
    return LineTotals(rows, "from the stored totals")


#: The lines list's sortable columns: (heading, ?sort= key).
SORTABLE = {"Description": "description", "Year": "year", "Kind": "kind", "Amount": "amount"}
RECORD_HEADING = ("Belongs to", "record")


def sort_headings(filterset) -> dict[str, dict]:
    """{heading: {"href", "aria_sort", "next"}} for the sortable columns: each links to the
    list sorted by it (the other way round when it is the sort in force), page 1, the filters
    kept. No query."""
    current = filterset.sort_key
    found = {}
    for heading, key in [*SORTABLE.items(), RECORD_HEADING]:
        if current == key:
            aria, target, next_way = "ascending", f"-{key}", "descending"
        elif current == f"-{key}":
            aria, target, next_way = "descending", key, "ascending"
        else:
            aria, target, next_way = "none", key, "ascending"
        found[heading] = {
            "href": "?" + filterset.query(sort=target, page=None),
            "aria_sort": aria,
            "next": next_way,
        }
    return found


def lines_context(request) -> tuple[dict, object, str, int]:
    """(context, lines in the sort's order, count cache key, status) of the lines list.
    Queries: the filter's choices; the totals (``line_totals``) when the filters are good."""
    filterset, lines, status = filtered_lines(request)
    query = filterset.query()
    digest = hashlib.sha256(filterset.query(sort=None).encode()).hexdigest()[:24]
    count_key = f"finance-lines:{reader_class(request.user)}:{digest}"
    totals = line_totals(request, filterset, lines) if status == 200 else None
    lines = filterset.ordered(lines.with_records())
    context = {
        "filter": filterset,
        "query": query,
        "totals_query": filterset.query(sort=None),  # /finance/ has no order to keep
        "totals": totals,
        "sort_headings": sort_headings(filterset),
    }
    return context, lines, count_key, status
