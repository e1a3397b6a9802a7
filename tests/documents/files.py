"""Files for attachment tests, made in memory: real documents of each accepted type, and the
hostile ones the checks refuse."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def pdf_bytes(text: str = "Hello attachment") -> bytes:
    """A small valid one-page PDF showing ``text`` (made by hand: no renderer needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bytes(text: str = "Word attachment text") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docm_bytes() -> bytes:
    """A macro-enabled Word document: a DOCX with a VBA project and the macro content type."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(info.filename, data)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def zip_bomb_bytes(size: int) -> bytes:
    """A DOCX-looking zip whose one part unpacks to ``size`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{DOCX_TYPE}"/></Types>',
        )
        archive.writestr("word/document.xml", b"\0" * size)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
EXE = b"MZ\x90\x00" + b"\0" * 60 + b"This program cannot be run in DOS mode"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
CSV = "Line,Amount\nCCTV,£3,700\n".encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def attachment_storages(settings, tmp_path):
    """Each test's attachments in folders of its own (public/ and exempt/ under tmp_path)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "public")},
        },
        "exempt_attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exempt")},
        },
    }
    return tmp_path
