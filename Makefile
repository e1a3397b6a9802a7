# Minutebook: `make run` and `make test` do everything on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run worker test test-fast e2e lint bench bench-journey clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

## setup: create .venv and install the locked dependencies
setup: $(STAMP)

## run: migrate the SQLite database, load the seed records, print demo logins, serve on :8000
## (the demo runs with DJANGO_DEBUG=1: DEBUG is off unless asked for, and demo_users needs it).
## No Redis needed: background jobs run in the server's process once each request commits, and
## PDFs of approved minutes and signed notices are rendered ahead for http://127.0.0.1:8000/.
run: export MINUTEBOOK_SITE_URL ?= http://127.0.0.1:8000/
run: setup
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed
	DJANGO_DEBUG=1 $(PY) manage.py demo_users
	@echo "Minutebook is at http://127.0.0.1:8000/ (admin at http://127.0.0.1:8000/admin/)"
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## worker: run background jobs from Redis (set MINUTEBOOK_TASKS_REDIS_URL, as the web hosts do);
## start one or more on any host
worker: setup
	$(PY) manage.py rqworker --job-class django_tasks_rq.Job default

## test: the whole suite, browser tests included (set DATABASE_URL for PostgreSQL)
test: setup
	$(PY) -m pytest

## test-fast: the suite without the browser tests and the slow property runs
test-fast: setup
	$(PY) -m pytest -m "not e2e and not slow"

lint: setup
	$(VENV)/bin/ruff check .

## bench: generate realistic volume into a separate PostgreSQL database and measure the pages;
## then the PDFs and the paper importer's fidelity (bench/import_fidelity.py)
bench: setup
	bash bench/run.sh
	$(PY) bench/pdfs.py
	$(PY) bench/import_fidelity.py --write

## bench-journey: enter a 20-item meeting's minutes and a decision notice in Chromium, counting
## page loads, clicks, fields and characters (bench/journey.py; its own scratch database)
bench-journey: setup
	$(PY) bench/journey.py --serve --journey all --flow all --json bench/results/journey.json

clean:
	rm -rf $(VENV) staticfiles
