"""PDFs of Minutebook's records: one renderer, one fetcher, one way of serving them.

- ``render.render_pdf(html, base_url=...)``: the one render function (WeasyPrint 70, shared
  fonts and print stylesheet, tagged PDF/UA-1).
- ``fetcher.StaticFilesOnlyFetcher``: loads the project's static files from disk, refuses
  everything else.
- ``responses.serve_pdf(request, PdfDocument(...))``: ETag/Last-Modified, 304s, and the cache of
  locked records' PDFs; ``responses.prepare_pdf(document, base_url=...)`` renders one ahead of
  its first reader (a background job).
- ``filenames``: names that say what the file is.

The PDF views (``web.views``) pick records through the models' ``visible_to`` querysets, build
their context with the same functions as the records' pages (``web.pages``) and render templates
under ``templates/pdf/``; this package knows no app, so the views tell it the reader's class.
"""

from .fetcher import RefusedResource, StaticFilesOnlyFetcher
from .filenames import filename_part, pdf_filename
from .render import RenderersBusy
from .responses import PdfDocument, pdf_view, prepare_pdf, serve_pdf

__all__ = [
    "PdfDocument",
    "RefusedResource",
    "RenderersBusy",
    "StaticFilesOnlyFetcher",
    "filename_part",
    "pdf_filename",
    "pdf_view",
    "prepare_pdf",
    "serve_pdf",
]
