"""Attachments made the way the app makes them: through ``documents.services.attach``, and
committed (the test's transaction stands in: its on-commit work runs, so the background job
reading the file's text for search has run when the factory returns)."""

from __future__ import annotations

from django.test import TestCase

from documents.models import Attachment
from documents.services import attach
from tests.documents import files


def attachment(
    record, *, title: str = "Original report", exempt: bool = False, **kwargs
) -> Attachment:
    """A PDF attached to ``record`` (exempt "Commercially sensitive" when ``exempt``)."""
    data = kwargs.pop("data", None) or files.pdf_bytes(title)
    name = kwargs.pop("name", "report.pdf")
    with TestCase.captureOnCommitCallbacks(execute=True):
        made = attach(
            record,
            files.upload(name, data),
            title=title,
            access=Attachment.Access.EXEMPT if exempt else Attachment.Access.PUBLIC,
            exemption_reason="Commercially sensitive" if exempt else "",
            **kwargs,
        )
    made.refresh_from_db()
    return made
