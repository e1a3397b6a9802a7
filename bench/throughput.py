"""Throughput of cached pages against /healthz through gunicorn, and a count of stale responses.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutebook_bench python bench/throughput.py

One run, three gunicorns (2 sync workers each) sharing Redis as the cache
(``BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/15``: a database number of its own,
flushed first; this process uses it too, so the changes it makes drop the records token there):

1. Page cache on: /healthz, then meeting pages of approved minutes, published papers and the
   decisions register (pages 1-5), each as the public and as OPCC staff (a signed-in session),
   after one unmeasured request per address, so every measured request is a cache hit.
2. Page cache off (``MINUTEBOOK_PAGE_CACHE=0``): the same addresses, every page built.
3. Correctness: ``--clients`` threads read public paper pages and staff meeting pages of draft
   minutes from both workers while this process hides papers (status draft) and edits minute
   paragraphs (``save()``, committed) one after another; a response to a request sent after a
   change committed that still shows the old content (a hidden paper answered 200, the old
   minute text) counts as stale. Target 0. Every change is undone at the end.

Prints requests/s, the ratio to /healthz, p50 and p95 per page and reader, and the stale
count; writes bench/results/throughput-<vendor>.json. Load comes from Python threads with
``http.client`` on the same 2 cores as gunicorn, PostgreSQL and Redis: read the ratios.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import sys
import threading
import time
from collections import Counter
from importlib import import_module
from pathlib import Path

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ["MINUTEBOOK_CACHE_URL"] = REDIS_URL
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (sets the production-like environment and runs django.setup())
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from generate import refuse_dev_database  # noqa: E402

from boards.models import Meeting, MinuteParagraph, Paper  # noqa: E402


def staff_cookie() -> str:
    """A Cookie header for a signed-in OPCC staff session (and its CSRF cookie, so the
    sign-out form's token comes from it rather than a new cookie on every response)."""
    user = pages.staff_user()
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # as the workers keep them
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the one with get_user
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    )


def address_sets(n: int, rng: random.Random) -> dict[str, list[str]]:
    """Settled records the public may read: meetings with approved minutes, published papers;
    and the register's first five pages."""
    public = AnonymousUser()
    meetings = list(
        Meeting.objects.visible_to(public)
        .filter(minutes_status=Meeting.MinutesStatus.APPROVED)
        .select_related("board")
        .order_by("?")[:n]
    )
    papers = list(
        Paper.objects.visible_to(public).filter(status=Paper.Status.PUBLISHED).order_by("?")[:n]
    )
    return {
        "meeting": [m.get_absolute_url() for m in meetings],
        "paper": [p.get_absolute_url() for p in papers],
        "register": ["/decisions/"] + [f"/decisions/?page={i}" for i in range(2, 6)],
    }


def get(port: int, url: str, cookie: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(port: int, urls: list[str], cookie: str | None, seconds: float, clients: int) -> dict:
    """Requests/second and latencies for ``urls`` taken in turn by ``clients`` threads."""
    lock, latencies, statuses = threading.Lock(), [], Counter()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        mine, n = [], offset
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = get(port, urls[n % len(urls)], cookie)
            except (OSError, http.client.HTTPException):
                status = "error"
            mine.append((time.perf_counter() - started) * 1000)
            n += clients
            with lock:
                statuses[status] += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pages.percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(pages.percentile(latencies, 95), 1) if latencies else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
    }


def measure(port, sets, cookies, seconds, clients, mode, rows) -> None:
    healthz = {"page": "healthz", "reader": "-", "mode": mode,
               **load(port, ["/healthz"], None, seconds, clients)}  # fmt: skip
    rows.append(healthz)
    show(healthz, healthz["rps"])
    for reader, cookie in cookies.items():
        for page, urls in sets.items():
            if mode == "cached":
                for url in urls:  # one unmeasured request each: the measured ones are hits
                    get(port, url, cookie)
            row = {"page": page, "reader": reader, "mode": mode,
                   **load(port, urls, cookie, seconds, clients)}  # fmt: skip
            row["ratio_to_healthz"] = round(row["rps"] / healthz["rps"], 3)
            rows.append(row)
            show(row, healthz["rps"])


def show(row: dict, floor: float) -> None:
    print(f"  {row['mode']:<8} {row['page']:<9} {row['reader']:<9} {row['rps']:>8} req/s  "
          f"{row['rps'] / floor:>6.1%} of /healthz  p50 {row['p50_ms']} ms  "
          f"p95 {row['p95_ms']} ms  {row['statuses']}", flush=True)  # fmt: skip


