"""The boards list and one board's page."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404

from boards.models import Board, Meeting, Membership


def boards_queryset(user):
    """Boards the reader may see, with their parent and meeting count, by name."""
    return (
        Board.objects.visible_to(user)
        .select_related("parent")
        .annotate(meeting_count=Count("meetings"))
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
    """One board: current members, sub-groups, and its meetings of one year.

    Queries: board+parent, years met, members, sub-groups, that year's meetings.
    """
    board = get_object_or_404(Board.objects.visible_to(user).select_related("parent"), slug=slug)
    meetings = Meeting.objects.filter(board=board)
    years = [d.year for d in meetings.dates("date", "year", order="DESC")]
    year = _year(requested_year, years)
    return {
        "board": board,
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
