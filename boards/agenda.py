"""Building a meeting's agenda and attendance from what its board already has: the agenda of
an earlier meeting, the board's standing items, the memberships current on the meeting's day.

Each service is one transaction on the meeting (locked for update, so two secretaries pressing
the button at once do not both add), refuses a meeting whose minutes are approved with a
message (``ValueError``), adds only what is not there already, and returns the ``Plan`` it
carried out so the admin can say what it did. The ``plan_*`` functions are the same work
without writing, for the confirmation pages.

What is copied, and what is not:

- an agenda item's number, title, presenter and order, and its exemption with the reason and paragraph: an
  item exempt at the earlier meeting stays exempt, so copying never makes a hidden title
  public (the secretary clears the flag if this meeting's item is open). Not its paper (this
  meeting's papers are new), its minute paragraphs, actions or declarations;
- a standing item's number, title, presenter and order;
- attendance: one row per person whose membership of the board is current on the meeting's
  day (``Membership.objects.current``), with the membership's title, as "Member present". The
  model needs a capacity and nothing yet says who came: the secretary corrects apologies and
  those in attendance, as the confirmation page says.

An item is left out when the agenda already has one with its number or its title (compared
without case); a person when they are in the attendance already. An item copied without a
number is numbered as any new item is (``AgendaItem.save``: the next number when the agenda is
numbered 1, 2, 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Count

from .models import AgendaItem, Attendance, Meeting, Membership

# The order people are listed in when the attendance is filled in.
ROLE_ORDER = [
    Membership.Role.CHAIR,
    Membership.Role.VICE_CHAIR,
    Membership.Role.MEMBER,
    Membership.Role.SECRETARY,
]


@dataclass(frozen=True)
class Plan:
    """What a service adds and what it leaves out. ``source`` names where the rows come from
    ("BCB 29 October 2015"); ``add`` holds the new rows in order (unsaved in a plan, saved once
    a service has run); ``skipped`` says, as text, what was there already."""

    source: str
    add: tuple[AgendaItem | Attendance, ...]
    skipped: tuple[str, ...]


def refusal(meeting: Meeting) -> str | None:
    """Why the agenda and attendance of ``meeting`` (as given) cannot be built, or None."""
    if meeting.minutes_locked:
        return (
            f"The minutes of {meeting} are approved and locked, so its agenda and attendance "
            "cannot change. Reopen the minutes with a reason first (manage.py reopen_minutes)."
        )
    return None


def earlier_agendas(meeting: Meeting) -> models.QuerySet[Meeting]:
    """The board's meetings before ``meeting`` that have an agenda, newest first, each with
    ``item_count``. No query of its own."""
    return (
        Meeting.objects.filter(board_id=meeting.board_id, date__lt=meeting.date)
        .annotate(item_count=Count("items"))
        .filter(item_count__gt=0)
        .select_related("board")
        .order_by("-date")
    )


def previous_agenda(meeting: Meeting) -> Meeting | None:
    """The board's latest meeting before ``meeting`` with an agenda: the source offered first.
    One query."""
    return earlier_agendas(meeting).first()


# -- plans: what a service would do --------------------------------------------------------------


def _item_plan(meeting: Meeting, source: str, rows: Iterable) -> Plan:
    """New agenda items for ``meeting`` from ``rows`` (agenda or standing items, in order),
    after its last item, leaving out those whose number or title it has. One query for the
    meeting's items."""
    existing = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk).only("number", "title", "position")
    )
    numbers = {item.number for item in existing if item.number}
    titles = {item.title.strip().casefold() for item in existing}
    last = max((item.position for item in existing), default=0)
    add, skipped = [], []
    for row in rows:
        if row.number and row.number in numbers:
            skipped.append(f"{row} (the agenda has an item {row.number})")
            continue
        if row.title.strip().casefold() in titles:
            skipped.append(f"{row} (the agenda has an item with this title)")
            continue
        add.append(
            AgendaItem(
                meeting=meeting,
                position=last + row.position,  # the source's order, after what is there
                number=row.number,
                title=row.title,
                presenter=row.presenter,
                is_exempt=getattr(row, "is_exempt", False),
                exemption_reason=getattr(row, "exemption_reason", ""),
                exemption_paragraph=getattr(row, "exemption_paragraph", ""),
            )
        )
    return Plan(source=source, add=tuple(add), skipped=tuple(skipped))


def plan_agenda_copy(*, meeting: Meeting, source: Meeting) -> Plan:
    """The items ``copy_agenda`` would add from ``source``. ValueError when ``source`` is not
    an earlier meeting of the same board. Two queries: the source's items with their
    presenters, the meeting's items."""
    if source.board_id != meeting.board_id or source.pk == meeting.pk:
        raise ValueError(f"{source} is not a meeting of the same board as {meeting}.")
    if source.date >= meeting.date:
        raise ValueError(f"{source} is not earlier than {meeting}: copy an earlier agenda.")
    rows = (
        AgendaItem.objects.filter(meeting_id=source.pk)
        .select_related("presenter")
        .order_by("position")
    )
    return _item_plan(meeting, str(source), rows)


