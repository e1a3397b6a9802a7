"""PDF benchmark: our PDF views against bare WeasyPrint, and cached PDFs against /healthz.

Runs on its own SQLite database (bench/pdfs.sqlite3) holding the seed records, plus one
synthetic meeting whose pack is at least 60 pages (the seed papers attached again, marked as
benchmark data in the meeting's notes). For each document type it reports:

- ``ours``: the whole PDF view (queries, template, render, response) with the cache bypassed;
- ``bare``: WeasyPrint rendering the same HTML with the same options, fonts and parsed
  stylesheet (``minutebook.pdf.render``'s shared resources), nothing else;
- the overhead, ours / bare - 1 (target: at most 10 per cent).

Then gunicorn serves a cached locked PDF (the approved 26 Nov 2015 minutes) next to /healthz
in the same run (target: at least half of /healthz's requests per second).

    .venv/bin/python bench/pdfs.py [--repeat 5] [--duration 10]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "bench" / "pdfs.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")
# A cache shared with the gunicorn workers, so "cached" means cached for every worker.
os.environ.setdefault("MINUTEBOOK_CACHE_URL", f"file://{ROOT / 'bench' / 'results' / 'pdf-cache'}")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from bench.pages import free_port, load, staff_user, start_gunicorn, stop  # noqa: E402
from boards.models import AgendaItem, Board, Meeting, Paper  # noqa: E402
from decisions.models import DecisionNotice  # noqa: E402
from minutebook.pdf import render  # noqa: E402
from minutebook.pdf.fetcher import StaticFilesOnlyFetcher  # noqa: E402

BIG_PACK_DATE = "2016-03-31"
BENCH_NOTE = "Benchmark data: not a record. The seed papers attached again to make a long pack."


def prepare() -> None:
    """Seed the database once, then add the long-pack meeting if missing."""
    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0, stdout=io.StringIO())
    board = Board.objects.get(slug="business-coordination-board")
    meeting, created = Meeting.objects.get_or_create(
        board=board, date=BIG_PACK_DATE, defaults={"status": "", "notes": BENCH_NOTE}
    )
    if created:
        papers = list(Paper.objects.filter(status="published").order_by("pk"))
        for n in range(1):  # the nine seed papers once more: just over 60 pages
            for paper in papers:
                copy = Paper.objects.get(pk=paper.pk)
                copy.pk = None
                copy.meeting = meeting
                copy.version = 0
                copy.save()
                AgendaItem.objects.create(
                    meeting=meeting, number=f"{n + 1}.{copy.pk}", title=copy.title, paper=copy
                )


def documents() -> dict[str, str]:
    seeded = Meeting.objects.get(board__slug="business-coordination-board", date="2015-11-26")
    biggest_paper = max(Paper.objects.filter(meeting=seeded), key=lambda p: len(p.body))
    notice = DecisionNotice.objects.exclude(papers=None).order_by("pk").first()
    base = "/boards/business-coordination-board"
    return {
        "decision notice": f"/decisions/{notice.pk}.pdf",
        "paper (largest seed paper)": f"/papers/{biggest_paper.pk}.pdf",
        "minutes 26 Nov 2015": f"{base}/2015-11-26/minutes.pdf",
        "pack 26 Nov 2015": f"{base}/2015-11-26/pack.pdf",
        "pack, 60+ pages": f"{base}/{BIG_PACK_DATE}/pack.pdf",
    }


def captured_html(client: Client, url: str) -> str:
    """The HTML our view hands to WeasyPrint for ``url``."""
    seen = {}
    original = render.render_pdf

    def spy(html, *, base_url):
        seen["html"], seen["base_url"] = html, base_url
        return original(html, base_url=base_url)

    render.render_pdf = spy
    try:
        cache.clear()
        client.get(url)
    finally:
        render.render_pdf = original
    return seen["html"], seen["base_url"]


def bare(html: str, base_url: str) -> bytes:
    font_config, stylesheets, _ = render._shared_resources()
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnlyFetcher()).write_pdf(
        stylesheets=stylesheets, font_config=font_config, **render.PDF_OPTIONS
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    print(f"PDF benchmark database: {DB}")
    prepare()
    client = Client()
    client.force_login(staff_user())
    bare("<p>warm up fonts and stylesheet</p>", "http://testserver/")

    rows = []
    print(f"\n{'document':30} {'pages':>5} {'ours ms':>9} {'bare ms':>9} {'overhead':>9}")
    for name, url in documents().items():
        html, base_url = captured_html(client, url)
        pages = len(PdfReader(io.BytesIO(bare(html, base_url))).pages)

        # Alternate ours and bare so drifting machine load hits both alike; the cache is
        # emptied (untimed) before each of ours: the cost of a first download.
        ours_times, bare_times = [], []
        for _ in range(args.repeat):
            cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            ours_times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            started = time.perf_counter()
            bare(html, base_url)
            bare_times.append((time.perf_counter() - started) * 1000)
        ours_ms, bare_ms = statistics.median(ours_times), statistics.median(bare_times)
        overhead = ours_ms / bare_ms - 1
        flag = "" if overhead <= 0.10 else "  over 10% target"
        print(f"{name:30} {pages:5d} {ours_ms:9.0f} {bare_ms:9.0f} {overhead:8.1%}{flag}")
        rows.append(
            {
                "document": name,
                "url": url,
                "pages": pages,
                "ours_ms_median": round(ours_ms, 1),
                "bare_ms_median": round(bare_ms, 1),
                "overhead": round(overhead, 4),
            }
        )

    # Cached locked PDF against /healthz, gunicorn with 2 workers, same run.
    locked = "/boards/business-coordination-board/2015-11-26/minutes.pdf"
    cache.clear()
    port = free_port()
    proc = start_gunicorn(port)
    try:
        load(port, [locked], 1, 1)  # render once into the shared cache
        health = load(port, ["/healthz"], args.duration, args.concurrency)
        cached = load(port, [locked], args.duration, args.concurrency)
    finally:
        stop(proc)
    ratio = cached["rps"] / health["rps"] if health["rps"] else 0
    print(f"\ngunicorn -w 2, {args.concurrency} connections, {args.duration:.0f} s each:")
    print(f"  /healthz            {health['rps']:8.1f} req/s  p95 {health['p95_ms']} ms")
    print(
        f"  cached minutes.pdf  {cached['rps']:8.1f} req/s  p95 {cached['p95_ms']} ms  "
        f"= {ratio:.0%} of /healthz (target at least 50%)"
    )

    out = ROOT / "bench" / "results" / "pdfs.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "documents": rows,
                "healthz": health,
                "cached_pdf": cached,
                "cached_over_healthz": round(ratio, 3),
            },
            indent=1,
        )
    )
    print(f"\nWritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        main()
