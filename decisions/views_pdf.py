"""A decision notice as a formal PDF notice, picked through ``DecisionNotice.objects.visible_to``."""

from __future__ import annotations

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.dateformat import format as date_format

from boards.models import Paper
from minutebook.pdf import PdfDocument, pdf_filename, pdf_view, serve_pdf

from .models import DecisionNotice, Recommendation
from .views import notice_money


@pdf_view
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice: reference (or "not recorded"), summary, decision, implications, declarations
    and the decision maker's signature block; a DRAFT watermark while unsigned. 404 unless the
    reader may see it. Queries: notice, papers, recommendations, superseding notice, history date.
    """
    user = request.user
    notice = get_object_or_404(
        DecisionNotice.objects.visible_to(user).select_related(
            "meeting__board", "decision_maker", "supersedes"
        ),
        pk=pk,
    )
    draft = notice.status == DecisionNotice.Status.DRAFT

    def build() -> dict:
        papers = list(
            Paper.objects.visible_to(user)
            .filter(decision_notices=notice)
            .select_related("board")
            .order_by("date", "pk")
        )
        recommendations = list(
            Recommendation.objects.filter(decision_notice=notice, paper__in=[p.pk for p in papers])
            .select_related("paper", "decided_at__board")
            .order_by("paper", "position")
        )
        superseded_by = DecisionNotice.objects.visible_to(user).filter(supersedes=notice).first()
        reference = notice.reference or "reference not recorded"
        where = notice.meeting.board.name if notice.meeting else notice.forum
        signed = date_format(notice.signed_on, "j F Y") if notice.signed_on else ""
        maker = notice.decision_maker.full_name if notice.decision_maker else ""
        if maker and notice.decision_maker_title:
            maker = f"{maker}, {notice.decision_maker_title}"
        pdf = {
            "title": f"Decision notice {notice.reference}: {notice.title}"
            if notice.reference
            else f"Decision notice: {notice.title}",
            "author": maker or where,
            "subject": f"Decision notice ({reference}): {notice.title}"
            + (" (draft, not signed)" if draft else ""),
            "keywords": ["decision notice", reference, where],
            "created": notice.signed_on,
            "modified": DecisionNotice.history.filter(id=notice.pk).aggregate(
                m=Max("history_date")
            )["m"],
            "header": " · ".join(
                part for part in (f"Decision notice {reference}", where, signed) if part
            ),
            "status": "DRAFT"
            if draft
            else ("WITHDRAWN" if notice.status == notice.Status.WITHDRAWN else ""),
        }
        return {
            "pdf": pdf,
            "draft": draft,
            "notice": notice,
            "papers": papers,
            "recommendations": recommendations,
            "superseded_by": superseded_by,
            "money": notice_money(user, notice),
        }

    document = PdfDocument(
        name=f"notice:{notice.pk}",
        template="pdf/decision_notice.html",
        build=build,
        filename=pdf_filename(notice.reference)
        if notice.reference
        else pdf_filename("decision-notice", str(notice.pk)),
        locked=notice.is_locked,
    )
    return serve_pdf(request, document)
