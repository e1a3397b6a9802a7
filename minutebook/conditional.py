"""Validators for responses kept in the cache (pages and PDFs): ETag, Last-Modified, 304.

The ETag is a hash of what is served; Last-Modified is when this server first served that
hash at that address to that class of reader, kept in the cache beside it. It moves forward
whenever the content changes (a change back to an earlier text included) and never claims a
date a record does not hold. If the cache forgets it, the date moves forward, which costs a
reader a download, never a stale 304. Knows no app.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response


def digest_of(*parts: str | bytes) -> str:
    """The SHA-256 hex digest of ``parts`` joined by newlines. No query."""
    hasher = hashlib.sha256()
    for index, part in enumerate(parts):
        if index:
            hasher.update(b"\n")
        hasher.update(part.encode() if isinstance(part, str) else part)
    return hasher.hexdigest()


def etag_of(digest: str) -> str:
    """A strong ETag from a digest: its first 40 hex digits, quoted."""
    return f'"{digest[:40]}"'


def first_served(key: str, digest: str, timeout: int | None) -> int:
    """Unix time when ``digest`` was first served under ``key``; now, if it is new there.
    One cache read; a cache write when it is new."""
    state = cache.get(key)
    if state and state[0] == digest:
        return state[1]
    now = int(datetime.now(UTC).timestamp())
    cache.set(key, (digest, now), timeout)
    return now


def not_modified(request: HttpRequest, etag: str, last_modified: int) -> HttpResponse | None:
    """A 304 when the request's If-None-Match (or, without one, If-Modified-Since) matches;
    None otherwise (a 412 for a failed If-Match on a GET is Django's, as ever). No query."""
    return get_conditional_response(request, etag=etag, last_modified=last_modified)
