"""The decisions register: list, one notice, and the CSV export, all through ``visible_to``."""

import csv

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from boards.models import Paper
from minutebook.filtering import apply_filters
from minutebook.pagination import paginate

from .filters import DecisionNoticeFilter
from .models import DecisionNotice, Recommendation


def _filtered(request: HttpRequest):
    """(filterset, queryset, status): the reader's notices, filtered; bad filters give none and a 400."""
    notices = DecisionNotice.objects.visible_to(request.user).select_related(
        "meeting__board", "decision_maker"
    )
    return apply_filters(DecisionNoticeFilter, request, notices.order_by("-signed_on", "-pk"))


def register(request: HttpRequest) -> HttpResponse:
    """Newest first, paginated. Queries: boards and decision makers for the filter, count, page."""
    filterset, notices, status = _filtered(request)
    return render(
        request,
        "decisions/register.html",
        {"filter": filterset, "page": paginate(request, notices)},
        status=status,
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice with its meeting, papers (those the reader may see) and recommendations."""
    notice = get_object_or_404(
        DecisionNotice.objects.visible_to(request.user).select_related(
            "meeting__board", "decision_maker", "supersedes"
        ),
        pk=pk,
    )
    papers = (
        Paper.objects.visible_to(request.user)
        .filter(decision_notices=notice)
        .select_related("board")
    )
    recommendations = (
        Recommendation.objects.filter(decision_notice=notice, paper__in=papers.values("pk"))
        .select_related("paper", "decided_at__board")
        .order_by("paper", "position")
    )
    superseded_by = (
        DecisionNotice.objects.visible_to(request.user).filter(supersedes=notice).first()
    )
    return render(
        request,
        "decisions/notice_detail.html",
        {
            "notice": notice,
            "papers": papers,
            "recommendations": recommendations,
            "superseded_by": superseded_by,
        },
    )


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = [
    "reference",
    "title",
    "status",
    "signed_on",
    "published_on",
    "board",
    "meeting_date",
    "decision_maker",
    "url",
]


def export_csv(request: HttpRequest) -> HttpResponse:
    """The register as the reader may see it, with the same filters, streamed row by row."""
    filterset, notices, status = _filtered(request)
    if status != 200:
        return HttpResponse(
            "Bad filter: "
            + "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()
            ),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for n in notices.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    n.reference or "",
                    n.title,
                    n.get_status_display(),
                    n.signed_on.isoformat() if n.signed_on else "",
                    n.published_on.isoformat() if n.published_on else "",
                    n.meeting.board.name if n.meeting else "",
                    n.meeting.date.isoformat() if n.meeting else "",
                    n.decision_maker.full_name if n.decision_maker else "",
                    request.build_absolute_uri(n.get_absolute_url()),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions-register.csv"'
    return response
