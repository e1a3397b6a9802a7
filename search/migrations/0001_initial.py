# The full-text index beside search_searchentry, in each database's own form (see
# search/models.py). Not model fields: Django neither reads nor writes them.
from django.db import migrations, models
import django.db.models.deletion

POSTGRES = [
    """
    ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX search_entry_document_idx ON search_searchentry USING gin (document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_document_idx",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE search_text USING fts5(
        title, text, content='search_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_text(rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_text(search_text, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER search_entry_updated AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_text(search_text, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO search_text(rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    "INSERT INTO search_text(search_text) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_inserted",
    "DROP TRIGGER IF EXISTS search_entry_deleted",
    "DROP TRIGGER IF EXISTS search_entry_updated",
    "DROP TABLE IF EXISTS search_text",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


create_full_text_index = _run({"postgresql": POSTGRES, "sqlite": SQLITE})
drop_full_text_index = _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('boards', '0010_meeting_chair_actions_arising_announced_action_due_precision'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('paper', 'Paper'), ('minute', 'Minute'), ('item', 'Agenda item'), ('notice', 'Decision notice'), ('action', 'Action')], max_length=20)),
                ('object_id', models.BigIntegerField(help_text="The record's key in its own table.")),
                ('date', models.DateField(blank=True, help_text='Blank when not recorded.', null=True)),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('title', models.CharField(max_length=400)),
                ('context', models.CharField(blank=True, help_text='Where the record sits: its meeting, its item.', max_length=400)),
                ('text', models.TextField(blank=True, help_text="The record's words as plain text.")),
                ('url', models.CharField(max_length=500)),
                ('board', models.ForeignKey(blank=True, help_text='The board the record belongs to; blank for a notice taken outside a meeting.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='boards.board')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='search_entry_record_unique')],
            },
        ),
        migrations.RunPython(create_full_text_index, drop_full_text_index),
    ]
