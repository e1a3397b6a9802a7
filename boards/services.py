"""Operations that move a meeting's minutes through their lifecycle. Admin and commands call these.

This module holds the key of ``Meeting.lifecycle``: reopening is the one change approved
minutes accept, and only from here.
"""

import datetime

from django.db import transaction

from .models import Meeting, Person

_KEY = Meeting.lifecycle.claim()


@transaction.atomic
def approve_minutes(
    *,
    meeting: Meeting,
    approved_at: Meeting | None = None,
    signed_by: Person | None = None,
    signed_on: datetime.date | None = None,
) -> Meeting:
    """Approve draft minutes and lock them. Unknown approval facts stay empty. One history entry."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != Meeting.MinutesStatus.DRAFT:
        raise ValueError(
            f"Only draft minutes can be approved; {meeting} has {meeting.get_minutes_status_display().lower()} minutes."
        )
    meeting.minutes_status = Meeting.MinutesStatus.APPROVED
    meeting.minutes_approved_at = approved_at
    meeting.minutes_signed_by = signed_by
    meeting.minutes_signed_on = signed_on
    meeting.full_clean()
    meeting._change_reason = "Minutes approved"
    meeting.save()
    return meeting


@transaction.atomic
def reopen_minutes(*, meeting: Meeting, reason: str, user=None) -> Meeting:
    """Return approved minutes to draft so they can be corrected; the reason goes into the
    history. Raises ValueError without a reason or when the minutes are not approved. Three
    queries and the history row: the meeting locked and read, read again by the lock check, saved."""
    if not reason or not reason.strip():
        raise ValueError("Give the reason for reopening approved minutes.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != Meeting.MinutesStatus.APPROVED:
        raise ValueError(
            f"The minutes of {meeting} are not approved, so there is nothing to reopen."
        )
    meeting.minutes_status = Meeting.MinutesStatus.DRAFT
    meeting._change_reason = f"Minutes reopened: {reason.strip()}"
    if user is not None:
        meeting._history_user = user
    with _KEY.opening(meeting):
        meeting.save()
    return meeting
