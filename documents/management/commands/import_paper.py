"""``manage.py import_paper FILE [--board SLUG] [--meeting YYYY-MM-DD] [--job]``: import a Word,
PDF or text paper as a draft paper and print its admin address. ``--job`` stores the file and
enqueues the import as a background job instead, printing the job's admin address (the job
names the paper it made in the jobs list)."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from boards.models import Board, Meeting
from documents.importing import ImportRefused
from documents.services import import_paper, waiting_storage
from documents.tasks import enqueue_import


class Command(BaseCommand):
    help = "Import a paper (.docx, .pdf or plain text) as a draft paper; prints its admin address."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--board", help="The board's slug (needed when there are several).")
        parser.add_argument("--meeting", help="The meeting's date, YYYY-MM-DD.")
        parser.add_argument(
            "--job",
            action="store_true",
            help="Enqueue the import as a background job (run by a worker when one is "
            "configured) and print the job's admin address, instead of importing here.",
        )

    def handle(
        self, *args, file: Path, board: str | None, meeting: str | None, job: bool, **options
    ):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if board:
            found = Board.objects.filter(slug=board).first()
            if found is None:
                known = ", ".join(Board.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"No board “{board}”. Boards: {known or 'none'}.")
        else:
            boards = list(Board.objects.order_by("slug")[:2])
            if len(boards) != 1:
                raise CommandError("Give the board with --board SLUG.")
            found = boards[0]
        at = None
        if meeting:
            try:
                day = datetime.date.fromisoformat(meeting)
            except ValueError as exc:
                raise CommandError(f"--meeting: “{meeting}” is not a date (YYYY-MM-DD).") from exc
            at = Meeting.objects.filter(board=found, date=day).first()
            if at is None:
                raise CommandError(f"{found} has no meeting on {day:%-d %B %Y}.")
        if job:
            stored = waiting_storage().save(
                f"imports/{uuid.uuid4().hex}/{file.name}", ContentFile(file.read_bytes())
            )
            queued = enqueue_import(
                stored, board_id=found.pk, meeting_id=at.pk if at else None, name=file.name
            )
            self.stdout.write(reverse("admin:jobs_job_change", args=[queued.pk]))
            return
        try:
            paper = import_paper(file.read_bytes(), board=found, meeting=at, name=file.name)
        except ImportRefused as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(reverse("admin:boards_paper_change", args=[paper.pk]))
