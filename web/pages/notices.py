"""A decision notice: its page and its PDF, from one context; the register and its money."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.dateformat import format as date_format
from django.utils.functional import SimpleLazyObject

from boards.models import MinuteParagraph, Paper
from decisions.models import DecisionNotice, Recommendation
from finance import summary
from finance.models import FinancialLine

from .attachments import attachments_of
from .finance import record_money
from .links import lines_url
from .meetings import latest_change


def notice_context(user, pk: int, *, item_link: bool = True) -> dict:
    """One notice with its meeting, the papers it came from (those the reader may see), their
    recommendations that led to it, the notice superseding it, and the money it commits.

    Queries: notice+meeting+board+maker, papers, recommendations, and the minute or paper
    that records the signing (only when one is recorded). Read only when the template first
    uses them (the PDF prints only the first three): the notice it supersedes when the reader
    may know of it (only for a correction; not joined to every notice, whose forty columns cost
    each page and PDF a millisecond of compiling), the superseding notice, the lines (read by
    owner: the notice's and its recommendations'; not while the page's money section is in the
    cache, ``record_money``), the agreements, and the attachments the reader may see.
    ``item_link=False`` leaves out ``notice.taken_at_url``'s agenda item (two subqueries): the
    PDF names the meeting without linking its item.
    """
    notices = DecisionNotice.objects.visible_to(user).with_meeting_shown_to(user)
    if item_link:
        notices = notices.with_taken_at_item(user)
    notice = get_object_or_404(notices.select_related("meeting__board", "decision_maker"), pk=pk)
    signing = signing_records(user, [notice]).get(notice.pk, {})
    papers = list(
        Paper.objects.visible_to(user)
        .filter(decision_notices=notice)
        .select_related("board")
        .order_by("date", "pk")
    )
    followed = list(
        Recommendation.objects.with_decided_item(user)
        .filter(decision_notice=notice)
        .select_related("paper", "decided_at__board")
        .order_by("paper", "position")
    )
    shown = {p.pk for p in papers}  # a recommendation is shown with its paper
    recommendations = [r for r in followed if r.paper_id in shown]

    def money():
        lines = summary.read_lines(
            FinancialLine.objects.of_notice(notice, [r.pk for r in followed]).visible_to(user),
            notice=notice,
            recommendations=followed,
            user=user,
        )
        return summary.for_page(lines, all_lines=lines_url(notice=notice.pk), user=user)

    return {
        "notice": notice,
        # Where it was taken, only when the reader may see that meeting.
        "taken_at": notice.meeting if notice.meeting_shown else None,
        "draft": notice.status == DecisionNotice.Status.DRAFT,
        "signing_not_recorded": notice.status == DecisionNotice.Status.NOT_RECORDED,
        "signing_minute": signing.get("minute"),
        "signing_paper": signing.get("paper"),
        "papers": papers,
        "recommendations": recommendations,
        # The notice this one corrects, when the reader may know of it (``known_to``: its
        # ``notice_shown`` says whether they may open it, as in the register); else the page
        # says only that it corrects one, since a correction entered published over an
        # unpublished original must not name it.
        "supersedes": SimpleLazyObject(
            lambda: DecisionNotice.objects.known_to(user).filter(pk=notice.supersedes_id).first()
        )
        if notice.supersedes_id
        else None,
        "superseded_by": SimpleLazyObject(
            lambda: DecisionNotice.objects.visible_to(user).filter(supersedes=notice).first()
        ),
        **record_money(user, money),
        "agreements": SimpleLazyObject(lambda: list(notice.collaboration_agreements.all())),
        "attachments": SimpleLazyObject(
            lambda: attachments_of(user, "notice", [notice.pk])[notice.pk]
        ),
    }


def notice_pdf_metadata(notice: DecisionNotice) -> dict:
    """Title, author, subject, dates, running header and banner of the notice's PDF (from
    ``notice_context``'s notice: its meeting is named only when the reader may see it).
    One query."""
    draft = notice.status == DecisionNotice.Status.DRAFT
    not_recorded = notice.status == DecisionNotice.Status.NOT_RECORDED
    reference = notice.reference or "reference not recorded"
    if notice.meeting_id:
        where = notice.meeting.board.name if notice.meeting_shown else ""
    else:
        where = notice.forum
    signed = date_format(notice.signed_on, "j F Y") if notice.signed_on else ""
    maker = notice.decision_maker.full_name if notice.decision_maker else ""
    if maker and notice.decision_maker_title:
        maker = f"{maker}, {notice.decision_maker_title}"
    return {
        "title": f"Decision notice {notice.reference}: {notice.title}"
        if notice.reference
        else f"Decision notice: {notice.title}",
        "author": maker or where,
        "subject": f"Decision notice ({reference}): {notice.title}"
        + (" (draft, not signed)" if draft else "")
        + (" (signing not recorded)" if not_recorded else ""),
        "keywords": ["decision notice", reference, where],
        "created": notice.signed_on,
        "modified": latest_change(DecisionNotice.history.filter(id=notice.pk)),
        "header": " · ".join(
            part for part in (f"Decision notice {reference}", where, signed) if part
        ),
        "status": "DRAFT"
        if draft
        else (
            "SIGNING NOT RECORDED"
            if not_recorded
            else ("WITHDRAWN" if notice.status == notice.Status.WITHDRAWN else "")
        ),
    }


def signing_records(user, notices) -> dict[int, dict]:
    """For each of ``notices`` whose signing a minute or a paper records, that record, when the
    reader may read it: ``{notice pk: {"minute": paragraph, "paper": paper}}`` (the minute with
    its item, meeting and board). Up to two queries, none when no notice names a record."""
    minute_ids = {n.signing_minute_id for n in notices if n.signing_minute_id}
    paper_ids = {n.signing_paper_id for n in notices if n.signing_paper_id}
    minutes = (
        MinuteParagraph.objects.visible_to(user)
        .select_related("item__meeting__board")
        .in_bulk(minute_ids)
        if minute_ids
        else {}
    )
    papers = Paper.objects.visible_to(user).in_bulk(paper_ids) if paper_ids else {}
    records = {}
    for n in notices:
        found = {
            "minute": minutes.get(n.signing_minute_id),
            "paper": papers.get(n.signing_paper_id),
        }
        if found["minute"] or found["paper"]:
            records[n.pk] = found
    return records


def register_queryset(user):
    """The notices whose existence the reader may know (``known_to``: those the reader may
    see, and those whose signing public minutes or papers record, each with
    ``notice_shown``), newest first, with their meeting's board (and whether the reader may see
    that meeting: ``meeting_shown``) and maker."""
    return (
        DecisionNotice.objects.known_to(user)
        .with_meeting_shown_to(user)
        .select_related(
            "meeting__board",
            "decision_maker",
            "signing_minute__item__meeting__board",
            "signing_paper",
        )
        .order_by("-signed_on", "-pk")
    )


def attach_signing_records(user, notices) -> None:
    """Give each notice on a page ``signing_minute_shown`` and ``signing_paper_shown``: the
    record of its signing the reader may read, or None. Up to two queries."""
    records = signing_records(user, notices)
    for notice in notices:
        found = records.get(notice.pk, {})
        notice.signing_minute_shown = found.get("minute")
        notice.signing_paper_shown = found.get("paper")


def attach_money(user, notices) -> None:
    """Give each notice on a register page ``money``: totals by kind of the lines it commits
    (its own and those of the recommendations it followed, as on its page). One query."""
    totals = FinancialLine.objects.visible_to(user).by_notice_and_kind([n.pk for n in notices])
    for notice in notices:
        notice.money = totals.get(notice.pk, [])
