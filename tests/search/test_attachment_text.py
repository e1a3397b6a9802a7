"""The words of attached PDFs, Word and CSV files are searched with their record, under the
attachment's own access: a public search never matches an exempt attachment's words."""

import datetime

import pytest
from django.test import Client

from boards.models import Paper
from documents.models import Attachment
from documents.text import extract_text
from tests.documents import files
from tests.documents.factories import attachment
from tests.documents.files import attachment_storages  # noqa: F401  (the fixture)
from tests.factories import AgendaItemFactory, BoardFactory, DecisionNoticeFactory, PaperFactory

from .results import search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_storages")]


def titles(client, words: str) -> list[str]:
    return [r.title for r in search(client, f"/search/?q={words}")[1]]


@pytest.fixture
def board():
    return BoardFactory(is_public=True, slug="bcb")


def test_the_text_of_pdf_word_and_csv_files_is_extracted(board):
    paper = PaperFactory(board=board)
    pdf = attachment(paper, data=files.pdf_bytes("Quagmire estates survey"))
    word = attachment(paper, data=files.docx_bytes("Xylophone tender scores"), name="a.docx")
    csv = attachment(paper, data=b"Line,Amount\nZeppelin hangar,3700\n", name="l.csv")
    image = attachment(paper, data=files.PNG, name="chart.png")
    assert "Quagmire estates survey" in extract_text(pdf)
    assert "Xylophone tender scores" in extract_text(word)
    assert "Zeppelin hangar" in Attachment.objects.get(pk=csv.pk).text
    assert extract_text(image) == ""


def test_a_public_attachments_words_find_its_paper(client, board):
    paper = PaperFactory(board=board, title="Estates strategy")
    attachment(paper, data=files.pdf_bytes("Quagmire survey"))
    assert titles(client, "quagmire") == ["Estates strategy"]


def test_an_exempt_attachment_is_found_by_those_entitled_never_by_the_public(
    client, board, member_of
):
    paper = PaperFactory(board=board, title="Estates strategy")
    attachment(paper, title="Tender scores", data=files.pdf_bytes("Xylophone tender"), exempt=True)
    # Not in the public paper's row: a row of its own, under the attachment's own access.
    assert titles(client, "xylophone") == []
    assert titles(client, "tender") == []
    html, found = search(member_of(board), "/search/?q=xylophone")
    assert [r.title for r in found] == ["Tender scores"]
    assert found[0].kind == "Exempt attachment"
    assert "Attached to the paper Estates strategy" in found[0].meta
    assert "Xylophone" not in search(client, "/search/?q=estates")[0]


def test_an_exempt_attachment_of_an_exempt_paper_is_found_by_those_entitled(
    client, board, member_of
):
    paper = PaperFactory(
        board=board, title="Tenders", access=Paper.Access.EXEMPT, exemption_reason="Para 3"
    )
    attachment(paper, data=files.pdf_bytes("Xylophone tender"), exempt=True)
    assert titles(member_of(board), "xylophone") == ["Original report"]
    assert titles(client, "xylophone") == []


def test_publishing_the_paper_leaves_its_exempt_attachment_to_those_entitled(
    client, board, member_of
):
    paper = PaperFactory(board=board, title="Tenders", status=Paper.Status.DRAFT)
    attachment(paper, data=files.pdf_bytes("Xylophone tender"), exempt=True)
    member = member_of(board)
    assert titles(member, "xylophone") == ["Original report"]
    paper.status = Paper.Status.PUBLISHED
    paper.save()
    assert titles(client, "xylophone") == []
    assert titles(member, "xylophone") == ["Original report"]


def test_an_items_and_a_notices_attachments_are_searched(client, board):
    item = AgendaItemFactory(meeting__board=board, title="Estates")
    attachment(item, data=files.pdf_bytes("Quagmire map"))
    notice = DecisionNoticeFactory(
        title="Sale of land", status="published", published_on=datetime.date(2016, 1, 4)
    )
    attachment(notice, data=files.pdf_bytes("Zeppelin hangar"))
    assert titles(client, "quagmire") == [f"Item {item.number}: Estates"]
    assert titles(client, "zeppelin") == ["Sale of land"]


def test_deleting_an_attachment_takes_its_words_out(
    client, board, django_capture_on_commit_callbacks
):
    paper = PaperFactory(board=board, title="Estates strategy")
    found = attachment(paper, data=files.pdf_bytes("Quagmire survey"))
    with django_capture_on_commit_callbacks(execute=True):
        found.delete()
    assert titles(Client(), "quagmire") == []
