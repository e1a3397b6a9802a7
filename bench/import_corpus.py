"""The importer's test corpus: every seed paper as Word, as PDF and as plain text.

From the seed records (``fixtures/seed/04_papers.yaml``, read directly), each paper is written

- as ``.docx`` with python-docx: the To/From/Date lines, the title in the Title style, section
  headings in Heading 1 (numbered by Word: a real ``numbering.xml`` list whose level 1 prints
  "1." or "1.0"), sub-headings in Heading 2, numbered paragraphs as level 2 of the same list
  ("%1.%2", restarted with ``startOverride`` wherever the printed numbers jump), bullets as a
  Word bullet list, tables as real tables;
- as PDF, rendered by Minutebook's own paper PDF (``papers:pdf``) from a scratch SQLite database
  holding the seed records (``bench/import-corpus.sqlite3``);
- as plain text, as the paper prints: metadata lines, the title, paragraphs separated by blank
  lines, bullets as "- ", tables as "|" rows.

    .venv/bin/python bench/import_corpus.py [--out bench/results/import-corpus]

The writers are functions (``write_docx``, ``write_text``, ``render_pdf``) so tests can build
one paper's files in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed"
OUT = ROOT / "bench" / "results" / "import-corpus"
DB = ROOT / "bench" / "import-corpus.sqlite3"

NUMBER_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(\.?)\s+")
HEADING_RE = re.compile(r"^(\d{1,2})(\.0|\.)\s+(.*)$")


def seed_papers() -> list[dict]:
    """The seed papers' fields, each with ``pk``, ``board`` (its slug), ``meeting_date`` and
    ``recommendations`` [(number, text)] in printed order; read from the fixture files."""

    def load(name):
        with open(SEED / name, encoding="utf-8") as handle:
            return yaml.safe_load(handle)

    boards = {
        r["pk"]: r["fields"]["slug"] for r in load("02_boards.yaml") if r["model"] == "boards.board"
    }
    meetings = {}
    for path in sorted(SEED.glob("03_*.yaml")):
        for r in load(path.name):
            if r["model"] == "boards.meeting":
                meetings[r["pk"]] = r["fields"]["date"]
    recommendations: dict[int, list] = {}
    for r in load("05_decisions.yaml"):
        if r["model"] == "decisions.recommendation":
            f = r["fields"]
            recommendations.setdefault(f["paper"], []).append(
                (f["position"], f["number"], f["text"])
            )
    papers = []
    for r in load("04_papers.yaml"):
        if r["model"] != "boards.paper":
            continue
        fields = dict(r["fields"], pk=r["pk"])
        fields["board_slug"] = boards.get(fields["board"], "")
        fields["meeting_date"] = meetings.get(fields["meeting"])
        fields["recommendations"] = [
            (n, t) for _p, n, t in sorted(recommendations.get(r["pk"], []))
        ]
        papers.append(fields)
    return papers


def plain(text: str) -> str:
    """Markup emphasis and escapes left out: the words as they print."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return re.sub(r"\\([\\`*_\[\]()<>#|.!-])", r"\1", text)


def chunks(markup: str) -> list[tuple[str, object]]:
    """The markup's pieces: ("heading", (level, text)), ("para", text), ("bullets",
    [(level, text)]), ("table", rows)."""
    found: list[tuple[str, object]] = []
    for chunk in markup.split("\n\n"):
        chunk = chunk.strip("\n")
        if not chunk.strip():
            continue
        if chunk.startswith("#"):
            hashes = len(chunk) - len(chunk.lstrip("#"))
            found.append(("heading", (min(hashes - 1, 2) or 1, plain(chunk.lstrip("#").strip()))))
        elif chunk.startswith("|"):
            rows = []
            for line in chunk.split("\n"):
                cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
                if cells and all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    continue
                rows.append([plain(c) for c in cells])
            found.append(("table", rows))
        elif re.match(r"^\s*[-*] ", chunk):
            items = []
            for line in chunk.split("\n"):
                match = re.match(r"^(\s*)[-*] (.*)$", line)
                if match:
                    items.append((1 if match.group(1) else 0, plain(match.group(2))))
                elif items:
                    items[-1] = (items[-1][0], items[-1][1] + " " + plain(line.strip()))
            found.append(("bullets", items))
        else:
            found.append(("para", plain(" ".join(chunk.split("\n")))))
    return found


def _date(paper: dict) -> str:
    value = paper["date"]
    if not value:
        return ""
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def _meta(paper: dict) -> list[str]:
    lines = []
    if paper["to_line"]:
        lines.append(f"To: {paper['to_line']}")
    if paper["author_line"]:
        lines.append(f"From: {paper['author_line']}")
    if paper["date"]:
        lines.append(f"Date: {_date(paper)}")
    if paper["agenda_reference"]:
        lines.append(f"Agenda item: {paper['agenda_reference']}")
    return lines


def _tail(paper: dict) -> list[tuple[str, str]]:
    """The sections after the body: (heading, markup)."""
    parts = [
        ("Source documents", paper["source_documents"]),
        ("Contact officers", paper["contact_officers"]),
    ]
    return [(heading, text) for heading, text in parts if text.strip()]


# -- plain text ----------------------------------------------------------------------------------
def text_of(paper: dict) -> str:
    """The paper as plain text."""
    out = [*_meta(paper), "", paper["title"], ""]

    def write(markup):
        for kind, value in chunks(markup):
            if kind == "heading":
                out.extend([value[1], ""])
            elif kind == "para":
                out.extend([value, ""])
            elif kind == "bullets":
                out.extend([("  - " if level else "- ") + text for level, text in value] + [""])
            elif kind == "table":
                out.extend(["| " + " | ".join(row) + " |" for row in value] + [""])

    write(paper["body"])
    for heading, markup in _tail(paper):
        out.extend([heading, ""])
        write(markup)
    if paper["appendices"].strip():
        write(paper["appendices"])
    return "\n".join(out).rstrip() + "\n"


def write_text(paper: dict, path: Path) -> Path:
    path.write_text(text_of(paper), encoding="utf-8")
    return path


# -- Word ------------------------------------------------------------------------------------------
class _Numbering:
    """Real Word numbering for one document: an abstractNum per printed style ("1." or "1.0"
    sections, "3.1" or "3.1." paragraphs), a ``w:num`` per restart, and one bullet list."""

    def __init__(self, document):
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        self._parse, self._ns = parse_xml, nsdecls("w")
        self.part = document.part.numbering_part.element
        self.abstract: dict[tuple[str, str], int] = {}
        self.next_abstract = 100
        self.next_num = 100
        self.bullets = self._num(self._abstract_bullets())
        self.current: tuple[int, str, int, int] | None = None  # num, style key, section, para

    def _add_abstract(self, levels_xml: str) -> int:
        aid = self.next_abstract
        self.next_abstract += 1
        element = self._parse(
            f'<w:abstractNum {self._ns} w:abstractNumId="{aid}">'
            f'<w:multiLevelType w:val="multilevel"/>{levels_xml}</w:abstractNum>'
        )
        # abstractNum elements come before every num element.
        first_num = self.part.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num"
        )
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self.part.append(element)
        return aid

    def _abstract_bullets(self) -> int:
        levels = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="•"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for i in range(2)
        )
        return self._add_abstract(levels)

    def _abstract_numbers(self, section: str, para: str) -> int:
        key = (section, para)
        if key not in self.abstract:
            levels = (
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                f'<w:lvlText w:val="{section}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
                f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                f'<w:lvlText w:val="{para}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
            )
            self.abstract[key] = self._add_abstract(levels)
        return self.abstract[key]

    def _num(self, abstract: int, starts: dict[int, int] | None = None) -> int:
        nid = self.next_num
        self.next_num += 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{value}"/></w:lvlOverride>'
            for level, value in (starts or {}).items()
        )
        self.part.append(
            self._parse(
                f'<w:num {self._ns} w:numId="{nid}"><w:abstractNumId w:val="{abstract}"/>'
                f"{overrides}</w:num>"
            )
        )
        return nid

    def section(self, number: int, style: str) -> int:
        """A new list for a section numbered ``number`` printed as ``style`` ("%1." or
        "%1.0"); returns its numId (the heading is its level 0)."""
        abstract = self._abstract_numbers(style, "%1.%2")
        nid = self._num(abstract, {0: number, 1: 1})
        self.current = (nid, style, number, 0)
        return nid

    def paragraph(self, section: int, para: int, dot: str) -> int:
        """The numId for paragraph ``section.para``: the section's list when it continues it,
        else a list restarted at that number."""
        current = self.current
        if current and not dot and current[2] == section and current[3] + 1 == para:
            self.current = (current[0], current[1], section, para)
            return current[0]
        abstract = self._abstract_numbers("%1.", "%1.%2" + dot)
        nid = self._num(abstract, {0: section, 1: para})
        self.current = (nid, "%1.", section, para) if not dot else None
        return nid


def _number(paragraph, num_id: int, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def docx_document(paper: dict):
    """The paper as a python-docx ``Document`` with real numbering, headings and tables."""
    from docx import Document

    document = Document()
    numbering = _Numbering(document)
    for line in _meta(paper):
        document.add_paragraph(line)
    document.add_paragraph(paper["title"], style="Title")

    def write(markup):
        for kind, value in chunks(markup):
            if kind == "heading":
                level, text = value
                match = HEADING_RE.match(text) if level == 1 else None
                if match:
                    style = "%1.0" if match.group(2) == ".0" else "%1."
                    paragraph = document.add_paragraph(match.group(3), style="Heading 1")
                    _number(paragraph, numbering.section(int(match.group(1)), style), 0)
                else:
                    document.add_paragraph(text, style=f"Heading {level}")
            elif kind == "para":
                match = NUMBER_RE.match(value)
                if match:
                    paragraph = document.add_paragraph(value[match.end() :])
                    nid = numbering.paragraph(
                        int(match.group(1)), int(match.group(2)), match.group(3)
                    )
                    _number(paragraph, nid, 1)
                else:
                    document.add_paragraph(value)
            elif kind == "bullets":
                for level, text in value:
                    paragraph = document.add_paragraph(text, style="List Paragraph")
                    _number(paragraph, numbering.bullets, level)
            elif kind == "table":
                width = max(len(row) for row in value)
                table = document.add_table(rows=len(value), cols=width)
                table.style = "Table Grid"
                for r, row in enumerate(value):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell

    write(paper["body"])
    for heading, markup in _tail(paper):
        document.add_paragraph(heading, style="Heading 1")
        write(markup)
    if paper["appendices"].strip():
        write(paper["appendices"])
    return document


def write_docx(paper: dict, path: Path) -> Path:
    docx_document(paper).save(str(path))
    return path


# -- PDF ---------------------------------------------------------------------------------------------
def render_pdf(pk: int, path: Path) -> Path:
    """The seed paper ``pk`` as Minutebook's paper PDF prints it to the public (Django set up
    on a database holding the seed records). Writes ``path``."""
    from django.test import Client
    from django.urls import reverse

    response = Client().get(reverse("papers:pdf", kwargs={"pk": pk}))
    if response.status_code != 200:
        raise RuntimeError(f"paper {pk}: the PDF answered {response.status_code}")
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return path


def setup_django() -> None:
    """Django on the scratch database ``DB``, with the seed records loaded (once)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")
    os.environ.setdefault("MINUTEBOOK_CACHE_URL", "locmem://")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # static files from disk: no collectstatic
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)


def write_corpus(out: Path, *, pdf: bool = True) -> list[dict]:
    """Every seed paper as .docx, .txt and (with ``pdf``) .pdf in ``out``; returns the papers."""
    out.mkdir(parents=True, exist_ok=True)
    papers = seed_papers()
    for paper in papers:
        stem = out / f"paper-{paper['pk']:02d}"
        write_docx(paper, stem.with_suffix(".docx"))
        write_text(paper, stem.with_suffix(".txt"))
        if pdf:
            render_pdf(paper["pk"], stem.with_suffix(".pdf"))
    return papers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    setup_django()
    papers = write_corpus(args.out)
    print(f"{len(papers)} seed papers written as .docx, .pdf and .txt to {args.out}")


if __name__ == "__main__":
    main()
