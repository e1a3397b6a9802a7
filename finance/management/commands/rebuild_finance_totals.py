"""Recompute the running totals behind /finance/ from the financial lines."""

from django.core.management.base import BaseCommand

from finance.rollup import rebuild


class Command(BaseCommand):
    help = (
        "Recompute the running totals of the financial lines (after raw SQL or bulk writes "
        "that bypass the models). Safe to run at any time."
    )

    def handle(self, *args, **options):
        self.stdout.write("Totalling the financial lines…")
        buckets = rebuild()
        self.stdout.write(self.style.SUCCESS(f"{buckets} running totals written."))
