from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from minutebook import access

from .base import RenderedText, rendered_html_field
from .people import Person


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BoardQuerySet":
        """Public boards, plus private ones the reader sits on (staff: all). No query of its own."""
        return self.filter(Q(is_public=True) | access.entitled_q(user, "id"))


class Board(RenderedText, models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in the board's web address."
    )
    short_name = models.CharField(max_length=20, blank=True, help_text='As printed, e.g. "BCB".')
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_groups",
        help_text="The board a sub-group reports to.",
    )
    description = models.TextField(blank=True, help_text="Terms of reference (markup).")
    description_html = rendered_html_field()
    default_location = models.CharField(max_length=200, blank=True)
    is_public = models.BooleanField(
        default=True, help_text="Public boards' published records are visible to everyone."
    )

    history = HistoricalRecords(excluded_fields=["description_html"])
    rendered_fields = ("description",)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": "A board cannot report to itself or its own sub-group."}
                )
            ancestor = ancestor.parent

    def save(self, *args, **kwargs) -> None:
        self.render_text_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("boards:detail", kwargs={"board": self.slug})

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"
        SECRETARY = "secretary", "Secretary"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(
        max_length=200, blank=True, help_text="Title as recorded for this membership."
    )
    start = models.DateField(null=True, blank=True, help_text="Blank when not recorded.")
    end = models.DateField(null=True, blank=True, help_text="Blank while the membership continues.")

    history = HistoricalRecords()

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
