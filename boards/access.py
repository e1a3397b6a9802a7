"""Who may see what: the roles, and the rule every queryset's ``visible_to`` asks.

Roles are permissions, never a side effect of ``is_staff`` (which only opens the admin):
- OPCC staff and signatories (permission ``boards.read_restricted``, given to the "OPCC staff"
  and "Signatories" groups; superusers have every permission) see everything on the site:
  drafts, exempt items, private boards.
- Finance officers (permission ``boards.read_all_money``, given to the "Finance officers"
  group) read every financial line and total on /finance/ and its exports, and otherwise read
  the site as the public does (no draft minutes, exempt items or private boards).
- Board members (a login linked to a Person with a current membership) also see the exempt
  items, exempt papers, draft minutes and private records of their own boards.
- Everyone else (the public, anonymous) sees published, public records of public boards.
The two permissions count only on staff logins. A login may hold several roles (a finance
officer who sits on a board); each adds to what it reads.
"""

from __future__ import annotations

import hashlib

from django.db.models import Q

from .models.memberships import Membership

_CACHE_ATTR = "_minutebook_board_ids"
_ROLES_ATTR = "_minutebook_roles"


READ_RESTRICTED = "boards.read_restricted"
READ_ALL_MONEY = "boards.read_all_money"


def _has(user, permission: str) -> bool:
    """Whether a staff login holds the role. The roles are OPCC roles, held by staff logins
    (``is_staff`` opens the admin; the permission says what they read): a board member's login
    is never asked, so it costs nothing. Costs a staff login's permission query once per
    request user (``minutebook.auth`` caches them); none for a superuser. The answer is kept on the user
    object, as Django keeps its permissions: a page asks a dozen times, and each ``has_perm``
    walks the authentication backends again."""
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    roles = getattr(user, _ROLES_ATTR, None)
    if roles is None:
        roles = {}
        setattr(user, _ROLES_ATTR, roles)
    if permission not in roles:
        roles[permission] = user.has_perm(permission)
    return roles[permission]


def sees_everything(user) -> bool:
    """OPCC staff: every record, restricted or not."""
    return _has(user, READ_RESTRICTED)


def reads_all_money(user) -> bool:
    """Every financial line and stored total, whatever its record (finance officers, staff)."""
    return sees_everything(user) or _has(user, READ_ALL_MONEY)


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
    """The reader's visibility class: ``staff``, or ``public`` / ``money`` (finance officers)
    followed by ``-members-<hash of boards>`` for a board member.

    Two readers of one class see exactly the same records, so caches of what a reader may see
    are keyed by it. Costs the (cached) permission and membership queries of a signed-in reader.
    """
    if sees_everything(user):
        return "staff"
    base = "money" if reads_all_money(user) else "public"
    ids = member_board_ids(user)
    if ids:
        joined = ",".join(str(i) for i in sorted(ids))
        return f"{base}-members-" + hashlib.sha256(joined.encode()).hexdigest()[:16]
    return base
