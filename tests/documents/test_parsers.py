"""Each format's parser on corpus papers (written by the corpus script into tmp_path) gives
back the seed record's numbered paragraphs, tables, recommendations and metadata."""

import datetime

import pytest

from documents.importing import parse, parse_docx, parse_pdf, parse_text
from documents.importing.draft import numbered_paragraphs, tables
from tests.factories import BoardFactory, PaperFactory, RecommendationFactory

from .corpus import corpus, seed_paper, words

# Paper 3 has "1.0"-style headings, bullets, three tables and an appendix; paper 2 has
# recommendations printed as "The Board is recommended to:" and bullets; paper 9 the longest
# table.
PAPERS = [2, 3, 9]


def assert_matches_seed(paper: dict, draft) -> None:
    seed = numbered_paragraphs(paper["body"])
    got = draft.numbered_paragraphs()
    assert list(got) == list(seed)
    for number, text in seed.items():
        assert words(got[number]) == words(text), number
    assert [[[words(c) for c in row] for row in t] for t in tables(draft.body)] == [
        [[words(c) for c in row] for row in t] for t in tables(paper["body"])
    ]
    assert [(r.number, words(r.text)) for r in draft.recommendations] == [
        (n, words(t)) for n, t in paper["recommendations"]
    ]
    assert draft.title == paper["title"]
    assert draft.author_line == paper["author_line"]
    assert draft.date == datetime.date.fromisoformat(paper["date"])
    assert words(draft.contact_officers) == words(paper["contact_officers"])
    assert words(draft.source_documents) == words(paper["source_documents"])


@pytest.mark.parametrize("pk", PAPERS)
def test_a_word_paper_with_real_numbering_reads_as_its_seed_record(tmp_path, pk):
    paper = seed_paper(pk)
    path = corpus.write_docx(paper, tmp_path / "paper.docx")
    draft = parse_docx(path.read_bytes())
    assert_matches_seed(paper, draft)
    assert draft.to_line == paper["to_line"]
    assert words(draft.purpose) == words(paper["purpose"])


def test_word_numbers_come_from_numbering_xml_not_from_the_text(tmp_path):
    """The corpus' paragraphs carry no typed number: "3.1" is Word's list numbering."""
    paper = seed_paper(1)
    path = corpus.write_docx(paper, tmp_path / "paper.docx")
    document = corpus.docx_document(paper)
    texts = [p.text for p in document.paragraphs]
    assert not any(t.startswith("3.1 ") for t in texts)
    assert "3.1" in parse_docx(path.read_bytes()).numbered_paragraphs()


@pytest.mark.parametrize("pk", PAPERS)
def test_a_text_paper_reads_as_its_seed_record(tmp_path, pk):
    paper = seed_paper(pk)
    path = corpus.write_text(paper, tmp_path / "paper.txt")
    draft = parse_text(path.read_bytes())
    assert_matches_seed(paper, draft)


@pytest.mark.django_db
def test_minutebooks_own_pdf_of_a_paper_reads_as_its_seed_record(tmp_path):
    """The seed paper's record copied into a test board (loading every seed record would
    cost this test twenty seconds more), printed by the paper PDF, read back."""
    paper = seed_paper(5)  # a table, bullets, footnotes, "recommended to:" (6 pages)
    fields = [
        "title", "to_line", "author_line", "date", "agenda_reference", "purpose", "body",
        "source_documents", "contact_officers", "appendices",
    ]  # fmt: skip
    record = PaperFactory(board=BoardFactory(is_public=True), **{f: paper[f] for f in fields})
    for position, (number, text) in enumerate(paper["recommendations"], start=1):
        RecommendationFactory(paper=record, position=position, number=number, text=text)
    path = corpus.render_pdf(record.pk, tmp_path / "paper.pdf")
    draft = parse_pdf(path.read_bytes())
    seed = numbered_paragraphs(paper["body"])
    got = draft.numbered_paragraphs()
    assert {n: words(t) for n, t in got.items()} == {n: words(t) for n, t in seed.items()}
    assert [(r.number, words(r.text)) for r in draft.recommendations] == [
        (n, words(t)) for n, t in paper["recommendations"]
    ]
    seed_cells = [c for t in tables(paper["body"]) for row in t for c in row]
    got_cells = [c for t in tables(draft.body) for row in t for c in row]
    matched = sum(words(a) == words(b) for a, b in zip(seed_cells, got_cells, strict=False))
    assert matched >= 0.9 * len(seed_cells)
    assert draft.title == paper["title"]
    # The PDF's own sections (its purpose summary, the recommendations table) are not body.
    assert draft.body.count("1.1 The purpose of this report") == 1
    assert "Approved at" not in draft.body


def test_the_money_a_paper_prints_is_proposed_with_its_words(tmp_path):
    paper = seed_paper(1)
    draft = parse(corpus.write_text(paper, tmp_path / "p.txt").read_bytes())
    printed = {(m.as_printed, m.amount) for m in draft.money}
    assert ("£3,700", "3700.00") in printed
    assert ("£12,000", "12000.00") in printed
    saving = next(m for m in draft.money if m.as_printed == "£3,700")
    assert "annual revenue saving" in saving.description


def test_a_word_paper_with_numbers_typed_into_the_text_reads_the_same(tmp_path):
    from docx import Document

    document = Document()
    for line in ("To: Business Coordination Board", "From: Chief Executive", "Date: 1 April 2016"):
        document.add_paragraph(line)
    document.add_paragraph("Typed numbers", style="Title")
    document.add_paragraph("1. Recommendation", style="Heading 1")
    document.add_paragraph("1.1 The Board is recommended to note the report.")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Year", (0, 1): "Cost", (1, 0): "2016/17", (1, 1): "£1m"}.items():
        table.cell(r, c).text = text
    document.save(str(tmp_path / "typed.docx"))
    draft = parse((tmp_path / "typed.docx").read_bytes())
    assert draft.numbered_paragraphs() == {"1.1": "The Board is recommended to note the report."}
    assert [(r.number, r.text) for r in draft.recommendations] == [
        ("1.1", "The Board is recommended to note the report.")
    ]
    assert tables(draft.body) == [[["Year", "Cost"], ["2016/17", "£1m"]]]
    # The year is the row's, as printed beside the figure.
    assert [(m.as_printed, m.financial_year) for m in draft.money] == [("£1m", "2016/17")]
