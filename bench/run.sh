#!/usr/bin/env bash
# Benchmark entry point (`make bench`): prepare the benchmark database, generate data once
# (records, then 1,000,000 financial lines), then measure the pages, the finance pages and
# the search; then the search again at 1,000,000 minute paragraphs (a second database).
# Arguments after the options go to bench/pages.py.
#
#   bash bench/run.sh                      PostgreSQL database minutebook_bench, full volume
#   bash bench/run.sh --fresh              empty it and generate again
#   BENCH_DB=sqlite BENCH_SCALE=0.05 bash bench/run.sh --requests 50
#                                          quick check on bench/bench.sqlite3 at 5% volume
#
# Environment: BENCH_DB (postgres | sqlite, default postgres), BENCH_SCALE (default 1),
# BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432), BENCH_PG_DB
# (default minutebook_bench), BENCH_REDIS_URL (Redis for bench/throughput.py, default
# redis://127.0.0.1:6379/15, flushed), BENCH_FINANCE_MEASURE (options of `bench/finance.py measure`,
# e.g. "--parts records --requests 20"; default none: everything).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

FRESH=()
if [[ "${1:-}" == "--fresh" ]]; then
    FRESH=(--fresh)
    shift
fi

case "${BENCH_DB:-postgres}" in
    postgres)
        server=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
        name=${BENCH_PG_DB:-minutebook_bench}
        if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
            echo "Creating PostgreSQL database $name"
            psql "$server/postgres" -qc "CREATE DATABASE \"$name\""
        fi
        export DATABASE_URL="$server/$name"
        ;;
    sqlite)
        export DATABASE_URL="sqlite:///$PWD/bench/bench.sqlite3"
        ;;
    *)
        echo "BENCH_DB must be postgres or sqlite" >&2
        exit 2
        ;;
esac

# The same production-like settings as bench/pages.py and bench/finance.py set for themselves
# (DEBUG off, a bench-only key), so that manage.py runs too now that DEBUG is off by default.
export DJANGO_DEBUG=${DJANGO_DEBUG:-0}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-not-secret-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb}
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,testserver}
export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-0}

echo "Benchmark database: $DATABASE_URL (scale ${BENCH_SCALE:-1})"
$PY manage.py migrate --noinput
$PY bench/generate.py "${FRESH[@]}"
$PY bench/finance.py generate "${FRESH[@]}"
$PY bench/pages.py "$@"
# Cached pages against /healthz through gunicorn with Redis, and the stale-response count
# (BENCH_REDIS_URL, default redis://127.0.0.1:6379/15, flushed first).
$PY bench/throughput.py
# shellcheck disable=SC2086  # word-split on purpose: a list of options
$PY bench/finance.py measure ${BENCH_FINANCE_MEASURE:-}
# /search/ at this volume (200,000 minute paragraphs at scale 1), building the index first.
$PY bench/search_bench.py

# /search/ at 1,000,000 minute paragraphs: the generator at scale 5 into a database of its own
# (PostgreSQL only; about 20 minutes the first time: records, then the search index).
# BENCH_SEARCH_1M=0 skips it.
if [[ "${BENCH_DB:-postgres}" == postgres && "${BENCH_SEARCH_1M:-1}" != 0 ]]; then
    big=${BENCH_SEARCH_PG_DB:-minutebook_search}
    if ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$big'" | grep -q 1; then
        echo "Creating PostgreSQL database $big"
        psql "$server/postgres" -qc "CREATE DATABASE \"$big\""
    fi
    DATABASE_URL="$server/$big" $PY manage.py migrate --noinput
    DATABASE_URL="$server/$big" $PY bench/generate.py --scale 5 "${FRESH[@]}"
    DATABASE_URL="$server/$big" $PY bench/search_bench.py
fi
