"""``manage.py sweep_imports [--days 14] [--dry-run]``: remove imported originals left waiting.

An original uploaded to "Import a paper" (or ``import_paper --job``) waits in the private
storage until its draft is saved; one whose review nobody finished would wait for ever. This
removes each waiting upload (and the draft read from it) last written more than ``--days``
days ago that no queued or running job is reading or saving, printing each name. Run it daily
from cron on one host."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from documents.services import waiting_storage
from documents.tasks import abandoned_uploads


class Command(BaseCommand):
    help = "Remove imported originals whose review was left unfinished for --days days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=14, help="Age in days of the uploads to remove (14)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed; remove nothing."
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 1:
            raise CommandError(f"--days must be 1 or more; got {days}.")
        found = abandoned_uploads(datetime.timedelta(days=days))
        storage = waiting_storage()
        for name in found:
            if not dry_run:
                storage.delete(name)
            self.stdout.write(("Would remove " if dry_run else "Removed ") + name)
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{len(found)} waiting file(s) older than {days} days {verb}.")
