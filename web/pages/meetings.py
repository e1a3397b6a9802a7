"""A meeting: its page, its minutes (the page's minutes and the minutes PDF) and its pack PDF.

The page and the minutes PDF read the agenda and the minutes through the same functions
(``agenda_items`` and ``minutes_records``), so both show the same items, paragraphs,
attendance and declarations to the same reader.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.dateformat import format as date_format

from boards import access
from boards.models import Action, AgendaItem, Attendance, Board, Meeting, MinuteParagraph, Paper
from decisions.models import DecisionNotice, Recommendation
from finance.models import FinancialLine

from .attachments import attachments_of
from .links import link_visible

ARISING_SHOWN = 50
# A paper's texts, which a meeting's page does not print (it lists papers by title, date, board
# and author): left unread, they were a quarter of the time the page spent reading its papers.
PAPER_TEXTS = [f"{name}{suffix}" for name in Paper.rendered_fields for suffix in ("", "_html")]


def papers_with_recommendations(user):
    """Papers the reader may see, with what a paper's partial prints: its board, meeting and
    recommendations, each with the agenda item that decided it (one prefetch query)."""
    return (
        Paper.objects.visible_to(user)
        .select_related("board", "meeting__board")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.with_decided_item(user)
                .select_related("decided_at__board")
                .order_by("position", "pk"),
            )
        )
    )


@dataclass(frozen=True)
class WithheldItem:
    """An exempt agenda item as the agenda lists it to a reader who may not open it: its
    printed number, the paragraph of Schedule 12A as recorded (blank: not recorded) and its
    anchor. Nothing else of the item (title, presenter, paper, minutes) reaches the page."""

    number: str
    exemption_paragraph: str
    anchor: str

    withheld = True


def agenda_items(
    user, meeting: Meeting, *, with_minutes: bool, with_money: bool = False, listed: bool = False
) -> list[AgendaItem | WithheldItem]:
    """The agenda items the reader may see, in order, with their presenter; with their minute
    paragraphs when ``with_minutes``, and each paragraph's money (``money_lines``: its lines
    the reader may see, in printed order) when ``with_money`` too. With ``listed``, the exempt
    items the reader may not open are in their places too, as ``WithheldItem``. One query, two
    with the paragraphs, three with their money (none when there is no paragraph)."""
    items = (
        (AgendaItem.objects.listed_to(user) if listed else AgendaItem.objects.visible_to(user))
        .filter(meeting=meeting)
        .select_related("presenter")
        .order_by("position")
    )
    if with_minutes:
        # The paragraphs' own rule leaves out those of withheld items as well.
        paragraphs = MinuteParagraph.objects.visible_to(user).order_by("position")
        if with_money:
            paragraphs = paragraphs.prefetch_related(
                Prefetch(
                    "financial_lines",
                    queryset=FinancialLine.objects.visible_to(user).order_by("position", "pk"),
                    to_attr="money_lines",
                )
            )
        items = items.prefetch_related(Prefetch("paragraphs", queryset=paragraphs))
    entries = []
    for item in items:
        item.meeting = meeting  # the same meeting, so is_withheld_from and the URLs read it
        if item.is_withheld_from(user):
            entries.append(WithheldItem(item.number, item.exemption_paragraph, item.anchor))
        else:
            entries.append(item)
    return entries


def minutes_records(meeting: Meeting, items: list[AgendaItem]) -> dict:
    """Attendance and declarations as the minutes record them; a declaration about an item the
    reader may not see is left out. Two queries."""
    return {
        "attendance": list(meeting.attendance.select_related("person").order_by("position", "pk")),
        "declarations": list(
            meeting.declarations.select_related("person", "item").filter(
                Q(item__isnull=True) | Q(item__in=[i.pk for i in items])
            )
        ),
    }


def meeting_context(user, board: str, date: datetime.date) -> dict:
    """A meeting: agenda with minutes, papers, attendance, declarations and actions.

    Queries: meeting+board, items, paragraphs and their money (only when the reader may read
    the minutes), attendance and declarations (likewise), papers, their recommendations, decision notices
    taken at the meeting, actions raised (likewise), actions arising, the attachments of the
    items the reader may see (only when there are such items), and the minute that announced
    the meeting (only when one is recorded).
    """
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related(
            "board", "minutes_approved_at__board", "minutes_signed_by", "chair"
        ),
        board__slug=board,
        date=date,
    )
    minutes_visible = meeting.minutes_visible_to(user)
    agenda = agenda_items(user, meeting, with_minutes=minutes_visible, with_money=True, listed=True)
    items = [item for item in agenda if not isinstance(item, WithheldItem)]
    shown = attachments_of(user, "agenda_item", [item.pk for item in items])
    for item in items:
        item.attachments_shown = shown[item.pk]
    papers = list(
        papers_with_recommendations(user)
        .filter(meeting=meeting)
        .defer(*PAPER_TEXTS)
        .order_by("agenda_reference", "title")
    )
    link_visible(items, "paper", {p.pk: p for p in papers})
    on_agenda = {item.paper_id for item in items}
    # Recommendations link to a notice only when it is one of this meeting's visible notices.
    # And those its approved minutes record as signed, known without their notice (notice_shown).
    decisions = list(
        DecisionNotice.objects.known_to(user).of_meeting(meeting).order_by("signed_on", "pk")
    )
    recommendations = [r for paper in papers for r in paper.recommendations.all()]
    link_visible(recommendations, "decision_notice", {d.pk: d for d in decisions if d.notice_shown})
    actions = Action.objects.visible_to(user).for_rows()
    arising = actions.arising_at(meeting)
    if not meeting.carries_actions_forward:
        # The minutes say what arose (none outstanding, their own words) or nothing is
        # recorded: only actions recorded as closed at this meeting are listed.
        arising = arising.filter(closed_at=meeting)
    # A long-lived board can carry hundreds of open actions: show the oldest, link to the rest.
    arising = list(arising.order_by("meeting__date", "pk")[: ARISING_SHOWN + 1])
    minutes = minutes_records(meeting, items) if minutes_visible else {}
    return {
        "meeting": meeting,
        "board": meeting.board,
        "entitled": access.is_entitled(user, meeting.board_id),
        "minutes_visible": minutes_visible,
        "items": items,
        # The agenda as listed: the items the reader may see and, in their places, the
        # exempt items the reader may not open (WithheldItem).
        "agenda": agenda,
        "papers": papers,
        "papers_off_agenda": [p for p in papers if p.pk not in on_agenda],
        "attendance": minutes.get("attendance", []),
        "declarations": minutes.get("declarations", []),
        "actions_raised": list(actions.filter(meeting=meeting).order_by("pk"))
        if minutes_visible
        else [],
        "decisions": decisions,
        "actions_arising": arising[:ARISING_SHOWN],
        "more_arising": len(arising) > ARISING_SHOWN,
        "announcement": announcement(user, meeting),
    }


def announcement(user, meeting: Meeting) -> MinuteParagraph | None:
    """The minute of an earlier meeting that announced this one's date, time and place, with
    its item and meeting, when it is recorded and the reader may read it; else None. One
    query, none when no announcement is recorded."""
    if meeting.announced_in_id is None:
        return None
    return (
        MinuteParagraph.objects.visible_to(user)
        .select_related("item__meeting__board")
        .filter(pk=meeting.announced_in_id)
        .first()
    )


def latest_change(*querysets) -> datetime.datetime | None:
    """The latest ``history_date`` across simple-history querysets (one query each), or None."""
    dates = [qs.aggregate(latest=Max("history_date"))["latest"] for qs in querysets]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def print_header(board: Board, date: datetime.date) -> str:
    return f"{board.name} · {date_format(date, 'j F Y')}"


def visible_meeting(user, board: str, date: datetime.date) -> Meeting:
    """The meeting with its board, when the reader may see it (else 404). One query."""
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related("board"), board__slug=board, date=date
    )


def minutes_meeting(user, board: str, date: datetime.date) -> Meeting:
    """The meeting, when the reader may read its minutes (else 404). One query."""
    return get_object_or_404(
        Meeting.objects.with_minutes_visible_to(user).select_related(
            "board", "minutes_approved_at", "minutes_signed_by", "chair"
        ),
        board__slug=board,
        date=date,
    )


def minutes_context(user, meeting: Meeting) -> dict:
    """The minutes PDF: the page's agenda items with their paragraphs (and, as on the page, the
    exempt items the reader may not open listed by number and paragraph of Schedule 12A),
    attendance grouped by capacity, declarations, and the document's metadata. DRAFT until
    approved.

    Queries: items, paragraphs, their money (none without a paragraph), attendance,
    declarations, three history dates.
    """
    draft = not meeting.minutes_locked
    # With each paragraph's money, as the meeting's page lists it (one partial for both).
    agenda = agenda_items(user, meeting, with_minutes=True, with_money=True, listed=True)
    items = [item for item in agenda if not isinstance(item, WithheldItem)]
    minutes = minutes_records(meeting, items)
    rows = minutes["attendance"]
    attendance_groups = [
        (label, [a for a in rows if a.capacity == value])
        for value, label in Attendance.Capacity.choices
        if any(a.capacity == value for a in rows)
    ]
    name = meeting.board.name
    when = date_format(meeting.date, "j F Y")
    pdf = {
        "title": f"Minutes of the {name}, {when}" + (" (draft)" if draft else ""),
        "author": name,
        "subject": f"Minutes of the meeting of the {name} held on "
        f"{date_format(meeting.date, 'l j F Y')}"
        + (", in draft and not yet approved" if draft else ""),
        "keywords": ["minutes", name, meeting.board.short_name],
        "created": meeting.date,
        "modified": latest_change(
            Meeting.history.filter(id=meeting.pk),
            AgendaItem.history.filter(meeting_id=meeting.pk),
            MinuteParagraph.history.filter(item__meeting_id=meeting.pk),
        ),
        "header": print_header(meeting.board, meeting.date),
        "status": "DRAFT"
        if draft
        else ("INCLUDES EXEMPT ITEMS" if any(i.is_exempt for i in items) else ""),
    }
    return {
        "pdf": pdf,
        "draft": draft,
        "meeting": meeting,
        "board": meeting.board,
        "items": items,
        "agenda": agenda,  # as the page lists it: withheld exempt items in their places
        "attendance_groups": attendance_groups,
        "declarations": minutes["declarations"],
    }


def pack_context(user, meeting: Meeting) -> dict:
    """The agenda, then one section per agenda item in order with its paper when the reader may
    see it, then any other papers to the meeting. One bookmark per agenda item. The exempt
    items the reader may not open are listed in their places, as on the meeting's page and in
    the minutes: "Item 4 – exempt (paragraph 3 of Schedule 12A)", nothing more.

    Each entry lists the attachments the reader may see of its item and of its paper.

    Queries: items, papers, recommendations, the items' and the papers' attachments (one
    each, none without items or papers), three history dates.
    """
    agenda = agenda_items(user, meeting, with_minutes=False, listed=True)
    items = [item for item in agenda if not isinstance(item, WithheldItem)]
    item_paper_ids = [i.paper_id for i in items if i.paper_id]
    papers = {
        p.pk: p
        for p in papers_with_recommendations(user)
        .filter(Q(meeting=meeting) | Q(pk__in=item_paper_ids))
        .order_by("agenda_reference", "title", "pk")
    }
    entries, placed = [], set()
    for item in agenda:
        if isinstance(item, WithheldItem):
            # Listed in its place as the page and the minutes list it; nothing of it printed.
            entries.append(
                {
                    "number": item.number,
                    "title": "",
                    "bookmark": f"Item {item.number} – exempt".strip(),
                    "anchor": item.anchor,
                    "paper_anchor": "",
                    "item": item,
                    "paper": None,
                }
            )
            continue
        paper = papers.get(item.paper_id) if item.paper_id not in placed else None
        if paper is not None:
            placed.add(paper.pk)
        entries.append(
            {
                "number": item.number,
                "title": item.title,
                "bookmark": f"{item.number} {item.title}".strip(),
                "anchor": item.anchor,
                "paper_anchor": f"paper-{paper.pk}" if paper else "",
                "item": item,
                "paper": paper,
            }
        )
    for paper in papers.values():
        if paper.pk not in placed:
            entries.append(
                {
                    "number": "",
                    "title": paper.title,
                    "bookmark": f"Paper: {paper.title}",
                    "anchor": f"paper-entry-{paper.pk}",
                    "paper_anchor": f"paper-{paper.pk}",
                    "item": None,
                    "paper": paper,
                }
            )
    included = [e["paper"] for e in entries if e["paper"]]
    of_items = attachments_of(user, "agenda_item", [i.pk for i in items])
    of_papers = attachments_of(user, "paper", [p.pk for p in included])
    for entry in entries:
        item, paper = entry["item"], entry["paper"]
        opened = item is not None and not isinstance(item, WithheldItem)
        entry["attachments"] = (of_items[item.pk] if opened else []) + (
            of_papers[paper.pk] if paper else []
        )
    exempt = any(i.is_exempt for i in items) or any(
        p.access == Paper.Access.EXEMPT for p in included
    )
    name = meeting.board.name
    when = date_format(meeting.date, "j F Y")
    pdf = {
        "title": f"Agenda and papers: {name}, {when}",
        "author": name,
        "subject": f"Agenda and papers for the meeting of the {name} on "
        f"{date_format(meeting.date, 'l j F Y')}",
        "keywords": ["agenda", "papers", name, meeting.board.short_name],
        "created": meeting.date,
        "modified": latest_change(
            Meeting.history.filter(id=meeting.pk),
            AgendaItem.history.filter(meeting_id=meeting.pk),
            Paper.history.filter(id__in=[p.pk for p in included]),
        ),
        "header": print_header(meeting.board, meeting.date),
        "status": "INCLUDES EXEMPT INFORMATION" if exempt else "",
    }
    return {
        "pdf": pdf,
        "draft": False,
        "meeting": meeting,
        "board": meeting.board,
        "entries": entries,
    }
