"""Serving PDFs: one cache and one set of validators for every document.

Fast path (``pdf_view``): while no record has changed since an address was last served to a
class of reader (``minutebook.changes.records_token``, dropped by every save, delete or
many-to-many change of a record), its validators and bytes come straight from the cache before
the view runs: what the reader may see cannot have changed either. The rest of this docstring
is the slow path.

What "the record changed" means here: **the HTML changed.** Each request builds the document's
HTML from the records the reader may see (a few queries and a template render, milliseconds)
and hashes it together with the renderer fingerprint (WeasyPrint version, options, print.css)
and the base URL. That hash is

- the **ETag**: a request whose If-None-Match matches gets a 304 without any PDF render;
- the **cache key** of the PDF bytes, together with the document's name (record pk) and the
  reader's visibility class: every rendered PDF, draft or locked, is cached by the hash of its
  HTML, so one document is rendered once however often it is asked for.

Hashing the HTML is always right where version numbers are not: minute paragraphs,
attendance and a person's name change without bumping the meeting's ``version``, and a
pack depends on many records. Whatever the reader can see is in the HTML, so a reader who may
see exempt papers gets different HTML, hence a different key, from a public reader; the
visibility class in the key makes that separation explicit as well.

**Rendered ahead:** ``prepare_pdf`` renders a document for one reader class outside any request
(a background job, when minutes are approved or a notice signed) and stores the bytes under the
same key, so the first reader of that class does not wait. It needs the base URL readers use
(``MINUTEBOOK_SITE_URL``): the PDF's links are absolute, so another host is another document.
When ``STORAGES`` has a ``pdfs`` alias (``MINUTEBOOK_PDF_STORAGE``), those PDFs are kept there
too, under the same name parts, and a request whose cache has lost them reads them back, so they
outlive the cache (a restart, an eviction, memcached's item size) on every host.

**Bounded rendering:** when the process already runs ``MINUTEBOOK_PDF_RENDERS`` renders, a
request that needs one more gets 503 with ``Retry-After`` (``MINUTEBOOK_PDF_RETRY_AFTER``
seconds) and nothing is cached for it; a cached document is still served.

**Last-Modified** is when this server first served the current hash of this document to this
class of reader (kept in the cache beside it). It moves forward whenever the content changes,
including a change back to an earlier text, and never claims a date a record does not hold.
If the cache forgets it, the date moves forward, which costs a download, never a stale 304. A
cache shared by all processes (not the per-process default) keeps it consistent across workers;
the PDF bytes of a large pack can exceed memcached's default 1 MB item size.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date

from minutebook.changes import TOKEN_KEY, records_token
from minutebook.conditional import first_served, release_fingerprint

from . import render

CACHE_PREFIX = "minutebook:pdf"
#: The STORAGES alias that keeps PDFs rendered ahead beyond the cache, when configured.
PDF_STORAGE = "pdfs"
DEFAULT_CACHE_SECONDS = 30 * 24 * 3600


@dataclass
class PdfDocument:
    """What a PDF view hands over once it has found the record the reader may see.

    ``name`` identifies the document independently of the reader ("minutes:3"); ``reader`` is
    the reader's visibility class (two readers of one class see the same records). ``build``
    returns the template context; it runs only when the PDF (or its validators) is not already
    cached for this reader and the current state of the records.
    """

    name: str
    reader: str
    template: str
    build: Callable[[], dict[str, Any]]
    filename: str


def _cache_seconds() -> int:
    return int(getattr(settings, "MINUTEBOOK_PDF_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def render_html(document: PdfDocument) -> str:
    """The document's HTML. Deterministic: no clock, no request, no CSRF token in it."""
    return render_to_string(document.template, document.build())


def _headers(etag: str, last_modified: int) -> dict[str, str]:
    return {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        # The content depends on who is signed in: never shared by proxies, always revalidated.
        "Cache-Control": "private, no-cache",
    }


def _respond(request, filename, etag, last_modified, pdf=None) -> HttpResponse | None:
    """A 304 when the validators match; the PDF when given; otherwise None."""
    headers = _headers(etag, last_modified)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None and pdf is not None:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename)
    if response is not None:
        for key, value in headers.items():
            response[key] = value
    return response


def _fast_key(request: HttpRequest, reader: str) -> str:
    """The fast-path key: this address (scheme and host included: the PDF's links are
    absolute), this class of reader, this renderer and this release (the fast path answers
    before the document is built, so a new template or view must not find the old PDF)."""
    address = request.build_absolute_uri(request.path)
    built_by = f"{render.renderer_fingerprint()}:{release_fingerprint()[:16]}"
    return ":".join((CACHE_PREFIX, "fast", address, reader, built_by))


def _serve_known(request: HttpRequest, key: str) -> HttpResponse | None:
    """The response recorded under ``key`` (a 304, or cached bytes) if no record has changed
    since; None otherwise. One cache round trip: the entry and the change token together."""
    found = cache.get_many([TOKEN_KEY, key])
    known = found.get(key)
    if known is None or found.get(TOKEN_KEY) is None or known[0] != found[TOKEN_KEY]:
        return None
    _token, etag, last_modified, pdf, filename = known
    return _respond(request, filename, etag, last_modified, pdf)


