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

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, TextField
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


#: About how many of the index's most recent rows a search reads first, on PostgreSQL.
RECENT_ROWS = 30_000


def recent_floor():
    """The date from which the index's most recent ``RECENT_ROWS`` or so rows are dated, from
    the statistics ``ANALYZE`` keeps of the dates (``pg_stats``: dates in steps of equally
    many rows, a hundred by default, and the table's row count); None on SQLite, for a table
    too small to gain by it, or without statistics. One query on PostgreSQL (of the
    catalogue: under a millisecond), none on SQLite.

    A search for a phrase first reads its matches dated from this floor, then the older ones,
    then the undated (``search.results``): PostgreSQL takes a phrase for about a tenth as
    common as it is (it judges it by its words) and so reads every match through the GIN
    index and sorts them (130 ms for "restorative justice", 19,000 of 314,000 rows at 200,000
    minutes); asked for the newest matches among the recent rows, it intersects the GIN
    index's matches with the dates' index and reads only the recent ones (28 ms). Which rows
    are read, and in which order, is the same."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.histogram_bounds::text::date[], c.reltuples FROM pg_stats s"
            " JOIN pg_class c ON c.relname = s.tablename"
            " AND c.relnamespace = to_regnamespace(s.schemaname)"
            " WHERE s.schemaname = current_schema() AND s.tablename = 'search_searchentry'"
            " AND s.attname = 'date'"
        )
        found = cursor.fetchone()
    if not found or not found[0] or not found[1] or found[1] < 2 * RECENT_ROWS:
        return None
    bounds, rows = found
    steps = len(bounds) - 1  # each holds about 1/steps of the dated rows (common dates aside)
    back = max(1, round(steps * RECENT_ROWS / rows))
    return bounds[-1 - back] if back < steps else None


def highlighted(snippet: str | None) -> SafeString:
    """The snippet escaped, then the words found marked with ``<mark>``. No query."""
    text = escape(snippet or "")
    opened = text.count("\x02")
    if opened != text.count("\x03"):  # never expected; then no highlight rather than bad HTML
        return mark_safe(text.replace("\x02", "").replace("\x03", ""))  # noqa: S308 - escaped
    return mark_safe(text.replace("\x02", "<mark>").replace("\x03", "</mark>"))  # noqa: S308
