"""Upload checks for attachments: the type by content, never by name; a size limit; a safe name.

Accepted (``KINDS``): PDF; Word (DOCX) and Excel (XLSX) workbooks, as OOXML zips whose
``[Content_Types].xml`` names the document's main part; OpenDocument text (ODT, a zip whose first
entry ``mimetype`` says so); CSV (or plain text named .txt) as UTF-8 text; PNG, JPEG, GIF and
WebP images. Refused: macro-enabled Office files (a ``vbaProject.bin`` part or a ``macroEnabled`` content type, ODF
``Basic/`` or ``Scripts/``), old Office files (OLE2 ``.doc``/``.xls``, which carry macros unseen),
executables and scripts, HTML and SVG (they run script when opened from the site), and anything
else. The file name's extension must be one of the sniffed type's. Zips are read only as far as
their directory and one small part, and refused past ``MINUTEBOOK_ATTACHMENT_MAX_UNZIPPED_BYTES``
uncompressed (a zip bomb never reaches a text extractor).

Every error is a ``ValidationError`` keyed by the field (``file``), so a form shows it there.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

FIELD = "file"
CHUNK = 64 * 1024
NAME_LIMIT = 120  # characters of a safe name, its extension included
ZIP_ENTRIES_LIMIT = 5000
CONTENT_TYPES_LIMIT = 512 * 1024  # bytes of [Content_Types].xml read


@dataclass(frozen=True)
class Kind:
    """A type Minutebook accepts: its content type as served, its label and its extensions."""

    content_type: str
    label: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", "PDF", (".pdf",))
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
    (".docx",),
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel workbook",
    (".xlsx",),
)
ODT = Kind("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",))
CSV = Kind("text/csv", "CSV", (".csv",))
# The same content named .txt: a plain-text paper, kept as the original of an import.
TEXT = Kind("text/plain", "plain-text file", (".txt",))
PNG = Kind("image/png", "PNG image", (".png",))
JPEG = Kind("image/jpeg", "JPEG image", (".jpg", ".jpeg"))
GIF = Kind("image/gif", "GIF image", (".gif",))
WEBP = Kind("image/webp", "WebP image", (".webp",))
KINDS = (PDF, DOCX, XLSX, ODT, CSV, TEXT, PNG, JPEG, GIF, WEBP)
KIND_BY_TYPE = {kind.content_type: kind for kind in KINDS}

# The main part of each accepted OOXML document, and its content type.
OOXML_MAIN = {
    (
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ): DOCX,
    (
        "/xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ): XLSX,
}
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE, DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",
    b"\x00asm",
)
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|\?xml)", re.I)


def label_of(content_type: str) -> str:
    """The type's label for readers ("PDF", "Word document"); the content type itself for one
    Minutebook no longer accepts. No query."""
    kind = KIND_BY_TYPE.get(content_type)
    return kind.label if kind else content_type


def max_bytes() -> int:
    return settings.MINUTEBOOK_ATTACHMENT_MAX_BYTES


def refuse(message: str) -> ValidationError:
    return ValidationError({FIELD: [message]})


# -- names -------------------------------------------------------------------------------------
def safe_name(name: str) -> str:
    """``name`` fit to store and to send back in Content-Disposition: Unicode normalised (NFC),
    no path (only what follows the last / or \\), no control or format characters (NUL,
    right-to-left overrides, zero-width characters), no characters Windows refuses, no leading
    dots or spaces, whitespace collapsed, at most ``NAME_LIMIT`` characters with the extension
    kept. An empty result becomes "attachment" with the extension. No I/O."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        ch
        for ch in name
        if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    )
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(". ").rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ("." + ext.lower()) if ext else ""
    if len(ext) > 10:  # not an extension: part of the name
        stem, ext = name, ""
    stem = stem.strip()[: NAME_LIMIT - len(ext)].rstrip(". ")
    return (stem or "attachment") + ext


def extension(name: str) -> str:
    """The lower-cased extension of a safe name (".pdf"), or ""."""
    _, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and ext else ""


# -- content -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckedUpload:
    """What the checks found: the safe name, the sniffed type, the size and the SHA-256."""

    name: str
    kind: Kind
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def check_upload(uploaded, name: str | None = None) -> CheckedUpload:
    """Check an uploaded file (a Django ``File``/``UploadedFile`` or any binary file object,
    read from its start) and return what it is; raise ``ValidationError`` on ``file`` when it is
    too large, empty, of a type Minutebook does not accept, or named with another type's
    extension. Reads the file once (and, for a zip, its directory); leaves it at its start."""
    original = name if name is not None else getattr(uploaded, "name", "") or ""
    clean_name = safe_name(original)
    limit = max_bytes()
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > limit:
        raise refuse(_too_large(declared, limit))
    digest, size = hashlib.sha256(), 0
    _rewind(uploaded)
    head = b""
    while chunk := uploaded.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise refuse(_too_large(size, limit))
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
    if size == 0:
        raise refuse("The file is empty.")
    _rewind(uploaded)
    kind = sniff(uploaded, head)
    _rewind(uploaded)
    ext = extension(clean_name)
    if kind is CSV and ext in TEXT.extensions:
        kind = TEXT
    if ext not in kind.extensions:
        raise refuse(
            f"The file is a {kind.label} but is named “{clean_name}”: name it with "
            f"{' or '.join(kind.extensions)}."
        )
    return CheckedUpload(clean_name, kind, size, digest.hexdigest())


