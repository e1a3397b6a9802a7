"""Operations that move a meeting's minutes through their lifecycle. Admin and commands call these.

This module holds the key of ``Meeting.lifecycle``: reopening is the one change approved
minutes accept, and only from here. Permissions are checked here, so every caller gets the
same rule: "Can approve minutes" (``boards.approve_minutes``) and "Can reopen approved minutes"
(``boards.reopen_minutes``).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal

from .models import Meeting, Person

_KEY = Meeting.lifecycle.claim()

# Sent with sender=Meeting, meeting=<the approved meeting>, inside the transaction that approves
# the minutes; the site renders the minutes PDF in the background once it commits
# (web.receivers.render_minutes_ahead).
minutes_approved = Signal()

APPROVE_PERMISSION = "boards.approve_minutes"
REOPEN_PERMISSION = "boards.reopen_minutes"
REOPEN_PREFIX = "Minutes reopened: "
#: The history keeps a change reason of 100 characters; the prefix takes the rest.
REOPEN_REASON_LENGTH = 100 - len(REOPEN_PREFIX)


class _Recorded:
    """The default of an approval fact: keep what the meeting already records."""

    def __repr__(self) -> str:
        return "RECORDED"


RECORDED = _Recorded()


@transaction.atomic
def start_minutes(*, meeting: Meeting, user=None, reason: str = "Minutes started") -> bool:
    """Minutes "not recorded" become draft once something is minuted at ``meeting`` (a
    paragraph typed under one of its items), so its members see them before approval. Nothing
    for draft or approved minutes, or a cancelled meeting. True when it moved them; one or two
    queries and the history row."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if (
        meeting.minutes_status != Meeting.MinutesStatus.NONE
        or meeting.status == Meeting.Status.CANCELLED
        or not meeting.items.filter(paragraphs__isnull=False).exists()
    ):
        return False
    meeting.minutes_status = Meeting.MinutesStatus.DRAFT
    meeting._change_reason = reason
    if user is not None:
        meeting._history_user = user
    meeting.save()
    return True


@transaction.atomic
def approve_minutes(
    *,
    meeting: Meeting,
    by,
    approved_at: Meeting | None | _Recorded = RECORDED,
    signed_by: Person | None | _Recorded = RECORDED,
    signed_on: datetime.date | None | _Recorded = RECORDED,
) -> Meeting:
    """Approve draft minutes and lock them, recording the meeting that approved them, who signed
    them and when. A fact not given keeps what the meeting records (``RECORDED``); ``None``
    records it as not known. ``by`` must hold "Can approve minutes" (PermissionDenied); minutes
    that are not draft, or facts that do not fit the meeting, raise ValueError or
    ValidationError naming the field. One history entry ("Minutes approved")."""
    if by is None or not by.has_perm(APPROVE_PERMISSION):
        raise PermissionDenied("You do not have permission to approve minutes.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != Meeting.MinutesStatus.DRAFT:
        raise ValueError(
            f"Only draft minutes can be approved; {meeting} has {meeting.get_minutes_status_display().lower()} minutes."
        )
    meeting.minutes_status = Meeting.MinutesStatus.APPROVED
    if approved_at is not RECORDED:
        meeting.minutes_approved_at = approved_at
    if signed_by is not RECORDED:
        meeting.minutes_signed_by = signed_by
    if signed_on is not RECORDED:
        meeting.minutes_signed_on = signed_on
    meeting.full_clean()
    meeting._change_reason = "Minutes approved"
    meeting._history_user = by
    meeting.save()
    minutes_approved.send(sender=Meeting, meeting=meeting)
    return meeting


@transaction.atomic
def reopen_minutes(*, meeting: Meeting, reason: str, user=None) -> Meeting:
    """Return approved minutes to draft so they can be corrected; the reason goes into the
    history. ``user`` must hold "Can reopen approved minutes" (PermissionDenied); ``None`` is the
    command line (``manage.py reopen_minutes``), whose operator holds the server. Raises
    ValueError without a reason or when the minutes are not approved. Three queries and the
    history row: the meeting locked and read, read again by the lock check, saved."""
    if user is not None and not user.has_perm(REOPEN_PERMISSION):
        raise PermissionDenied("You do not have permission to reopen approved minutes.")
    if not reason or not reason.strip():
        raise ValueError("Give the reason for reopening approved minutes.")
    if len(reason.strip()) > REOPEN_REASON_LENGTH:
        raise ValueError(
            f"Give the reason in at most {REOPEN_REASON_LENGTH} characters "
            "(the history keeps no more)."
        )
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != Meeting.MinutesStatus.APPROVED:
        raise ValueError(
            f"The minutes of {meeting} are not approved, so there is nothing to reopen."
        )
    meeting.minutes_status = Meeting.MinutesStatus.DRAFT
    meeting._change_reason = f"{REOPEN_PREFIX}{reason.strip()}"
    if user is not None:
        meeting._history_user = user
    with _KEY.opening(meeting):
        meeting.save()
    return meeting
