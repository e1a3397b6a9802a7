"""The attachments a page lists: those the reader may see, of the records the page shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from documents.models import Attachment


def attachments_of(user, field: str, keys: Iterable[int]) -> dict[int, list[Attachment]]:
    """The attachments the reader may see of the records whose keys are ``keys``, by key, in
    the order uploaded; ``field`` is "paper", "agenda_item" or "notice". One query whatever
    the number of records or attachments; none when there is no key."""
    keys = sorted({key for key in keys if key is not None})
    found: dict[int, list[Attachment]] = defaultdict(list)
    if not keys:
        return found
    column = f"{field}_id"
    rows = Attachment.objects.visible_to(user).filter(**{f"{column}__in": keys}).listed()
    for attachment in rows.defer("text"):
        found[getattr(attachment, column)].append(attachment)
    return found
