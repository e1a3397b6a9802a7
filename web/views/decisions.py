"""The decisions register, one notice, and the register as CSV, all through ``visible_to``."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from decisions.exports import register_csv
from decisions.models import DecisionNotice
from minutebook.filtering import apply_filters, bad_filter_response
from minutebook.pagination import paginate
from search.filters import IndexedDecisionNoticeFilter

from ..page_cache import cached_page, settled
from ..pages.notices import (
    attach_money,
    attach_signing_records,
    notice_context,
    register_queryset,
)


@cached_page
def register(request: HttpRequest) -> HttpResponse:
    """Newest first, paginated. Queries: boards and decision makers for the filter, count, page,
    the page's money, the minutes and papers recording its signings."""
    filterset, notices, status = apply_filters(
        IndexedDecisionNoticeFilter, request, register_queryset(request.user)
    )
    page = paginate(request, notices)
    if page.object_list:
        attach_money(request.user, page.object_list)
        attach_signing_records(request.user, page.object_list)
    context = {"filter": filterset, "page": page}
    return render(request, "decisions/register.html", context, status=status)


@cached_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Settled (kept by proxies for the public) once signed or published."""
    context = notice_context(request.user, pk)
    settled(
        request,
        context["notice"].status in (DecisionNotice.Status.SIGNED, DecisionNotice.Status.PUBLISHED),
    )
    return render(request, "decisions/notice_detail.html", context)


def export_csv(request: HttpRequest) -> HttpResponse:
    """The register as the reader may see it, with the same filters, streamed row by row."""
    filterset, notices, status = apply_filters(
        IndexedDecisionNoticeFilter, request, register_queryset(request.user)
    )
    if status != 200:
        return bad_filter_response(filterset)
    return register_csv(request, notices)
