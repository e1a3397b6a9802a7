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

Last, the bounded-render burst: gunicorn as the README deploys it (gthread workers, at most
``MINUTEBOOK_PDF_RENDERS`` = 1 render per process), the cache emptied, and anonymous readers
asking for every public PDF once (each uncached: every pack, paper, minutes, notice and
function PDF) from ``--concurrency`` connections while /healthz is measured beside them; then
the same readers honouring Retry-After until every PDF is served; then all again (cached).
Reported: the PDFs' statuses (200, or 503 with Retry-After), and /healthz p95 alone and during
each burst.

    .venv/bin/python bench/pdfs.py [--repeat 5] [--duration 10]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import io
import json
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "bench" / "pdfs.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")
# A cache shared with the gunicorn workers, so "cached" means cached for every worker: Redis
# as the README deploys it (BENCH_PDF_REDIS_URL, default database 14 of the local server, a
# number of its own: the script empties it), or a directory when no Redis answers.
REDIS_URL = os.environ.get("BENCH_PDF_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


os.environ.setdefault(
    "MINUTEBOOK_CACHE_URL",
    REDIS_URL
    if _redis_answers(REDIS_URL)
    else f"file://{ROOT / 'bench' / 'results' / 'pdf-cache'}",
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML  # noqa: E402

from bench.pages import free_port, load, percentile, staff_user, start_gunicorn, stop  # noqa: E402
from boards.models import AgendaItem, Board, Meeting, Paper  # noqa: E402
from collaboration.models import CollaboratedFunction  # noqa: E402
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


def public_pdfs() -> list[str]:
    """Every PDF address the public may open: each meeting's pack (and minutes once approved),
    each paper, notice and collaborated function."""
    anonymous = AnonymousUser()
    urls = []
    for meeting in Meeting.objects.visible_to(anonymous).select_related("board"):
        base = f"/boards/{meeting.board.slug}/{meeting.date.isoformat()}"
        urls.append(f"{base}/pack.pdf")
        if meeting.minutes_locked:
            urls.append(f"{base}/minutes.pdf")
    urls += [
        f"/papers/{pk}.pdf"
        for pk in Paper.objects.visible_to(anonymous).values_list("pk", flat=True)
    ]
    urls += [
        f"/decisions/{pk}.pdf"
        for pk in DecisionNotice.objects.visible_to(anonymous).values_list("pk", flat=True)
    ]
    urls += [
        f"/collaboration/functions/{slug}.pdf"
        for slug in CollaboratedFunction.objects.values_list("slug", flat=True)
    ]
    return urls


def burst(port: int, urls: list[str], concurrency: int, retry: bool = False) -> dict:
    """Each of ``urls`` requested from ``concurrency`` threads taking the next address in turn:
    once each, or (``retry``) as a reader who honours Retry-After would, again after each 503
    until it is served. Statuses, seconds, and the latency percentiles of the 200s."""
    lock = threading.Lock()
    queue = list(reversed(urls))
    pending = [len(urls)]
    statuses: Counter = Counter()
    latencies: list[float] = []
    retry_after: set[str] = set()

    def worker() -> None:
        while True:
            with lock:
                if not pending[0]:
                    return
                url = queue.pop() if queue else None
            if url is None:  # the rest are waiting to retry
                time.sleep(0.1)
                continue
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            started = time.perf_counter()
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            conn.close()
            wait = response.getheader("Retry-After")
            with lock:
                statuses[response.status] += 1
                if response.status == 200:
                    latencies.append(elapsed)
                if response.status == 503:
                    retry_after.add(wait or "missing")
                if response.status != 503 or not retry:
                    pending[0] -= 1
            if response.status == 503 and retry:
                time.sleep(int(wait or 1))
                with lock:
                    queue.insert(0, url)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "addresses": len(urls),
        "requests": sum(statuses.values()),
        "seconds": round(time.monotonic() - started, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "retry_after": sorted(retry_after),
        "p50_ms_of_200": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms_of_200": round(percentile(latencies, 95), 1) if latencies else None,
    }


def beside_healthz(port: int, run) -> tuple[dict, dict]:
    """(what ``run()`` returns, /healthz measured from two connections while it runs, in 2 s
    slices: requests and statuses summed, the worst slice's p95 kept)."""
    outcome: dict = {}
    runner = threading.Thread(target=lambda: outcome.update(run()))
    runner.start()
    health = {"requests": 0}
    while runner.is_alive() or not health["requests"]:
        part = load(port, ["/healthz"], 2, 2)
        health = part if not health["requests"] else _merge(health, part)
    runner.join()
    return outcome, health


def burst_beside_healthz(urls: list[str], concurrency: int) -> dict:
    """With the cache emptied: every public PDF once (uncached), then as retrying readers until
    each is served, then all again (cached), each next to /healthz."""
    cache.clear()
    port = free_port()
    proc = start_gunicorn(port, threads=4, env={"MINUTEBOOK_PDF_RENDERS": "1"})
    try:
        result = {"healthz_alone": load(port, ["/healthz"], 5, 2)}
        for name, retry in (("uncached_once", False), ("retrying", True), ("cached", False)):
            outcome, health = beside_healthz(
                port, functools.partial(burst, port, urls, concurrency, retry)
            )
            result[name] = {**outcome, "healthz": health}
    finally:
        stop(proc)
    return result


def _merge(a: dict, b: dict) -> dict:
    """Two /healthz load slices as one: requests and statuses summed, worst p95 kept."""
    statuses = Counter(a["statuses"]) + Counter(b["statuses"])
    return {
        "requests": a["requests"] + b["requests"],
        "p95_ms": max(a["p95_ms"] or 0, b["p95_ms"] or 0),
        "p50_ms": max(a["p50_ms"] or 0, b["p50_ms"] or 0),
        "statuses": dict(statuses),
        "errors": a["errors"] + b["errors"],
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

    print(f"PDF benchmark database: {DB}; cache {os.environ['MINUTEBOOK_CACHE_URL']}")
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

    urls = public_pdfs()
    bounded = burst_beside_healthz(urls, args.concurrency)
    print(
        f"\nBounded renders: gunicorn -w 2 -k gthread --threads 4, MINUTEBOOK_PDF_RENDERS=1, "
        f"{len(urls)} public PDFs, each once, {args.concurrency} connections:"
    )
    print(f"  /healthz alone              p95 {bounded['healthz_alone']['p95_ms']} ms")
    labels = {
        "uncached_once": "each once, uncached",
        "retrying": "readers retrying on 503",
        "cached": "each once again, cached",
    }
    for name, label in labels.items():
        row = bounded[name]
        print(
            f"  {label:27} {row['seconds']:5.1f} s, {row['requests']} requests {row['statuses']}, "
            f"p95 of 200s {row['p95_ms_of_200']} ms; /healthz meanwhile p95 "
            f"{row['healthz']['p95_ms']} ms (worst 2 s slice), {row['healthz']['statuses']}"
        )

    out = ROOT / "bench" / "results" / "pdfs.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "cache": os.environ["MINUTEBOOK_CACHE_URL"],
                "documents": rows,
                "healthz": health,
                "cached_pdf": cached,
                "cached_over_healthz": round(ratio, 3),
                "bounded_renders": bounded,
            },
            indent=1,
        )
    )
    print(f"\nWritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        main()
