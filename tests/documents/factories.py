"""Attachments made the way the app makes them: through ``documents.services.attach``."""

from __future__ import annotations

from documents.models import Attachment
from documents.services import attach
from tests.documents import files


def attachment(
    record, *, title: str = "Original report", exempt: bool = False, **kwargs
) -> Attachment:
    """A PDF attached to ``record`` (exempt "Commercially sensitive" when ``exempt``)."""
    data = kwargs.pop("data", None) or files.pdf_bytes(title)
    name = kwargs.pop("name", "report.pdf")
    return attach(
        record,
        files.upload(name, data),
        title=title,
        access=Attachment.Access.EXEMPT if exempt else Attachment.Access.PUBLIC,
        exemption_reason="Commercially sensitive" if exempt else "",
        **kwargs,
    )
