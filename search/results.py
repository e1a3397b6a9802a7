"""One search as a reader asks it: the rows they may see that match, narrowed by kind, board
and year, ranked; the facets' counts; a page of rows with their snippets.

Every row counted, listed or quoted goes through ``SearchEntry.objects.visible_to(user)``, so
a record the reader may not see is never listed, counted or quoted.

**The window.** A search reads its matching rows most recent first, with what the facets need
(kind, board, year, date, rank), ``BATCH`` at first, then as many as the window still needs
at the share of rows the reader has kept (``_Tally``); each batch's records are checked
against their own model's ``visible_to`` (one query per kind in the batch), and the rows the
reader may see are kept until the window holds ``WINDOW`` of them and one more, or the matches
run out (never fewer: a window that stopped early would say "more" because of rows the reader
may not see). A phrase's matches are read from the recent rows first, then the older, then
the undated (``backends.recent_floor``): the same rows in the same order, read through both
indexes. Ranking, paging and every facet count are then worked out
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
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F

from boards.models import Board

from . import backends
from .models import Kind, SearchEntry, visible_records
from .query import Query

#: The most matches one search ranks and counts (the most recent); beyond it the page says
#: "more than".
WINDOW = 500
#: Matching rows read at a time while filling a window (the first batch, and the most of any
#: later one). There is no cap on the rows read: a window that stopped early would say "more"
#: because of rows the reader may not see. (900, which fills the public's window in one batch
#: more often, measured the same: the larger first batch cost what the second saved.)
BATCH = 750
#: The fewest rows a batch after the first reads.
MIN_BATCH = 50


@dataclass
class _Tally:
    """What a window's reading has read so far: matching rows read, and kept (the reader's)."""

    read: int = 0
    kept: int = 0

    def next_size(self) -> int:
        """How many rows to read next: ``BATCH`` at first; then what the window still needs
        at the share of rows kept so far, with half again as margin, at least ``MIN_BATCH``
        and at most ``BATCH``. A window the public sees two thirds of then takes a second
        batch of a few dozen rows, not another ``BATCH`` (down the dates' index the rows read
        cost in proportion). No query."""
        if not self.read:
            return BATCH
        share = max(self.kept, 1) / self.read
        return max(MIN_BATCH, min(BATCH, math.ceil((WINDOW + 1 - self.kept) / share * 1.5)))


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
        self._shown: dict[int, tuple[str, str]] | None = None

    def _boards_shown(self) -> dict[int, tuple[str, str]]:
        """The boards the reader may see, by key, with their slug and name, read once for the
        search: the board facet names them and a result names its board only if it is among
        them (a published notice of a private board's meeting is public, its board is not).
        One query the first time (every board the reader may see: a few dozen)."""
        if self._shown is None:
            self._shown = {
                pk: (slug, name)
                for pk, slug, name in Board.objects.visible_to(self.user).values_list(
                    "pk", "slug", "name"
                )
            }
        return self._shown

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
        # For a phrase (see backends.recent_floor); not for a word, whose matches PostgreSQL
        # judges well (for a rare one the recent rows would be a query more, and reading the
        # dates' index for them 7 ms), nor within a board or a year, a small part of the
        # recent rows.
        phrase = any(term.is_phrase for term in self.query.terms)
        floor = self._floor() if phrase and f["board"] is None and f["year"] is None else None
        if floor is None:
            spans = [(rows, True)]
        else:  # the recent rows, the older, the undated (each condition one the index answers)
            spans = [
                (rows.filter(date__gte=floor), False),
                (rows.filter(date__lt=floor), False),
                (rows.filter(date__isnull=True), True),
            ]
        hits: list[Hit] = []
        tally = _Tally()
        read: list[tuple] = []  # rows read whose visibility is not asked yet
        for span, undated in spans:
            for batch, last in self._batches(span, tally.next_size, undated=undated):
                read += batch
                if last:  # the span's (or its dated rows') last: asked with what comes next
                    continue
                hits += self._visible(read)
                tally.read, tally.kept, read = tally.read + len(read), len(hits), []
                if len(hits) > WINDOW:
                    return Window(tuple(hits[:WINDOW]), True)
        hits += self._visible(read)
        return Window(tuple(hits[:WINDOW]), len(hits) > WINDOW)

    def _floor(self):
        """``backends.recent_floor()``, asked once for the search."""
        if not hasattr(self, "_recent_floor"):
            self._recent_floor = backends.recent_floor()
        return self._recent_floor

    @staticmethod
    def _batches(rows, size, *, undated: bool = True):
        """``rows`` newest first, undated last, in batches of ``size()`` rows (asked before
        each batch), each with whether it was the last of the rows (or of the dated ones):
        shorter than asked. One query a batch. A batch after the first starts after the last
        row read (a row comparison the index answers; an OFFSET the planner may answer by
        reading every match), among the dated rows while the last was dated, then among the
        undated ones (not asked for when ``undated`` is false: ``rows`` holds none)."""
        limit = size()
        batch = list(rows.order_by(F("date").desc(nulls_last=True), "-pk")[:limit])
        yield batch, len(batch) < limit
        if len(batch) < limit:
            return
        last_date, last_pk = batch[-1][5], batch[-1][0]
        if last_date is not None:
            # The order of the index (NULLS LAST, though none is left), or it is not read.
            dated = rows.filter(date__isnull=False).order_by(F("date").desc(nulls_last=True), "-pk")
            while True:
                limit = size()
                batch = list(dated.filter(backends.before(last_date, last_pk))[:limit])
                yield batch, len(batch) < limit
                if len(batch) < limit:
                    break
                last_date, last_pk = batch[-1][5], batch[-1][0]
            last_pk = None
        if not undated:
            return
        undated_rows = rows.filter(date__isnull=True).order_by("-pk")
        while True:
            limit = size()
            page = undated_rows if last_pk is None else undated_rows.filter(pk__lt=last_pk)
            batch = list(page[:limit])
            yield batch, len(batch) < limit
            if len(batch) < limit:
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
        """The rows ``keys`` in that order, each with its board (None where the reader may not
        see it) and ``snippet`` (escaped, the words found marked). One query, and the boards
        the reader may see if not read yet; none for no keys."""
        if not keys:
            return []
        found = {
            row.pk: row
            for row in SearchEntry.objects.filter(pk__in=list(keys))
            .select_related("board")
            .annotate(snippet_text=self._snippet)
        }
        shown = self._boards_shown()
        rows = [found[key] for key in keys if key in found]
        for row in rows:
            row.snippet = backends.highlighted(row.snippet_text)
            if row.board_id not in shown:
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
        reader may not see as "No board", which cannot be chosen. The boards the reader may
        see and the window, each a query if not read yet."""
        counts = Counter(hit.board_id for hit in self.window(without="board").hits)
        if not counts:
            return []
        shown = self._boards_shown()
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