def pdf_view(
    reader_of: Callable[[Any], str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A decorator for PDF views with the fast path: while no record has changed since this
    reader's class (``reader_of(request.user)``) last got this address, answer from the cache
    before the view runs (no query for the public; a signed-in reader's session and
    memberships are read as on any page)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = _serve_known(request, _fast_key(request, reader_of(request.user)))
            return response if response is not None else view(request, *args, **kwargs)

        return wrapped

    return decorate


def serve_pdf(request: HttpRequest, document: PdfDocument) -> HttpResponse:
    """200 with the PDF, or 304 when the reader's validators match.

    Called by a view (wrapped in ``pdf_view``) once it has found the record the reader may see.
    Builds the document, hashes its HTML and, when needed, renders it; records the outcome
    for the fast path.
    """
    reader = document.reader
    fast_key = _fast_key(request, reader)
    # Read before building: a change while we build drops it, so this entry never matches.
    token = records_token()
    html = render_html(document)
    base_url = request.build_absolute_uri("/")
    digest = _digest(html, base_url)
    etag = f'"{digest[:40]}"'
    last_modified = _first_served(f"{CACHE_PREFIX}:seen:{document.name}:{reader}", digest)
    bytes_key = _bytes_key(document, digest)
    not_modified = _respond(request, document.filename, etag, last_modified)
    if not_modified is not None:
        cache.set(fast_key, (token, etag, last_modified, None, document.filename), _cache_seconds())
        return not_modified
    pdf = cache.get(bytes_key)
    if pdf is None:
        pdf = _stored(document, digest)
    if pdf is None:
        try:
            pdf = render.render_pdf(html, base_url=base_url)
        except render.RenderersBusy:
            return _busy()
        cache.set(bytes_key, pdf, _cache_seconds())
    # The fast path holds the bytes too: one cache read serves them next time.
    cache.set(fast_key, (token, etag, last_modified, pdf, document.filename), _cache_seconds())
    return _respond(request, document.filename, etag, last_modified, pdf)


def _digest(html: str, base_url: str) -> str:
    """The hash that names one rendering: the renderer, the base URL and the HTML."""
    return hashlib.sha256(
        "\n".join((render.renderer_fingerprint(), base_url, html)).encode()
    ).hexdigest()


def _bytes_key(document: PdfDocument, digest: str) -> str:
    return f"{CACHE_PREFIX}:bytes:{document.name}:{document.reader}:{digest}"


def prepare_pdf(
    document: PdfDocument, *, base_url: str, rendered: dict[str, bytes] | None = None
) -> bool:
    """Render ``document`` for its reader class ahead of any request and store it where
    ``serve_pdf`` looks first, so the first reader of that class at ``base_url`` gets it
    without a render. Returns whether it rendered (False: already stored, or in ``rendered``).

    ``rendered`` (digest -> bytes) shares renders between reader classes whose HTML is the
    same: pass one dict for every class of one document. The bytes are keyed by the HTML's
    hash and the reader class, so they are never served once a record changes, nor to another
    class. Costs the document's queries and template render, a cache read and write, and a
    render when neither holds it. Raises ``render.RenderersBusy`` like ``serve_pdf``."""
    html = render_html(document)
    digest = _digest(html, base_url)
    key = _bytes_key(document, digest)
    if rendered is not None and digest in rendered:
        cache.set(key, rendered[digest], _cache_seconds())
        return False
    pdf = cache.get(key)
    did_render = pdf is None
    if pdf is None:
        pdf = render.render_pdf(html, base_url=base_url)
        cache.set(key, pdf, _cache_seconds())
    if rendered is not None:
        rendered[digest] = pdf
    _store(document, digest, pdf)
    return did_render


def _stored_name(document: PdfDocument, digest: str) -> str:
    return f"{document.name.replace(':', '-')}/{document.reader}/{digest}.pdf"


def _store(document: PdfDocument, digest: str, pdf: bytes) -> None:
    """Keep a PDF rendered ahead in the ``pdfs`` storage, when one is configured (a name is
    written once: the same name always holds the same bytes). A storage round trip or two."""
    if PDF_STORAGE not in settings.STORAGES:
        return
    store = storages[PDF_STORAGE]
    name = _stored_name(document, digest)
    if not store.exists(name):
        store.save(name, ContentFile(pdf))


def _stored(document: PdfDocument, digest: str) -> bytes | None:
    """A PDF rendered ahead, from the ``pdfs`` storage (then cached again); None when no
    storage is configured or it holds none. One storage read on a cache miss."""
    if PDF_STORAGE not in settings.STORAGES:
        return None
    try:
        with storages[PDF_STORAGE].open(_stored_name(document, digest), "rb") as stored:
            pdf = stored.read()
    except Exception:  # noqa: BLE001 - not stored, or the store is down: render instead
        return None
    cache.set(_bytes_key(document, digest), pdf, _cache_seconds())
    return pdf


def _busy() -> HttpResponse:
    """503: every render slot of this process is taken. Plain text; never cached."""
    seconds = int(getattr(settings, "MINUTEBOOK_PDF_RETRY_AFTER", 5))
    response = HttpResponse(
        "This PDF is being prepared for many readers at once. Please try again in "
        f"{seconds} seconds.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def _first_served(key: str, digest: str) -> int:
    """Unix time when ``digest`` was first served under ``key`` (shared with the pages)."""
    return first_served(key, digest, _cache_seconds())
