"""What keeps the search index in step with the records: one receiver per sender, connected by
``SearchConfig.ready`` through ``connect()``.

- a save (``post_save``) stores the record's row again, and the rows that show its words or its
  place: an agenda item's paragraphs and actions (their title or context names the item), a
  meeting's items, paragraphs, actions and notices (date, board, link), a recommendation's
  paper (a paper's row holds its recommendations), a board's rows when its address changed,
  and a person's rows when their name changed: the agenda items they present, the actions
  they own and the notices they took (each row prints the name), set-based, one
  ``index_records`` per kind;
- a deletion (``post_delete``, sent for every row a cascade deletes too) takes the row out;
- ``visibility_changed`` (sent by ``save()`` and by ``QuerySet.update()`` and
  ``bulk_update()`` of a visibility field) stores again the rows of the records it names,
  since those fields (a paper's board, a paragraph's item, a meeting's board) are also where a
  row says the record sits. Who may see a row is never stored (``SearchEntry.objects
  .visible_to`` asks the record's own rule), so nothing else moves when visibility changes.

- an attachment saved, deleted or given its text (``documents.text.text_extracted``) stores its
  record's row again (a paper's, an item's or a notice's row holds its attachments' words).

A recommendation moved to another paper by ``save()`` leaves its first paper's row too (the
paper it had is read before the save). Not kept: ``QuerySet.update()`` or ``bulk_create()`` of
text, a queryset ``update()`` moving recommendations to another paper (the papers they left
keep their words until rebuilt), a queryset ``update()`` of people's names, raw SQL, ``loaddata`` (whose saves are raw and skipped here). After those, run ``manage.py rebuild_search_index``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from boards.models import Action, AgendaItem, Board, Meeting, MinuteParagraph, Paper, Person
from decisions.models import DecisionNotice, Recommendation
from documents.models import Attachment
from documents.text import text_extracted
from minutebook.records import visibility_changed

from .index import index_records, remove_records
from .models import Kind, SearchEntry

# The kinds whose link is a meeting's address (under the board's).
MEETING_KINDS = (Kind.MINUTE, Kind.ITEM, Kind.ACTION)


def _meetings(pks) -> None:
    """The rows of everything at the meetings ``pks``."""
    pks = list(pks)
    index_records(
        Kind.ITEM, AgendaItem.objects.filter(meeting__in=pks).values_list("pk", flat=True)
    )
    index_records(
        Kind.MINUTE,
        MinuteParagraph.objects.filter(item__meeting__in=pks).values_list("pk", flat=True),
    )
    index_records(Kind.ACTION, Action.objects.filter(meeting__in=pks).values_list("pk", flat=True))
    index_records(
        Kind.NOTICE, DecisionNotice.objects.filter(meeting__in=pks).values_list("pk", flat=True)
    )


def _items(pks) -> None:
    """The rows of the agenda items ``pks`` and of their paragraphs and actions."""
    pks = list(pks)
    index_records(Kind.ITEM, pks)
    index_records(
        Kind.MINUTE, MinuteParagraph.objects.filter(item__in=pks).values_list("pk", flat=True)
    )
    index_records(Kind.ACTION, Action.objects.filter(item__in=pks).values_list("pk", flat=True))


def _papers_of(recommendation_pks) -> None:
    papers = Recommendation.objects.filter(pk__in=list(recommendation_pks)).values_list(
        "paper_id", flat=True
    )
    index_records(Kind.PAPER, papers)


def _board(board: Board) -> None:
    """A board's rows whose link is under its address, when its address (slug) changed: one
    query, and the board's meetings' rows again when it did."""
    prefix = board.get_absolute_url()
    moved = SearchEntry.objects.filter(board=board, kind__in=MEETING_KINDS).exclude(
        url__startswith=prefix
    )
    if moved.exists():
        _meetings(Meeting.objects.filter(board=board).values_list("pk", flat=True))


def _person(person: Person) -> None:
    """The rows that print ``person``'s name: agenda items presented, actions owned, notices
    taken. Three reads of keys, and ``index_records``' three statements per kind."""
    index_records(
        Kind.ITEM, AgendaItem.objects.filter(presenter=person).values_list("pk", flat=True)
    )
    index_records(Kind.ACTION, Action.objects.filter(owner=person).values_list("pk", flat=True))
    index_records(
        Kind.NOTICE,
        DecisionNotice.objects.filter(decision_maker=person).values_list("pk", flat=True),
    )


def _record_of(attachment: Attachment) -> None:
    """The row of the record ``attachment`` belongs to (as stored on the instance). No query
    beyond the index's own."""
    if attachment.paper_id:
        index_records(Kind.PAPER, [attachment.paper_id])
    elif attachment.agenda_item_id:
        index_records(Kind.ITEM, [attachment.agenda_item_id])
    elif attachment.notice_id:
        index_records(Kind.NOTICE, [attachment.notice_id])


