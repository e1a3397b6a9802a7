"""Two gunicorn workers sharing a Redis cache: a record hidden here is never served by either
worker again. Needs a database another process can open (PostgreSQL, ``DATABASE_URL``) and
Redis on 127.0.0.1:6379 (database 13, flushed); skipped otherwise. Takes a few seconds to
start gunicorn, so marked slow."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from boards.models import Paper
from tests.factories import PaperFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def shared_cache(settings):
    """This process and the workers on Redis database 13, emptied before and after."""
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn workers cannot open the in-memory SQLite test database")
    if not _redis_up():
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def workers(shared_cache):
    """gunicorn with two sync workers on a free port, reading the test database."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MINUTEBOOK_CACHE_URL": REDIS_URL,
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CONN_MAX_AGE": "0",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "minutebook.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while _status(port, "/healthz") != 200:
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("gunicorn did not answer /healthz within 30 seconds")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _status(port: int, url: str, session: str = "") -> int | None:
    """The status of GET ``url`` from the workers (with the session cookie ``session``)."""
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", url, headers=headers)
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None


def test_a_paper_hidden_while_two_workers_serve_it_from_the_cache_never_reaches_them_again(
    workers,
):
    saved, updated = PaperFactory(title="Saved away"), PaperFactory(title="Updated away")
    for paper in (saved, updated):
        # Sync workers close each connection: the requests go to both workers.
        assert {_status(workers, paper.get_absolute_url()) for _ in range(12)} == {200}
    saved.status = Paper.Status.DRAFT
    saved.save()
    Paper.objects.filter(pk=updated.pk).update(status=Paper.Status.DRAFT)
    for paper in (saved, updated):
        assert {_status(workers, paper.get_absolute_url()) for _ in range(12)} == {404}


def test_signing_out_is_honoured_by_every_worker_though_they_keep_sessions_in_the_cache(
    workers, settings, django_user_model
):
    """With a shared cache the workers keep sessions there too (``cached_db``): a signed-in
    reader is signed in on either worker, and once signed out is sent to sign in by both."""
    from django.test import Client

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    reader = django_user_model.objects.create_user("reader", password="unused-password-1")
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    client = Client()
    client.force_login(reader)
    key = client.cookies["sessionid"].value
    cache.delete(KEY_PREFIX + key)  # only in the database now
    assert {_status(workers, "/my/", key) for _ in range(12)} == {200}
    assert cache.get(KEY_PREFIX + key) is not None  # a worker read it and kept it there
    client.logout()
    assert {_status(workers, "/my/", key) for _ in range(12)} == {302}
