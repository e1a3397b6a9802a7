"""The health check: ``/healthz`` for the load balancer.

Healthy means the database answers a real query on every table the installed apps' models
read, with every column they read, and no migration is waiting to be applied. The kernel knows
no app: the tables come from the app registry (``apps.get_models()``), never from an import.
"""

from __future__ import annotations

import functools
import time

from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

# Reading the migration graph imports every migration module and reads django_migrations: a
# few milliseconds per check. Once it found nothing to apply, that holds this long in this
# process (a deploy migrates before it starts new workers); a pending migration is looked for
# again on every check.
MIGRATIONS_CHECK_SECONDS = 30.0
_migrated_until = 0.0  # time.monotonic() until which "nothing to apply" holds


@functools.cache
def _tables_query() -> str:
    """One SELECT reading at most one row of every managed table of the installed models,
    naming every concrete column, so a missing table or column fails it. Built once."""
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        table = quote(meta.db_table)
        # Qualified: SQLite reads an unknown "column" on its own as a string, not an error.
        columns = ", ".join(f"{table}.{quote(field.column)}" for field in meta.concrete_fields)
        parts.append(f"(SELECT COUNT(*) FROM (SELECT {columns} FROM {table} LIMIT 1) t)")
    return "SELECT " + " + ".join(parts)


def pending_migrations() -> list[str]:
    """The migrations not yet applied ("app.0003_name"), reading the graph on disk and
    django_migrations. One query (the applied migrations)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _unhealthy(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=503, content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when every table answers and no migration is pending; 503 naming the failure
    otherwise. One query (every table at once), and one more (the applied migrations) at most
    every MIGRATIONS_CHECK_SECONDS while healthy."""
    global _migrated_until
    try:
        with connection.cursor() as cursor:
            cursor.execute(_tables_query())
            cursor.fetchone()
        now = time.monotonic()
        if now >= _migrated_until:
            pending = pending_migrations()
            if pending:
                return _unhealthy(
                    f"migrations not applied: {', '.join(pending[:5])}"
                    + (f" and {len(pending) - 5} more" if len(pending) > 5 else "")
                )
            _migrated_until = now + MIGRATIONS_CHECK_SECONDS
    except Exception as exc:  # any database failure means unhealthy
        return _unhealthy(f"database unavailable: {type(exc).__name__}")
    return HttpResponse("ok", content_type="text/plain")
