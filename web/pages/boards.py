"""The boards list and one board's page."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404

from boards.models import Board, Meeting, Membership


def boards_queryset(user):
    """Boards the reader may see, with their parent (``parent_shown``: whether the reader may
    see it; a private parent is not named) and meeting count, by name."""
    parents = Board.objects.visible_to(user).filter(pk=OuterRef("parent_id"))
    return (
        Board.objects.visible_to(user)
        .select_related("parent")
        .annotate(meeting_count=Count("meetings"), parent_shown=Exists(parents))
        .order_by("name")
    )


def _year(requested: str, years: list[int]) -> int | None:
    """The requested year when the board met that year, else the latest year."""
    try:
        year = int(requested)
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    return year


def board_context(user, slug: str, requested_year: str = "") -> dict:
    """One board: the board it reports to (when the reader may see it), current members,
    sub-groups, and its meetings of one year.

    Queries: board+parent, years met, members, sub-groups, that year's meetings.
    """
    board = get_object_or_404(boards_queryset(user), slug=slug)
    meetings = Meeting.objects.filter(board=board)
    years = [d.year for d in meetings.dates("date", "year", order="DESC")]
    year = _year(requested_year, years)
    return {
        "board": board,
        "parent": board.parent if board.parent_shown else None,
        "memberships": Membership.objects.current()
        .filter(board=board)
        .select_related("person", "person__organisation")
        .order_by("role", "person__full_name"),
        "sub_groups": Board.objects.visible_to(user).filter(parent=board),
        "years": years,
        "year": year,
        "meetings": meetings.filter(date__year=year).select_related("board").order_by("date")
        if year
        else meetings.none(),
    }
