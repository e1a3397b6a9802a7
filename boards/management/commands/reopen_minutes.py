"""Reopen approved minutes with a recorded reason: ``manage.py reopen_minutes BCB 2015-11-26 --reason "..."``."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from boards.models import Meeting
from boards.services import reopen_minutes


class Command(BaseCommand):
    help = "Reopen a meeting's approved minutes for correction; the reason is kept in its history."

    def add_arguments(self, parser):
        parser.add_argument("board", help="The board's slug or short name, e.g. BCB")
        parser.add_argument("date", help="The meeting date, YYYY-MM-DD")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--user", help="Username recorded as reopening them")

    def handle(self, *args, board, date, reason, user=None, **options):
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError as exc:
            raise CommandError(f"date: {date!r} is not a date written YYYY-MM-DD") from exc
        meeting = (
            Meeting.objects.filter(date=day, board__slug=board).first()
            or Meeting.objects.filter(date=day, board__short_name__iexact=board).first()
        )
        if meeting is None:
            raise CommandError(f"No meeting of {board} on {day}.")
        who = None
        if user:
            who = get_user_model().objects.filter(username=user).first()
            if who is None:
                raise CommandError(f"user: no login named {user!r}")
        try:
            reopen_minutes(meeting=meeting, reason=reason, user=who)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Reopened the minutes of {meeting}: {reason}"))
