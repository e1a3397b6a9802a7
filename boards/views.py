"""Public pages for boards, meetings, papers and actions.

Each view picks a queryset through the models' ``visible_to`` rule, a template and a status.
Query counts are pinned by tests/boards/test_query_counts.py.
"""

import datetime

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from decisions.models import DecisionNotice, Recommendation
from finance import summary as money_summary
from finance.exports import with_records
from finance.models import FinancialLine
from minutebook import access
from minutebook.filtering import apply_filters
from minutebook.pagination import paginate

from .filters import ActionFilter, PaperFilter
from .models import Action, AgendaItem, Board, Meeting, Membership, MinuteParagraph, Paper


def home(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings, recent meetings, the latest decisions and papers. Four queries."""
    today = datetime.date.today()
    meetings = Meeting.objects.visible_to(request.user).select_related("board")
    context = {
        "upcoming": meetings.filter(date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date")[:8],
        "recent": meetings.filter(date__lt=today).order_by("-date")[:8],
        "decisions": DecisionNotice.objects.visible_to(request.user)
        .exclude(status=DecisionNotice.Status.DRAFT)
        .order_by("-signed_on", "-pk")[:8],
        "papers": Paper.objects.visible_to(request.user)
        .select_related("board")
        .order_by("-date", "-pk")[:8],
    }
    return render(request, "boards/home.html", context)


def board_list(request: HttpRequest) -> HttpResponse:
    """Boards with their parent and meeting count, paginated. Two queries (count, page)."""
    boards = (
        Board.objects.visible_to(request.user)
        .select_related("parent")
        .annotate(meeting_count=Count("meetings"))
        .order_by("name")
    )
    return render(request, "boards/board_list.html", {"page": paginate(request, boards)})


def board_detail(request: HttpRequest, board: str) -> HttpResponse:
    """One board: members, sub-groups, and its meetings for one year (``?year=``, default the latest)."""
    board_obj = get_object_or_404(
        Board.objects.visible_to(request.user).select_related("parent"), slug=board
    )
    meetings = Meeting.objects.filter(board=board_obj)
    years = [d.year for d in meetings.dates("date", "year", order="DESC")]
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else None
    if year not in years:
        year = years[0] if years else None
    memberships = (
        Membership.objects.filter(board=board_obj)
        .filter(Q(end__isnull=True) | Q(end__gte=datetime.date.today()))
        .select_related("person", "person__organisation")
        .order_by("role", "person__full_name")
    )
    context = {
        "board": board_obj,
        "memberships": memberships,
        "sub_groups": Board.objects.visible_to(request.user).filter(parent=board_obj),
        "years": years,
        "year": year,
        "meetings": meetings.filter(date__year=year).select_related("board").order_by("date")
        if year
        else meetings.none(),
    }
    return render(request, "boards/board_detail.html", context)


ARISING_SHOWN = 50


def _recommendations():
    return Recommendation.objects.select_related("decided_at").order_by("position", "pk")


def meeting_detail(request: HttpRequest, board: str, date: datetime.date) -> HttpResponse:
    """A meeting: agenda with minutes, papers, attendance, declarations and actions.

    Queries: meeting+board, items, paragraphs (only when the reader may read the minutes),
    attendance, declarations, papers, their recommendations, decision notices taken at the
    meeting, actions raised, actions arising.
    """
    user = request.user
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related(
            "board", "minutes_approved_at__board", "minutes_signed_by"
        ),
        board__slug=board,
        date=date,
    )
    entitled = access.is_entitled(user, meeting.board_id)
    minutes_visible = meeting.minutes_status == Meeting.MinutesStatus.APPROVED or (
        entitled and meeting.minutes_status == Meeting.MinutesStatus.DRAFT
    )
    items = (
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("presenter")
        .order_by("position")
    )
    if minutes_visible:
        items = items.prefetch_related(
            Prefetch("paragraphs", queryset=MinuteParagraph.objects.order_by("position"))
        )
    papers = list(
        Paper.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("board")
        .prefetch_related(Prefetch("recommendations", queryset=_recommendations()))
        .order_by("agenda_reference", "title")
    )
    # Recommendations link to a notice only when it is one of this meeting's visible notices.
    decisions = list(meeting.decision_notices.visible_to(user).order_by("signed_on", "pk"))
    items = list(items)
    papers_by_id = {p.pk: p for p in papers}
    for item in items:
        item.visible_paper = papers_by_id.get(item.paper_id)
    papers_on_agenda = {item.paper_id for item in items}
    actions = Action.objects.visible_to(user).select_related(
        "owner", "item", "closed_at__board", "due_meeting__board"
    )
    # A long-lived board can carry hundreds of open actions: show the oldest, link to the rest.
    arising = list(
        actions.arising_at(meeting)
        .select_related("meeting__board")
        .order_by("meeting__date", "pk")[: ARISING_SHOWN + 1]
    )
    context = {
        "meeting": meeting,
        "board": meeting.board,
        "entitled": entitled,
        "minutes_visible": minutes_visible,
        "items": items,
        "papers": papers,
        "papers_off_agenda": [p for p in papers if p.pk not in papers_on_agenda],
        "attendance": meeting.attendance.select_related("person").order_by("position", "pk")
        if minutes_visible
        else [],
        "declarations": meeting.declarations.select_related("person", "item").filter(
            Q(item__isnull=True) | Q(item__in=[i.pk for i in items])
        )
        if minutes_visible
        else [],
        "actions_raised": actions.filter(meeting=meeting).order_by("pk") if minutes_visible else [],
        "decisions": decisions,
        "visible_decision_ids": {d.pk for d in decisions},
        "actions_arising": arising[:ARISING_SHOWN],
        "more_arising": len(arising) > ARISING_SHOWN,
    }
    return render(request, "boards/meeting_detail.html", context)


def paper_list(request: HttpRequest) -> HttpResponse:
    """Papers the reader may see, filtered. Bad filter values give a 400 with the messages."""
    papers = Paper.objects.visible_to(request.user).select_related("board", "meeting__board")
    filterset, results, status = apply_filters(
        PaperFilter, request, papers.order_by("-date", "-pk")
    )
    return render(
        request,
        "boards/paper_list.html",
        {"filter": filterset, "page": paginate(request, results)},
        status=status,
    )


def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One paper, with the agenda items that took it (those the reader may see)."""
    paper = get_object_or_404(
        Paper.objects.visible_to(request.user).select_related("board", "meeting__board"), pk=pk
    )
    items = (
        AgendaItem.objects.visible_to(request.user)
        .filter(paper=paper)
        .select_related("meeting__board")
        .order_by("meeting__date")
    )
    notices = list(
        DecisionNotice.objects.visible_to(request.user).filter(papers=paper).order_by("signed_on")
    )
    visible_notice_ids = {n.pk for n in notices}
    recommendations = list(
        Recommendation.objects.filter(paper=paper)
        .select_related("decided_at__board", "decision_notice")
        .order_by("position", "pk")
    )
    for rec in recommendations:
        rec.visible_notice = (
            rec.decision_notice if rec.decision_notice_id in visible_notice_ids else None
        )
    lines = with_records(
        FinancialLine.objects.visible_to(request.user).filter(
            Q(paper=paper) | Q(recommendation__paper=paper)
        )
    )
    return render(
        request,
        "boards/paper_detail.html",
        {
            "paper": paper,
            "items": items,
            "recommendations": recommendations,
            "notices": notices,
            "money": money_summary.for_page(lines),
        },
    )


def action_list(request: HttpRequest) -> HttpResponse:
    """The action log the reader may see, filtered by board, owner and status."""
    actions = Action.objects.visible_to(request.user).select_related(
        "meeting__board", "item", "owner", "closed_at__board", "due_meeting__board"
    )
    filterset, results, status = apply_filters(
        ActionFilter, request, actions.order_by("-meeting__date", "pk")
    )
    return render(
        request,
        "boards/action_list.html",
        {"filter": filterset, "page": paginate(request, results)},
        status=status,
    )
