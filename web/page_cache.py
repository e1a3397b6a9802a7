"""Public pages served from the shared cache, with ETag, Last-Modified and 304.

``@cached_page`` wraps a page's view. While no record has changed since a class of reader
last got an address (``minutebook.changes.records_token``, dropped by every save, delete,
many-to-many change and queryset ``update``/``bulk_*`` of any record, and again when the
change's transaction commits), the page comes straight from the cache before the view runs:
what that reader may see cannot have changed either. Invalidation is by the token, never by
time, so no worker or host serves a page after a change to a record it shows (a record
hidden included) once the cache is shared (``MINUTEBOOK_CACHE_URL``).

**Who shares an entry.** The key is the reader's page class (``page_reader``), the address
(scheme, host, path and query string) and what the page is built from besides the records (the
release's code, templates and static files; the settings it prints); the token is stored in the entry and
compared on read. The page class is ``anonymous`` for a reader not signed in; for a signed-in
reader it is the access class (``boards.access.reader_class``: what records they may see)
with whether the login opens the admin (the "Edit in the admin" links). Everything else of
one reader (the signed-in name, the sign-out form's CSRF token, messages) is a reader part
(``minutebook.templatetags.reader_parts``): a marker in the entry, rendered per request.

**What is stored.** Only a 200 HTML response of GET or HEAD that sets no cookie, did not
modify the session, used no CSRF token outside a reader part, and was not marked ``private``
or ``no-store`` by its view. Headers are never stored: each response gets its own.

**Validators.** The ETag hashes the page as stored (with markers), with, for a signed-in
reader, the login and the CSRF cookie its parts show; Last-Modified is when this server first
served that hash at that address to that class (``minutebook.conditional.first_served``). A
matching If-None-Match or If-Modified-Since gets 304, except while the reader has messages
waiting, which are shown in full. Cache-Control: ``private, no-cache`` for a signed-in reader;
for the public ``public, max-age=MINUTEBOOK_PAGE_MAX_AGE,
stale-while-revalidate=MINUTEBOOK_PAGE_STALE_WHILE_REVALIDATE`` on pages of settled records
(``settled(request)``, said by the view) and ``public, no-cache`` (a proxy revalidates every
time) on the rest.

Costs on a hit: one cache round trip (the entry and the token together), no query for the
public (a session cookie costs its session query); a signed-in reader's session, user,
permission and membership queries as on any page, and the render of three small parts.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import Context, engines
from django.utils.http import http_date

from boards.access import reader_class
from minutebook.changes import TOKEN_KEY, records_token
from minutebook.conditional import (
    digest_of,
    etag_of,
    first_served,
    not_modified,
    release_fingerprint,
)
from minutebook.templatetags import reader_parts

# The version changes whenever Entry does, so a deploy never reads an entry of another shape.
CACHE_PREFIX = "minutebook:page:v1"
PARTS = ("_reader_nav.html", "_reader_messages.html", "_reader_footer.html")
SETTLED = "_minutebook_page_settled"
# Headers each response gets for itself, never stored.
VALIDATORS = {"content-length", "etag", "last-modified", "cache-control", "set-cookie", "vary"}


@dataclass(frozen=True)
class Entry:
    """A stored page: the token it was built under, its HTML with reader-part markers, the
    digest of that HTML, whether it shows settled records, the headers its view set (its
    content type among them), and when this server first served it (unix time)."""

    token: str
    body: bytes
    digest: str
    settled: bool
    headers: tuple[tuple[str, str], ...]
    first_served: int


def settled(request: HttpRequest, is_settled: bool = True) -> None:
    """Say that this page shows settled records (approved minutes, a published paper, a signed
    notice): the public may be told to keep it for ``MINUTEBOOK_PAGE_MAX_AGE`` seconds."""
    setattr(request, SETTLED, bool(is_settled))


def page_reader(user) -> str:
    """The class of reader whose pages are shared: ``anonymous``, or the signed-in reader's
    access class and whether the login opens the admin. Costs the (cached) permission and
    membership queries of a signed-in reader; none for the public."""
    if not user.is_authenticated:
        return "anonymous"
    return f"{reader_class(user)}:{'admin' if user.is_staff else 'site'}"


# What a page is built from besides the records: the release (``release_fingerprint``: the
# code, templates and static files) and the settings a page prints (read on every request, so
# a changed setting is never answered with old pages).
PRINTED_SETTINGS = ("PAGE_SIZE", "STATIC_URL", "LANGUAGE_CODE", "TIME_ZONE")


def _settings_fingerprint() -> str:
    names = sorted(name for name in dir(settings) if name.startswith("MINUTEBOOK_"))
    return repr([(name, getattr(settings, name)) for name in [*names, *PRINTED_SETTINGS]])


def _key(request: HttpRequest, reader: str) -> str:
    """The entry's key: this release and its settings, this class of reader, this address, and
    today's date (pages say what is upcoming, recent or overdue as of today: a new day is a
    new page even when no record changed)."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    today = datetime.date.today().isoformat()
    built_from = digest_of(release_fingerprint(), _settings_fingerprint(), address, today)
    return f"{CACHE_PREFIX}:{reader}:{built_from[:40]}"


