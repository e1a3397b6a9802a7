"""Store every record's search row again: after raw SQL, ``loaddata`` or a bulk load, which
the index's receivers never see (``manage.py seed`` runs it)."""

from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the site-wide search index from the records (papers, minutes, agenda items, decision notices, actions)."

    def handle(self, *args, **options):
        self.stdout.write("Indexing the records for search…")
        total = rebuild(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {total} records."))
