"""A token that changes whenever any record changes, for caches keyed by "nothing changed since".

Every save, delete or many-to-many change of a model in the record apps drops the token
(``minutebook.apps`` connects the signals); the next reader gets a new random one. So a cache
entry keyed by the token is never served after any record changed, and if the cache forgets
the token, entries simply miss. Operations that bypass signals (``bulk_update``, raw SQL) call
``records_changed()`` themselves.

The token lives in the default cache: with several server processes that cache must be shared
(``MINUTEBOOK_CACHE_URL``), which a system check reminds production deployments of.
"""

import uuid

from django.core.cache import cache

TOKEN_KEY = "minutebook:records-token"
RECORD_APPS = frozenset({"boards", "decisions", "finance", "collaboration"})


def records_token() -> str:
    """The current token (one cache read; a cache write when there is none yet)."""
    token = cache.get(TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(TOKEN_KEY, token, None):
            token = cache.get(TOKEN_KEY) or token
    return token


def records_changed(**kwargs) -> None:
    """Drop the token: every cache entry keyed by the old one stops matching."""
    cache.delete(TOKEN_KEY)


def on_record_signal(sender, **kwargs) -> None:
    if sender._meta.app_label in RECORD_APPS:
        records_changed()
