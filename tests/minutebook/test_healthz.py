"""The health check (/healthz, minutebook/views.py): a plain "ok" for the load balancer only when
the database answers a real query on every table the models read and no migration waits.

Each unhealthy database is made for real inside the test's transaction, which rolls it back: a
migration's row deleted from django_migrations (so the executor plans it again), a table
renamed away, a column renamed away."""

import pytest
from django.apps import apps
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor

from minutebook import views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_check(monkeypatch):
    """No "nothing to apply" kept from an earlier test in this process."""
    monkeypatch.setattr(views, "_migrated_until", 0.0)


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def latest_migration() -> tuple[str, str]:
    """A leaf of the migration graph whose app is one of the project's: (app, name)."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return next((app, name) for app, name in sorted(leaves) if app == "finance")


def unapply(app: str, name: str) -> None:
    """Makes the database look as if the migration had never run: its row goes."""
    execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_migration_not_applied_answers_503_naming_it(client):
    app, name = latest_migration()
    unapply(app, name)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode() == f"migrations not applied: {app}.{name}"


def test_nothing_to_apply_is_kept_for_a_while_but_a_pending_migration_is_looked_for_each_time(
    client, monkeypatch
):
    assert client.get("/healthz").status_code == 200
    unapply(*latest_migration())
    # Within MIGRATIONS_CHECK_SECONDS of a healthy check the graph is not read again...
    assert client.get("/healthz").status_code == 200
    # ...and once that has passed, it is, and keeps being read while something is pending.
    monkeypatch.setattr(views, "_migrated_until", 0.0)
    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 503


def test_a_missing_table_answers_503(client):
    table = apps.get_model("collaboration", "CollaborationAgreement")._meta.db_table
    execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(table + '_gone')}")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode().startswith("database unavailable: ")


def test_a_table_missing_a_column_the_model_reads_answers_503(client):
    table = apps.get_model("finance", "FinancialLine")._meta.db_table
    execute(f"ALTER TABLE {quote(table)} RENAME COLUMN {quote('scope')} TO {quote('scope_gone')}")
    assert client.get("/healthz").status_code == 503


def test_a_database_that_does_not_answer_answers_503(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable: OperationalError"


def test_the_check_reads_every_table_of_the_installed_models_in_one_query(
    client, django_assert_num_queries
):
    query = views._tables_query()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            assert quote(model._meta.db_table) in query, model
    client.get("/healthz")  # reads the migration graph, keeps "nothing to apply"
    with django_assert_num_queries(1):  # every table at once
        assert client.get("/healthz").status_code == 200
