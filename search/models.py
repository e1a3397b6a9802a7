"""The search index: one stored row per searchable record.

A row holds what the results page shows without reading the record (title, where it sits,
date, link) and the plain text that is searched. Who may see the row is never stored: it is
asked of the record's own ``visible_to`` at every search (``SearchEntryQuerySet.visible_to``),
so a record hidden by any change (a paper made draft, minutes reopened, a board made private)
is out of the results, the counts and the snippets on the next request.

The full-text index beside the table is the database's own, created by migration
``0001_initial`` (``search/backends.py`` reads it):
- PostgreSQL: a stored, generated ``document tsvector`` column (English configuration, the
  title weighted A and the text B) with a GIN index;
- SQLite: an FTS5 table ``search_text`` (porter tokenizer) with this table as its external
  content, kept in step by triggers on this table.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q

from boards.models import Action, AgendaItem, Board, MinuteParagraph, Paper
from decisions.models import DecisionNotice
from documents.models import Attachment


class Kind(models.TextChoices):
    """The kinds of record searched, in the order the facets list them."""

    PAPER = "paper", "Paper"
    MINUTE = "minute", "Minute"
    ITEM = "item", "Agenda item"
    NOTICE = "notice", "Decision notice"
    ACTION = "action", "Action"
    ATTACHMENT = "attachment", "Exempt attachment"


#: The record model behind each kind; its ``visible_to`` decides who sees the kind's rows.
MODELS: dict[str, type[models.Model]] = {
    Kind.PAPER: Paper,
    Kind.MINUTE: MinuteParagraph,
    Kind.ITEM: AgendaItem,
    Kind.NOTICE: DecisionNotice,
    Kind.ACTION: Action,
    Kind.ATTACHMENT: Attachment,
}


#: The most keys of minutes asked of their ``visible_to`` in one query. Asked for more,
#: PostgreSQL judges a scan of every agenda item cheaper than looking up each minute's item and
#: meeting (15 ms against 2.5 ms for 600 minutes at the benchmark's 60,000 items), so a longer
#: list is asked in parts. The other kinds' rules join smaller tables: one query each.
MINUTE_KEYS = 250


def visible_records(user, kind: str, object_ids) -> set[int]:
    """The keys among ``object_ids`` of records of ``kind`` that ``user`` may see, by the
    model's own ``visible_to``. One query (none for no keys; for minutes one per
    ``MINUTE_KEYS``), unordered (the models' own orderings sort what a set does not need)."""
    object_ids = list(object_ids)
    visible = MODELS[kind].objects.visible_to(user).order_by()
    part = MINUTE_KEYS if kind == Kind.MINUTE else max(len(object_ids), 1)
    seen: set[int] = set()
    for start in range(0, len(object_ids), part):
        keys = object_ids[start : start + part]
        seen.update(visible.filter(pk__in=keys).values_list("pk", flat=True))
    return seen


class SearchEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> SearchEntryQuerySet:
        """The rows whose record ``user`` may see: for each kind, the record is in its model's
        ``visible_to(user)`` (an EXISTS on the record's key, so the rule is the model's own,
        exactly). No query of its own (the membership query of a signed-in reader, once)."""
        rule = Q(pk__in=[])
        for kind, model in MODELS.items():
            visible = model.objects.visible_to(user).filter(pk=OuterRef("object_id"))
            rule |= Q(kind=kind) & Q(Exists(visible.order_by().values("pk")))
        return self.filter(rule)


class SearchEntry(models.Model):
    """One searchable record: a paper (with its recommendations), a minute paragraph, an agenda
    item, a decision notice or an action. Written only by ``search.index``."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField(help_text="The record's key in its own table.")
    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The board the record belongs to; blank for a notice taken outside a meeting.",
    )
    date = models.DateField(null=True, blank=True, help_text="Blank when not recorded.")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=400)
    context = models.CharField(
        max_length=400, blank=True, help_text="Where the record sits: its meeting, its item."
    )
    text = models.TextField(blank=True, help_text="The record's words as plain text.")
    url = models.CharField(max_length=500)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_entry_record_unique"
            ),
        ]
        # Also indexes of the rows most recent first, undated last (``date DESC NULLS LAST,
        # id DESC``), of all rows, by kind and by board, made by migration 0002 in each
        # database's own words: a search reads its matches in that order up to its window
        # (search/results.py), so a common word's window is the first rows read.

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
