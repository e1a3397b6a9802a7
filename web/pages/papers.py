"""A paper: its page and its PDF, from one context."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.dateformat import format as date_format

from boards.models import AgendaItem, Paper
from decisions.models import DecisionNotice
from finance import summary
from finance.models import FinancialLine

from .attachments import attachments_of
from .finance import record_money
from .links import lines_url, link_visible
from .meetings import latest_change, papers_with_recommendations, print_header
from .notices import attach_signing_records


def paper_context(user, pk: int) -> dict:
    """One paper with the agenda items that took it, its recommendations (each linked to its
    notice when the reader may see it), its decision notices, its money, and the PDF's metadata.

    Queries: paper+board+meeting, recommendations, agenda items, notices (those the reader may
    know of), the records of their signing when they name one (up to two), its attachments the
    reader may see, the paper's lines
    (read by owner: its own and its recommendations'), and the lines of other records reporting
    the same money when one does; the lines only when the money is shown: not while the page's
    money section is in the cache (``record_money``). The PDF adds ``paper_pdf_metadata``.
    """
    paper = get_object_or_404(papers_with_recommendations(user), pk=pk)
    recommendations = list(paper.recommendations.all())
    items = (
        AgendaItem.objects.visible_to(user)
        .filter(paper=paper)
        .select_related("meeting__board")
        .order_by("meeting__date")
    )
    # The notices of this paper the reader may know of: those they may open, and those whose
    # signing public minutes or papers record (listed without a link: notice_shown).
    notices = list(
        DecisionNotice.objects.known_to(user).filter(papers=paper).order_by("signed_on", "pk")
    )
    attach_signing_records(user, notices)
    link_visible(recommendations, "decision_notice", {n.pk: n for n in notices if n.notice_shown})

    def money():
        lines = summary.read_lines(
            FinancialLine.objects.of_paper(paper, [r.pk for r in recommendations]).visible_to(user),
            paper=paper,
            recommendations=recommendations,
            user=user,
        )
        return summary.for_page(lines, all_lines=lines_url(paper=paper.pk), user=user)

    return {
        "paper": paper,
        "items": items,
        "recommendations": recommendations,
        "notices": notices,
        "attachments": attachments_of(user, "paper", [paper.pk])[paper.pk],
        **record_money(user, money),
        "draft": paper.status == Paper.Status.DRAFT,
    }


def paper_pdf_metadata(paper: Paper) -> dict:
    """Title, author, subject, dates, running header and banner of the paper's PDF. One query."""
    draft = paper.status == Paper.Status.DRAFT
    date = paper.date or (paper.meeting.date if paper.meeting else None)
    return {
        "title": paper.title + (" (draft)" if draft else ""),
        "author": paper.author_line or paper.board.name,
        "subject": f"Paper to the {paper.to_line or paper.board.name}"
        + (f", {date_format(paper.date, 'j F Y')}" if paper.date else ""),
        "keywords": ["paper", paper.board.name, paper.board.short_name],
        "created": paper.date,
        "modified": latest_change(Paper.history.filter(id=paper.pk)),
        "header": print_header(paper.board, date) if date else paper.board.name,
        "status": "DRAFT" if draft else ("EXEMPT" if paper.access == Paper.Access.EXEMPT else ""),
    }