def attachment_changed(sender, instance=None, attachment=None, raw=False, **kwargs) -> None:
    """An attachment saved, deleted (``instance``) or given its text (``attachment``): its
    record's row again, and its own row (an exempt attachment's; none otherwise)."""
    if not raw:
        changed = instance if instance is not None else attachment
        _record_of(changed)
        index_records(Kind.ATTACHMENT, [changed.pk])


# -- receivers ---------------------------------------------------------------------------------


def recommendation_saving(sender, instance, raw=False, **kwargs) -> None:
    """Before a recommendation's save, the paper it belongs to now (one query), so that a
    recommendation moved to another paper leaves the first paper's row too."""
    if raw or instance.pk is None:
        return
    stored = Recommendation.objects.filter(pk=instance.pk).values_list("paper_id", flat=True)
    instance._search_paper_before = stored.first()


def person_saving(sender, instance, raw=False, **kwargs) -> None:
    """Before a person's save, the name stored now (one query), so that the save re-indexes
    the rows printing it only when it changed."""
    if raw or instance.pk is None:
        return
    stored = Person.objects.filter(pk=instance.pk).values_list("full_name", flat=True)
    instance._search_name_before = stored.first()


def saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: the records it refers to may not be loaded yet; seed rebuilds
        return
    if sender is Paper:
        index_records(Kind.PAPER, [instance.pk])
    elif sender is Recommendation:
        before = getattr(instance, "_search_paper_before", None)
        index_records(Kind.PAPER, {instance.paper_id} | ({before} if before else set()))
    elif sender is MinuteParagraph:
        index_records(Kind.MINUTE, [instance.pk])
    elif sender is AgendaItem:
        _items([instance.pk])
    elif sender is Action:
        index_records(Kind.ACTION, [instance.pk])
    elif sender is DecisionNotice:
        index_records(Kind.NOTICE, [instance.pk])
    elif sender is Meeting:
        _meetings([instance.pk])
    elif sender is Board:
        _board(instance)
    elif sender is Person:
        before = getattr(instance, "_search_name_before", None)
        if before is not None and before != instance.full_name:
            _person(instance)


DELETED_KINDS = {
    Paper: Kind.PAPER,
    MinuteParagraph: Kind.MINUTE,
    AgendaItem: Kind.ITEM,
    Action: Kind.ACTION,
    DecisionNotice: Kind.NOTICE,
}


def deleted(sender, instance, **kwargs) -> None:
    if sender is Recommendation:
        index_records(Kind.PAPER, [instance.paper_id])
    else:
        remove_records(DELETED_KINDS[sender], [instance.pk])


def visibility_moved(sender, pks, **kwargs) -> None:
    if sender is Paper:
        index_records(Kind.PAPER, pks)
    elif sender is Recommendation:
        _papers_of(pks)
    elif sender is MinuteParagraph:
        index_records(Kind.MINUTE, pks)
    elif sender is AgendaItem:
        _items(pks)
    elif sender is Action:
        index_records(Kind.ACTION, pks)
    elif sender is DecisionNotice:
        index_records(Kind.NOTICE, pks)
    elif sender is Meeting:
        _meetings(pks)
    # Board: its publicity is asked of the records at search time; no row holds it.


SAVED = (
    Paper,
    Recommendation,
    MinuteParagraph,
    AgendaItem,
    Action,
    DecisionNotice,
    Meeting,
    Board,
    Person,
)
DELETED = (Paper, Recommendation, MinuteParagraph, AgendaItem, Action, DecisionNotice)
MOVED = (Paper, Recommendation, MinuteParagraph, AgendaItem, Action, DecisionNotice, Meeting)


def connect() -> None:
    """One receiver per signal and sender (``SearchConfig.ready``)."""
    pre_save.connect(
        recommendation_saving, sender=Recommendation, dispatch_uid="search-saving:Recommendation"
    )
    pre_save.connect(person_saving, sender=Person, dispatch_uid="search-saving:Person")
    for model in SAVED:
        post_save.connect(saved, sender=model, dispatch_uid=f"search-saved:{model.__name__}")
    for model in DELETED:
        post_delete.connect(deleted, sender=model, dispatch_uid=f"search-deleted:{model.__name__}")
    post_save.connect(attachment_changed, sender=Attachment, dispatch_uid="search-saved:Attachment")
    post_delete.connect(
        attachment_changed, sender=Attachment, dispatch_uid="search-deleted:Attachment"
    )
    text_extracted.connect(
        attachment_changed, sender=Attachment, dispatch_uid="search-text:Attachment"
    )
    for model in MOVED:
        visibility_changed.connect(
            visibility_moved, sender=model, dispatch_uid=f"search-moved:{model.__name__}"
        )
