"""Store every record's search row again: after raw SQL, ``loaddata`` or a bulk load, which
the index's receivers never see (``manage.py seed`` runs it). ``--job`` enqueues the rebuild as
a background job instead (shown with its progress in the admin's jobs list)."""

from django.core.management.base import BaseCommand

from search.index import rebuild
from search.tasks import enqueue_rebuild


class Command(BaseCommand):
    help = "Rebuild the site-wide search index from the records (papers, minutes, agenda items, decision notices, actions)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--job",
            action="store_true",
            help="Enqueue the rebuild as a background job (run by a worker when one is "
            "configured) instead of rebuilding here.",
        )

    def handle(self, *args, **options):
        if options["job"]:
            job = enqueue_rebuild()
            job.refresh_from_db()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Search index rebuild enqueued as job {job.pk} ({job.get_status_display().lower()})."
                )
            )
            return
        self.stdout.write("Indexing the records for search…")
        total = rebuild(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {total} records."))
