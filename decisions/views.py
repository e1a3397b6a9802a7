"""The decisions register: list, one notice, and the CSV export, all through ``visible_to``."""

import csv
from collections import defaultdict

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from boards.models import Paper
from minutebook.exports import Echo, spreadsheet_text
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


def _attach_money(user, notices) -> None:
    """Give each notice ``money``: totals by kind of the lines it commits (its own and those of
    the recommendations it followed, as on its page), for the notices on one page in one query."""
    from finance.models import FinancialLine

    ids = [n.pk for n in notices]
    by_notice: dict[int, list] = defaultdict(list)
    rows = (
        FinancialLine.objects.visible_to(user)
        .filter(counted=True)
        .filter(Q(decision_notice__in=ids) | Q(recommendation__decision_notice__in=ids))
        .annotate(notice=Coalesce("decision_notice", "recommendation__decision_notice"))
        .order_by()
        .values("notice", "kind")
        .annotate(total=Sum("amount"))
    )
    labels = dict(FinancialLine.Kind.choices)
    order = {kind: i for i, kind in enumerate(labels)}
    for row in sorted(rows, key=lambda r: order[r["kind"]]):
        by_notice[row["notice"]].append({"label": labels[row["kind"]], "total": row["total"]})
    for notice in notices:
        notice.money = by_notice.get(notice.pk, [])


def register(request: HttpRequest) -> HttpResponse:
    """Newest first, paginated. Queries: boards and decision makers for the filter, count, page,
    the page's money."""
    filterset, notices, status = _filtered(request)
    page = paginate(request, notices)
    if page.object_list:
        _attach_money(request.user, page.object_list)
    return render(
        request,
        "decisions/register.html",
        {"filter": filterset, "page": page},
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
            "money": notice_money(request.user, notice),
            "agreements": notice.collaboration_agreements.all(),
        },
    )


def notice_money(user, notice: DecisionNotice) -> dict:
    """The money the notice commits and the money of the recommendations it came from."""
    from finance import summary
    from finance.exports import with_records
    from finance.models import FinancialLine

    lines = FinancialLine.objects.visible_to(user).filter(
        Q(decision_notice=notice) | Q(recommendation__decision_notice=notice)
    )
    return summary.for_page(with_records(lines))


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
    writer = csv.writer(Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for n in notices.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    n.reference or "",
                    spreadsheet_text(n.title),
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
