"""The site-wide search page's context: the reader's results, facets and page."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.utils.http import urlencode

from minutebook.pagination import paginate
from search.models import Kind
from search.query import parse
from search.results import Bucket, Search

FACETS = (("kind", "Kind of record"), ("board", "Board"), ("year", "Year"))


def _link(params: QueryDict, name: str, value: str | None) -> str:
    """The page's address with ``name`` set to ``value`` (taken out when None), from page 1."""
    kept = {k: params.get(k) for k in ("q", "kind", "board", "year") if params.get(k)}
    if value is None:
        kept.pop(name, None)
    else:
        kept[name] = value
    return "?" + urlencode(kept)


def _facet(params: QueryDict, name: str, label: str, buckets: list[Bucket]) -> dict:
    chosen = params.get(name, "")
    return {
        "name": name,
        "label": label,
        "remove": _link(params, name, None) if chosen else "",
        "buckets": [
            {
                "label": b.label,
                "count": b.count,
                "chosen": bool(b.value) and b.value == chosen,
                "link": _link(params, name, b.value) if b.value else "",
            }
            for b in buckets
        ],
    }


def search_context(request: HttpRequest, data: dict) -> dict:
    """The words searched (``data``: the search filter's cleaned values), the page of results
    with their snippets, and the facets, each bucket a link that filters.

    Queries, for words to look for: the window of matching rows (``search.results``: one, and
    one more for each filter chosen), the boards of the board facet, the page's rows with their
    snippets and boards. None for no words. Plus the
    reader's (cached) membership and permissions, and the board filter's board when one is chosen.
    """
    words = data.get("q") or ""
    query = parse(words)
    board = data.get("board")
    filters = {"kind": data.get("kind") or "", "board": board, "year": data.get("year")}
    context = {"words": words, "searched": bool(query), "filtered": any(filters.values())}
    if not query:
        return context
    search = Search(request.user, query, **filters)
    facets = [
        _facet(request.GET, "kind", FACETS[0][1], search.kinds()),
        _facet(request.GET, "board", FACETS[1][1], search.boards()),
        _facet(request.GET, "year", FACETS[2][1], search.years()),
    ]
    page = paginate(request, search.ranked_keys())
    context.update(
        {
            "facets": facets,
            "page": page,
            "more": search.more,
            "window": search.window_size,
            "results": search.rows(list(page.object_list)),
            "chosen": _chosen(request.GET, filters),
        }
    )
    return context


def _chosen(params: QueryDict, filters: dict) -> list[dict]:
    """The filters in force, each named and with the link that takes it off. No query."""
    values = {
        "kind": Kind(filters["kind"]).label if filters["kind"] else "",
        "board": filters["board"].name if filters["board"] else "",
        "year": str(filters["year"] or ""),
    }
    return [
        {"label": label, "value": values[name], "remove": _link(params, name, None)}
        for name, label in FACETS
        if values[name]
    ]
