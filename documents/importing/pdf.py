"""PDF papers, read with pdfplumber (lines with their fonts and sizes, ruled tables), with
pypdf's text as the fallback when pdfplumber cannot read the file.

Structure is read from the print: the largest bold line is the title, bold lines a size above
the text are section headings, a bold line at text size a sub-heading, "•" starts a bullet,
a gap wider than the line spacing starts a paragraph. The running header and footer (small
type at the page's edges) are left out, and so are the sections Minutebook's own paper PDF adds
around the paper's text (its Purpose summary, the recommendations table, the money).
"""

from __future__ import annotations

import io
import re

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .draft import META_RE, NUMBER_RE, Block, ImportRefused, PaperDraft, build_draft
from .text import blocks_of_text

MAX_PAGES = 300
BULLETS = "•◦▪‣–-"
META_LABELS = re.compile(r"^(To|From|Date|Agenda item|Meeting)\s+(\S.*)$")
# Minutebook's paper PDF: sections it adds (h3, 11pt) that are not the paper's own text.
OWN_SECTIONS = ("purpose", "recommendations", "money in this paper")


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        part = part.strip()
        if text.endswith(("-", "/")) and not text.endswith((" -", " /")):
            text += part  # a word broken at its own hyphen
        else:
            text = f"{text} {part}" if text else part
    return text


def _line_style(line: dict) -> tuple[float, bool]:
    chars = [c for c in line["chars"] if c["text"].strip()]
    if not chars:
        return 0.0, False
    size = round(max(c["size"] for c in chars[:3]), 1)
    bold = all("Bold" in c["fontname"] for c in chars)
    return size, bold


def _columns(table) -> list[float]:
    """The x of each column's left edge, and the table's right edge."""
    widest = max(table.rows, key=lambda row: sum(1 for cell in row.cells if cell))
    return [cell[0] for cell in widest.cells if cell] + [table.bbox[2]]


def _cut_off_row(page, table, lines, rows) -> float:
    """A row the page break cut (its lower border not yet drawn) is not in pdfplumber's table:
    its lines, in the table's type below the table, are read column by column into ``rows``.
    Returns the bottom of what the table covers."""
    bottom = table.bbox[3]
    chars = page.crop(table.bbox).chars
    size = min((c["size"] for c in chars if c["text"].strip()), default=0)
    below = [line for line in lines if line["top"] >= table.bbox[3] - 1]
    for line in sorted(below, key=lambda line: line["top"]):
        if line["x0"] < table.bbox[0] - 1 or _line_style(line)[0] > size + 0.5:
            break
        bottom = line["bottom"]
    if bottom == table.bbox[3]:
        return bottom
    xs = _columns(table)
    region = (table.bbox[3], bottom + 1)
    row = []
    for left, right in zip(xs, xs[1:], strict=False):
        cell = page.crop((left, region[0], right, region[1])).extract_text() or ""
        row.append(_join(cell.split("\n")))
    rows.append(row)
    return bottom + 1


def _page_items(page) -> list[tuple[float, str, object]]:
    """(top, kind, value) of a page's lines and tables, top to bottom, inside the running
    header and footer (small type at the page's edges, cropped off first so a table running on
    from the last page is not read as starting at the header)."""
    height = page.height
    header = [
        line["bottom"]
        for line in page.extract_text_lines()
        if line["top"] < 65 and line["bottom"] < 75
    ]
    body = page.crop((0, max(header, default=0) + 1, page.width, height - 40))
    tables = [t for t in body.find_tables() if t.rows and len(t.rows[0].cells) >= 2]
    lines = body.extract_text_lines(return_chars=True)
    items: list[tuple[float, str, object]] = []
    regions: list[tuple[float, float]] = []  # what each table covers, with a row it cut off
    for table in tables:
        rows = [[_join((cell or "").split("\n")) for cell in row] for row in table.extract()]
        bottom = _cut_off_row(body, table, lines, rows)
        items.append((table.bbox[1], "table", rows))
        regions.append((table.bbox[1], bottom))
    for line in lines:
        middle = (line["top"] + line["bottom"]) / 2
        if any(top <= middle <= bottom for top, bottom in regions):
            continue
        size, bold = _line_style(line)
        if size <= 8.5 and (line["top"] < 65 or line["top"] > height - 50):
            continue  # running header, footer
        items.append((line["top"], "line", (line, size, bold)))
    return sorted(items, key=lambda item: item[0])


def _run_on(rows: list[list[str]], more: list[list[str]]) -> None:
    """Add to ``rows`` the rows of the same table on the next page: its repeated header row
    and empty rows left out, a row the page break cut (first cell empty) joined to the last."""
    more = [row for row in more if any(cell for cell in row) and row != rows[0]]
    if more and rows and not more[0][0]:
        first = more.pop(0)
        rows[-1] = [_join([a, b]) if b else a for a, b in zip(rows[-1], first, strict=False)]
    rows.extend(more)