def _too_large(size: int, limit: int) -> str:
    return f"The file is {filesizeformat(size)}; the limit is {filesizeformat(limit)}."


def _rewind(uploaded) -> None:
    uploaded.seek(0)


def sniff(uploaded, head: bytes) -> Kind:
    """The accepted type of the content starting ``head`` (the file's first bytes), or a
    ``ValidationError`` saying why it is refused. Reads a zip's directory from ``uploaded``."""
    if head.startswith(b"%PDF-"):
        _refuse_active_pdf(uploaded)
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(uploaded)
    if head.startswith(OLE2):
        raise refuse(
            "Old Office files (.doc, .xls, .ppt) are not accepted: they can hold macros. "
            "Save it as .docx, .xlsx or PDF."
        )
    if head.startswith(EXECUTABLE_MAGIC):
        raise refuse("Programs and scripts are not accepted.")
    if MARKUP.search(head):
        raise refuse("Web pages, SVG and XML files are not accepted: they can run script.")
    if _is_utf8_text(uploaded):
        return CSV
    raise refuse(
        "This type of file is not accepted. Attach a PDF, Word (.docx), Excel (.xlsx), "
        "OpenDocument (.odt) or CSV file, or a PNG, JPEG, GIF or WebP image."
    )


# What makes a PDF more than a document: script, launching programs, files carried inside.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


def _refuse_active_pdf(uploaded) -> None:
    """Refuse (``ValidationError``) a PDF naming script, a launch action, embedded files or
    XFA forms anywhere in it (a PDF is served inline). Reads it."""
    tail = b""
    while chunk := uploaded.read(CHUNK):
        if PDF_ACTIVE.search(tail + chunk):
            raise refuse(
                "PDFs with scripts, embedded files or actions that open programs are not "
                "accepted. Print it to a new PDF first."
            )
        tail = chunk[-32:]
    _rewind(uploaded)


def _is_utf8_text(uploaded) -> bool:
    """Whether the whole file is UTF-8 text (a byte-order mark allowed) with no NUL. Reads it;
    refuses (``ValidationError``) markup anywhere in it, not only at its start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    try:
        while chunk := uploaded.read(CHUNK):
            if b"\x00" in chunk:
                return False
            if MARKUP.search(tail + chunk):  # the tail: a tag split across two chunks
                raise refuse("Web pages, SVG and XML files are not accepted: they can run script.")
            tail = chunk[-64:]
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sniff_zip(uploaded) -> Kind:
    try:
        archive = zipfile.ZipFile(uploaded)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse("The file looks like a zip archive but cannot be read.") from None
    cap = settings.MINUTEBOOK_ATTACHMENT_MAX_UNZIPPED_BYTES
    if len(entries) > ZIP_ENTRIES_LIMIT or sum(e.file_size for e in entries) > cap:
        raise refuse(
            f"The document unpacks to more than {filesizeformat(cap)} (or {ZIP_ENTRIES_LIMIT} "
            "parts): it is not accepted."
        )
    names = {e.filename for e in entries}
    if entries and entries[0].filename == "mimetype":
        return _sniff_odf(archive, names)
    if "[Content_Types].xml" in names:
        return _sniff_ooxml(archive, names)
    raise refuse("Zip archives are not accepted; attach the documents themselves.")


def _read_part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as part:
            data = part.read(limit + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        raise refuse("The document is damaged or encrypted and cannot be read.") from None
    if len(data) > limit:
        raise refuse("The document's parts are too large to be a document.")
    return data


def _sniff_odf(archive: zipfile.ZipFile, names: set[str]) -> Kind:
    mimetype = _read_part(archive, "mimetype", 200).strip()
    if mimetype != ODT.content_type.encode():
        raise refuse("Of OpenDocument files only text documents (.odt) are accepted.")
    if any(n.startswith(("Basic/", "Scripts/")) for n in names):
        raise refuse("Documents with macros are not accepted: save it without them.")
    return ODT


def _sniff_ooxml(archive: zipfile.ZipFile, names: set[str]) -> Kind:
    if any(n.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        raise refuse("Macro-enabled documents are not accepted: save it without macros.")
    data = _read_part(archive, "[Content_Types].xml", CONTENT_TYPES_LIMIT)
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise refuse("The document's content types cannot be read.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise refuse("The document's content types cannot be read.") from None
    overrides = {
        (el.get("PartName", ""), el.get("ContentType", "")) for el in root.iter(f"{CT_NS}Override")
    }
    types = (
        " ".join(ct for _, ct in overrides)
        + " "
        + " ".join(el.get("ContentType", "") for el in root.iter(f"{CT_NS}Default"))
    )
    if "macroenabled" in types.lower() or "vbaproject" in types.lower():
        raise refuse("Macro-enabled documents are not accepted: save it without macros.")
    for (part, content_type), kind in OOXML_MAIN.items():
        if (part, content_type) in overrides and part.lstrip("/") in names:
            return kind
    raise refuse("Of Office documents only Word (.docx) and Excel (.xlsx) files are accepted.")
