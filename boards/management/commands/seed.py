"""Load the seed records (fixtures/seed/*.yaml) into an empty database.

Run twice, it changes nothing: when any board already exists it says so and stops, so a
database that staff have started using is never overwritten.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"


def rerender_all(stdout=None) -> int:
    """Render stored markup for every record whose model keeps rendered HTML. Returns rows updated.

    ``loaddata`` saves raw rows and skips ``save()``, so fixtures arrive without their HTML.
    """
    updated = 0
    for model in apps.get_models():
        fields = getattr(model, "rendered_fields", ())
        if not fields:
            continue
        html_fields = [f"{name}_html" for name in fields]
        batch = []
        for obj in model._default_manager.all().iterator(chunk_size=500):
            obj.render_text_fields()
            batch.append(obj)
            if len(batch) >= 500:
                model._default_manager.bulk_update(batch, html_fields)
                updated += len(batch)
                batch = []
        if batch:
            model._default_manager.bulk_update(batch, html_fields)
            updated += len(batch)
        if stdout is not None:
            stdout.write(f"  rendered {model._meta.verbose_name_plural}")
    from minutebook.changes import records_changed

    records_changed()  # bulk_update sends no signals
    return updated


class Command(BaseCommand):
    help = "Load the seed records into an empty database (safe to run twice)."

    def handle(self, *args, **options):
        from boards.models import Board

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
            from finance.rollup import rebuild

            self.stdout.write(f"Totalling the money: {rebuild()} running totals.")
        self.stdout.write(self.style.SUCCESS("Seed records loaded."))
