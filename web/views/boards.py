"""Pages of boards, meetings, papers and actions: each picks a context, a template, a status.

Query counts are pinned by tests/web/test_query_counts.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from boards.filters import ActionFilter, MeetingYearFilter
from boards.models import Action, Meeting, Paper
from minutebook.filtering import apply_filters, bad_query_response
from minutebook.pagination import paginate, requested_page
from search.filters import IndexedPaperFilter

from ..page_cache import cached_page, settled
from ..pages.boards import board_context, boards_queryset
from ..pages.home import home_context
from ..pages.meetings import meeting_context
from ..pages.papers import paper_context
from .exempt import sign_in_to_view


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "boards/home.html", home_context(request.user))


@cached_page
def board_list(request: HttpRequest) -> HttpResponse:
    """Two queries (count, page). A bad ``?page=`` is a plain-text 400 (no form to show it)."""
    try:
        requested_page(request)
    except ValidationError as error:
        return bad_query_response({"page": error.messages})
    page = paginate(request, boards_queryset(request.user))
    return render(request, "boards/board_list.html", {"page": page})


@cached_page
def board_detail(request: HttpRequest, board: str) -> HttpResponse:
    """``?year=`` is read by ``MeetingYearFilter``; a value it refuses ("nonsense", "٣", 0) is
    taken as no year, so the page shows the latest year the board met, as the year links
    promise (tests/web/test_board_pages.py), and never reaches the database."""
    years = MeetingYearFilter(request.GET or None, queryset=Meeting.objects.none())
    year = years.form.cleaned_data.get("year") if years.is_bound and years.is_valid() else None
    context = board_context(request.user, board, "" if year is None else str(year))
    return render(request, "boards/board_detail.html", context)


@cached_page
def meeting_detail(request: HttpRequest, board: str, date: datetime.date) -> HttpResponse:
    """Settled (kept by proxies for the public) once its minutes are approved."""
    context = meeting_context(request.user, board, date)
    settled(request, context["meeting"].minutes_locked)
    return render(request, "boards/meeting_detail.html", context)


@cached_page
def paper_list(request: HttpRequest) -> HttpResponse:
    """Papers the reader may see, filtered (the words through the search index). Bad filter
    values give a 400 with the messages."""
    papers = Paper.objects.visible_to(request.user).select_related("board", "meeting__board")
    filterset, results, status = apply_filters(
        IndexedPaperFilter, request, papers.order_by("-date", "-pk")
    )
    context = {"filter": filterset, "page": paginate(request, results)}
    return render(request, "boards/paper_list.html", context, status=status)


@cached_page
@sign_in_to_view(Paper.objects.withheld_from_public)
def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Settled (kept by proxies for the public) once published."""
    context = paper_context(request.user, pk)
    settled(request, context["paper"].status == Paper.Status.PUBLISHED)
    return render(request, "boards/paper_detail.html", context)


@cached_page
def action_list(request: HttpRequest) -> HttpResponse:
    """The action log the reader may see, filtered by board, owner and status."""
    actions = Action.objects.visible_to(request.user).for_rows()
    filterset, results, status = apply_filters(
        ActionFilter, request, actions.order_by("-meeting__date", "pk")
    )
    context = {"filter": filterset, "page": paginate(request, results)}
    return render(request, "boards/action_list.html", context, status=status)
