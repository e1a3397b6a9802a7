"""A signed-in reader's own pages: their home (``/my/``) and the full list of what changed.

Never cached by anyone (``never_cache``: private, no-store), since they are per reader. The
home page moves the reader's last visit on a GET that a person asked for: never on a HEAD, nor
on a browser's prefetch or prerender, which nobody reads.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from boards import access
from boards.models import ReaderVisit

from ..pages.mine import HOME_CHANGES, MORE_CHANGES, changes_since, next_meetings


def _is_prefetch(request: HttpRequest) -> bool:
    """Whether the browser fetched the page ahead of the reader (Chrome's ``Sec-Purpose``,
    older ``Purpose`` and Firefox's ``X-Moz`` headers). No query."""
    purpose = " ".join(
        request.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
    ).lower()
    return "prefetch" in purpose or "prerender" in purpose or "preview" in purpose


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The reader's boards and next meetings, and the changes since their last visit (counted
    before the visit is moved). Queries: last visit, memberships, boards, meetings, four of
    changes (none on a first visit), the visit's upsert (two), whatever the numbers of boards
    and changes."""
    user = request.user
    since = ReaderVisit.last_seen(user)
    changes, more = changes_since(user, since, HOME_CHANGES) if since else ([], False)
    context = {
        "boards": next_meetings(user),
        "is_member": bool(access.member_board_ids(user)),
        "sees_everything": access.sees_everything(user),
        "since": since,
        "changes": changes,
        "more": more,
    }
    response = render(request, "mine/home.html", context)
    if request.method == "GET" and not _is_prefetch(request):
        ReaderVisit.record(user, previous=since)
    return response


@never_cache
@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """Every change (up to ``MORE_CHANGES``) the home page counted from: since the visit before
    the last one, so the list the home page cut short is the one continued here. Does not move
    the visit. Queries: the visit, memberships, four of changes."""
    visit = ReaderVisit.objects.filter(user=request.user).first()
    since = visit.previous_seen_at if visit else None
    changes, more = changes_since(request.user, since, MORE_CHANGES) if since else ([], False)
    context = {"since": since, "changes": changes, "more": more, "limit": MORE_CHANGES}
    return render(request, "mine/changes.html", context)
