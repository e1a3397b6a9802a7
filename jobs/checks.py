"""System checks of the job setup (``manage.py check --deploy`` runs them).

- ``jobs.W001``: DEBUG is off and jobs run in the request that enqueues them (no broker): on a
  production site with several processes, a slow job (a meeting pack, a full re-index) holds a
  worker and the reader's request. Set MINUTEBOOK_TASKS_REDIS_URL and run workers.
- ``jobs.W002``: a broker is set but the cache is this process's memory: PDFs that a worker
  renders in the background are then invisible to the web processes. Set MINUTEBOOK_CACHE_URL
  to a shared cache (redis://).
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def _backend() -> str:
    return settings.TASKS.get("default", {}).get("BACKEND", IMMEDIATE)


@checks.register(checks.Tags.compatibility, deploy=True)
def broker_for_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """W001 and W002 (see the module docstring). Reads settings only."""
    found: list[checks.CheckMessage] = []
    backend = _backend()
    if not settings.DEBUG and backend == IMMEDIATE:
        found.append(
            checks.Warning(
                "Background jobs run inside the request that enqueues them (no job broker).",
                hint="Set MINUTEBOOK_TASKS_REDIS_URL (e.g. redis://127.0.0.1:6379/2) and run "
                "`manage.py rqworker --job-class django_tasks_rq.Job default` on any host.",
                id="jobs.W001",
            )
        )
    if backend != IMMEDIATE and settings.CACHES["default"]["BACKEND"] == LOCMEM:
        found.append(
            checks.Warning(
                "Jobs run in worker processes, but the cache is each process's own memory: "
                "PDFs rendered by a worker are never served by the web processes.",
                hint="Set MINUTEBOOK_CACHE_URL to a cache every process shares (redis://...).",
                id="jobs.W002",
            )
        )
    return found
