"""What an import makes of a paper, before anyone saves it: ``PaperDraft``.

Every parser (``docx``, ``pdf``, ``text``) turns its file into a list of ``Block``s (headings,
paragraphs with their printed numbers, bullets, tables) and ``build_draft`` reads the paper's
parts out of them the same way for every format: the To, From, Date and agenda lines before the
title, the title, the Purpose section, the recommendations (each numbered as printed), the body
in the project's markup, source documents, contact officers, appendices, and the money it
prints. Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from .money import ProposedMoney, find_money

# A printed paragraph number: "3.1", "10.12", "4.4." (printed with a dot), never "2015".
NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?(?=\s)")
# A numbered section heading as printed: "1. Purpose", "1.0 Purpose", "10. Role of the PCC".
HEADING_RE = re.compile(r"^(\d{1,2})(\.0|\.)\s+(\S.{0,150})$")
META_RE = re.compile(
    r"^(to|from|date|agenda item(?: no\.?| number)?|item(?: no\.?)?)\s*[:\-–]\s*(.*)$", re.I
)
SOURCE_HEADINGS = ("source document", "background paper", "source papers")
CONTACT_HEADINGS = ("contact officer", "contact details")
APPENDIX_RE = re.compile(r"^(appendix|appendices|annex)\b", re.I)
# Sections the paper PDF adds after the paper's own text: never part of the paper.
PDF_TRAILERS = ("recommendations", "money in this paper")


class ImportRefused(ValueError):
    """The file cannot be imported; the message says what is wrong with it."""


@dataclasses.dataclass
class Block:
    """One piece of a paper as printed. ``kind``: heading (``level`` 1 or 2), para (``number``
    as printed, or ""), bullet (``level`` 0 or 1), table (``rows`` of cell texts)."""

    kind: str
    text: str = ""
    number: str = ""
    level: int = 0
    rows: list[list[str]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ProposedRecommendation:
    number: str
    text: str


@dataclasses.dataclass
class PaperDraft:
    """The parts of a paper read from a file. ``date`` is None when none was printed (or it
    could not be read: ``date_as_printed`` keeps the words); every other missing part is ""."""

    title: str = ""
    to_line: str = ""
    author_line: str = ""
    date: datetime.date | None = None
    date_as_printed: str = ""
    agenda_reference: str = ""
    purpose: str = ""
    body: str = ""
    source_documents: str = ""
    contact_officers: str = ""
    appendices: str = ""
    recommendations: list[ProposedRecommendation] = dataclasses.field(default_factory=list)
    money: list[ProposedMoney] = dataclasses.field(default_factory=list)
    source_format: str = ""
    original_text: list[str] = dataclasses.field(default_factory=list)  # pages or one text

    def numbered_paragraphs(self) -> dict[str, str]:
        """The body's numbered paragraphs, {number: text}; the first of a repeated number."""
        return numbered_paragraphs(self.body)


def numbered_paragraphs(markup: str) -> dict[str, str]:
    """{number: text} of the paragraphs of ``markup`` that start with a printed number."""
    found: dict[str, str] = {}
    for chunk in markup.split("\n\n"):
        match = NUMBER_RE.match(chunk)
        if match and not chunk.startswith(("#", "|", "- ")):
            found.setdefault(match.group(1), chunk[match.end() :].strip())
    return found


