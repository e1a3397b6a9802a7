"""When a signed-in reader last looked at their home page (``/my/``), for "since your last visit".

Not a governance record: no history, no version, and saving one does not drop the records token
(``boards.apps`` leaves it out of ``changes.watch``), since it changes no page but the reader's own.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReaderVisit(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="home_visit"
    )
    seen_at = models.DateTimeField(help_text="When the reader last saw their home page.")
    previous_seen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The visit before that: the start of what the last showing listed as new. "
        "Blank after the first visit.",
    )

    class Meta:
        verbose_name = "reader's last visit"

    def __str__(self) -> str:
        return f"{self.user} at {self.seen_at:%Y-%m-%d %H:%M}"

    @classmethod
    def last_seen(cls, user) -> datetime.datetime | None:
        """When ``user`` last saw the home page, or None before the first visit. One query."""
        return cls.objects.filter(user=user).values_list("seen_at", flat=True).first()

    @classmethod
    def record(cls, user, *, previous: datetime.datetime | None) -> datetime.datetime:
        """Record a showing of the home page now, keeping ``previous`` (what the showing counted
        from) for the "more" list. Returns the new time. One upsert (two queries: select, write)."""
        now = timezone.now()
        cls.objects.update_or_create(
            user=user, defaults={"seen_at": now, "previous_seen_at": previous}
        )
        return now
