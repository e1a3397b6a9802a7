"""Measure the site-wide search (/search/) against a generated benchmark database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutebook_bench python bench/search_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/minutebook_search python bench/search_bench.py

The first database is bench/generate.py's scale 1 (200,000 minute paragraphs); the second its
scale 5 (1,000,000 minute paragraphs, ``make bench`` makes it: bench/run.sh). The search index
is built first when it does not hold a row for every record (``rebuild_search_index``, with its
time reported).

Each kind of search (common words, rare words, phrases, an exclusion, each facet filter, a later
page) is requested ``--requests`` times, cycling through its queries, with Django's test Client
in this process (DEBUG off), as the public and as OPCC staff; reported as p50/p95/max
milliseconds and queries, with the target (p95 under 100 ms at 200,000 paragraphs, 150 ms at
1,000,000). Also the number of index rows each query matches, to show what "common" means at that
volume. Writes bench/results/search-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pages  # noqa: E402  (sets up Django with the production settings)
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from generate import refuse_dev_database  # noqa: E402

from boards.models import Action, AgendaItem, Board, MinuteParagraph, Paper  # noqa: E402
from decisions.models import DecisionNotice  # noqa: E402
from search import backends  # noqa: E402
from search.models import SearchEntry  # noqa: E402
from search.query import parse  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
# Words by how often bench/corpus.txt (copied from the seed documents) has them: the generator
# builds every text from its sentences, so the corpus's frequencies are the index's.
QUERIES = {
    "common": ["police", "commissioner", "collaboration", "cambridgeshire"],
    "rare": ["dogs", "precept", "firearms", "custody"],
    "phrase": ['"police and crime"', '"restorative justice"', '"chief constable"'],
    "exclude": ["savings -collaboration", "police -crime"],
    "none": ["no-such-word", "zyxwvut"],
}
FACETS = {  # a common word narrowed by one facet, or a later page
    "kind": {"kind": "minute"},
    "year": {"year": "2019"},
    "page 5": {"page": "5"},
}
TARGETS_MS = {200_000: 100.0, 1_000_000: 150.0}  # p95 by minute paragraphs (issue 12)


def target_ms(paragraphs: int) -> float:
    """The p95 target for a database of ``paragraphs`` minute paragraphs."""
    return TARGETS_MS[1_000_000] if paragraphs >= 1_000_000 else TARGETS_MS[200_000]


def ensure_index(stdout) -> float | None:
    """Build the search index when it does not hold a row per record. Returns the seconds the
    rebuild took, or None when the index was already complete."""
    records = sum(
        m.objects.count() for m in (Paper, MinuteParagraph, AgendaItem, DecisionNotice, Action)
    )
    if SearchEntry.objects.count() == records:
        return None
    print(f"Building the search index for {records} records…", flush=True)
    started = time.perf_counter()
    call_command("rebuild_search_index", stdout=stdout)
    return round(time.perf_counter() - started, 1)


def search_urls(kind: str, n: int, boards: list[str]) -> list[str]:
    """``n`` /search/ addresses of one kind of search, cycling through its queries."""
    if kind in QUERIES:
        words = QUERIES[kind]
        return [f"/search/?{urlencode({'q': words[i % len(words)]})}" for i in range(n)]
    common = QUERIES["common"]
    if kind == "board":
        return [
            f"/search/?{urlencode({'q': common[i % len(common)], 'board': boards[i % len(boards)]})}"
            for i in range(n)
        ]
    extra = FACETS[kind]
    return [f"/search/?{urlencode({'q': common[i % len(common)], **extra})}" for i in range(n)]


def match_counts() -> dict[str, int]:
    """How many index rows each query matches, whoever may see them (one count each)."""
    return {
        words: SearchEntry.objects.filter(backends.expressions(parse(words))[0]).count()
        for words in [w for ws in QUERIES.values() for w in ws]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="measured requests per search")
    parser.add_argument("--warmup", type=int, default=8, help="unmeasured requests first")
    parser.add_argument("--budget", type=float, default=40, help="seconds at most per search")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    refuse_dev_database()
    if not MinuteParagraph.objects.exists():
        sys.exit("search.py: the database has no minute paragraphs; run bench/generate.py first.")
    call_command("collectstatic", interactive=False, verbosity=0)
    rebuild_seconds = ensure_index(sys.stdout)
    paragraphs = MinuteParagraph.objects.count()
    target = target_ms(paragraphs)
    load_average = os.getloadavg()
    if load_average[0] > 1:
        print(f"Warning: load average {load_average[0]:.1f}; other work on the machine will "
              "inflate the timings.")  # fmt: skip
    staff = pages.staff_user()
    roles = {"anonymous": (AnonymousUser(), Client()), "staff": (staff, Client())}
    roles["staff"][1].force_login(staff)
    rng = random.Random(args.seed)
    print(f"\n/search/ in-process on {connection.vendor} {connection.settings_dict['NAME']}: "
          f"{paragraphs} minute paragraphs, {SearchEntry.objects.count()} index rows; "
          f"target p95 < {target:g} ms")  # fmt: skip
    header = f"{'search':<10} {'reader':<9} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
    header += f"{'sql ms':>7} {'q max':>6}  flags"
    print(header)
    print("-" * len(header))
    results = []
    for role, (user, client) in roles.items():
        boards = list(Board.objects.visible_to(user).values_list("slug", flat=True))
        rng.shuffle(boards)
        for kind in [*QUERIES, "board", *FACETS]:
            urls = search_urls(kind, args.requests + args.warmup, boards)
            measured = pages.measure_page(client, urls, args.warmup, args.budget)
            row = {"search": kind, "reader": role, **measured}
            row["flags"] = [f"p95>{target:g}ms"] if row["p95_ms"] > target else []
            if set(row["statuses"]) - {"200"}:
                row["flags"].append("non-200")
            results.append(row)
            print(f"{kind:<10} {role:<9} {row['requests']:>4} {row['p50_ms']:>7} "
                  f"{row['p95_ms']:>7} {row['max_ms']:>7} {row['sql_ms_avg']:>7} "
                  f"{row['queries_max']:>6}  {' '.join(row['flags'])}", flush=True)  # fmt: skip
    counts = match_counts()
    print("\nIndex rows matching each query (any reader): " + ", ".join(f"{w} {n}" for w, n in counts.items()))
    out = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": pages.git_commit(),
        "vendor": connection.vendor,
        "database": str(connection.settings_dict["NAME"]),
        "rows": {**pages.row_counts(), "search entries": SearchEntry.objects.count()},
        "rebuild_seconds": rebuild_seconds,
        "target_p95_ms": target,
        "options": vars(args),
        "load_average_before": [round(x, 2) for x in load_average],
        "matching_rows": counts,
        "searches": results,
    }
    results_dir = BENCH_DIR / "results"
    results_dir.mkdir(exist_ok=True)
    name = str(connection.settings_dict["NAME"]).rsplit("/", 1)[-1]
    path = results_dir / f"search-{name}.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    missed = sum(1 for r in results if r["flags"])
    print(f"\n{missed} of {len(results)} searches miss the target. Wrote {path}.")


if __name__ == "__main__":
    main()
