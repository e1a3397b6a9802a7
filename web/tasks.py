"""Jobs of the site: PDFs rendered ahead of their first reader.

Each is a ``jobs.api.job``: it takes ids, reads the records when it runs, and is idempotent
(rendering ahead stores bytes under the hash of the HTML, so running it twice stores the same
bytes once; a rebuild writes every row again). The receivers that enqueue the PDFs are in
``web.receivers``; staff enqueue a rebuild from the jobs admin or ``rebuild_search_index --job``.

PDFs are rendered for every reader class that exists: the public (anonymous), and the class of
each active staff login and each login that sits on a board (``readers``). Classes whose HTML is
the same share one render. A reader class no login holds yet renders on demand, as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404

from boards.access import reader_class
from boards.models import Meeting, Membership
from decisions.models import DecisionNotice
from jobs.api import job, progress
from minutebook.pdf import PdfDocument, RenderersBusy, prepare_pdf

from .pages.meetings import minutes_meeting, visible_meeting
from .views.pdfs import minutes_document, notice_document, pack_document

#: How long a job waits for this process's render slot (taken by a reader's request) before
#: giving up and failing, to be retried.
BUSY_WAIT_SECONDS = 30


def site_url() -> str:
    """The base URL PDFs are rendered against ("https://example.org/"); "" when unset."""
    url = settings.MINUTEBOOK_SITE_URL
    return url.rstrip("/") + "/" if url else ""


def readers() -> dict[str, object]:
    """One user per reader class that exists, keyed by class: anonymous for "public", then
    each active staff login and each active login with a current membership. Costs two
    queries and each login's permission and membership reads."""
    found: dict[str, object] = {"public": AnonymousUser()}
    members = Membership.objects.current().filter(person__user__isnull=False)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(pk__in=members.values("person__user")))
        .order_by("pk")
    )
    for user in users:
        found.setdefault(reader_class(user), user)
    return found


def _prepare(document: PdfDocument, base_url: str, rendered: dict[str, bytes]) -> bool:
    """``prepare_pdf``, waiting for the render slot while a reader's request holds it."""
    deadline = time.monotonic() + BUSY_WAIT_SECONDS
    while True:
        try:
            return prepare_pdf(document, base_url=base_url, rendered=rendered)
        except RenderersBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _render_for_readers(documents: Callable[[object], PdfDocument | None]) -> int:
    """Render the document ``documents(user)`` gives for each reader class (None or Http404:
    that class may not read it). Returns the renders done; progress after each class."""
    base_url = site_url()
    if not base_url:
        progress(0, 0, "MINUTEBOOK_SITE_URL is not set: nothing rendered ahead")
        return 0
    classes = readers()
    rendered: dict[str, bytes] = {}
    renders = 0
    for done, (name, user) in enumerate(classes.items(), start=1):
        try:
            document = documents(user)
        except Http404:
            document = None
        if document is not None:
            renders += _prepare(document, base_url, rendered)
        progress(done, len(classes), f"{renders} rendered; last reader class {name}")
    return renders


@job("Render approved minutes as PDF")
def render_minutes_ahead(meeting_pk: int) -> int:
    """The minutes PDF of an approved meeting for every reader class that may read it. Does
    nothing once the minutes are no longer approved (reopened since). Returns the renders."""
    meeting = Meeting.objects.select_related("board").filter(pk=meeting_pk).first()
    if meeting is None or not meeting.minutes_locked:
        return 0
    slug, date = meeting.board.slug, meeting.date
    return _render_for_readers(
        lambda user: minutes_document(user, minutes_meeting(user, slug, date))
    )


@job("Render a signed decision notice as PDF")
def render_notice_ahead(notice_pk: int) -> int:
    """The notice's PDF for every reader class that may see it, once it is signed (or later in
    its lifecycle); a draft is left alone. Returns the renders."""
    notice = DecisionNotice.objects.filter(pk=notice_pk).only("status").first()
    if notice is None or notice.status not in DecisionNotice.SIGNED_STATES:
        return 0
    return _render_for_readers(lambda user: notice_document(user, notice_pk))


@job("Render a meeting pack as PDF")
def render_pack_ahead(meeting_pk: int) -> int:
    """The meeting's pack (agenda and every paper the reader may see) for every reader class
    that may see the meeting. Returns the renders."""
    meeting = Meeting.objects.select_related("board").filter(pk=meeting_pk).first()
    if meeting is None:
        return 0
    slug, date = meeting.board.slug, meeting.date
    return _render_for_readers(lambda user: pack_document(user, visible_meeting(user, slug, date)))
