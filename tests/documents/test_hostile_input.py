"""The format is chosen by content, and bad or hostile files are refused with a reason."""

import io
import zipfile

import pytest
from pypdf import PdfWriter

from documents.importing import ImportRefused, parse, sniff
from minutebook.markup import render_markup

from .corpus import corpus, seed_paper


def test_the_format_is_told_by_the_bytes_not_the_name(tmp_path):
    paper = seed_paper(1)
    docx = corpus.write_docx(paper, tmp_path / "paper.pdf").read_bytes()  # misnamed
    assert sniff(docx) == "docx"
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"To: Board\n\nA title") == "text"
    assert parse(docx).title == paper["title"]


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportRefused, match="not a Word document"):
        parse(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ImportRefused, match="zip bomb"):
        parse(buffer.getvalue())


def test_a_corrupt_word_document_is_refused_with_a_reason(tmp_path):
    good = corpus.write_docx(seed_paper(1), tmp_path / "p.docx").read_bytes()
    with pytest.raises(ImportRefused, match="damaged"):
        parse(good[:2000])


def test_a_pdf_with_no_text_is_refused_as_perhaps_a_scan():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ImportRefused, match="no text"):
        parse(buffer.getvalue())


def test_a_damaged_pdf_is_refused():
    with pytest.raises(ImportRefused):
        parse(b"%PDF-1.4\n" + b"\x00garbage" * 100)


def test_bytes_that_are_not_utf8_text_are_refused():
    with pytest.raises(ImportRefused, match="UTF-8"):
        parse(b"\xff\xfe\x00\x81 not text")


def test_an_empty_file_is_refused():
    with pytest.raises(ImportRefused, match="empty"):
        parse(b"")


def test_html_in_a_text_file_stays_text_never_markup():
    text = (
        "To: Board\n\nDate: 1 April 2016\n\n<b>Title</b>\n\n1. Purpose\n\n"
        '1.1 See <script>alert("x")</script> and [link](javascript:alert(1)) **bold**\n\n'
        "<img src=http://example.com/x.png>\n"
    )
    draft = parse(text.encode())
    html = render_markup(draft.body)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert "<strong>" not in html  # the asterisks were typed, not markup
    assert 'href="javascript' not in html
    assert draft.title == "<b>Title</b>"  # the title is a plain field: kept as typed
