"""Re-render the stored HTML of every record's markup, after the markup rules change."""

from django.core.management.base import BaseCommand
from django.db import transaction

from minutebook.records import rerender_all


class Command(BaseCommand):
    help = "Re-render stored HTML for all record text (run after upgrading Minutebook's markup)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rerender_all(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {count} records."))
