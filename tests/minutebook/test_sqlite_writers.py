"""The embedded SQLite default under concurrent writers: a second writer waits for the first
instead of answering "database is locked" (issue: concurrent signing gave 500s).

Runs on a database file of its own with the options the settings give SQLite
(``MINUTEBOOK_SQLITE_OPTIONS``), whichever database the suite itself uses.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.utils import ConnectionHandler


def _writers(path, options, hold=0.3) -> tuple[int, list[str]]:
    """Two threads at once, each in one transaction: read the counter, pause, write it plus
    one (what signing does: read the notice, then save it). The final counter and the errors."""
    databases = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}
    }
    setup = ConnectionHandler(databases)["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    errors: list[str] = []
    start = threading.Barrier(2)

    def write() -> None:
        connection = ConnectionHandler(databases)["default"]
        try:
            start.wait(5)
            # What transaction.atomic() does on SQLite: BEGIN, in the configured mode.
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                time.sleep(hold)
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
            connection.commit()
        except OperationalError as error:
            errors.append(str(error))
            connection.rollback()
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    check = ConnectionHandler(databases)["default"]
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        (final,) = cursor.fetchone()
    check.close()
    return final, errors


@pytest.fixture(autouse=True)
def own_database_file(django_db_blocker):
    """These tests open their own SQLite file, not the suite's test database."""
    with django_db_blocker.unblock():
        yield


def test_two_writers_at_once_both_succeed_one_after_the_other(tmp_path):
    final, errors = _writers(tmp_path / "writers.sqlite3", settings.MINUTEBOOK_SQLITE_OPTIONS)
    assert errors == []
    assert final == 2  # the second read what the first wrote: no lost update


@pytest.mark.parametrize("mode", [None, "DEFERRED"])
def test_without_immediate_transactions_one_writer_fails_with_database_is_locked(tmp_path, mode):
    """The same two writers on SQLite's default (deferred) transactions: one of them fails,
    whatever the busy timeout, which is why the settings ask for BEGIN IMMEDIATE."""
    options = {
        k: v for k, v in settings.MINUTEBOOK_SQLITE_OPTIONS.items() if k != "transaction_mode"
    }
    if mode:
        options["transaction_mode"] = mode
    final, errors = _writers(tmp_path / "writers.sqlite3", options)
    assert final == 1
    assert len(errors) == 1 and "locked" in errors[0]


def test_the_project_database_uses_those_options_when_it_is_sqlite():
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the suite runs on PostgreSQL here; the options apply to SQLite only")
    for key, value in settings.MINUTEBOOK_SQLITE_OPTIONS.items():
        assert default["OPTIONS"][key] == value
