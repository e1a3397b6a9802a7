"""Validators for responses kept in the cache (pages and PDFs): ETag, Last-Modified, 304.

The ETag is a hash of what is served; Last-Modified is when this server first served that
hash at that address to that class of reader, kept in the cache beside it. It moves forward
whenever the content changes (a change back to an earlier text included) and never claims a
date a record does not hold. If the cache forgets it, the date moves forward, which costs a
reader a download, never a stale 304. Knows no app.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
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


@functools.cache
def release_fingerprint() -> str:
    """A hash of the release: every file of the project's templates and static files and of
    each installed app that lives in the project (not those installed as packages), so a
    response kept in the cache by one release is never served by the next. Reads the files
    once per process (a few hundred, milliseconds; identical on every host running the same
    release); no query."""
    base = Path(settings.BASE_DIR)
    roots = {base / "templates", base / "static"}
    for app in apps.get_app_configs():
        path = Path(app.path)
        if path.is_relative_to(base) and not {"site-packages", ".venv"} & set(path.parts):
            roots.add(path)
    parts: list[bytes] = []
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [str(path.relative_to(base)).encode(), path.read_bytes()]
    return digest_of(*parts)


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
