"""Who may see what. Every queryset's ``visible_to`` asks these functions.

Three kinds of reader:
- OPCC staff (``is_staff``) see everything: drafts, exempt items, private boards.
- Board members (a login linked to a Person with a current membership) also see the
  exempt items, exempt papers, draft minutes and private records of their own boards.
- Everyone else (the public, anonymous) sees published, public records of public boards.
"""

from __future__ import annotations

import hashlib

from django.db.models import Q

from .models.memberships import Membership

_CACHE_ATTR = "_minutebook_board_ids"


def sees_everything(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def member_board_ids(user) -> frozenset[int]:
    """Boards on which ``user`` currently sits. One query the first time per request user, then cached."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.current()
            .filter(person__user=user)
            .values_list("board_id", flat=True)
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def is_entitled(user, board_id: int) -> bool:
    """The Python form of ``entitled_q`` for one board: staff, or a sitting member of it."""
    return sees_everything(user) or board_id in member_board_ids(user)


def entitled_q(user, board_path: str) -> Q:
    """A filter that is true where the reader is entitled to restricted records of the board at ``board_path``.

    ``board_path`` is the lookup from the queried model to its board id, e.g. ``"meeting__board_id"``.
    """
    if sees_everything(user):
        # Always true, even where the board path is null. Not Q(): an empty Q drops out of an
        # OR, which would turn "public or entitled" into "public".
        return Q(pk__isnull=False)
    ids = member_board_ids(user)
    if not ids:
        return Q(pk__in=[])
    return Q(**{f"{board_path}__in": sorted(ids)})


def reader_class(user) -> str:
    """The reader's visibility class: ``staff``, ``members-<hash of boards>`` or ``public``.

    Two readers of one class see exactly the same records, so caches of what a reader may see
    are keyed by it. Costs the (cached) membership query for a signed-in non-staff reader.
    """
    if sees_everything(user):
        return "staff"
    ids = member_board_ids(user)
    if ids:
        joined = ",".join(str(i) for i in sorted(ids))
        return "members-" + hashlib.sha256(joined.encode()).hexdigest()[:16]
    return "public"
