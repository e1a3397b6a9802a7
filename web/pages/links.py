"""Links to related records, shown only where the reader may see the target.

A page lists records that point at others (a recommendation at its notice, an agreement at its
paper). The target is linked only when it is among the records the reader may see, read once
through the target's ``visible_to``: what the reader may not see is not named either.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.http import urlencode


def visible_by_id(visible: QuerySet, ids: Iterable[int | None]) -> dict[int, Model]:
    """The records of ``visible`` (a ``visible_to`` queryset) among ``ids``, by primary key.
    One query; none when there are no ids."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {record.pk: record for record in visible.filter(pk__in=wanted)}


def link_visible(records: Iterable[Model], field: str, visible: dict[int, Model]) -> None:
    """Set ``visible_<field>`` on each record: its ``field`` target when visible, else None.
    No query."""
    for record in records:
        setattr(record, f"visible_{field}", visible.get(getattr(record, f"{field}_id")))


def lines_url(**record: int) -> str:
    """The list of financial lines narrowed to one record's money (``paper=``, ``notice=`` or
    ``function=`` its key): the lines its page totals. No query."""
    return f"{reverse('finance:lines')}?{urlencode(record)}"
