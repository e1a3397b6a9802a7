"""Indexes of the search rows most recent first, undated last: the order a search reads its
matches in (search/results.py), for all rows, and within a kind and within a board (the
facets' filters; a year is a range of dates). SQLite sorts NULL below every date, so its DESC
index already puts undated rows last (and it accepts no NULLS LAST in an index); PostgreSQL
says so."""

from django.db import migrations

INDEXES = {
    "search_entry_recent_idx": "",
    "search_entry_kind_recent_idx": "kind, ",
    "search_entry_board_recent_idx": "board_id, ",
}
ORDER = {"postgresql": "date DESC NULLS LAST, id DESC", "sqlite": "date DESC, id DESC"}


def create(apps, schema_editor):
    order = ORDER.get(schema_editor.connection.vendor)
    if order:
        for name, first in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON search_searchentry ({first}{order})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ORDER:
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
