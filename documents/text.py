"""The text of attachments, for search: PDF (pdfplumber), Word (docx2python) and CSV files.

``index_attachment_text`` is the one place extraction runs from (``documents.services.store``
calls it, synchronously for now); it is the function to run as a background job. It sends
``text_extracted`` (sender ``Attachment``, ``attachment=``) once the text is stored, so the
search index, which connects to it, takes the words in.
"""

from __future__ import annotations

import io
import logging

from django.db import models
from django.dispatch import Signal

from minutebook.changes import records_changed

from . import validation
from .models import Attachment

logger = logging.getLogger(__name__)

# Sent with sender=Attachment, attachment=<the attachment> once its text is stored.
text_extracted = Signal()

TEXT_LIMIT = 1_000_000  # characters kept for search: a long report's text, not a data dump


def extract_text(attachment: Attachment) -> str:
    """The text of the attachment's file: a PDF's pages, a Word document's body, tables and
    notes, a CSV file as it is; "" for images, spreadsheets, OpenDocument files and any file
    that cannot be read (the failure is logged, never raised). Reads the file from its storage."""
    content_type = attachment.content_type
    if content_type not in {
        validation.PDF.content_type,
        validation.DOCX.content_type,
        validation.CSV.content_type,
        validation.TEXT.content_type,
    }:
        return ""
    try:
        with attachment.open() as handle:
            data = handle.read()
        if content_type in (validation.CSV.content_type, validation.TEXT.content_type):
            text = data.decode("utf-8-sig", errors="replace")
        elif content_type == validation.PDF.content_type:
            text = _pdf_text(data)
        else:
            text = _docx_text(data)
    except Exception:  # a damaged file is not searchable; it is still attached
        logger.warning("Could not extract the text of attachment %s", attachment.pk, exc_info=True)
        return ""
    return " ".join(text.split())[:TEXT_LIMIT]


def _pdf_text(data: bytes) -> str:
    import pdfplumber  # heavy (pdfminer): loaded only when a PDF is read

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _docx_text(data: bytes) -> str:
    from docx2python import docx2python  # likewise, only when a Word file is read

    with docx2python(io.BytesIO(data)) as document:
        return document.text


def index_attachment_text(attachment: Attachment) -> None:
    """Extract the attachment's text and store it on the row, for search. A plain UPDATE past
    the locks, as ``minutebook.records.rerender_all`` writes rendered HTML: the text is derived
    from the file, not something the record says. One UPDATE, the records token dropped, and
    ``text_extracted`` sent (the search index's receiver reads the record's row again)."""
    attachment.text = extract_text(attachment)
    models.QuerySet(Attachment).filter(pk=attachment.pk).update(text=attachment.text)
    records_changed()
    text_extracted.send(sender=Attachment, attachment=attachment)
