"""Load the seed records (fixtures/seed/*.yaml) into an empty database.

Run twice, it changes nothing: when any board already exists it says so and stops, so a
database that staff have started using is never overwritten.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from boards.models import Board
from finance.models import FinancialLine
from minutebook.records import rerender_all
from search.index import rebuild as rebuild_search_index

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"


class Command(BaseCommand):
    help = "Load the seed records into an empty database (safe to run twice)."

    def handle(self, *args, **options):
        if Board.objects.exists():
            self.stdout.write(
                "Seed records not loaded: the database already has boards. Nothing changed."
            )
            return
        files = sorted(str(p) for p in SEED_DIR.glob("*.yaml"))
        if not files:
            self.stderr.write(f"No seed files found in {SEED_DIR}.")
            return
        with transaction.atomic():
            self.stdout.write(f"Loading {len(files)} seed files…")
            call_command("loaddata", *files, verbosity=1, stdout=self.stdout)
            self.stdout.write("Rendering record text…")
            rerender_all(self.stdout)
            buckets = FinancialLine.objects.rebuild_totals()
            self.stdout.write(f"Totalling the money: {buckets} stored totals.")
            self.stdout.write("Indexing the records for search…")
            indexed = rebuild_search_index(self.stdout)
            self.stdout.write(f"Search index: {indexed} records.")
        self.stdout.write(self.style.SUCCESS("Seed records loaded."))
