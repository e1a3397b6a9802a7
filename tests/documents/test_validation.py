"""Uploads are checked by content, size and name; the errors name the field."""

import io

import pytest
from django.core.exceptions import ValidationError

from documents.validation import check_upload, safe_name
from tests.documents import files


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(files.upload(name, data))
    assert list(caught.value.message_dict) == ["file"]
    return " ".join(caught.value.message_dict["file"])


@pytest.mark.parametrize(
    "name,data,content_type",
    [
        ("report.pdf", files.pdf_bytes(), "application/pdf"),
        (
            "report.docx",
            files.docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("report.odt", files.odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("lines.csv", files.CSV, "text/csv"),
        ("paper.txt", b"To: the Board\nTitle: A paper\n", "text/plain"),
        ("chart.png", files.PNG, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
        ("anim.gif", b"GIF89a" + b"\0" * 20, "image/gif"),
        ("pic.webp", b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 8, "image/webp"),
    ],
)
def test_it_accepts_each_type_by_its_content(name, data, content_type):
    checked = check_upload(files.upload(name, data))
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


def test_it_accepts_an_excel_workbook():
    openpyxl = pytest.importorskip("openpyxl")
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    checked = check_upload(files.upload("budget.xlsx", out.getvalue()))
    assert checked.kind.label == "Excel workbook"


def test_it_refuses_a_program_renamed_pdf():
    assert "Programs" in refusal("report.pdf", files.EXE)


def test_it_refuses_html_renamed_csv():
    assert "Web pages" in refusal("lines.csv", files.HTML)


def test_it_refuses_svg_images():
    assert "SVG" in refusal("logo.png", files.SVG)


def test_it_refuses_a_macro_enabled_document_renamed_docx():
    assert "Macro" in refusal("report.docx", files.docm_bytes())


def test_it_refuses_old_office_files():
    assert ".docx" in refusal("report.doc", files.OLE2_DOC)


def test_it_refuses_a_pdf_named_as_another_type():
    assert "name it with .pdf" in refusal("report.docx", files.pdf_bytes())


def test_it_refuses_plain_zips_and_binary_data():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert "Zip" in refusal("a.zip", out.getvalue())
    assert "not accepted" in refusal("data.csv", b"a,b\n\x00\x01")


def test_it_refuses_files_over_the_size_limit(settings):
    settings.MINUTEBOOK_ATTACHMENT_MAX_BYTES = 1000
    message = refusal("big.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    assert "limit is 1000" in message


def test_it_refuses_a_zip_bomb(settings):
    settings.MINUTEBOOK_ATTACHMENT_MAX_UNZIPPED_BYTES = 100_000
    assert "unpacks to more than" in refusal("report.docx", files.zip_bomb_bytes(1_000_000))


def test_it_refuses_empty_files():
    assert "empty" in refusal("a.pdf", b"")


@pytest.mark.parametrize(
    "hostile,safe",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\report.pdf", "report.pdf"),
        ("a\x00.pdf", "a.pdf"),
        ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("  spaced   out .pdf", "spaced out.pdf"),
        ('what?<>"|*.pdf', "what______.pdf"),
        ("Cafe\u0301.pdf", "Café.pdf"),
        ("", "attachment"),
        ("...", "attachment"),
    ],
)
def test_it_makes_file_names_safe(hostile, safe):
    assert safe_name(hostile) == safe


def test_it_caps_long_names_and_keeps_the_extension():
    name = safe_name("x" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith(".pdf")


def test_a_hostile_name_does_not_stop_a_good_file():
    checked = check_upload(files.upload("../../etc/passwd\u202e.pdf", files.pdf_bytes()))
    assert checked.name == "passwd.pdf"


def test_a_passwd_file_without_an_extension_is_refused():
    assert "name it with .csv" in refusal("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n")


def test_it_refuses_markup_hidden_past_the_start_of_a_text_file():
    data = b"a,b\n" * 2000 + b"<html><script>alert(1)</script></html>\n"
    with pytest.raises(ValidationError, match="Web pages"):
        check_upload(files.upload("lines.csv", data))


def test_it_refuses_a_pdf_that_carries_script():
    data = files.pdf_bytes("Report").replace(
        b"<< /Type /Catalog", b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> /Type /Catalog"
    )
    with pytest.raises(ValidationError, match="scripts"):
        check_upload(files.upload("report.pdf", data))
