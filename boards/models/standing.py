"""A board's standing items: the agenda template its meetings start from."""

from django.db import models
from django.db.models import Max, Q
from simple_history.models import HistoricalRecords

from minutebook.concurrency import Versioned

from .boards import Board
from .people import Person


class StandingItem(Versioned):
    """An item that comes back on every agenda of its board ("Apologies", "Minutes of the
    last meeting", "Actions arising"), entered inline on the board's admin screen and copied
    onto a meeting's agenda by ``boards.agenda.copy_standing_items``. A template, not a
    record: nothing printed is kept here, so it is never locked."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="standing_items")
    position = models.PositiveIntegerField(
        blank=True, help_text="Order on the agenda. Left blank, the item goes last."
    )
    number = models.CharField(max_length=20, blank=True, help_text='As printed, e.g. "1".')
    title = models.CharField(max_length=300)
    presenter = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standing_items_presented",
        help_text="Who usually presents it; blank when it varies.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "position"], name="standing_item_position_unique"
            ),
            models.UniqueConstraint(
                fields=["board", "number"],
                condition=~Q(number=""),
                name="standing_item_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def save(self, *args, **kwargs) -> None:
        """A blank position goes last: one query for the board's highest."""
        if self.position is None:
            last = StandingItem.objects.filter(board_id=self.board_id).aggregate(m=Max("position"))[
                "m"
            ]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)
