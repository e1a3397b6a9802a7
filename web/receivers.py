"""What the site does when records are locked or published: render their PDFs in the
background (``web.tasks``), so the first reader never waits for a render.

Connected per sender in ``WebConfig.ready()``:
- ``boards.services.minutes_approved`` (sender Meeting) -> ``render_minutes_ahead``;
- ``decisions.services.notice_signed`` and ``notice_published`` (sender DecisionNotice) ->
  ``render_notice_ahead``;
- ``post_save`` of Paper, when the paper is published on a meeting -> ``render_pack_ahead``
  for that meeting (the pack is the slowest PDF of all).

Each enqueues inside the transaction that caused it; the job runs once it commits (see
``jobs.api.enqueue``), keyed by the record, so a burst of saves while one is queued enqueues
it once. With ``MINUTEBOOK_SITE_URL`` unset nothing can be rendered ahead (the PDFs' links
would not match the readers'), so nothing is enqueued.
"""

from __future__ import annotations

from django.conf import settings

from boards.models import Meeting, Paper
from decisions.models import DecisionNotice
from jobs.api import enqueue

from . import tasks


def render_minutes_ahead(sender, meeting: Meeting, **kwargs) -> None:
    """Minutes approved: their PDF, for each reader class, once the approval commits."""
    if settings.MINUTEBOOK_SITE_URL:
        enqueue(
            tasks.render_minutes_ahead,
            meeting.pk,
            key=f"pdf:minutes:{meeting.pk}",
            record=meeting,
        )


def render_notice_ahead(sender, notice: DecisionNotice, **kwargs) -> None:
    """A notice signed or published: its PDF, for each reader class, once that commits."""
    if settings.MINUTEBOOK_SITE_URL:
        enqueue(
            tasks.render_notice_ahead,
            notice.pk,
            key=f"pdf:notice:{notice.pk}",
            record=notice,
        )


def render_pack_ahead(sender, instance: Paper, raw: bool = False, **kwargs) -> None:
    """A published paper of a meeting saved: that meeting's pack, once the save commits.
    Never for fixtures being loaded (``raw``)."""
    if (
        settings.MINUTEBOOK_SITE_URL
        and not raw
        and instance.meeting_id
        and instance.status == Paper.Status.PUBLISHED
    ):
        enqueue(
            tasks.render_pack_ahead,
            instance.meeting_id,
            key=f"pdf:pack:{instance.meeting_id}",
            record=("boards.meeting", instance.meeting_id),
        )
