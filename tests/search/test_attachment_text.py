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


def test_an_exempt_attachments_words_are_never_matched_for_the_public(client, board, member_of):
    paper = PaperFactory(board=board, title="Estates strategy")
    attachment(paper, data=files.pdf_bytes("Xylophone tender"), exempt=True)
    assert titles(client, "xylophone") == []
    # Nor for a member: the words would sit in the public paper's row.
    assert titles(member_of(board), "xylophone") == []


def test_an_exempt_attachment_of_an_exempt_paper_is_found_by_those_entitled(
    client, board, member_of
):
    paper = PaperFactory(
        board=board, title="Tenders", access=Paper.Access.EXEMPT, exemption_reason="Para 3"
    )
    attachment(paper, data=files.pdf_bytes("Xylophone tender"), exempt=True)
    assert titles(member_of(board), "xylophone") == ["Tenders"]
    assert titles(client, "xylophone") == []


def test_publishing_the_paper_takes_the_exempt_words_out_of_its_row(client, board, member_of):
    paper = PaperFactory(board=board, title="Tenders", status=Paper.Status.DRAFT)
    attachment(paper, data=files.pdf_bytes("Xylophone tender"), exempt=True)
    member = member_of(board)
    assert titles(member, "xylophone") == ["Tenders"]
    paper.status = Paper.Status.PUBLISHED
    paper.save()
    assert titles(client, "xylophone") == []
    assert titles(member, "xylophone") == []


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
