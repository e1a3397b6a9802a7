"""Measure the public pages against a generated benchmark database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutebook_bench python bench/pages.py

Two measurements, both with DEBUG off as in production:

1. Server time and queries: each page type is requested ``--requests`` times over different
   records with Django's test Client inside this process (after ``--warmup`` unmeasured
   requests), as an anonymous reader, as OPCC staff, as a board member and as a finance officer
   (``--readers``). Reports p50/p95/max milliseconds and queries per request, and the SQL that
   took the most time on each page.
2. Throughput: gunicorn (2 sync workers) on a free port of 127.0.0.1, loaded by
   ``--concurrency`` threads for ``--duration`` seconds per URL, /healthz then meeting pages.

Prints a table and writes bench/results/pages-<vendor>.json. Pages over the targets
(more than 12 queries, or p95 over 50 ms) are flagged.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote_plus

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-not-secret-" + "b" * 50,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}
for _name, _value in PRODUCTION_ENV.items():
    os.environ.setdefault(_name, _value)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from generate import refuse_dev_database  # noqa: E402

from boards.models import (  # noqa: E402
    Action,
    AgendaItem,
    Board,
    Meeting,
    Membership,
    MinuteParagraph,
    Paper,
    Person,
)

# Table columns: heading -> key of a measured row.
COLUMNS = {
    "p50 ms": "p50_ms", "p95 ms": "p95_ms", "max ms": "max_ms", "sql ms": "sql_ms_avg",
    "q avg": "queries_avg", "q max": "queries_max", "KB": "kb_avg",
}  # fmt: skip
MAX_QUERIES = 12
MAX_P95_MS = 50.0
SEARCH_WORDS = [
    "collaboration", "Athena", "budget", "restorative justice", "Decision Notice", "savings",
    "Hertfordshire", "ICT", "estates", "no-such-word",
]  # fmt: skip


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def sample(rng: random.Random, population: list, n: int) -> list:
    """``n`` items of ``population``: distinct while it lasts, then repeating."""
    if not population:
        return []
    out = []
    while len(out) < n:
        out += rng.sample(population, min(n - len(out), len(population)))
    return out


def page_urls(user, n: int, rng: random.Random) -> dict[str, list[str]]:
    """For each page type, ``n`` URLs over different records that ``user`` may see."""
    boards = list(Board.objects.visible_to(user).values_list("slug", flat=True))
    meetings = [
        f"/boards/{slug}/{date.isoformat()}/"
        for slug, date in Meeting.objects.visible_to(user).values_list("board__slug", "date")
    ]
    papers = list(Paper.objects.visible_to(user).values_list("pk", flat=True))
    paper_pages = max(1, min(40, len(papers) // 25))
    years = list(range(2011, 2028))
    statuses = ["", "open", "done", "dropped"]
    return {
        "home": ["/"] * n,
        "board_list": [f"/boards/?page={1 + i % 3}" for i in range(n)],
        "board_detail": [
            f"/boards/{slug}/" + ("" if i % 2 else f"?year={rng.choice(years)}")
            for i, slug in enumerate(sample(rng, boards, n))
        ],
        "meeting_detail": sample(rng, meetings, n),
        "paper_list": [f"/papers/?page={rng.randint(1, paper_pages)}" for _ in range(n)],
        "paper_list_text": [f"/papers/?q={quote_plus(rng.choice(SEARCH_WORDS))}" for _ in range(n)],
        "paper_list_board": [f"/papers/?board={s}" for s in sample(rng, boards, n)],
        "paper_list_year": [f"/papers/?year={rng.choice(years)}" for _ in range(n)],
        "paper_detail": [f"/papers/{pk}/" for pk in sample(rng, papers, n)],
        "action_list": [
            f"/actions/?board={slug}&status={rng.choice(statuses)}"
            for slug in sample(rng, boards, n)
        ],
        "healthz": ["/healthz"] * n,
    }


def normalise_sql(sql: str) -> str:
    """A query with its literals, IN-lists and cursor names blanked, so repeats group together."""
    sql = re.sub(r'"_django_curs_\w+"', '"_django_curs"', sql)
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?, )+\?\)", "(?…)", sql)


def measure_page(client: Client, urls: list[str], warmup: int, budget: float) -> dict:
    """Request ``urls`` in turn (the first ``warmup`` unmeasured); time each request end to end in
    this process and count its queries. Also totals SQL time per query shape, and notes the query
    shape repeated most within one request (an N+1 shows up there). A page that takes longer
    than ``budget`` seconds in all stops early, with fewer requests measured."""
    for url in urls[:warmup]:
        client.get(url)
    deadline = time.monotonic() + budget
    times, counts, sql_ms, statuses, sizes = [], [], [], Counter(), []
    sql_time, sql_calls = defaultdict(float), Counter()
    repeated = (0, "", "")
    for url in urls:
        if time.monotonic() > deadline and len(times) >= 20:
            break
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        counts.append(len(ctx.captured_queries))
        statuses[response.status_code] += 1
        sizes.append(len(response.content))
        shapes = Counter()
        for q in ctx.captured_queries:
            shape = normalise_sql(q["sql"])
            shapes[shape] += 1
            sql_time[shape] += float(q["time"]) * 1000
            sql_calls[shape] += 1
        sql_ms.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        if shapes and max(shapes.values()) > repeated[0]:
            shape, n = shapes.most_common(1)[0]
            repeated = (n, shape, url)
    top = sorted(sql_time, key=sql_time.get, reverse=True)[:3]
    return {
        "requests": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "sql_ms_avg": round(statistics.mean(sql_ms), 1),
        "queries_avg": round(statistics.mean(counts), 1),
        "queries_max": max(counts),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "kb_avg": round(statistics.mean(sizes) / 1024, 1),
        "top_sql": [
            {
                "sql": shape[:3000],
                "calls_per_request": round(sql_calls[shape] / len(times), 2),
                "ms_per_request": round(sql_time[shape] / len(times), 2),
            }
            for shape in top
        ],
        "most_repeated": {"times": repeated[0], "sql": repeated[1][:3000], "url": repeated[2]},
    }


def short_sql(sql: str, width: int = 160) -> str:
    """One query for the table: the column list dropped, cut to ``width``."""
    return re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", sql)[:width]


def flags(row: dict) -> list[str]:
    """Which targets a measured page misses."""
    out = []
    if row["queries_max"] > MAX_QUERIES:
        out.append(f"queries>{MAX_QUERIES}")
    if row["p95_ms"] > MAX_P95_MS:
        out.append(f"p95>{MAX_P95_MS:g}ms")
    if set(row["statuses"]) - {"200"}:
        out.append("non-200")
    return out


STAFF_GROUP = "OPCC staff"
STAFF_PERMISSION = ("boards", "read_restricted")
FINANCE_GROUP = "Finance officers"
FINANCE_PERMISSION = ("boards", "read_all_money")
READERS = ("anonymous", "staff", "member", "finance")


def role_user(username: str, group_name: str, permission_key: tuple[str, str]):
    """A staff login of the benchmark (created once) holding one reading role. Roles are
    permissions, not ``is_staff``: the user joins ``group_name`` when the database has it, and
    is otherwise given the permission itself. Writes only the login and its group or
    permission, never a record."""
    from django.contrib.auth.models import Group, Permission

    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "first_name": "Bench"}
    )
    group = Group.objects.filter(name=group_name).first()
    app_label, codename = permission_key
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if group is not None:
        user.groups.add(group)
    elif permission is not None:
        user.user_permissions.add(permission)
    if permission is not None and not get_user_model().objects.get(pk=user.pk).has_perm(
        f"{app_label}.{codename}"
    ):
        print(f"Warning: {username} lacks {app_label}.{codename}; it reads as a plain login.")
    return user


def staff_user():
    """The benchmark's OPCC staff login (``bench-staff``), holding ``boards.read_restricted``
    (through the "OPCC staff" group when there is one)."""
    return role_user("bench-staff", STAFF_GROUP, STAFF_PERMISSION)


def finance_user():
    """The benchmark's finance officer (``bench-finance``), holding ``boards.read_all_money``
    (through the "Finance officers" group when there is one): reads the site as the public
    does, every financial line."""
    return role_user("bench-finance", FINANCE_GROUP, FINANCE_PERMISSION)


def busiest_person() -> tuple[int, int | None] | None:
    """The person who currently sits on the most boards, a private one among them when anyone
    does (the lowest id on a tie), with the id of their login (None without one); None when
    nobody sits on a board. (``finance.py``'s ``bench-member`` is linked to the same person.)"""
    today = datetime.date.today()
    current = (
        Membership.objects.exclude(start__gt=today)
        .exclude(end__lt=today)
        .values_list("person_id", "board_id", "board__is_public", "person__user_id")
    )
    boards_of, private, logins = defaultdict(set), set(), {}
    for person_id, board_id, is_public, user_id in current:
        boards_of[person_id].add(board_id)
        logins[person_id] = user_id
        if not is_public:
            private.add(person_id)
    pool = [p for p in boards_of if p in private] or list(boards_of)
    if not pool:
        return None
    best = max(pool, key=lambda p: (len(boards_of[p]), -p))
    return best, logins[best]


@contextlib.contextmanager
def reader(name: str):
    """``(user, client)`` for one reader class, the client signed in; ``None`` when the
    database has no such reader. The board member is the busiest person (``busiest_person``):
    their own login when they have one, else a login (``bench-member-pages``) linked to them
    inside a transaction rolled back at the end, so no record is changed and the link never
    reaches another connection (the member's pages are measured in-process, inside it)."""
    if name == "anonymous":
        yield AnonymousUser(), Client()
        return
    if name in ("staff", "finance"):
        user = staff_user() if name == "staff" else finance_user()
        client = Client()
        client.force_login(user)
        yield user, client
        return
    with transaction.atomic():
        found = busiest_person()
        if found is None:
            yield None
        else:
            person, login = found
            if login is not None:
                user = get_user_model().objects.get(pk=login)
            else:
                user = get_user_model().objects.create(username="bench-member-pages")
                Person.objects.filter(pk=person).update(user=user)
            client = Client()
            client.force_login(user)
            yield user, client
        transaction.set_rollback(True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, threads: int = 1, env: dict | None = None) -> subprocess.Popen:
    """gunicorn with 2 workers on 127.0.0.1:``port``, same database, DEBUG off: sync workers,
    or gthread workers of ``threads`` threads each (the README's deployment)."""
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": "127.0.0.1", **(env or {})}
    cmd = [sys.executable, "-m", "gunicorn", "minutebook.wsgi", "-w", "2",
           "-b", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    if threads > 1:
        cmd += ["-k", "gthread", "--threads", str(threads)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    stop(proc)
    raise RuntimeError("gunicorn did not answer /healthz within 30 seconds")


def stop(proc: subprocess.Popen) -> None:
    """Stop the gunicorn this script started (TERM, then KILL after 10 seconds)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def load(port: int, urls: list[str], duration: float, concurrency: int) -> dict:
    """Requests/second for ``urls`` (taken in turn) from ``concurrency`` threads over
    ``duration`` seconds. Each thread keeps one http.client connection to 127.0.0.1, which
    reconnects when the (sync) worker closes it after a response."""
    lock = threading.Lock()
    latencies, statuses, errors = [], Counter(), [0]
    deadline = time.monotonic() + duration

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, n = [], offset
        while time.monotonic() < deadline:
            url = urls[n % len(urls)]
            n += concurrency
            started = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                with lock:
                    errors[0] += 1
                continue
            mine.append((time.perf_counter() - started) * 1000)
            with lock:
                statuses[response.status] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors[0],
    }


def row_counts() -> dict[str, int]:
    """How many rows the main tables hold, for the record in the JSON."""
    models = [Board, Meeting, AgendaItem, MinuteParagraph, Paper, Action]
    return {str(m._meta.verbose_name_plural): m.objects.count() for m in models}


def git_commit() -> str:
    """The checked-out commit, for the record in the JSON."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    """Measure every page for both readers, then throughput; print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first")
    parser.add_argument("--budget", type=float, default=60, help="seconds at most per page")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per URL")
    parser.add_argument("--concurrency", type=int, default=8, help="load generator threads")
    parser.add_argument("--no-throughput", action="store_true", help="skip the gunicorn run")
    parser.add_argument("--pages", help="comma-separated page names to measure (default all)")
    parser.add_argument("--readers", default=",".join(READERS),
                        help=f"comma-separated readers (default {','.join(READERS)})")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    refuse_dev_database()
    if not Meeting.objects.exists():
        sys.exit("pages.py: the database has no meetings; run bench/generate.py first.")

    call_command("collectstatic", interactive=False, verbosity=0)  # manifest storage needs it
    load_average = os.getloadavg()
    if load_average[0] > 1:
        print(f"Warning: load average {load_average[0]:.1f}; other work on the machine will "
              "inflate the timings.")  # fmt: skip
    rng = random.Random(args.seed)
    readers = [r for r in args.readers.split(",") if r]
    if set(readers) - set(READERS):
        sys.exit(f"pages.py: unknown readers {sorted(set(readers) - set(READERS))}; "
                 f"known: {', '.join(READERS)}")  # fmt: skip
    wanted = set(args.pages.split(",")) if args.pages else None

    results = []
    cache_state = "on" if settings.MINUTEBOOK_PAGE_CACHE else "off"
    print(f"\nServer time in-process, {args.requests} requests per page after {args.warmup} "
          f"warm-up ({connection.vendor}, {connection.settings_dict['NAME']}, page cache "
          f"{cache_state}, load average {load_average[0]:.2f})")  # fmt: skip
    header = f"{'page':<18} {'reader':<9} {'n':>4} " + " ".join(f"{c:>7}" for c in COLUMNS)
    header += "  flags"
    print(header)
    print("-" * len(header))
    for role in readers:
        with reader(role) as signed_in:
            if signed_in is None:
                print(f"{role}: no such reader in this database; skipped.")
                continue
            user, client = signed_in
            for page, urls in page_urls(user, args.requests, rng).items():
                if wanted and page not in wanted:
                    continue
                measured = measure_page(client, urls, args.warmup, args.budget)
                row = {"page": page, "reader": role, **measured}
                row["flags"] = flags(row)
                results.append(row)
                values = " ".join(f"{row[key]:>7}" for key in COLUMNS.values())
                print(f"{page:<18} {role:<9} {row['requests']:>4} {values}  "
                      f"{' '.join(row['flags'])}", flush=True)  # fmt: skip

    flagged = [r for r in results if r["flags"]]
    if flagged:
        print("\nWhere the flagged pages spend their queries:")
        for r in flagged:
            top, rep = r["top_sql"][0], r["most_repeated"]
            print(f"  {r['page']} / {r['reader']}")
            print(f"    slowest: {top['ms_per_request']} ms/request, {top['calls_per_request']} "
                  f"calls/request: {short_sql(top['sql'])}")  # fmt: skip
            if rep["times"] > 2:
                print(f"    repeated {rep['times']}x in one request ({rep['url']}): "
                      f"{short_sql(rep['sql'])}")  # fmt: skip

    throughput = []
    if not args.no_throughput:
        port = free_port()
        print(f"\nThroughput: gunicorn -w 2 on 127.0.0.1:{port}, {args.concurrency} concurrent, "
              f"{args.duration:g} s per URL set")  # fmt: skip
        meeting_urls = page_urls(AnonymousUser(), 500, random.Random(args.seed))["meeting_detail"]
        proc = start_gunicorn(port)
        try:
            for name, urls in (("healthz", ["/healthz"]), ("meeting_detail", meeting_urls)):
                result = {"page": name, **load(port, urls, args.duration, args.concurrency)}
                throughput.append(result)
                print(f"  {name:<16} {result['rps']:>7} req/s  p50 {result['p50_ms']} ms  "
                      f"p95 {result['p95_ms']} ms  statuses {result['statuses']}  "
                      f"errors {result['errors']}", flush=True)  # fmt: skip
        finally:
            stop(proc)

    out = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "vendor": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
        "rows": row_counts(),
        "targets": {"queries_max": MAX_QUERIES, "p95_ms": MAX_P95_MS},
        "options": vars(args),
        "load_average_before": [round(x, 2) for x in load_average],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "page_cache": settings.MINUTEBOOK_PAGE_CACHE,
        "readers": readers,
        "pages": results,
        "throughput": throughput,
    }
    results_dir = BENCH_DIR / "results"
    results_dir.mkdir(exist_ok=True)
    path = results_dir / f"pages-{connection.vendor}.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"\n{len(flagged)} of {len(results)} page measurements miss a target (load average "
          f"{out['load_average_after'][0]:.2f}). Wrote {path}.")  # fmt: skip


if __name__ == "__main__":
    main()