def plan_standing_items(*, meeting: Meeting) -> Plan:
    """The items ``copy_standing_items`` would add from the board's standing items. Two
    queries (the standing items with their presenters, the meeting's items), and the board if
    ``meeting.board`` is not loaded."""
    rows = meeting.board.standing_items.select_related("presenter").order_by("position")
    return _item_plan(meeting, f"the standing items of {meeting.board.label}", rows)


def _role_rank(membership: Membership) -> int:
    return ROLE_ORDER.index(membership.role) if membership.role in ROLE_ORDER else len(ROLE_ORDER)


def plan_attendance(*, meeting: Meeting) -> Plan:
    """The attendance ``fill_attendance`` would add: the board's memberships current on the
    meeting's day, chair first, one row per person, leaving out people already in the
    attendance. Two queries (the memberships with their people, the attendance), and the
    board if ``meeting.board`` is not loaded."""
    memberships = sorted(
        Membership.objects.filter(board_id=meeting.board_id)
        .current(on=meeting.date)
        .select_related("person"),
        key=lambda m: (_role_rank(m), m.person.full_name, m.pk),
    )
    present = list(
        Attendance.objects.filter(meeting_id=meeting.pk).values_list("person_id", "position")
    )
    there = {person for person, _ in present}
    last = max((position for _, position in present), default=0)
    add: list[Attendance] = []
    skipped: dict[str, None] = {}  # ordered, once per person
    for membership in memberships:
        if membership.person_id in there:
            skipped[f"{membership.person} (already in the attendance)"] = None
        elif all(row.person_id != membership.person_id for row in add):
            # A second membership of someone added above (chair and member) adds no one.
            add.append(
                Attendance(
                    meeting=meeting,
                    person=membership.person,
                    capacity=Attendance.Capacity.MEMBER,
                    title=membership.title,
                    position=last + len(add) + 1,
                )
            )
    day = f"{meeting.date:%-d %B %Y}"
    return Plan(
        source=f"the memberships of {meeting.board.label} on {day}",
        add=tuple(add),
        skipped=tuple(skipped),
    )


# -- services ------------------------------------------------------------------------------------


def _open_meeting(meeting: Meeting) -> Meeting:
    """The meeting read again and locked for the transaction, or ValueError when its minutes
    are approved. One query."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("board").get(pk=meeting.pk)
    )
    reason = refusal(meeting)
    if reason:
        raise ValueError(reason)
    return meeting


def _save(plan: Plan, user, reason: str) -> Plan:
    """Saves the plan's rows one by one (each through its model's locks, with its history
    entry: who, and ``reason``). Per row: the lock check, the insert, the history row.

    Numbered items are saved first: an item left without a number is numbered on saving when
    the agenda is numbered 1, 2, 3 (``AgendaItem.save``), and so takes a number after theirs,
    never one of theirs."""
    for row in sorted(plan.add, key=lambda row: not getattr(row, "number", True)):
        row._change_reason = reason
        if user is not None:
            row._history_user = user
        row.save()
    return plan


@transaction.atomic
def copy_agenda(*, meeting: Meeting, source: Meeting, user=None) -> Plan:
    """Copy the agenda of ``source``, an earlier meeting of the board, onto ``meeting``'s
    (see the module's docstring for what is copied). Returns the plan carried out; ValueError
    for approved minutes or a source that is not an earlier meeting of the board."""
    meeting = _open_meeting(meeting)
    plan = plan_agenda_copy(meeting=meeting, source=source)
    return _save(plan, user, f"Copied from the agenda of {plan.source}")


@transaction.atomic
def copy_standing_items(*, meeting: Meeting, user=None) -> Plan:
    """Copy the board's standing items onto ``meeting``'s agenda. Returns the plan carried
    out; ValueError for approved minutes."""
    meeting = _open_meeting(meeting)
    plan = plan_standing_items(meeting=meeting)
    return _save(plan, user, f"Copied from {plan.source}")


@transaction.atomic
def fill_attendance(*, meeting: Meeting, user=None) -> Plan:
    """Add the board's current members to ``meeting``'s attendance as "Member present", with
    their memberships' titles. Returns the plan carried out; ValueError for approved minutes."""
    meeting = _open_meeting(meeting)
    plan = plan_attendance(meeting=meeting)
    return _save(plan, user, f"Filled in from {plan.source}")


__all__ = [
    "Plan",
    "copy_agenda",
    "copy_standing_items",
    "earlier_agendas",
    "fill_attendance",
    "plan_agenda_copy",
    "plan_attendance",
    "plan_standing_items",
    "previous_agenda",
    "refusal",
]
