"""Who sits on which board, and when."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from minutebook.concurrency import Versioned

from .people import Person


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        """Memberships in force ``on`` a day (today by default): started (or start not
        recorded) and not ended. The one definition of "sits on the board". No query of its own."""
        day = on or datetime.date.today()
        return self.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )


class Membership(Versioned):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        SECRETARY = "secretary", "Secretary"

    board = models.ForeignKey("boards.Board", on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(
        max_length=200, blank=True, help_text="Title as recorded for this membership."
    )
    start = models.DateField(null=True, blank=True, help_text="Blank when not recorded.")
    end = models.DateField(null=True, blank=True, help_text="Blank while the membership continues.")

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["board", "role", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["board", "person", "role", "start"], name="membership_unique_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.board.label})"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The membership cannot end before it starts."})