def tables(markup: str) -> list[list[list[str]]]:
    """The pipe tables of ``markup`` as rows of cell texts (the --- row left out)."""
    found = []
    for chunk in markup.split("\n\n"):
        if not chunk.startswith("|"):
            continue
        rows = []
        for line in chunk.split("\n"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if cells and all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue
            rows.append([c.replace("\\|", "|") for c in cells])
        found.append(rows)
    return found


# -- the markup ---------------------------------------------------------------------------------
_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>#|])")
_LIST_START_RE = re.compile(r"^(\d+)([.)])(\s)")


def escape(text: str, *, block_start: bool = True) -> str:
    """``text`` as literal markup: every character CommonMark would read as markup is escaped,
    so HTML or emphasis in an imported file stays text. ``block_start``: the text starts a
    block, where "1) x" or "- x" would start a list."""
    text = _ESCAPE_RE.sub(r"\\\1", text.strip())
    if not block_start:
        return text
    text = _LIST_START_RE.sub(r"\1\\\2\3", text)  # "1) x" is not a list
    return re.sub(r"^([-+=])(\s)", r"\\\1\2", text)


def _cell(text: str) -> str:
    return escape(" ".join(text.split()))


def to_markup(blocks: list[Block]) -> str:
    """The project's markup for ``blocks``: "## " and "### " headings, numbered paragraphs as
    printed ("3.1 text"), "- " bullets (nested by two spaces), pipe tables."""
    chunks: list[str] = []
    bullets: list[str] = []
    for block in blocks:
        if block.kind == "bullet":
            bullets.append(" " * block.level + "- " + escape(block.text))
            continue
        if bullets:
            chunks.append("\n".join(bullets))
            bullets = []
        if block.kind == "heading":
            chunks.append("#" * (block.level + 1) + " " + escape(block.text, block_start=False))
        elif block.kind == "para":
            if block.number:
                chunks.append(f"{block.number} {escape(block.text, block_start=False)}")
            else:
                chunks.append(escape(block.text))
        elif block.kind == "table" and block.rows:
            width = max(len(row) for row in block.rows)
            rows = [[_cell(c) for c in row] + [""] * (width - len(row)) for row in block.rows]
            lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
            lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
            chunks.append("\n".join(lines))
    if bullets:
        chunks.append("\n".join(bullets))
    return "\n\n".join(c for c in chunks if c.strip())


# -- reading the parts out of the blocks ----------------------------------------------------------
def parse_date(text: str) -> datetime.date | None:
    """A date as papers print it ("26 November 2015", "26th November 2015", "26/11/2015")."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().rstrip("."))
    for fmt in ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d", "%A %d %B %Y", "%A, %d %B %Y"):
        try:
            return datetime.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def section_of(heading: str) -> str:
    lowered = heading.lower().strip().rstrip(":")
    lowered = re.sub(r"^\d+(\.0|\.)?\s*", "", lowered)
    if any(lowered.startswith(h) for h in SOURCE_HEADINGS):
        return "source"
    if any(lowered.startswith(h) for h in CONTACT_HEADINGS):
        return "contact"
    if APPENDIX_RE.match(lowered):
        return "appendix"
    return "body"


def _heading_title(block: Block) -> str:
    return re.sub(r"^\d+(\.0|\.)?\s*", "", block.text).strip().lower()


def _recommendations(body: list[Block]) -> list[ProposedRecommendation]:
    """The numbered paragraphs under a heading that says Recommendation(s), as printed; a
    paragraph that only leads into its bullets ("The Board is recommended to:") gives one
    recommendation per bullet under its number, any other keeps its bullets in its text."""
    found: list[ProposedRecommendation] = []
    inside = False
    current: ProposedRecommendation | None = None
    stem_only = False
    for block in body:
        if block.kind == "heading" and block.level == 1:
            inside = _heading_title(block).startswith("recommendation")
            current = None
            continue
        if not inside:
            continue
        if block.kind == "para" and block.number:
            stem_only = bool(re.search(r"\b(recommended|asked|invited) to:$", block.text.strip()))
            current = ProposedRecommendation(block.number, block.text.strip())
            if not stem_only:
                found.append(current)
        elif block.kind == "bullet" and current is not None:
            if stem_only:
                found.append(ProposedRecommendation(current.number, block.text.strip()))
            else:
                joiner = "\n\n- " if "\n- " not in current.text else "\n- "
                current.text += joiner + block.text.strip()
        elif block.kind != "bullet":
            current = None
    return found


def build_draft(blocks: list[Block], *, source_format: str, original_text: list[str]) -> PaperDraft:
    """A ``PaperDraft`` from a paper's blocks in printed order. No query."""
    draft = PaperDraft(source_format=source_format, original_text=original_text)
    index = 0
    # The lines before the title: To, From, Date, Agenda item.
    while index < len(blocks):
        block = blocks[index]
        match = META_RE.match(block.text.strip()) if block.kind in ("para", "heading") else None
        if not match or block.number:
            break
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "to":
            draft.to_line = value
        elif key == "from":
            draft.author_line = value
        elif key == "date":
            draft.date_as_printed = value
            draft.date = parse_date(value)
        else:
            draft.agenda_reference = value
        index += 1
    if index < len(blocks) and not HEADING_RE.match(blocks[index].text):
        draft.title = " ".join(blocks[index].text.split())
        index += 1
    sections: dict[str, list[Block]] = {"body": [], "source": [], "contact": [], "appendix": []}
    where = "body"
    for block in blocks[index:]:
        if block.kind == "heading" and block.level == 1:
            kind = section_of(block.text)
            if kind in ("source", "contact"):
                where = kind
                continue
            if kind == "appendix" or where == "appendix":
                where = "appendix"
            elif (
                where != "body"
                and source_format == "pdf"
                and (_heading_title(block) in PDF_TRAILERS)
            ):
                where = "trailer"
                continue
            else:
                where = "body"
        if where == "trailer":
            continue
        if where in ("source", "contact") and block.kind == "heading":
            block = Block("para", text=block.text)  # a short line of a list of names
        sections[where].append(block)
    body = sections["body"]
    draft.body = to_markup(body)
    draft.source_documents = to_markup(sections["source"])
    draft.contact_officers = to_markup(sections["contact"])
    draft.appendices = to_markup(sections["appendix"])
    draft.recommendations = _recommendations(body)
    # The Purpose section's paragraphs, as the papers print them (with their numbers).
    purpose: list[Block] = []
    inside = False
    for block in body:
        if block.kind == "heading" and block.level == 1:
            inside = _heading_title(block) == "purpose"
            continue
        if inside:
            purpose.append(block)
    draft.purpose = to_markup(purpose)
    draft.money = find_money(body)
    return draft
