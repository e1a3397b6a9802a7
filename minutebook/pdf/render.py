"""The one render function: HTML in, PDF bytes out, on WeasyPrint 70.

Costs: the first call in a process builds the shared FontConfiguration and parses
``static/css/print.css`` (fonts included) once, about a tenth of a second; every call then lays
out and writes one document, which is the expensive part (see README "PDFs" for timings).

Fonts and the parsed stylesheet are shared across renders, so renders in one process take a lock:
WeasyPrint's font configuration wraps fontconfig and Pango objects that are not documented as
thread-safe. Processes (gunicorn workers) render in parallel.

Renders are bounded: at most ``MINUTEBOOK_PDF_RENDERS`` run or wait for the lock at once in one
process (default 1). One more raises ``RenderersBusy`` at once, which the response layer turns
into a 503 with Retry-After, so a burst of uncached PDFs cannot take every thread of a worker
from the pages and ``/healthz``.
"""

from __future__ import annotations

import hashlib
import threading

import weasyprint
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import StaticFilesOnlyFetcher, static_url

PRINT_STYLESHEET = "css/print.css"
#: Stylesheets shared with the web pages, laid under the print stylesheet.
SHARED_STYLESHEETS = ("css/charts.css",)

#: Tagged PDF: WeasyPrint 70's PDF/UA-1 variant (PDF 1.7, a structure tree, /MarkInfo
#: /Marked true, the document language and an XMP packet declaring PDF/UA). It implies
#: ``pdf_tags=True``; passing ``pdf_tags=True`` alone gives the same structure without the XMP claim.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

_lock = threading.Lock()  # held while rendering
_building = threading.Lock()  # held while the shared resources are first built
_admitted = threading.Lock()  # guards _in_flight
_in_flight = 0
_shared: tuple[FontConfiguration, list[CSS], str] | None = None


def _shared_resources() -> tuple[FontConfiguration, list[CSS], str]:
    """(font configuration, parsed stylesheets, fingerprint), built on first use. Never waits
    for a render: the fast path reads the fingerprint while another thread renders."""
    global _shared
    if _shared is not None:
        return _shared
    with _building:
        if _shared is None:
            fetcher = StaticFilesOnlyFetcher()
            font_config = FontConfiguration()
            digest = hashlib.sha256(f"weasyprint {weasyprint.__version__} {PDF_OPTIONS}\n".encode())
            stylesheets = []
            for path in (*SHARED_STYLESHEETS, PRINT_STYLESHEET):
                url = static_url(path)
                stylesheets.append(CSS(url=url, url_fetcher=fetcher, font_config=font_config))
                digest.update(fetcher.fetch(url).read())
            _shared = (font_config, stylesheets, digest.hexdigest())
        return _shared


def renderer_fingerprint() -> str:
    """A hash of what, besides the HTML, shapes a PDF: WeasyPrint's version, options, print.css."""
    return _shared_resources()[2]


class RenderersBusy(Exception):
    """Every render slot of this process is taken; try again later."""


def render_pdf(html: str, *, base_url: str) -> bytes:
    """Render ``html`` to PDF bytes with the print stylesheet and the project's fonts.

    ``base_url`` resolves relative links in the document (they stay links in the PDF). Nothing
    outside the project's static files is ever loaded: see ``StaticFilesOnlyFetcher``.
    Raises ``RenderersBusy`` when ``MINUTEBOOK_PDF_RENDERS`` renders are already under way here.
    """
    global _in_flight
    with _admitted:
        if _in_flight >= settings.MINUTEBOOK_PDF_RENDERS:
            raise RenderersBusy
        _in_flight += 1
    try:
        with _lock:
            font_config, stylesheets, _ = _shared_resources()
            document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnlyFetcher())
            return document.write_pdf(
                stylesheets=stylesheets, font_config=font_config, **PDF_OPTIONS
            )
    finally:
        with _admitted:
            _in_flight -= 1
