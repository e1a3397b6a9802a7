"""The home page: upcoming and recent meetings, the latest decisions and papers."""

from __future__ import annotations

import datetime

from boards.models import Meeting, Paper
from decisions.models import DecisionNotice

SHOWN = 8


def home_context(user) -> dict:
    """Four queries: upcoming meetings, recent meetings, latest notices, latest papers."""
    today = datetime.date.today()
    meetings = Meeting.objects.visible_to(user).select_related("board")
    return {
        "upcoming": meetings.filter(date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date")[:SHOWN],
        "recent": meetings.filter(date__lt=today).order_by("-date")[:SHOWN],
        "decisions": DecisionNotice.objects.visible_to(user)
        .taken()
        .order_by("-signed_on", "-pk")[:SHOWN],
        "papers": Paper.objects.visible_to(user)
        .select_related("board")
        .order_by("-date", "-pk")[:SHOWN],
    }
