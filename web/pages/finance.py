"""The finance pages: totals by financial year and kind, and the lines behind them.

Everything starts from ``FinancialLine.objects.visible_to(user)`` and the stored totals the
reader may see, narrowed by one ``FinancialLineFilter``, so a line of a record the reader may
not see is never listed, counted, totalled or exported, and every link of the grid selects
exactly the lines its figure adds up.
"""

from __future__ import annotations

import hashlib

from boards.access import reader_class
from finance import summary
from finance.filters import FinancialLineFilter
from finance.models import FinancialLine
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


def lines_context(request) -> tuple[dict, object, str, int]:
    """(context, lines in list order, count cache key, status) of the lines list."""
    filterset, lines, status = filtered_lines(request)
    query = filterset.query()
    digest = hashlib.sha256(query.encode()).hexdigest()[:24]
    count_key = f"finance-lines:{reader_class(request.user)}:{digest}"
    lines = lines.with_records().order_by("financial_year", "kind", "position", "pk")
    return {"filter": filterset, "query": query}, lines, count_key, status
