"""The search index rebuilt as a background job (``rebuild_search_index --job``, or the
"Rebuild the search index" button of the jobs admin)."""

from __future__ import annotations

from jobs.api import enqueue, job, progress
from jobs.models import Job

from .documents import BUILDERS
from .index import rebuild

KEY = "search:rebuild"


class _ProgressLines:
    """A ``stdout`` for ``rebuild`` that turns its lines into the job's progress: kinds of
    record done out of all kinds, and the line as the message ("papers: 5000…")."""

    def __init__(self) -> None:
        self.kinds_done = 0

    def write(self, line: str) -> None:
        if line.endswith("indexed"):
            self.kinds_done += 1
        progress(self.kinds_done, len(BUILDERS), line.strip())


@job("Rebuild the search index")
def rebuild_search_index() -> int:
    """Every search row again (``search.index.rebuild``, one transaction); progress per kind of
    record and per 5,000 rows. Idempotent: the rebuild replaces every row. Returns the rows."""
    return rebuild(_ProgressLines())


def enqueue_rebuild(user=None) -> Job:
    """Enqueue a full rebuild, or return the one already queued or running. See ``enqueue``."""
    return enqueue(rebuild_search_index, key=KEY, user=user)
