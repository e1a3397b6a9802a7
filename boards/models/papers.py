from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import pre_delete
from django.urls import reverse
from simple_history.models import HistoricalRecords

from minutebook.concurrency import Versioned
from minutebook.records import (
    LockedRecordError,
    RecordQuerySet,
    RenderedText,
    VisibilityTracked,
    describe,
    rendered_html_field,
)

from .. import access
from .boards import Board
from .meetings import AgendaItem, Meeting


class PaperQuerySet(RecordQuerySet):
    def visible_to(self, user) -> "PaperQuerySet":
        """Published public papers of public boards; drafts, exempt papers and private boards'
        papers only for readers entitled to that board. No query of its own."""
        entitled = access.entitled_q(user, "board_id")
        return self.filter(
            (Q(board__is_public=True) | entitled)
            & (Q(status=Paper.Status.PUBLISHED, access=Paper.Access.PUBLIC) | entitled)
        )

    def withheld_from_public(self) -> "PaperQuerySet":
        """Published exempt papers of public boards: those the public would read but for the
        exemption. Their addresses ask a reader who is not signed in to sign in, where any
        other hidden paper's answers 404 (its existence is not told). No query of its own."""
        return self.filter(
            board__is_public=True, status=Paper.Status.PUBLISHED, access=Paper.Access.EXEMPT
        )


class Paper(RenderedText, VisibilityTracked, Versioned):
    """An agenda paper (report) as the board received it."""

    class Access(models.TextChoices):
        PUBLIC = "public", "Public"
        EXEMPT = "exempt", "Exempt"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, related_name="papers", help_text="The board it goes to."
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="papers",
        help_text="The meeting it went to.",
    )
    title = models.CharField(max_length=300)
    to_line = models.CharField(
        max_length=200,
        blank=True,
        help_text='The "To" line as printed, when it differs from the board.',
    )
    author_line = models.CharField(
        max_length=300,
        blank=True,
        help_text='The "From" line as printed, e.g. "Chief Executive and Chief Constable".',
    )
    date = models.DateField(null=True, blank=True, help_text="The date printed on the paper.")
    agenda_reference = models.CharField(
        max_length=40, blank=True, help_text='The agenda item reference as printed, e.g. "6".'
    )
    purpose = models.TextField(blank=True)
    purpose_html = rendered_html_field()
    body = models.TextField(
        blank=True, help_text="Markup: headings, numbered paragraphs, lists, tables."
    )
    body_html = rendered_html_field()
    source_documents = models.TextField(blank=True)
    source_documents_html = rendered_html_field()
    contact_officers = models.TextField(blank=True)
    contact_officers_html = rendered_html_field()
    appendices = models.TextField(blank=True)
    appendices_html = rendered_html_field()
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.PUBLIC)
    exemption_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    history = HistoricalRecords(
        excluded_fields=[
            "purpose_html",
            "body_html",
            "source_documents_html",
            "contact_officers_html",
            "appendices_html",
        ]
    )
    objects = PaperQuerySet.as_manager()
    # What PaperQuerySet.visible_to (and the rules of the records below a paper) read.
    visibility_fields = ("board", "status", "access")
    rendered_fields = ("purpose", "body", "source_documents", "contact_officers", "appendices")

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(access="public") | ~Q(exemption_reason=""),
                name="paper_exempt_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["board", "date"], name="paper_board_date_idx"),
            # The lists' order (newest first) and the visibility rule's columns.
            models.Index(fields=["-date", "-id"], name="paper_date_id_idx"),
            models.Index(fields=["status", "access", "board"], name="paper_visibility_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("papers:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.access == self.Access.EXEMPT and not self.exemption_reason.strip():
            errors["exemption_reason"] = "Give the reason this paper is exempt."
        if self.meeting_id and self.board_id and self.meeting.board_id != self.board_id:
            errors["meeting"] = "The meeting must be one of the board the paper goes to."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.render_text_fields()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Refused, naming them, when locked records point at the paper: its ``pre_delete``
        guards are asked first, before Django's PROTECT rules (a recommendation's line) could
        refuse it without saying why."""
        pre_delete.send(sender=type(self), instance=self, using=kwargs.get("using"), origin=self)
        return super().delete(*args, **kwargs)


def refuse_deleting_paper(sender, instance, **kwargs) -> None:
    """A paper on the agenda of approved minutes is never deleted (its items would lose it
    without a trace): refused with the items named. Also the ``pre_delete`` receiver for
    ``Paper`` (``BoardsConfig.ready``), so a queryset delete is refused too. One query, and
    one to name the items."""
    items = AgendaItem.objects.filter(paper=instance).locked().select_related("meeting__board")
    if items.exists():
        where = [f"{item} ({item.meeting})" for item in items.order_by("meeting__date", "position")]
        raise LockedRecordError(
            f"“{instance}” cannot be deleted: it is on the agenda of approved minutes, at "
            f"{describe(where)}."
        )
