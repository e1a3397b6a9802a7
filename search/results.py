"""One search as a reader asks it: the rows they may see that match, narrowed by kind, board
and year, ranked; the facets' counts; a page of rows with their snippets.

Every row counted, listed or quoted goes through ``SearchEntry.objects.visible_to(user)``, so
a record the reader may not see is never listed, counted or quoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, QuerySet

from boards.models import Board

from . import backends
from .models import Kind, SearchEntry
from .query import Query


@dataclass(frozen=True)
class Bucket:
    """One value of a facet: the parameter's value (blank when it cannot be chosen), the
    label, and how many of the reader's matching rows it holds."""

    value: str
    label: str
    count: int


class Search:
    """A query with its filters for one reader. Building it costs nothing; each method says
    what it costs."""

    def __init__(
        self,
        user,
        query: Query,
        *,
        kind: str = "",
        board: Board | None = None,
        year: int | None = None,
    ) -> None:
        self.user = user
        self.query = query
        self.kind = kind
        self.board = board
        self.year = year
        self._matches, self._rank, self._snippet = backends.expressions(query)

    def _board_shown(self) -> Exists:
        """Whether the reader may see a row's board: a published notice of a private board's
        meeting is public, its board is not (it names neither board nor meeting)."""
        return Exists(Board.objects.visible_to(self.user).filter(pk=OuterRef("board_id")))

    def matching(self, *, without: str = "") -> QuerySet:
        """The reader's rows matching the query and every filter but ``without``. No query."""
        rows = SearchEntry.objects.visible_to(self.user).filter(self._matches)
        if self.kind and without != "kind":
            rows = rows.filter(kind=self.kind)
        if self.board is not None and without != "board":
            rows = rows.filter(board=self.board)
        if self.year is not None and without != "year":
            rows = rows.filter(year=self.year)
        return rows

    def ranked_keys(self) -> QuerySet:
        """The keys of the matching rows, best first and, among equals, the most recent first
        (undated last). No query until read: a page of it is one query, its count another."""
        return (
            self.matching()
            .annotate(rank=self._rank)
            .order_by(F("rank").desc(), F("date").desc(nulls_last=True), "-pk")
            .values_list("pk", flat=True)
        )

    def rows(self, keys: Sequence[int]) -> list[SearchEntry]:
        """The rows ``keys`` in that order, each with its board and ``snippet`` (escaped, the
        words found marked). One query."""
        found = {
            row.pk: row
            for row in SearchEntry.objects.filter(pk__in=list(keys))
            .select_related("board")
            .annotate(snippet_text=self._snippet, board_shown=self._board_shown())
        }
        rows = [found[key] for key in keys if key in found]
        for row in rows:
            row.snippet = backends.highlighted(row.snippet_text)
            if not row.board_shown:
                row.board = None  # named to the reader as no board
        return rows

    def kinds(self) -> list[Bucket]:
        """Each kind with its count (kinds with none left out), in ``Kind``'s order, counted
        with the board and year filters. One query."""
        counts = dict(
            self.matching(without="kind").order_by().values_list("kind").annotate(n=Count("pk"))
        )
        return [Bucket(k.value, k.label, counts[k.value]) for k in Kind if counts.get(k.value)]

    def boards(self) -> list[Bucket]:
        """Each board with its count, most first, counted with the kind and year filters; rows
        of no board (a notice taken outside a meeting) as "No board", which cannot be chosen.
        One query."""
        counts = (
            self.matching(without="board")
            .annotate(board_shown=self._board_shown())
            .order_by()
            .values_list("board__slug", "board__name", "board_shown")
            .annotate(n=Count("pk"))
        )
        merged: dict[tuple[str, str], int] = {}
        for slug, name, shown, n in counts:
            key = (slug, name) if shown and slug else ("", "No board")
            merged[key] = merged.get(key, 0) + n
        buckets = [Bucket(slug, name, n) for (slug, name), n in merged.items()]
        return sorted(buckets, key=lambda b: (not b.value, -b.count, b.label))

    def years(self) -> list[Bucket]:
        """Each year with its count, latest first, counted with the kind and board filters;
        undated rows last as "Date not recorded", which cannot be chosen. One query."""
        counts = (
            self.matching(without="year").order_by().values_list("year").annotate(n=Count("pk"))
        )
        buckets = [
            Bucket(str(year) if year else "", str(year) if year else "Date not recorded", n)
            for year, n in counts
        ]
        return sorted(buckets, key=lambda b: (not b.value, -int(b.value or 0)))
