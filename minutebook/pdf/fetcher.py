"""The only way a PDF render reaches outside its HTML: the project's own static files, from disk.

WeasyPrint asks its URL fetcher for every stylesheet, font, image, ``<object>``, ``<embed>``,
``<link rel=attachment>`` and CSS ``url()`` it meets. Its default fetcher follows file://,
http(s):// (to any host, redirects included) and data: URLs. Record text is typed by users, so a
PDF must never read a server file or make a request because of it: the markup renderer already
drops images and unsafe links, but this fetcher holds on its own.

What it serves: ``http://minutebook.invalid/static/<path>`` and nothing else, read from the
staticfiles finders (the source tree) or, failing that, ``STATIC_ROOT`` (a deploy that ships
only collected files). ``.invalid`` is reserved (RFC 2606): the origin names no real host, so even
a URL that escaped this fetcher would resolve nowhere. Only a short list of file types is served
(stylesheets and fonts, plus the image types a print layout may use).

What it refuses, by raising before any I/O: every other scheme (file:, https:, ftp:, data:),
every other host (localhost and 127.0.0.1 included, any port), paths outside ``/static/``,
``..`` segments, query strings, and files outside the static roots. data: URLs are refused too:
no template needs one, and allowing them would let record text inline arbitrary images or fonts.
WeasyPrint turns a refusal into a logged warning and renders without the resource.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_ORIGIN = "http://minutebook.invalid"
STATIC_PREFIX = "/static/"
#: Base URL of the print stylesheet; its url()s resolve against it.
STATIC_BASE_URL = PDF_ORIGIN + STATIC_PREFIX

ALLOWED_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


class RefusedResource(ValueError):
    """A PDF asked for something other than one of the project's static files."""


def static_url(path: str) -> str:
    """The URL under which the fetcher serves static file ``path`` (e.g. ``"css/print.css"``)."""
    return STATIC_BASE_URL + path.lstrip("/")


class StaticFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint 70 ``URLFetcher`` that serves static files from disk and refuses the rest.

    ``fetch`` is the whole interface WeasyPrint calls (through ``__call__``); ``open`` is
    overridden too, so the urllib handlers the base class installs are never used.
    """

    def __init__(self) -> None:
        super().__init__(
            timeout=1, allowed_protocols=("http",), allow_redirects=False, fail_on_errors=False
        )

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        relative = self._static_path(url)
        path = self._find(relative)
        content_type = ALLOWED_TYPES[Path(relative).suffix.lower()]
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def open(self, url, data=None, timeout=None):  # noqa: A003 - the base class's name
        raise RefusedResource(f"PDF rendering opens no URLs: {url!r}")

    @staticmethod
    def _static_path(url: str) -> str:
        """The static file path ``url`` names, or RefusedResource. No I/O."""
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise RefusedResource(f"Malformed URL refused: {url[:200]!r}") from exc
        if f"{parts.scheme.lower()}://{parts.netloc.lower()}" != PDF_ORIGIN:
            raise RefusedResource(f"Only the project's static files are loaded: {url[:200]!r}")
        if parts.query or not parts.path.startswith(STATIC_PREFIX):
            raise RefusedResource(f"Not a static file: {url[:200]!r}")
        relative = unquote(parts.path[len(STATIC_PREFIX) :])
        normalised = posixpath.normpath(relative)
        if (
            not relative
            or "\\" in relative
            or "\x00" in relative
            or normalised != relative
            or normalised.startswith(("../", "/"))
            or normalised == ".."
        ):
            raise RefusedResource(f"Not a static file path: {url[:200]!r}")
        if Path(normalised).suffix.lower() not in ALLOWED_TYPES:
            raise RefusedResource(f"Not a file type PDFs load: {url[:200]!r}")
        return normalised

    @staticmethod
    def _find(relative: str) -> Path:
        """The file on disk: the finders first, then STATIC_ROOT. Stays inside those roots."""
        found = finders.find(relative)
        if found:
            return Path(found)
        root = getattr(settings, "STATIC_ROOT", None)
        if root:
            root_path = Path(root).resolve()
            candidate = (root_path / relative).resolve()
            if candidate.is_relative_to(root_path) and candidate.is_file():
                return candidate
        raise RefusedResource(f"No such static file: {relative!r}")
