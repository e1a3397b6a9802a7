"""The importer's fidelity, measured on the corpus of seed papers (bench/import_corpus.py).

Each seed paper is imported from .docx, PDF and text and compared with its seed record:
numbered paragraphs matched word for word, table cells matched (by table, row and column),
recommendations matched (number and words, in order), metadata fields matched (title, To,
From, date, agenda reference, purpose, source documents, contact officers). Emphasis and
escapes of the markup are left out of both sides; the words and their order must agree.
Prints a table per format and writes bench/results/import-fidelity.json.

    .venv/bin/python bench/import_fidelity.py [--corpus bench/results/import-corpus] [--write]

``--write`` (re)writes the corpus first (renders the PDFs: about half a minute).
Targets: .docx at least 98 % of numbered paragraphs and 95 % of table cells; PDF 95 % and 90 %.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("import_corpus", ROOT / "bench" / "import_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

from documents.importing import parse  # noqa: E402
from documents.importing.draft import numbered_paragraphs, tables  # noqa: E402

META = (
    "title",
    "to_line",
    "author_line",
    "date",
    "agenda_reference",
    "purpose",
    "source_documents",
    "contact_officers",
)
TARGETS = {"docx": (98.0, 95.0), "pdf": (95.0, 90.0), "text": (None, None)}


def words(text: str) -> list[str]:
    return corpus.plain(text or "").replace("\\", "").split()


def compare(paper: dict, draft) -> dict:
    """Counts of matched and expected items of one paper's draft against its seed record."""
    seed_paras = numbered_paragraphs(paper["body"])
    got_paras = draft.numbered_paragraphs()
    paras = sum(
        words(text) == words(got_paras.get(number, "")) for number, text in seed_paras.items()
    )
    seed_tables, got_tables = tables(paper["body"]), tables(draft.body)
    cells = expected_cells = 0
    for t, table in enumerate(seed_tables):
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                expected_cells += 1
                try:
                    got = got_tables[t][r][c]
                except IndexError:
                    continue
                cells += words(cell) == words(got)
    seed_recs = [(n, words(t)) for n, t in paper["recommendations"]]
    got_recs = [(r.number, words(r.text)) for r in draft.recommendations]
    recs = sum(1 for i, rec in enumerate(seed_recs) if i < len(got_recs) and got_recs[i] == rec)
    meta = 0
    missed = []
    for field in META:
        want = paper["date"] if field == "date" else paper[field]
        got = getattr(draft, field)
        if field == "date":
            want = datetime.date.fromisoformat(want) if isinstance(want, str) and want else want
            ok = want == got
        else:
            ok = words(want) == words(got)
        meta += ok
        if not ok:
            missed.append(field)
    return {
        "paragraphs": (paras, len(seed_paras)),
        "cells": (cells, expected_cells),
        "recommendations": (recs, max(len(seed_recs), len(got_recs))),
        "metadata": (meta, len(META)),
        "metadata_missed": missed,
    }


def percent(done: int, total: int) -> float | None:
    return round(100 * done / total, 1) if total else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=corpus.OUT)
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "bench" / "results" / "import-fidelity.json"
    )
    args = parser.parse_args()
    if args.write or not any(args.corpus.glob("*.pdf")):
        corpus.setup_django()
        corpus.write_corpus(args.corpus)
    else:
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")
        import django

        django.setup()
    papers = corpus.seed_papers()
    results: dict = {}
    for fmt, suffix in (("docx", ".docx"), ("pdf", ".pdf"), ("text", ".txt")):
        totals = {k: [0, 0] for k in ("paragraphs", "cells", "recommendations", "metadata")}
        per_paper = {}
        for paper in papers:
            path = args.corpus / f"paper-{paper['pk']:02d}{suffix}"
            found = compare(paper, parse(path.read_bytes()))
            per_paper[paper["pk"]] = found
            for key in totals:
                totals[key][0] += found[key][0]
                totals[key][1] += found[key][1]
        results[fmt] = {
            "percent": {k: percent(*v) for k, v in totals.items()},
            "counts": totals,
            "targets": dict(zip(("paragraphs", "cells"), TARGETS[fmt], strict=True)),
            "papers": per_paper,
        }
    print(
        f"{'format':<6} {'paragraphs':>16} {'table cells':>16} {'recommendations':>16} {'metadata':>12}"
    )
    for fmt, result in results.items():
        cols = [
            f"{result['percent'][k]}% ({result['counts'][k][0]}/{result['counts'][k][1]})"
            for k in ("paragraphs", "cells", "recommendations", "metadata")
        ]
        print(f"{fmt:<6} {cols[0]:>16} {cols[1]:>16} {cols[2]:>16} {cols[3]:>12}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str))
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
