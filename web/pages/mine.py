"""A signed-in reader's home page (``/my/``): their boards' next meetings, and what changed on
those boards since their last visit.

Per reader, so never on a public page (those are cached by reader class). "Their boards" are the
boards of their current memberships (``access.member_board_ids``, the one rule); what is listed
is what ``visible_to`` lets them read. The times of changes are the records' history entries
(``simple_history``: when the change was recorded in Minutebook, not a date printed on a
document). A change that leaves no history entry (a bulk ``update()``, a fixture load) is not
listed, and neither is a notice taken outside a meeting (it belongs to no board).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.dateformat import format as date_format

from boards import access
from boards.models import Board, Meeting, Paper
from decisions.models import DecisionNotice

#: Next meetings listed per board.
NEXT_MEETINGS = 3
#: Changes listed on the home page; the "more" page lists up to ``MORE_CHANGES``.
HOME_CHANGES = 10
MORE_CHANGES = 200


@dataclass(frozen=True)
class Change:
    """One change since the last visit: what happened (``kind``: "Paper published", ...), to
    which record (``title``, ``url``, ``board``), and when it was recorded."""

    kind: str
    title: str
    url: str
    board: str
    at: datetime.datetime


def _newest(
    model, became: Q, since: datetime.datetime, *, compare: str, value: str = "history_date"
):
    """A subquery: the ``value`` of the newest history entry of the outer ``model`` record
    recorded after ``since`` that matches ``became``, which may read ``previous``: the
    ``compare`` field of the entry before it (null for the record's first entry)."""
    previous = (
        model.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values(compare)[:1]
    )
    entries = (
        model.history.filter(id=OuterRef("pk"), history_date__gt=since)
        .annotate(previous=Subquery(previous))
        .filter(became)
        .order_by("-history_date", "-history_id")
        .values(value)[:1]
    )
    return Subquery(entries)


def _became(field: str, values: list[str]) -> Q:
    """An entry whose ``field`` is one of ``values`` and was not before: the record's creation
    with it, or a change from another value. A change with no entry before it (a record loaded
    without history) says nothing of what it was, so it is not taken for the change."""
    created = Q(previous__isnull=True, history_type="+")
    return Q(**{f"{field}__in": values}) & (created | ~Q(previous=F(field)))


def changes_since(user, since: datetime.datetime, limit: int) -> tuple[list[Change], bool]:
    """What changed on the reader's boards since ``since``, newest first, at most ``limit``,
    and whether there were more. Only records the reader may see now. Four queries (papers
    published, minutes approved, notices signed or published, meetings added or moved), each
    of a correlated subquery on the history table; none when the reader sits on no board."""
    ids = sorted(access.member_board_ids(user))
    if not ids:
        return [], False
    changes: list[Change] = []

    published = Paper.Status.PUBLISHED
    papers = (
        Paper.objects.visible_to(user)
        .filter(board_id__in=ids)
        .select_related("board")
        .annotate(at=_newest(Paper, _became("status", [published]), since, compare="status"))
        .filter(at__isnull=False)
        .order_by("-at")[: limit + 1]
    )
    changes += [
        Change("Paper published", p.title, p.get_absolute_url(), p.board.name, p.at) for p in papers
    ]

    meetings = Meeting.objects.visible_to(user).filter(board_id__in=ids).select_related("board")
    approved = Meeting.MinutesStatus.APPROVED
    minutes = (
        meetings.annotate(
            at=_newest(
                Meeting, _became("minutes_status", [approved]), since, compare="minutes_status"
            )
        )
        .filter(at__isnull=False)
        .order_by("-at")[: limit + 1]
    )
    changes += [
        Change("Minutes approved", _meeting_title(m), m.get_absolute_url(), m.board.name, m.at)
        for m in minutes
    ]

    moved = Q(previous__isnull=False) & ~Q(previous=F("date"))
    added_or_moved = (
        meetings.annotate(
            added_at=_newest(Meeting, Q(history_type="+"), since, compare="date"),
            moved_at=_newest(Meeting, moved & Q(history_type="~"), since, compare="date"),
        )
        .annotate(at=Coalesce("moved_at", "added_at"))
        .filter(at__isnull=False)
        .order_by("-at")[: limit + 1]
    )
    changes += [
        Change(
            "Meeting moved" if m.moved_at else "Meeting added",
            _meeting_title(m),
            m.get_absolute_url(),
            m.board.name,
            m.at,
        )
        for m in added_or_moved
    ]

    signed = [DecisionNotice.Status.SIGNED, DecisionNotice.Status.PUBLISHED]
    became_signed = _became("status", signed)
    notices = (
        DecisionNotice.objects.visible_to(user)
        .filter(meeting__board_id__in=ids)
        .select_related("meeting__board")
        .annotate(
            at=_newest(DecisionNotice, became_signed, since, compare="status"),
            became=_newest(DecisionNotice, became_signed, since, compare="status", value="status"),
        )
        .filter(at__isnull=False)
        .order_by("-at")[: limit + 1]
    )
    changes += [
        Change(
            "Decision notice published"
            if n.became == DecisionNotice.Status.PUBLISHED
            else "Decision notice signed",
            n.title,
            n.get_absolute_url(),
            n.meeting.board.name,
            n.at,
        )
        for n in notices
    ]
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:limit], len(changes) > limit


def _meeting_title(meeting: Meeting) -> str:
    return f"{meeting.board.name}, {date_format(meeting.date, 'j F Y')}"


def next_meetings(user) -> list[dict]:
    """The reader's boards by name, each with its next ``NEXT_MEETINGS`` meetings from today
    (``meetings``) and, on each meeting, ``papers_published`` and ``papers_not_published``: its
    papers the reader may see, published and not yet. Two queries (boards, meetings with the
    counts as subqueries) whatever the number of boards; none when the reader sits on none."""
    ids = sorted(access.member_board_ids(user))
    if not ids:
        return []
    boards = list(Board.objects.filter(pk__in=ids).order_by("name"))
    papers = Paper.objects.visible_to(user).filter(meeting=OuterRef("pk")).order_by()

    def count(status: str) -> Coalesce:
        counted = papers.filter(status=status).values("meeting").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    meetings = (
        Meeting.objects.visible_to(user)
        .filter(board_id__in=ids, date__gte=datetime.date.today())
        .select_related("board")
        .annotate(
            place=Window(RowNumber(), partition_by=[F("board_id")], order_by=[F("date").asc()])
        )
        .filter(place__lte=NEXT_MEETINGS)
        .annotate(
            papers_published=count(Paper.Status.PUBLISHED),
            papers_not_published=count(Paper.Status.DRAFT),
        )
        .order_by("date")
    )
    by_board: dict[int, list[Meeting]] = {pk: [] for pk in ids}
    for meeting in meetings:
        by_board[meeting.board_id].append(meeting)
    return [{"board": board, "meetings": by_board[board.pk]} for board in boards]
