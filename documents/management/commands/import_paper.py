"""``manage.py import_paper FILE [--board SLUG] [--meeting YYYY-MM-DD]``: import a Word, PDF or
text paper as a draft paper and print its admin address."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from boards.models import Board, Meeting
from documents.importing import ImportRefused
from documents.services import import_paper


class Command(BaseCommand):
    help = "Import a paper (.docx, .pdf or plain text) as a draft paper; prints its admin address."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--board", help="The board's slug (needed when there are several).")
        parser.add_argument("--meeting", help="The meeting's date, YYYY-MM-DD.")

    def handle(self, *args, file: Path, board: str | None, meeting: str | None, **options):
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
        try:
            paper = import_paper(file.read_bytes(), board=found, meeting=at, name=file.name)
        except ImportRefused as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(reverse("admin:boards_paper_change", args=[paper.pk]))
