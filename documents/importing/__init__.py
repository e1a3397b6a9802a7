"""The paper importer: a Word document, a PDF or a plain-text file in, a ``PaperDraft`` out.

``parse(data)`` chooses the format by the bytes (``sniff``), never by the file's name.
``documents.services.create_draft`` saves a draft as a draft paper.
"""

from __future__ import annotations

import io
import zipfile

from .docx import parse_docx
from .draft import ImportRefused, PaperDraft, ProposedRecommendation
from .money import ProposedMoney
from .pdf import parse_pdf
from .text import parse_text

MAX_BYTES = 20 * 1024 * 1024

__all__ = [
    "MAX_BYTES",
    "ImportRefused",
    "PaperDraft",
    "ProposedMoney",
    "ProposedRecommendation",
    "parse",
    "parse_docx",
    "parse_pdf",
    "parse_text",
    "sniff",
]


def sniff(data: bytes) -> str:
    """ "pdf", "docx" or "text", from the bytes: ``%PDF-``, a zip holding
    ``word/document.xml``, else text. A zip that is not a Word document is refused."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise ImportRefused("The file is a damaged zip: it is not a readable .docx.") from exc
        if "word/document.xml" in names:
            return "docx"
        raise ImportRefused("The zip file is not a Word document (it has no word/document.xml).")
    return "text"


def parse(data: bytes) -> PaperDraft:
    """The draft of the paper in ``data``, whatever its format. Raises ``ImportRefused``."""
    if not data:
        raise ImportRefused("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    kind = sniff(data)
    return {"pdf": parse_pdf, "docx": parse_docx, "text": parse_text}[kind](data)
