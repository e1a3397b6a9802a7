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

from django.core.cache import cache
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from boards.access import reader_class
from finance import summary
from finance.filters import FinancialLineFilter
from finance.models import FinancialLine
from finance.models import totals as stored
from finance.models.kinds import column_label
from finance.models.totals import visible_totals
from minutebook.changes import records_token
from minutebook.filtering import apply_filters
from minutebook.pagination import COUNT_CACHE_SECONDS


def filtered_lines(request):
    """(filterset, lines, status): the reader's lines, filtered; a bad filter gives none and 400.
    Queries: the filter's choices (boards, the years' span)."""
    return apply_filters(
        FinancialLineFilter, request, FinancialLine.objects.visible_to(request.user)
    )


def index_context(request) -> tuple[dict, int]:
    """The totals grid for the reader and filters. Queries: the filter's choices, the grid
    (none while the grid of the reader's class and these filters is in the cache, where it
    stays until any record changes: the records token, as the lines list's totals). The grid
    is kept written out (``finance/_grid.html``; "" when no line matches): at the benchmark's
    volume it has thousands of cells, and reading back the text is what makes the cache pay."""
    filterset, _lines, status = filtered_lines(request)
    grid_html = ""
    if status == 200:
        digest = hashlib.sha256(filterset.query().encode()).hexdigest()[:24]
        key = f"minutebook:totals-grid:{reader_class(request.user)}:{digest}:{records_token()}"
        grid_html = cache.get(key)
        if grid_html is None:
            grid = summary.totals_grid(filterset, visible_totals(request.user))
            grid_html = (
                render_to_string("finance/_grid.html", {"grid": grid}) if grid.scopes else ""
            )
            cache.set(key, grid_html, COUNT_CACHE_SECONDS)
    return {
        "filter": filterset,
        "grid_html": mark_safe(grid_html),
        "query": filterset.query(),
    }, status


def record_money(user, build) -> dict:
    """The context of a record's money section: ``money``, built by ``build()`` (the record's
    lines, read and summarised: ``summary.for_page``) only when first used, and
    ``money_cache``, the key the page keeps the section's HTML in the cache under (with the
    record's type and id) until any record changes: the reader's class and the records token.
    So a page whose section is cached reads none of its lines; its PDF builds them. One cache
    read (the token)."""
    return {
        "money": SimpleLazyObject(build),
        "money_cache": f"{reader_class(user)}:{records_token()}",
    }


@dataclass
class LineTotals:
    """The totals of the lines a filter selects, one per scope and column (never two scopes,
    directions or natures added), and where they come from: the stored totals, or, for one
    record's or one line's lines (which no stored total holds), one aggregate of the lines."""

    rows: list[tuple[str, Decimal]]  # ("Cost, Cambridgeshire", total)
    source: str


def line_totals(request, filterset, lines, cache_key: str = "") -> LineTotals:
    """The totals of ``lines`` (``filterset``'s, as the reader may see them). One query: the
    stored totals narrowed by the same filters (by column or by bucket: ``totals_for``), summed
    per scope and column, or the lines' own aggregate (``by_kind``); none while ``cache_key``
    (the reader's class and the filters) finds them in the cache, where they stay until any
    record changes (the records token)."""
    key = f"minutebook:line-totals:{cache_key}:{records_token()}" if cache_key else ""
    found = cache.get(key) if key else None
    if found is not None:
        return found
    totals = filterset.totals_for(request.user)
    if totals.query.is_empty():
        sums, source = lines.sums_by_bucket(), "added up from these lines"
    else:
        stored_sums = (
            totals.filter(lines__gt=0)
            .order_by()
            .values_list("scope", "kind", "direction", "nature")
            .annotate(total=Sum("total"))
        )
        sums = sorted(stored_sums, key=lambda row: stored.bucket_order(*row[:4]))
        source = "from the stored totals"
    rows = [
        (f"{column_label(kind, direction, nature)}, {stored.scope_label(scope)}", total)
        for scope, kind, direction, nature, total in sums
    ]
    found = LineTotals(rows, source)
    if key:
        cache.set(key, found, COUNT_CACHE_SECONDS)
    return found


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
    totals = line_totals(request, filterset, lines, count_key) if status == 200 else None
    lines = filterset.ordered(lines.with_records())
    context = {
        "filter": filterset,
        "query": query,
        "totals_query": filterset.query(sort=None),  # /finance/ has no order to keep
        "totals": totals,
        "sort_headings": sort_headings(filterset),
    }
    return context, lines, count_key, status