def _seconds() -> int:
    return settings.MINUTEBOOK_PAGE_CACHE_SECONDS


def fill(body: bytes, request: HttpRequest) -> bytes:
    """``body`` with each reader part rendered for ``request`` in place of its marker. Runs
    the context processors once; costs what the parts read (a signed-in reader's user, which
    the page has read already, and the messages' session, none for the public)."""
    markers = [(name, reader_parts.marker(name).encode()) for name in PARTS]
    present = [(name, m) for name, m in markers if m in body]
    if not present:
        return body
    engine = engines["django"].engine
    values: dict = {}
    for processor in engine.template_context_processors:
        values.update(processor(request))
    context = Context(values, autoescape=engine.autoescape)
    for name, m in present:
        body = body.replace(m, engine.get_template(name).render(context).encode())
    return body


def _identity(request: HttpRequest, reader: str) -> str:
    """What the reader parts show of this reader, for the ETag: nothing for the public; the
    login and CSRF cookie for a signed-in reader."""
    if reader == "anonymous":
        return ""
    user = request.user
    return f"{user.pk}:{user.get_username()}:{request.COOKIES.get(settings.CSRF_COOKIE_NAME, '')}"


def _cache_control(reader: str, entry: Entry, messages: bool) -> str:
    if reader != "anonymous" or messages:
        return "private, no-cache"
    if entry.settled and settings.MINUTEBOOK_PAGE_MAX_AGE:
        return (
            f"public, max-age={settings.MINUTEBOOK_PAGE_MAX_AGE}, "
            f"stale-while-revalidate={settings.MINUTEBOOK_PAGE_STALE_WHILE_REVALIDATE}"
        )
    return "public, no-cache"


def _respond(request: HttpRequest, reader: str, entry: Entry) -> HttpResponse:
    """The page of ``entry`` for this request: 304 when its validators match, else 200 with
    the reader parts filled in."""
    messages = bool(len(get_messages(request)))
    identity = _identity(request, reader)
    etag = etag_of(digest_of(entry.digest, identity) if identity else entry.digest)
    response = None if messages else not_modified(request, etag, entry.first_served)
    if response is None:
        response = HttpResponse(fill(entry.body, request))
        for header, value in entry.headers:
            response[header] = value
    response["ETag"] = etag
    response["Last-Modified"] = http_date(entry.first_served)
    response["Cache-Control"] = _cache_control(reader, entry, messages)
    return response


def _storable(request: HttpRequest, response: HttpResponse, csrf_before: bool) -> bool:
    """Whether ``response`` may be kept for every reader of its class (see the module)."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not csrf_before:
        return False  # a CSRF token outside the reader parts: this page is one reader's
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s page from the shared cache while no record has changed (see the
    module). Off (the view always runs, validators still given) with
    ``MINUTEBOOK_PAGE_CACHE=0``."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        reader = page_reader(request.user)
        key = _key(request, reader)
        found = cache.get_many([TOKEN_KEY, key]) if settings.MINUTEBOOK_PAGE_CACHE else {}
        entry = found.get(key)
        if entry is not None and entry.token == found.get(TOKEN_KEY):
            return _respond(request, reader, entry)
        # Read before building: a change while the page is built drops it, so what is stored
        # under it never matches again.
        token = found.get(TOKEN_KEY) or records_token()
        csrf_before = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        reader_parts.record(request)
        try:
            response = view(request, *args, **kwargs)
        finally:
            reader_parts.stop_recording(request)
        if not _storable(request, response, csrf_before):
            if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
                response.content = fill(response.content, request)
            return response
        body = response.content
        digest = digest_of(body)
        entry = Entry(
            token=token,
            body=body,
            digest=digest,
            settled=getattr(request, SETTLED, False),
            headers=tuple(
                (header, value)
                for header, value in response.items()
                if header.lower() not in VALIDATORS
            ),
            first_served=first_served(f"{CACHE_PREFIX}:seen:{key}", digest, _seconds()),
        )
        if settings.MINUTEBOOK_PAGE_CACHE:
            cache.set(key, entry, _seconds())
        return _respond(request, reader, entry)

    return wrapped
