"""A token that changes whenever any record changes, for caches keyed by "nothing changed since".

Each record app connects its models in its ``AppConfig.ready()`` with ``watch(self)``: every
save, delete or many-to-many change of one of them drops the token; the next reader gets a new
random one. So a cache entry keyed by the token is never served after any record changed, and
if the cache forgets the token, entries simply miss. ``minutebook.records.RecordQuerySet``
drops it on ``update()``, ``bulk_update()`` and ``bulk_create()``, which send no signals;
anything else that bypasses the models (raw SQL, ``loaddata``) calls ``records_changed()``.

The token lives in the default cache: with several server processes that cache must be shared
(``MINUTEBOOK_CACHE_URL``), which a system check reminds production deployments of.
"""

import uuid

from django.apps import AppConfig
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TOKEN_KEY = "minutebook:records-token"


def records_token() -> str:
    """The current token (one cache read; a cache write when there is none yet)."""
    token = cache.get(TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(TOKEN_KEY, token, None):
            token = cache.get(TOKEN_KEY) or token
    return token


def records_changed(**kwargs) -> None:
    """Drop the token: every cache entry keyed by the old one stops matching. Dropped again when
    the change's transaction commits: a reader between the first drop and the commit reads the
    data as it was and may cache it under a new token, which the second drop retires (outside
    a transaction, ``on_commit`` runs at once)."""
    cache.delete(TOKEN_KEY)
    transaction.on_commit(lambda: cache.delete(TOKEN_KEY))


def watch(app_config: AppConfig, *, exclude: tuple = ()) -> None:
    """Drop the token on every save, delete and many-to-many change of ``app_config``'s models
    (their history and many-to-many tables included): one receiver per model, as sender.
    ``exclude`` names models that change no page a cache keeps (a reader's last visit)."""
    for model in app_config.get_models(include_auto_created=True):
        if model in exclude:
            continue
        label = model._meta.label_lower
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                records_changed, sender=model, dispatch_uid=f"records-token:{signal!r}:{label}"
            )
