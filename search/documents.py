"""What is searched of each kind of record: the row ``search.index`` stores for it.

Each kind has a builder that reads its records (``rows``: one query, with what the rows need
selected or prefetched) and makes one unsaved ``SearchEntry`` per record. Text is the record's
words as the reader sees them: the stored HTML of the one markup renderer with its tags taken
out (so markup syntax is never searched or shown in a snippet), or the plain fields.

A paper's, an agenda item's and a notice's row also holds the title and text of its public
attachments (``attachment_words``), whose readers are exactly the record's. An exempt attachment
has a row of its own (kind "attachment"), seen by the readers ``Attachment.visible_to`` allows
(those entitled to the record's exempt material): its words in the record's row would reach
readers the attachment is hidden from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from boards.models import Action, AgendaItem, MinuteParagraph, Paper
from decisions.models import DecisionNotice, Recommendation
from documents.models import Attachment
from minutebook.markup import render_markup

from .models import Kind, SearchEntry

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# The snippets' highlight markers (search.backends): never part of a record's stored text.
MARKERS = "\x02\x03"
_NOT_TEXT = str.maketrans(dict.fromkeys(MARKERS + "\x00"))


def plain(value: str) -> str:
    """``value`` with the highlight markers and NUL taken out and runs of space made one."""
    return _SPACE.sub(" ", (value or "").translate(_NOT_TEXT)).strip()


def rendered_words(record, name: str) -> str:
    """The words of a markup field as the page shows them: the stored HTML (rendered from the
    text when a fixture arrived without it) without its tags. No query."""
    stored = getattr(record, f"{name}_html", "") or render_markup(getattr(record, name))
    return plain(html.unescape(_TAG.sub(" ", stored)))


def joined(*parts: str) -> str:
    return "\n".join(p for p in (plain(part) for part in parts) if p)


# The notices every reader may see (``DecisionNoticeQuerySet.visible_to``).


def attachment_words(record) -> str:
    """The title and text of ``record``'s public attachments (prefetched as ``attachments``):
    what every reader of the record may read (exempt ones have rows of their own). No query."""
    return joined(
        *(f"{a.title} {a.text}" for a in record.attachments.all() if a.access == Attachment.Access.PUBLIC)
    )


ATTACHMENTS = Prefetch(
    "attachments",
    queryset=Attachment.objects.order_by("pk").only(
        "pk", "paper_id", "agenda_item_id", "notice_id", "title", "access", "text"
    ),
)


@dataclass(frozen=True)
class Builder:
    kind: str
    rows: Callable[[], QuerySet]
    build: Callable[[object], SearchEntry]


def _entry(kind: str, record, **fields) -> SearchEntry:
    date = fields.get("date")
    fields["title"] = plain(fields["title"])[:400]
    fields["context"] = plain(fields.get("context", ""))[:400]
    return SearchEntry(kind=kind, object_id=record.pk, year=date.year if date else None, **fields)


def _paper_rows() -> QuerySet:
    recommendations = Recommendation.objects.order_by("position", "pk")
    return Paper.objects.prefetch_related(
        Prefetch("recommendations", queryset=recommendations), ATTACHMENTS
    )


def _paper(paper: Paper) -> SearchEntry:
    recommendations = [
        f"{r.number} {rendered_words(r, 'text')}" for r in paper.recommendations.all()
    ]
    return _entry(
        Kind.PAPER,
        paper,
        board_id=paper.board_id,
        date=paper.date,
        title=paper.title,
        context=f"From: {paper.author_line}" if paper.author_line else "",
        text=joined(
            rendered_words(paper, "purpose"),
            rendered_words(paper, "body"),
            *recommendations,
            attachment_words(paper),
        ),
        url=paper.get_absolute_url(),
    )


def _minute_rows() -> QuerySet:
    return MinuteParagraph.objects.select_related("item__meeting__board")


def _minute(paragraph: MinuteParagraph) -> SearchEntry:
    item = paragraph.item
    meeting = item.meeting
    return _entry(
        Kind.MINUTE,
        paragraph,
        board_id=meeting.board_id,
        date=meeting.date,
        title=f"Minute {paragraph.number}: {item.title}" if paragraph.number else item.title,
        context=f"Item {item.number}" if item.number else "",
        text=rendered_words(paragraph, "text"),
        url=f"{meeting.get_absolute_url()}#minute-{paragraph.pk}",
    )


def _item_rows() -> QuerySet:
    return AgendaItem.objects.select_related("meeting__board", "presenter").prefetch_related(
        ATTACHMENTS
    )


def _item(item: AgendaItem) -> SearchEntry:
    meeting = item.meeting
    presenter = f"Presented by {item.presenter.full_name}" if item.presenter else ""
    return _entry(
        Kind.ITEM,
        item,
        board_id=meeting.board_id,
        date=meeting.date,
        title=f"Item {item.number}: {item.title}" if item.number else item.title,
        text=joined(item.title, presenter, attachment_words(item)),
        url=item.get_absolute_url(),
    )


def _notice_rows() -> QuerySet:
    return DecisionNotice.objects.select_related(
        "meeting__board", "decision_maker"
    ).prefetch_related(ATTACHMENTS)


NOTICE_FIELDS = (
    "text_taken_from",
    "plan_theme",
    "decision_maker_title",
    "background_papers",
    "contact_officer",
)


def _shown_only_when(notice: DecisionNotice) -> list[str]:
    """The notice's texts its page shows only in some states, as the page shows them: the
    forum of a notice taken outside a meeting, the reason it was withdrawn, the exemption of
    a part-exempt notice (an old one kept on another is not the reader's)."""
    texts = []
    if not notice.meeting_id:
        texts.append(notice.forum)
    if notice.status == DecisionNotice.Status.WITHDRAWN:
        texts.append(notice.withdrawn_reason)
    if notice.access == DecisionNotice.Access.PART_EXEMPT:
        texts.append(notice.exemption)
    return texts


def _notice(notice: DecisionNotice) -> SearchEntry:
    meeting = notice.meeting
    # Not the meeting's date: the notice of a private board's meeting names neither.
    date = notice.signed_on or notice.published_on
    maker = notice.decision_maker.full_name if notice.decision_maker else ""
    return _entry(
        Kind.NOTICE,
        notice,
        board_id=meeting.board_id if meeting else None,
        date=date,
        title=f"{notice.reference}: {notice.title}" if notice.reference else notice.title,
        context="Taken outside a meeting" if notice.taken_outside_meeting else "",
        text=joined(
            *(rendered_words(notice, name) for name in notice.rendered_fields),
            maker,
            *(getattr(notice, name) for name in NOTICE_FIELDS),
            *_shown_only_when(notice),
            attachment_words(notice),
        ),
        url=notice.get_absolute_url(),
    )


def _action_rows() -> QuerySet:
    return Action.objects.select_related("meeting__board", "item", "owner")


def _action(action: Action) -> SearchEntry:
    meeting = action.meeting
    owner = action.owner.full_name if action.owner else ""
    words = plain(action.text)
    return _entry(
        Kind.ACTION,
        action,
        board_id=meeting.board_id,
        date=meeting.date,
        title=f"Action: {words[:117]}…" if len(words) > 120 else f"Action: {words}",
        context=", ".join(
            part
            for part in (
                f"Item {action.item.number}" if action.item and action.item.number else "",
                f"Owner: {owner}" if owner else "",
            )
            if part
        ),
        text=joined(action.text, owner, action.note),
        url=action.get_absolute_url(),
    )


def _attachment_rows() -> QuerySet:
    return Attachment.objects.filter(access=Attachment.Access.EXEMPT).select_related(
        "paper", "agenda_item__meeting", "notice__meeting"
    )


def _attachment(attachment: Attachment) -> SearchEntry:
    record = attachment.paper or attachment.agenda_item or attachment.notice
    if attachment.paper is not None:
        board_id, date, where = record.board_id, record.date, f"Attached to the paper {record.title}"
    elif attachment.agenda_item is not None:
        meeting = record.meeting
        board_id, date = meeting.board_id, meeting.date
        where = f"Attached to item {record.number} {record.title}".replace("  ", " ")
    else:
        meeting = record.meeting
        board_id = meeting.board_id if meeting else None
        date = record.signed_on or record.published_on
        where = f"Attached to the decision notice {record.title}"
    return _entry(
        Kind.ATTACHMENT,
        attachment,
        board_id=board_id,
        date=date,
        title=attachment.title,
        context=f"{where} · exempt",
        text=attachment.text,
        url=attachment.get_absolute_url(),
    )


BUILDERS: dict[str, Builder] = {
    b.kind: b
    for b in (
        Builder(Kind.PAPER, _paper_rows, _paper),
        Builder(Kind.MINUTE, _minute_rows, _minute),
        Builder(Kind.ITEM, _item_rows, _item),
        Builder(Kind.NOTICE, _notice_rows, _notice),
        Builder(Kind.ACTION, _action_rows, _action),
        Builder(Kind.ATTACHMENT, _attachment_rows, _attachment),
    )
}


def entries(
    kind: str, pks: Iterable[int] | None = None, using: str | None = None
) -> Iterable[SearchEntry]:
    """The rows of ``kind`` for the records ``pks`` (every record when None) of the database
    ``using`` (the router's when None), built in chunks of 500: one query a chunk, and one
    for the attachments of papers, items and notices (and one more for papers, with their
    recommendations)."""
    builder = BUILDERS[kind]
    rows = builder.rows().order_by("pk")
    if using is not None:
        rows = rows.using(using)
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    for record in rows.iterator(chunk_size=500):
        yield builder.build(record)
