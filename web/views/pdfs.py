"""Every PDF: minutes, packs, papers, decision notices, collaborated functions.

Each view finds the record the reader may see (404 otherwise) and builds its context with the
same page functions as the record's web page (``web.pages``), so page and PDF show the same
records. Rendering, caching and validators are ``minutebook.pdf.serve_pdf``'s; the fast path
before the view (``cached``) answers from the cache while no record has changed.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse

from boards.access import reader_class
from boards.models import Meeting, Paper
from minutebook.pdf import PdfDocument, pdf_filename, pdf_view, serve_pdf

from ..pages.collaboration import function_context
from ..pages.meetings import (
    minutes_context,
    minutes_meeting,
    pack_context,
    visible_meeting,
)
from ..pages.notices import notice_context, notice_pdf_metadata
from ..pages.papers import paper_context, paper_pdf_metadata
from .exempt import sign_in_to_view

cached = pdf_view(reader_class)


def _label(board) -> str:
    return board.short_name or board.slug


def minutes_document(user, meeting: Meeting) -> PdfDocument:
    """The minutes PDF of ``meeting`` as ``user`` reads it (the view and the background render
    share it). ``meeting`` must be one the reader may read the minutes of (``minutes_meeting``)."""
    return PdfDocument(
        name=f"minutes:{meeting.pk}",
        reader=reader_class(user),
        template="pdf/minutes.html",
        build=lambda: minutes_context(user, meeting),
        filename=pdf_filename(_label(meeting.board), meeting.date.isoformat(), "minutes"),
    )


def pack_document(user, meeting: Meeting) -> PdfDocument:
    """The pack PDF of ``meeting`` as ``user`` reads it (``meeting`` from ``visible_meeting``)."""
    return PdfDocument(
        name=f"pack:{meeting.pk}",
        reader=reader_class(user),
        template="pdf/pack.html",
        build=lambda: pack_context(user, meeting),
        filename=pdf_filename(_label(meeting.board), meeting.date.isoformat(), "pack"),
    )


def notice_document(user, pk: int) -> PdfDocument:
    """The notice ``pk`` as ``user`` reads it; Http404 when the reader may not see it."""
    context = notice_context(user, pk, item_link=False)
    notice = context["notice"]
    return PdfDocument(
        name=f"notice:{notice.pk}",
        reader=reader_class(user),
        template="pdf/decision_notice.html",
        build=lambda: {**context, "pdf": notice_pdf_metadata(notice)},
        filename=pdf_filename(notice.reference)
        if notice.reference
        else pdf_filename("decision-notice", str(notice.pk)),
    )


@cached
def minutes_pdf(request: HttpRequest, board: str, date: datetime.date) -> HttpResponse:
    """The minutes: 404 unless the reader may read them (approved, or a draft the reader is
    entitled to, as on the meeting page). DRAFT watermark until approved."""
    meeting = minutes_meeting(request.user, board, date)
    return serve_pdf(request, minutes_document(request.user, meeting))


@cached
def pack_pdf(request: HttpRequest, board: str, date: datetime.date) -> HttpResponse:
    """The agenda and every paper the reader may see, one bookmark per agenda item."""
    meeting = visible_meeting(request.user, board, date)
    return serve_pdf(request, pack_document(request.user, meeting))


@sign_in_to_view(Paper.objects.withheld_from_public)
@cached
def paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One paper as the board saw it; 404 unless the reader may see it (as on its web page)."""
    context = paper_context(request.user, pk)
    paper = context["paper"]
    document = PdfDocument(
        name=f"paper:{paper.pk}",
        reader=reader_class(request.user),
        template="pdf/paper.html",
        build=lambda: {**context, "pdf": paper_pdf_metadata(paper)},
        filename=pdf_filename("paper", str(paper.pk), slug=paper.title),
    )
    return serve_pdf(request, document)


@cached
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice: reference (or "not recorded"), summary, decision, implications, declarations
    and the decision maker's signature block; a DRAFT watermark while unsigned."""
    return serve_pdf(request, notice_document(request.user, pk))


@cached
def function_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """A collaborated function's summary: the same body and chart as its page."""
    context = function_context(request.user, slug)
    function = context["function"]
    pdf = {
        "title": f"{function.name}: collaboration summary",
        "author": "Office of the Police and Crime Commissioner",
        "subject": f"{function.name}: business cases, agreements, decisions and savings "
        "forecast against realised",
        "keywords": ["collaboration", function.area.name, function.name],
        "header": f"Collaboration · {function.area.name} · {function.name}",
    }
    document = PdfDocument(
        name=f"function:{function.pk}",
        reader=reader_class(request.user),
        template="pdf/function.html",
        build=lambda: {**context, "pdf": pdf},
        filename=pdf_filename("collaboration", slug=function.slug),
    )
    return serve_pdf(request, document)
