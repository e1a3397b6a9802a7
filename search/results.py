"""One search as a reader asks it: the rows they may see that match, narrowed by kind, board
and year, ranked; the facets' counts; a page of rows with their snippets.

Every row counted, listed or quoted goes through ``SearchEntry.objects.visible_to(user)``, so
a record the reader may not see is never listed, counted or quoted.

**The window.** A search reads its matching rows most recent first, with what the facets need
(kind, board, year, date, rank), in batches of ``BATCH``; each batch's records are checked
against their own model's ``visible_to`` (one query per kind in the batch), and the rows the
reader may see are kept until the window holds ``WINDOW`` of them and one more, or the matches
run out (never fewer: a window that stopped early would say "more" because of rows the reader
may not see). Ranking, paging and every facet count are then worked out
from the window in Python. Where the reader has more matches than the window holds (a common
word: "police" matches most minutes), the window is the most recent ``WINDOW``, the page says
"more than 500 results" and ranks and counts those; a row the reader may not see never takes
a place in it, nor is counted. Counting and ranking every match of a common word, or testing
every match's visibility in SQL, took seconds at the benchmark's volume (bench/README.md). A
facet whose count leaves out its own filter ("Kind" counted as if no kind were chosen) reads
the window of its own filters: a window more for each chosen filter.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef

from boards.models import Board

from . import backends
from .models import Kind, SearchEntry, visible_records
from .query import Query

#: The most matches one search ranks and counts (the most recent); beyond it the page says
#: "more than".
WINDOW = 500
#: Matching rows read at a time while filling a window. There is no cap on the rows read: a
#: window that stopped early would say "more" because of rows the reader may not see.
BATCH = 750


@dataclass(frozen=True)
class Bucket:
    """One value of a facet: the parameter's value (blank when it cannot be chosen), the
    label, and how many of the reader's matching rows it holds."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Hit:
    """One matching row as the window holds it."""

    pk: int
    kind: str
    board_id: int | None
    year: int | None
    date: object
    rank: float


@dataclass(frozen=True)
class Window:
    """The reader's matching rows for one set of filters, most recent first, at most
    ``WINDOW``; ``more`` says the reader has more matches than it holds."""

    hits: tuple[Hit, ...]
    more: bool