def correctness(port: int, staff: str, seconds: float, clients: int, rng: random.Random) -> dict:
    """Stale responses while papers are hidden and minutes edited under load (see module)."""
    public = AnonymousUser()
    papers = list(
        Paper.objects.visible_to(public).filter(status=Paper.Status.PUBLISHED).order_by("?")[:8]
    )
    paragraphs = list(
        MinuteParagraph.objects.filter(
            item__meeting__minutes_status=Meeting.MinutesStatus.DRAFT, item__is_exempt=False
        )
        .select_related("item__meeting__board")
        .order_by("?")[:8]
    )
    targets = [("paper", p.get_absolute_url(), None) for p in papers] + [
        ("minute", mp.item.meeting.get_absolute_url(), staff) for mp in paragraphs
    ]
    for _kind, url, cookie in targets:  # cached before the load starts
        get(port, url, cookie)
    changed: dict[str, tuple[float, bytes]] = {}  # url -> (committed at, the new text)
    lock, stale_examples = threading.Lock(), []
    counts = Counter(responses=0, after_a_change=0, stale=0)
    deadline = time.monotonic() + seconds

    def reader(offset: int) -> None:
        n = offset
        while time.monotonic() < deadline:
            kind, url, cookie = targets[n % len(targets)]
            n += clients
            sent = time.monotonic()
            try:
                status, body = get(port, url, cookie)
            except (OSError, http.client.HTTPException):
                continue
            with lock:
                counts["responses"] += 1
                change = changed.get(url)
                if change is None or sent < change[0]:
                    continue
                counts["after_a_change"] += 1
                if (kind == "paper" and status == 200) or (
                    kind == "minute" and change[1] not in body
                ):
                    counts["stale"] += 1
                    stale_examples.append(url)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    undo = []
    try:
        # The changes in the first half, so that every one is read many times after it.
        step = seconds / 2 / len(targets)
        for number, ((kind, url, _cookie), record) in enumerate(
            zip(targets, papers + paragraphs, strict=True)
        ):
            time.sleep(step)
            if kind == "paper":
                undo.append((record, "status", record.status))
                record.status = Paper.Status.DRAFT
                new = b""
            else:
                undo.append((record, "text", record.text))
                new = f"edited by the throughput benchmark, change {number}"
                record.text = f"{record.text} ({new})"
                new = new.encode()
            record.save()  # committed when it returns (autocommit)
            with lock:
                changed[url] = (time.monotonic(), new)
        for t in threads:
            t.join()
    finally:
        for record, field, value in undo:
            setattr(record, field, value)
            record.save()
    return {"changes": len(changed), **counts, "stale_examples": stale_examples[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="seconds of load per row")
    parser.add_argument("--clients", type=int, default=8, help="load generator threads")
    parser.add_argument("--urls", type=int, default=40, help="addresses per page type")
    parser.add_argument("--correctness-seconds", type=float, default=15)
    parser.add_argument("--correctness-only", action="store_true", help="skip the throughput")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    refuse_dev_database()
    if not Meeting.objects.exists():
        sys.exit("throughput.py: the database has no meetings; run bench/generate.py first.")
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()  # FLUSHDB of the benchmark's own Redis database
    load_average = os.getloadavg()
    rng = random.Random(args.seed)
    sets = address_sets(args.urls, rng)
    cookies = {"public": None, "staff": staff_cookie()}
    env = {"MINUTEBOOK_CACHE_URL": REDIS_URL}
    print(f"Throughput through gunicorn -w 2, Redis {REDIS_URL}, {args.clients} clients, "
          f"{args.seconds:g} s a row (load average {load_average[0]:.1f})")  # fmt: skip
    rows: list[dict] = []
    modes = (
        ()
        if args.correctness_only
        else (("cached", {}), ("uncached", {"MINUTEBOOK_PAGE_CACHE": "0"}))
    )
    for mode, extra in modes:
        port = pages.free_port()
        proc = pages.start_gunicorn(port, env={**env, **extra})
        try:
            measure(port, sets, cookies, args.seconds, args.clients, mode, rows)
        finally:
            pages.stop(proc)
    port = pages.free_port()
    proc = pages.start_gunicorn(port, env=env)
    try:
        check = correctness(port, cookies["staff"], args.correctness_seconds, args.clients, rng)
    finally:
        pages.stop(proc)
    print(f"  correctness: {check['changes']} changes under load, {check.get('responses', 0)} "
          f"responses, {check.get('after_a_change', 0)} after a change, "
          f"stale {check.get('stale', 0)} (target 0)")  # fmt: skip
    out = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": pages.git_commit(),
        "vendor": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
        "cache": REDIS_URL,
        "options": vars(args),
        "load_average_before": [round(x, 2) for x in load_average],
        "rows": rows,
        "correctness": check,
    }
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    path = results / f"throughput-{connection.vendor}.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {path}.")


if __name__ == "__main__":
    main()