def blocks_of_pdf(pages) -> list[Block]:
    """The blocks of a paper PDF's pages (pdfplumber pages), in order."""
    blocks: list[Block] = []
    current: dict | None = None  # the paragraph, bullet or heading being read
    started = False
    skipping = False
    last_top = None

    def close():
        nonlocal current
        if current is None:
            return
        text = _join(current["parts"])
        kind = current["kind"]
        if kind == "para":
            number = NUMBER_RE.match(text)
            if number:
                blocks.append(
                    Block("para", text=text[number.end() :].strip(), number=text[: number.end()])
                )
            else:
                blocks.append(Block("para", text=text))
        elif kind == "bullet":
            blocks.append(Block("bullet", text=text, level=current["level"]))
        else:
            blocks.append(Block("heading", text=text, level=current["level"]))
        current = None

    for page in pages:
        last_top = None
        page_top = True  # nothing read on this page yet
        for top, kind, value in _page_items(page):
            at_top, page_top = page_top, False
            if kind == "table" and not started:
                for row in value:  # the To / From / Date summary, ruled as a table
                    meta = META_LABELS.match(" ".join(c for c in row if c))
                    if meta and meta.group(1) != "Meeting":
                        blocks.append(Block("para", text=f"{meta.group(1)}: {meta.group(2)}"))
                continue
            if kind == "table":
                close()
                if not skipping and started:
                    previous = blocks[-1] if blocks else None
                    if (
                        previous
                        and previous.kind == "table"
                        and len(previous.rows[0]) == len(value[0])
                        and at_top
                    ):
                        _run_on(previous.rows, value)
                    else:
                        blocks.append(Block("table", rows=value))
                last_top = None
                continue
            line, size, bold = value
            text = line["text"].strip()
            if bold and text.lower() == "money in this paper":
                close()
                return blocks  # the PDF's money section comes last: the paper has ended
            if not started:
                meta = META_LABELS.match(text) if line["chars"][0]["size"] < 10 else None
                if meta and meta.group(1) != "Meeting":
                    blocks.append(Block("para", text=f"{meta.group(1)}: {meta.group(2)}"))
                if size >= 12.5 and bold:
                    started = True  # the title
                else:
                    continue
            gap = (top - last_top) if last_top is not None else 100
            last_top = top
            if bold and 10.8 <= size < 11.5:  # the PDF's own sections
                close()
                skipping = text.lower() in OWN_SECTIONS
                if not skipping:
                    current = {"kind": "heading", "level": 1, "parts": [text], "size": size}
                continue
            if current and current.get("title") and size >= 12.5:
                current["parts"].append(text)
                continue
            if bold and size >= 11.5:
                skipping = False
                level = 1 if size < 12.5 else 0
                if (
                    current
                    and current["kind"] == "heading"
                    and current["size"] == size
                    and gap < 20
                ):
                    current["parts"].append(text)
                    continue
                close()
                if level == 0:  # the title, as a paragraph first after the metadata
                    current = {"kind": "para", "parts": [text], "size": size, "title": True}
                    continue
                current = {"kind": "heading", "level": 1, "parts": [text], "size": size}
                continue
            if skipping:
                continue
            bullet = text[:1] in "•◦▪‣" and len(text) > 1 and text[1:2] == " "
            if bullet:
                close()
                level = 1 if line["x0"] > 75 or text[:1] != "•" else 0
                current = {
                    "kind": "bullet",
                    "level": level,
                    "parts": [text[1:].strip()],
                    "size": size,
                }
                continue
            if bold and not (current and current["kind"] in ("para", "bullet") and gap < 17):
                close()
                current = {"kind": "heading", "level": 2, "parts": [text], "size": size}
                continue
            runs_on = (
                at_top
                and (  # a paragraph running on from the last page
                    not re.search(r"[.:;!?]$", _join(current["parts"]) if current else ".")
                    or text[:1].islower()
                )
            )
            if (
                current
                and (gap < 17 or runs_on)
                and current["kind"] in ("para", "bullet")
                and not current.get("title")
            ):
                current["parts"].append(text)
                continue
            close()
            current = {"kind": "para", "parts": [text], "size": size}
    close()
    return blocks


def _fallback(data: bytes) -> tuple[list[Block], list[str]]:
    """pypdf's text of each page, read as plain text."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ImportRefused(
            f"The PDF is damaged and cannot be read ({type(exc).__name__})."
        ) from exc
    return blocks_of_text("\n\n".join(pages)), pages


def parse_pdf(data: bytes) -> PaperDraft:
    """A ``PaperDraft`` from a PDF paper's bytes. Raises ``ImportRefused`` when the file is
    damaged, has too many pages, or holds no text (a scan: there is no text to import)."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ImportRefused(
                    f"The PDF has {len(pdf.pages)} pages; at most {MAX_PAGES} are read."
                )
            pages_text = [page.extract_text() or "" for page in pdf.pages]
            blocks = blocks_of_pdf(pdf.pages) if any(t.strip() for t in pages_text) else []
    except ImportRefused:
        raise
    except (PdfminerException, PDFSyntaxError, PSException):  # pypdf may read it
        blocks, pages_text = _fallback(data)
    else:
        if blocks and not any(META_RE.match(b.text) for b in blocks[:4]) and len(blocks) < 3:
            blocks = blocks_of_text("\n\n".join(pages_text))
    if not any(t.strip() for t in pages_text):
        raise ImportRefused(
            "The PDF holds no text (it may be a scan): there is nothing to import. "
            "Import the Word document, or a text copy, instead."
        )
    if not blocks:
        blocks = blocks_of_text("\n\n".join(pages_text))
    return build_draft(blocks, source_format="pdf", original_text=pages_text)
