"""PDFs of a meeting's minutes, a meeting's pack, and one paper.

Each view picks its records through the same ``visible_to`` querysets as the web pages, so a
reader who may not see a record gets a 404 and a pack leaves out what the reader may not see.
Rendering, caching and validators are ``minutebook.pdf.serve_pdf``'s.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.dateformat import format as date_format

from minutebook.pdf import PdfDocument, pdf_filename, pdf_view, serve_pdf

from .models import AgendaItem, Attendance, Board, Meeting, MinuteParagraph, Paper


def _latest_change(*querysets) -> datetime.datetime | None:
    """The latest ``history_date`` across simple-history querysets (one query each), or None."""
    dates = [qs.aggregate(latest=Max("history_date"))["latest"] for qs in querysets]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def _header(board: Board, date: datetime.date) -> str:
    return f"{board.name} · {date_format(date, 'j F Y')}"


def _meeting_label(meeting: Meeting) -> str:
    return meeting.board.short_name or meeting.board.slug


def _papers_queryset(user):
    """Visible papers with what the paper partial prints: board, meeting and recommendations."""
    recommendation = Paper._meta.get_field("recommendations").related_model
    return (
        Paper.objects.visible_to(user)
        .select_related("board", "meeting__board")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=recommendation.objects.select_related("decided_at__board").order_by(
                    "position", "pk"
                ),
            )
        )
    )


@pdf_view
def minutes_pdf(request: HttpRequest, board: str, date: datetime.date) -> HttpResponse:
    """The minutes: 404 unless the reader may read them (approved, or a draft the reader is
    entitled to, as on the meeting page). DRAFT watermark until approved.

    Queries: meeting, items, paragraphs, attendance, declarations, three history dates.
    """
    user = request.user
    meeting = get_object_or_404(
        Meeting.objects.with_minutes_visible_to(user).select_related(
            "board", "minutes_approved_at", "minutes_signed_by"
        ),
        board__slug=board,
        date=date,
    )
    draft = not meeting.minutes_locked

    def build() -> dict:
        items = list(
            AgendaItem.objects.visible_to(user)
            .filter(meeting=meeting)
            .order_by("position")
            .prefetch_related(
                Prefetch(
                    "paragraphs",
                    queryset=MinuteParagraph.objects.visible_to(user).order_by("position"),
                )
            )
        )
        rows = list(meeting.attendance.select_related("person").order_by("position", "pk"))
        attendance_groups = [
            (label, [a for a in rows if a.capacity == value])
            for value, label in Attendance.Capacity.choices
            if any(a.capacity == value for a in rows)
        ]
        declarations = meeting.declarations.select_related("person", "item").filter(
            Q(item__isnull=True) | Q(item__in=[i.pk for i in items])
        )
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
            "modified": _latest_change(
                Meeting.history.filter(id=meeting.pk),
                AgendaItem.history.filter(meeting_id=meeting.pk),
                MinuteParagraph.history.filter(item__meeting_id=meeting.pk),
            ),
            "header": _header(meeting.board, meeting.date),
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
            "attendance_groups": attendance_groups,
            "declarations": list(declarations),
        }

    document = PdfDocument(
        name=f"minutes:{meeting.pk}",
        template="pdf/minutes.html",
        build=build,
        filename=pdf_filename(_meeting_label(meeting), meeting.date.isoformat(), "minutes"),
        locked=not draft,
    )
    return serve_pdf(request, document)


@pdf_view
def pack_pdf(request: HttpRequest, board: str, date: datetime.date) -> HttpResponse:
    """The agenda, then one section per agenda item in order with its paper when the reader may
    see it, then any other papers to the meeting. One bookmark per agenda item.

    Queries: meeting, items, papers, recommendations, three history dates.
    """
    user = request.user
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related("board"), board__slug=board, date=date
    )

    def build() -> dict:
        items = list(
            AgendaItem.objects.visible_to(user)
            .filter(meeting=meeting)
            .select_related("presenter")
            .order_by("position")
        )
        item_paper_ids = [i.paper_id for i in items if i.paper_id]
        papers = {
            p.pk: p
            for p in _papers_queryset(user)
            .filter(Q(meeting=meeting) | Q(pk__in=item_paper_ids))
            .order_by("agenda_reference", "title", "pk")
        }
        entries, placed = [], set()
        for item in items:
            paper = papers.get(item.paper_id) if item.paper_id not in placed else None
            if paper is not None:
                placed.add(paper.pk)
            entries.append(
                {
                    "number": item.number,
                    "title": item.title,
                    "bookmark": f"{item.number} {item.title}".strip(),
                    "anchor": f"item-{item.pk}",
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
            "modified": _latest_change(
                Meeting.history.filter(id=meeting.pk),
                AgendaItem.history.filter(meeting_id=meeting.pk),
                Paper.history.filter(id__in=[p.pk for p in included]),
            ),
            "header": _header(meeting.board, meeting.date),
            "status": "INCLUDES EXEMPT INFORMATION" if exempt else "",
        }
        return {
            "pdf": pdf,
            "draft": False,
            "meeting": meeting,
            "board": meeting.board,
            "entries": entries,
        }

    document = PdfDocument(
        name=f"pack:{meeting.pk}",
        template="pdf/pack.html",
        build=build,
        filename=pdf_filename(_meeting_label(meeting), meeting.date.isoformat(), "pack"),
        locked=lambda context: (
            meeting.minutes_locked
            and all(
                e["paper"].status == Paper.Status.PUBLISHED
                for e in context["entries"]
                if e["paper"]
            )
        ),
    )
    return serve_pdf(request, document)


@pdf_view
def paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One paper as the board saw it; 404 unless the reader may see it (as on its web page).

    Queries: paper, recommendations, agenda items, one history date.
    """
    user = request.user
    paper = get_object_or_404(_papers_queryset(user), pk=pk)
    draft = paper.status == Paper.Status.DRAFT

    def build() -> dict:
        items = list(
            AgendaItem.objects.visible_to(user)
            .filter(paper=paper)
            .select_related("meeting__board")
            .order_by("meeting__date")
        )
        date = paper.date or (paper.meeting.date if paper.meeting else None)
        header = _header(paper.board, date) if date else paper.board.name
        pdf = {
            "title": paper.title + (" (draft)" if draft else ""),
            "author": paper.author_line or paper.board.name,
            "subject": f"Paper to the {paper.to_line or paper.board.name}"
            + (f", {date_format(paper.date, 'j F Y')}" if paper.date else ""),
            "keywords": ["paper", paper.board.name, paper.board.short_name],
            "created": paper.date,
            "modified": _latest_change(Paper.history.filter(id=paper.pk)),
            "header": header,
            "status": "DRAFT"
            if draft
            else ("EXEMPT" if paper.access == Paper.Access.EXEMPT else ""),
        }
        return {"pdf": pdf, "draft": draft, "paper": paper, "items": items}

    document = PdfDocument(
        name=f"paper:{paper.pk}",
        template="pdf/paper.html",
        build=build,
        filename=pdf_filename("paper", str(paper.pk), slug=paper.title),
        locked=not draft,
    )
    return serve_pdf(request, document)
