"""Re-stamp the financial lines and recompute the stored totals behind /finance/."""

from django.core.management.base import BaseCommand

from finance.models import FinancialLine


class Command(BaseCommand):
    help = (
        "Re-stamp every financial line from its record and recompute the stored totals (after "
        "raw SQL or loaddata, which bypass the models). Safe to run at any time."
    )

    def handle(self, *args, **options):
        self.stdout.write("Stamping and totalling the financial lines…")
        buckets = FinancialLine.objects.rebuild_totals()
        self.stdout.write(self.style.SUCCESS(f"{buckets} stored totals written."))
