"""The full-text index of each database, asked in SQL: whether a row matches a query, how well,
and the snippet of its text around the words found.

- PostgreSQL: ``document @@ websearch_to_tsquery('english', …)``, ``ts_rank``, ``ts_headline``.
- SQLite: the FTS5 table ``search_text`` (porter tokenizer) ``MATCH`` the query written by
  ``Query.fts5()``, ``bm25()`` (title ten times the weight of the text), ``snippet()``.

Either way what reaches the database is built by ``search.query`` from words only, passed as
a parameter. Snippets come back with the words found between the markers ``\\x02`` and
``\\x03`` (characters no stored text holds), and ``highlighted`` escapes the snippet before it
turns the markers into ``<mark>``: no markup from a record's text gets through.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import BooleanField, FloatField, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import Query

TABLE = '"search_searchentry"'
HEADLINE_OPTIONS = (
    'StartSel="\x02", StopSel="\x03", MaxWords=30, MinWords=12, MaxFragments=2, '
    'FragmentDelimiter=" … "'
)


def _postgres(query: Query) -> tuple[Q, RawSQL, RawSQL]:
    q = query.websearch()
    tsquery = "websearch_to_tsquery('english', %s)"
    matches = Q(pk__in=RawSQL(f"SELECT id FROM {TABLE} WHERE document @@ {tsquery}", [q]))
    rank = RawSQL(f"ts_rank({TABLE}.document, {tsquery})", [q], output_field=FloatField())
    snippet = RawSQL(
        f"ts_headline('english', {TABLE}.text, {tsquery}, %s)",
        [q, HEADLINE_OPTIONS],
        output_field=TextField(),
    )
    return matches, rank, snippet


def _sqlite(query: Query) -> tuple[Q, RawSQL, RawSQL]:
    q = query.fts5()
    matches = Q(pk__in=RawSQL("SELECT rowid FROM search_text WHERE search_text MATCH %s", [q]))
    # bm25 is smaller for a better match: negated, so that larger is better on both databases.
    rank = RawSQL(
        "(SELECT -bm25(search_text, 10.0, 1.0) FROM search_text"
        f" WHERE search_text MATCH %s AND rowid = {TABLE}.id)",
        [q],
        output_field=FloatField(),
    )
    snippet = RawSQL(
        "(SELECT snippet(search_text, 1, char(2), char(3), ' … ', 32) FROM search_text"
        f" WHERE search_text MATCH %s AND rowid = {TABLE}.id)",
        [q],
        output_field=TextField(),
    )
    return matches, rank, snippet


def expressions(query: Query) -> tuple[Q, RawSQL, RawSQL]:
    """(matches, rank, snippet) for ``query`` on the default database: a condition on the
    rows' keys (a subquery of the full-text index, so it holds inside another query too), and
    two annotations of a top-level query of the rows (larger ranks are better matches)."""
    if connection.vendor == "postgresql":
        return _postgres(query)
    return _sqlite(query)


def matches_here(query: Query) -> Q | RawSQL:
    """Whether a row matches ``query``, as a condition of a top-level query of the rows only
    (it names the table, which a subquery renames). On PostgreSQL the row's own ``document @@``
    test, so the planner may read the rows most recent first and test each, stopping at a
    LIMIT, or read the GIN index for a rare word; on SQLite the same as ``expressions``. No
    query."""
    if connection.vendor == "postgresql":
        return RawSQL(
            f"{TABLE}.document @@ websearch_to_tsquery('english', %s)",
            [query.websearch()],
            output_field=BooleanField(),
        )
    return _sqlite(query)[0]


def before(date, pk: int) -> RawSQL:
    """Rows after (``date``, ``pk``) in the order newest first: ``(date, id) < (date, pk)``, a
    row comparison an index of ``date DESC, id DESC`` answers by where it starts reading. Dated
    rows only (NULL compares as unknown). No query."""
    return RawSQL(f"({TABLE}.date, {TABLE}.id) < (%s, %s)", [date, pk], output_field=BooleanField())


#: A phrase matching at least this many rows is read newest first, not through the GIN index.
COMMON_PHRASE = 5000


@contextmanager
def newest_first(query: Query, matching: QuerySet):
    """Within this block, reading ``matching`` newest first goes down the rows' index of dates
    when ``query`` has a phrase that ``matching`` (the rows matching it, unordered) holds at
    least ``COMMON_PHRASE`` times; otherwise nothing changes. PostgreSQL judges a phrase's
    matches by its words' and often finds a tenth of them: it then reads every match through
    the GIN index and sorts them (half a second for "restorative justice" at 1,000,000
    minutes) instead of testing the newest rows until a batch is full (20 ms). Costs a count of
    up to ``COMMON_PHRASE`` rows, for a phrase on PostgreSQL only; the setting lasts until
    the block's transaction ends."""
    if connection.vendor != "postgresql" or not any(t.is_phrase for t in query.terms):
        yield
        return
    with transaction.atomic():
        if matching.order_by()[:COMMON_PHRASE].count() >= COMMON_PHRASE:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_bitmapscan = off")
        yield


def highlighted(snippet: str | None) -> SafeString:
    """The snippet escaped, then the words found marked with ``<mark>``. No query."""
    text = escape(snippet or "")
    opened = text.count("\x02")
    if opened != text.count("\x03"):  # never expected; then no highlight rather than bad HTML
        return mark_safe(text.replace("\x02", "").replace("\x03", ""))  # noqa: S308 - escaped
    return mark_safe(text.replace("\x02", "<mark>").replace("\x03", "</mark>"))  # noqa: S308
