"""The text of attachments, for search: PDF (pdfplumber), Word (docx2python) and CSV files.

``index_attachment_text`` is the one place extraction runs from, in the background job
``read_text`` that ``documents.services.store`` enqueues once the attachment is saved
(``read_text_later``: after the transaction commits; with the embedded default's immediate
backend in the same process, with Redis on any worker). It sends ``text_extracted`` (sender
``Attachment``, ``attachment=``) once the text is stored, so the search index, which connects
to it, takes the words in.
"""

from __future__ import annotations

import io
import logging

from django.db import models
from django.dispatch import Signal

from jobs.api import enqueue, job
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


@job("Read an attachment's text for search")
def read_text(attachment_id: int) -> None:
    """``index_attachment_text`` for the attachment ``attachment_id``, if it still exists.
    Idempotent: reading the same file again stores the same text."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is not None:
        index_attachment_text(attachment)


def read_text_later(attachment: Attachment) -> None:
    """Enqueue ``read_text`` for ``attachment`` (one job per attachment at a time): its job
    row now, the run once the current transaction commits. Queries: ``jobs.enqueue``'s."""
    enqueue(read_text, attachment.pk, key=f"documents:text:{attachment.pk}", record=attachment)
