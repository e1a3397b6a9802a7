from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from minutebook.records import RecordQuerySet, RenderedText, VisibilityTracked, rendered_html_field

from .. import access


class BoardQuerySet(RecordQuerySet):
    def visible_to(self, user) -> "BoardQuerySet":
        """Public boards, plus private ones the reader sits on (staff: all). No query of its own."""
        return self.filter(Q(is_public=True) | access.entitled_q(user, "id"))


class Board(RenderedText, VisibilityTracked):
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
    # What BoardQuerySet.visible_to (and the rules of the records below a board) read.
    visibility_fields = ("is_public",)

    objects = BoardQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["name"]
        # The site's reading roles (boards.access); the groups that hold them are set up by
        # the commands and migrations that create the groups.
        permissions = [
            ("read_restricted", "Can read drafts, exempt records and private boards on the site"),
            ("read_all_money", "Can read every financial line and total on the site"),
        ]

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
