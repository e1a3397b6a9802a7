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
from finance.models.lines import seen_by
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


def reader_filters_key(user, query: str) -> str:
    """A cache key of what a reader of ``user``'s class sees under the filters ``query``: two
    readers of one class see the same lines (``reader_class``). No query beyond the reader's
    cached permissions and memberships."""
    return f"{reader_class(user)}:{hashlib.sha256(query.encode()).hexdigest()[:24]}"


def index_context(request) -> tuple[dict, int]:
    """The totals grid for the reader and filters, and where the documents disagree. Queries:
    the filter's choices, the grid, the disagreements (none while the grid and the
    disagreements of the reader's class and these filters are in the cache, where they stay
    until any record changes: the records token, as the lines list's totals). The grid is kept
    written out (``finance/_grid.html``; "" when no line matches): at the benchmark's volume it
    has thousands of cells, and reading back the text is what makes the cache pay."""
    filterset, lines, status = filtered_lines(request)
    query = filterset.query()
    context = {"filter": filterset, "grid_html": "", "query": query}
    if status == 200:
        key = reader_filters_key(request.user, query)
        grid_key = f"minutebook:totals-grid:{key}:{records_token()}"
        grid_html = cache.get(grid_key)
        if grid_html is None:
            grid = summary.totals_grid(filterset, visible_totals(request.user))
            grid_html = (
                render_to_string("finance/_grid.html", {"grid": grid}) if grid.scopes else ""
            )
            cache.set(grid_key, grid_html, COUNT_CACHE_SECONDS)
        context["grid_html"] = mark_safe(grid_html)
        context["disagreements"] = disagreements(request.user, lines, key)
    return context, status


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


#: Disagreements /finance/ lists before linking to the lines.
DISAGREEMENTS_SHOWN = 50


@dataclass
class Disagreement:
    """A line whose document contradicts itself or another (``contradiction``), or that reports
    the same money as another line the reader may see with a different amount."""

    line: FinancialLine
    other: FinancialLine | None  # the line of the same money, when seen and different

    @property
    def difference(self) -> Decimal | None:
        return None if self.other is None else abs(self.line.amount - self.other.amount)


def disagreements(user, lines, cache_key: str) -> dict:
    """{"found": [Disagreement], "more": bool} of ``lines`` (the reader's, filtered): every
    line carrying a contradiction, and every line reporting the same money as a line the
    reader may see with another amount, in the order entered (``line_disagreement_idx``'s, so
    the read stops at the first ``DISAGREEMENTS_SHOWN``). One query; none while
    ``cache_key`` (the reader's class and the filters) finds them in the cache, where they
    stay until any record changes (the records token)."""
    key = f"minutebook:disagreements:{cache_key}:{records_token()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    sees = seen_by(user)
    rows = list(
        lines.disagreements(user)
        .with_records(same_as=True)
        .order_by("pk")[: DISAGREEMENTS_SHOWN + 1]
    )
    found: list[Disagreement] = []
    for line in rows[:DISAGREEMENTS_SHOWN]:
        other = line.same_as if line.same_as_id else None
        if other is not None and (
            other.amount == line.amount
            or not sees(other.visible_to_public, other.entitled_board_id)
        ):
            other = None
        found.append(Disagreement(line, other))
    result = {"found": found, "more": len(rows) > DISAGREEMENTS_SHOWN}
    cache.set(key, result, COUNT_CACHE_SECONDS)
    return result


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
    count_key = f"finance-lines:{reader_filters_key(request.user, filterset.query(sort=None))}"
    totals = line_totals(request, filterset, lines, count_key) if status == 200 else None
    lines = filterset.ordered(lines.with_records().with_same_money(request.user))
    context = {
        "filter": filterset,
        "query": query,
        "totals_query": filterset.query(sort=None),  # /finance/ has no order to keep
        "totals": totals,
        "sort_headings": sort_headings(filterset),
    }
    return context, lines, count_key, status