class Search:
    """A query with its filters for one reader. Building it costs nothing; each method says
    what it costs (the windows are read once each and kept)."""

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
        _, self._rank, self._snippet = backends.expressions(query)
        self._windows: dict[tuple, Window] = {}

    def _board_shown(self) -> Exists:
        """Whether the reader may see a row's board: a published notice of a private board's
        meeting is public, its board is not (it names neither board nor meeting)."""
        return Exists(Board.objects.visible_to(self.user).filter(pk=OuterRef("board_id")))

    def _filters(self, without: str) -> dict:
        return {
            "kind": self.kind if without != "kind" else "",
            "board": self.board if without != "board" else None,
            "year": self.year if without != "year" else None,
        }

    def window(self, *, without: str = "") -> Window:
        """The matching rows for every filter but ``without``, most recent first (undated
        last), at most ``WINDOW``. The first time for each set of filters: a query per batch
        read (one for most searches) and one per kind of record in the batch."""
        f = self._filters(without)
        key = (f["kind"], f["board"].pk if f["board"] is not None else None, f["year"])
        if key not in self._windows:
            self._windows[key] = self._read_window(f)
        return self._windows[key]

    def _read_window(self, f: dict) -> Window:
        rows = SearchEntry.objects.filter(backends.matches_here(self.query))
        if f["kind"]:
            rows = rows.filter(kind=f["kind"])
        if f["board"] is not None:
            rows = rows.filter(board=f["board"])
        if f["year"] is not None:
            # The year's dates (``year`` is the date's): the rows most recent first from the
            # year's end, not every later row read to reach it.
            first = datetime.date(f["year"], 1, 1)
            rows = rows.filter(date__gte=first, date__lt=first.replace(year=f["year"] + 1))
        rows = rows.annotate(rank=self._rank).values_list(
            "pk", "kind", "object_id", "board_id", "year", "date", "rank"
        )
        hits: list[Hit] = []
        with backends.newest_first(self.query, rows):
            for batch in self._batches(rows):
                hits += self._visible(batch)
                if len(hits) > WINDOW:
                    return Window(tuple(hits[:WINDOW]), True)
        return Window(tuple(hits), False)

    @staticmethod
    def _batches(rows):
        """``rows`` in batches of ``BATCH``, newest first, undated last: one query a batch. A
        batch after the first starts after the last row read (a row comparison the index
        answers; an OFFSET the planner may answer by reading every match), among the dated
        rows while the last was dated, then among the undated ones."""
        batch = list(rows.order_by(F("date").desc(nulls_last=True), "-pk")[:BATCH])
        yield batch
        if len(batch) < BATCH:
            return
        last_date, last_pk = batch[-1][5], batch[-1][0]
        if last_date is not None:
            # The order of the index (NULLS LAST, though none is left), or it is not read.
            dated = rows.filter(date__isnull=False).order_by(
                F("date").desc(nulls_last=True), "-pk"
            )
            while True:
                batch = list(dated.filter(backends.before(last_date, last_pk))[:BATCH])
                yield batch
                if len(batch) < BATCH:
                    break
                last_date, last_pk = batch[-1][5], batch[-1][0]
            last_pk = None
        undated = rows.filter(date__isnull=True).order_by("-pk")
        while True:
            page = undated if last_pk is None else undated.filter(pk__lt=last_pk)
            batch = list(page[:BATCH])
            yield batch
            if len(batch) < BATCH:
                return
            last_pk = batch[-1][0]

    def _visible(self, batch: list[tuple]) -> list[Hit]:
        """The rows of ``batch`` whose records the reader may see, in order. A query per kind."""
        keys: dict[str, list[int]] = {}
        for row in batch:
            keys.setdefault(row[1], []).append(row[2])
        seen = {kind: visible_records(self.user, kind, ids) for kind, ids in keys.items()}
        return [
            Hit(pk, kind, board_id, year, date, rank)
            for pk, kind, object_id, board_id, year, date, rank in batch
            if object_id in seen[kind]
        ]

    @property
    def window_size(self) -> int:
        """How many matches a window holds at most. No query."""
        return WINDOW

    @property
    def more(self) -> bool:
        """Whether the reader has more matches than the results' window holds. The window's query."""
        return self.window().more

    def ranked_keys(self) -> list[int]:
        """The keys of the matching rows in the window, best first and, among equals, the most
        recent first (undated last). The window's query."""
        hits = self.window().hits  # most recent first: a stable sort keeps that among equals
        return [hit.pk for hit in sorted(hits, key=lambda hit: -(hit.rank or 0.0))]

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
        with the board and year filters, in their window. Its window's query, if not read."""
        counts = Counter(hit.kind for hit in self.window(without="kind").hits)
        return [Bucket(k.value, k.label, counts[k.value]) for k in Kind if counts.get(k.value)]

    def boards(self) -> list[Bucket]:
        """Each board with its count, most first, counted with the kind and year filters in
        their window; rows of no board (a notice taken outside a meeting) or of a board the
        reader may not see as "No board", which cannot be chosen. One query for the boards,
        and the window's if not read."""
        counts = Counter(hit.board_id for hit in self.window(without="board").hits)
        shown = {
            pk: (slug, name)
            for pk, slug, name in Board.objects.visible_to(self.user)
            .filter(pk__in=[pk for pk in counts if pk is not None])
            .values_list("pk", "slug", "name")
        }
        merged: dict[tuple[str, str], int] = {}
        for board_id, n in counts.items():
            key = shown.get(board_id, ("", "No board"))
            merged[key] = merged.get(key, 0) + n
        buckets = [Bucket(slug, name, n) for (slug, name), n in merged.items()]
        return sorted(buckets, key=lambda b: (not b.value, -b.count, b.label))

    def years(self) -> list[Bucket]:
        """Each year with its count, latest first, counted with the kind and board filters in
        their window; undated rows last as "Date not recorded", which cannot be chosen. Its
        window's query, if not read."""
        counts = Counter(hit.year for hit in self.window(without="year").hits)
        buckets = [
            Bucket(str(year) if year else "", str(year) if year else "Date not recorded", n)
            for year, n in counts.items()
        ]
        return sorted(buckets, key=lambda b: (not b.value, -int(b.value or 0)))
