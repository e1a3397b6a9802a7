"""Writing the search index: the rows of some records again, the rows of deleted records out,
or every row again (``rebuild``, for after raw SQL, ``loaddata`` or a bulk load).

The full-text index follows the rows by itself (PostgreSQL's generated column, SQLite's
triggers), so writing the rows is all there is to do.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .documents import BUILDERS, entries
from .models import Kind, SearchEntry

BATCH = 500


def index_records(kind: str, pks: Iterable[int]) -> int:
    """Store the rows of the records ``pks`` of ``kind`` again (records that no longer exist
    lose theirs), in one transaction. Returns the rows written. Costs a DELETE, the records'
    read (``documents.entries``) and an INSERT per 500 rows."""
    pks = sorted(set(pks))
    if not pks:
        return 0
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=pks).delete()
        rows = list(entries(kind, pks))
        SearchEntry.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def remove_records(kind: str, pks: Iterable[int]) -> None:
    """Take the rows of the records ``pks`` of ``kind`` out. One DELETE."""
    SearchEntry.objects.filter(kind=kind, object_id__in=list(pks)).delete()


def rebuild(stdout=None, using: str = DEFAULT_DB_ALIAS) -> int:
    """Every row of the database ``using`` again, kind by kind, in one transaction; on SQLite
    the FTS5 table is rebuilt from the rows too, on PostgreSQL the table analysed. Writes a
    line per kind to ``stdout`` (and one per 5,000 rows). Returns the rows written."""
    total = 0
    rows = SearchEntry.objects.using(using)
    with transaction.atomic(using=using):
        rows.all().delete()
        for kind in BUILDERS:
            batch: list[SearchEntry] = []
            written = 0
            for row in entries(kind, using=using):
                batch.append(row)
                if len(batch) >= BATCH:
                    rows.bulk_create(batch)
                    written += len(batch)
                    batch = []
                    if stdout is not None and written % 5000 == 0:
                        stdout.write(f"  {Kind(kind).label.lower()}s: {written}…")
            rows.bulk_create(batch)
            written += len(batch)
            total += written
            if stdout is not None:
                stdout.write(f"  {Kind(kind).label.lower()}s: {written} indexed")
        connection = connections[using]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO search_text(search_text) VALUES ('rebuild')")
            else:
                # Fresh statistics of the words: without them the planner takes a common word
                # for a rare one and reads every match (seconds, at the benchmark's volume).
                cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
    return total
