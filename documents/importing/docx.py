"""Word papers (.docx), read with docx2python: paragraphs with their styles and list
positions, tables as grids.

docx2python counts list items but does not print Word's multi-level numbers ("%1.%2", restarted
with ``startOverride``), so the displayed numbers are worked out here from ``numbering.xml`` the
way Word does: a counter per list and level, starting at the level's start (or the list's
override), deeper levels reset when a shallower one moves on, and the level's ``lvlText`` filled
in. Numbers typed into the text ("3.1 The Board…") are read as printed too.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx2python import docx2python
from lxml import etree

from .draft import HEADING_RE, NUMBER_RE, Block, ImportRefused, PaperDraft, build_draft

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A .docx is a zip: refuse one that would unpack to more than this, or that packs too tightly
# (a zip bomb), before anything reads it.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
_BULLET_PREFIX = re.compile(r"^\t*(?:--|[•\-*]|[0-9a-zA-Z]+\))\t")


def check_zip(data: bytes) -> None:
    """Refuse a corrupt zip, a zip without ``word/document.xml``, or a zip bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(
            "The Word document is damaged: it is not a readable .docx file."
        ) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise ImportRefused("The zip file is not a Word document (it has no word/document.xml).")
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise ImportRefused(
            "The Word document unpacks to far more than a paper could hold "
            f"({unpacked // (1024 * 1024)} MB): it is refused as a zip bomb."
        )


class _Numbers:
    """Word's displayed numbers for list paragraphs, from numbering.xml."""

    def __init__(self, xml: bytes | None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> fmt
        self.counters: dict[str, dict[int, int]] = {}
        if not xml:
            return
        root = etree.fromstring(
            xml, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{W}val", "") if ref is not None else "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                level = int(override.get(f"{W}ilvl", "0"))
                if start is not None and level in levels:
                    fmt, text, _ = levels[level]
                    levels[level] = (fmt, text, int(start.get(f"{W}val", "1")))
            self.levels[num.get(f"{W}numId", "")] = levels

    def number(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """("bullet" or "number", the displayed text) of the next paragraph of list ``num_id``
        at level ``ilvl``; ("", "") when the list is not defined."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return "", ""
        fmt, text, _start = levels[ilvl]
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else levels[ilvl][2]
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return "bullet", ""

        def fill(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            if level in counters:
                return str(counters[level])
            return str(levels.get(level, ("", "", 1))[2])

        return "number", re.sub(r"%(\d)", fill, text).strip()


def _num_pr(elem) -> tuple[str, int] | None:
    if elem is None:
        return None
    pr = elem.find(f"{W}pPr/{W}numPr")
    if pr is None:
        return None
    num = pr.find(f"{W}numId")
    lvl = pr.find(f"{W}ilvl")
    if num is None or num.get(f"{W}val") in (None, "0"):
        return None
    return num.get(f"{W}val"), int(lvl.get(f"{W}val", "0")) if lvl is not None else 0


def _text(par) -> str:
    text = "".join(par.run_strings)
    return _BULLET_PREFIX.sub("", text, count=1) if _num_pr(par.elem) else text


def _paragraph_block(par, numbers: _Numbers) -> Block | None:
    text = " ".join(_text(par).split())
    style = (par.style or "").lower().replace(" ", "")
    numbered = _num_pr(par.elem)
    kind, shown = numbers.number(*numbered) if numbered else ("", "")
    if not text:
        return None
    if style.startswith("heading") or style == "title":
        level = 2 if style not in ("heading1", "title") else 1
        if kind == "number" and shown:
            text = f"{shown} {text}"
        if style == "title":
            return Block("para", text=text)
        return Block("heading", text=text, level=level)
    if kind == "bullet" or style.startswith("listbullet"):
        return Block("bullet", text=text, level=min(numbered[1] if numbered else 0, 1))
    if kind == "number" and shown:
        return Block("para", text=text, number=shown)
    typed = NUMBER_RE.match(text)
    if typed:
        return Block("para", text=text[typed.end() :].strip(), number=text[: typed.end()])
    if HEADING_RE.match(text) and len(text) < 120 and style.startswith("heading"):
        return Block("heading", text=text, level=1)
    return Block("para", text=text)


def blocks_of_docx(data: bytes) -> tuple[list[Block], str]:
    """The blocks of a Word paper in order, and its text as extracted (for the page beside
    the draft). Raises ``ImportRefused`` for a damaged file."""
    check_zip(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            numbering_xml = archive.read("word/numbering.xml")
        except KeyError:
            numbering_xml = None
    try:
        numbers = _Numbers(numbering_xml)
        with docx2python(io.BytesIO(data), html=False) as content:
            pars = content.body_pars
            extracted = content.text
    except ImportRefused:
        raise
    except Exception as exc:  # docx2python raises many kinds on a damaged file
        raise ImportRefused(
            f"The Word document is damaged and cannot be read ({type(exc).__name__})."
        ) from exc
    blocks: list[Block] = []
    for table in pars:
        first = next((p for row in table for cell in row for p in cell), None)
        if first is not None and "tbl" in (first.lineage or ()):
            rows = [
                [" ".join(" ".join(_text(p) for p in cell).split()) for cell in row]
                for row in table
            ]
            blocks.append(Block("table", rows=rows))
            continue
        for row in table:
            for cell in row:
                for par in cell:
                    block = _paragraph_block(par, numbers)
                    if block:
                        blocks.append(block)
    return blocks, extracted


def parse_docx(data: bytes) -> PaperDraft:
    """A ``PaperDraft`` from a Word paper's bytes. Raises ``ImportRefused`` with the reason when
    the file is damaged, a zip bomb, or holds no text."""
    blocks, extracted = blocks_of_docx(data)
    if not blocks:
        raise ImportRefused("The Word document holds no text: there is no paper in it.")
    return build_draft(blocks, source_format="docx", original_text=[extracted])
