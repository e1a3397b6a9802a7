"""Plain-text papers: UTF-8, paragraphs separated by blank lines, as a paper prints.

A line "To: …", "From: …", "Date: …" or "Agenda item: …" before the title is the paper's
metadata; "1. Purpose" (or "1.0 Purpose") is a section heading; a short line with no closing
punctuation is a sub-heading; "- " or "• " starts a bullet (indented: a nested one); lines
starting "|" are a table's rows. Every character is kept as text: HTML in the file is escaped
when the markup is written (``draft.escape``), never passed through.
"""

from __future__ import annotations

import re

from .draft import (
    HEADING_RE,
    META_RE,
    NUMBER_RE,
    Block,
    ImportRefused,
    PaperDraft,
    build_draft,
    section_of,
)

BULLET_RE = re.compile(r"^(\s*)[-•*–]\s+(.*)$")


def _heading_like(line: str) -> bool:
    return (
        len(line) <= 90
        and not re.search(r"[.:;,]$", line)
        and not line[:1].isdigit()
        and line[:1] not in "¹²³⁴⁵⁶⁷⁸⁹(\"“'‘*"
        and not re.search(r"£|https?://", line)
    )


def blocks_of_text(text: str) -> list[Block]:
    """The blocks of a plain-text paper, in order. No query."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(META_RE.match(line.strip()) for line in lines):
            blocks.extend(Block("para", text=line.strip()) for line in lines)
            continue
        if all(line.lstrip().startswith("|") for line in lines):
            rows = []
            for line in lines:
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    continue
                rows.append(cells)
            blocks.append(Block("table", rows=rows))
            continue
        paragraph: list[str] = []
        for line in lines:
            bullet = BULLET_RE.match(line)
            if bullet:
                if paragraph:
                    blocks.append(_paragraph(" ".join(paragraph), single=False))
                    paragraph = []
                level = 1 if len(bullet.group(1)) >= 1 else 0
                blocks.append(Block("bullet", text=bullet.group(2).strip(), level=level))
            elif blocks and blocks[-1].kind == "bullet" and not paragraph and line[:1] == " ":
                blocks[-1].text += " " + line.strip()  # a bullet's wrapped line
            else:
                paragraph.append(line.strip())
        if paragraph:
            blocks.append(_paragraph(" ".join(paragraph), single=len(paragraph) == 1))
    return blocks


def _paragraph(text: str, *, single: bool) -> Block:
    if single and re.match(r"^\d{1,2}\.0\s", text) and HEADING_RE.match(text):
        return Block("heading", text=text, level=1)  # "2.0 Recommendations"
    number = NUMBER_RE.match(text)
    if number:
        return Block("para", text=text[number.end() :].strip(), number=text[: number.end()])
    if single and HEADING_RE.match(text):
        return Block("heading", text=text, level=1)
    section = section_of(text) if single else "body"
    # "Contact officers" heads a section; "Contact Officer – Dorothy Gregson" is a line of it.
    if section == "appendix" or (section != "body" and len(text.split()) <= 4):
        return Block("heading", text=text, level=1)
    if single and _heading_like(text):
        return Block("heading", text=text, level=2)
    return Block("para", text=text)


def parse_text(data: bytes) -> PaperDraft:
    """A ``PaperDraft`` from a plain-text paper (UTF-8, with or without a byte order mark).
    Raises ``ImportRefused`` when the bytes are not UTF-8 text or hold no paper."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            "The file is not a Word document, a PDF or UTF-8 text: it cannot be read."
        ) from exc
    if "\x00" in text:
        raise ImportRefused("The file holds binary data, not text: it cannot be read.")
    blocks = blocks_of_text(text)
    if not blocks:
        raise ImportRefused("The text file is empty: there is no paper in it.")
    return build_draft(blocks, source_format="text", original_text=[text])
