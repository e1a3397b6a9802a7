"""What every record model shares: rendered markup, the lock error, and visibility tracking.

``VisibilityTracked`` models declare, beside their ``visible_to`` queryset method, the fields
that decide who may see them or the records below them (``visibility_fields``). When a save, a
``QuerySet.update()`` or a ``bulk_update()`` changes one of those fields, ``visibility_changed``
is sent with the model as sender and the primary keys changed, inside the transaction of the
change, while the changed rows are locked. Apps that keep something derived from visibility
(the finance app's line stamps and stored totals) connect to it explicitly, one receiver per sender, in their
``AppConfig.ready()``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal

from .changes import records_changed
from .markup import as_html, render_markup

# Sent with sender=<model class>, pks=[primary keys whose visibility fields changed],
# fields=frozenset(names of the fields that changed).
visibility_changed = Signal()


class LockedRecordError(ValidationError):
    """Raised when a change is saved to a record that is locked (approved minutes, a signed
    decision notice and what it commits)."""


def describe(records, limit: int = 5) -> str:
    """``records`` (records or labels) named for a message: “A”, “B” and “C”, or the first
    ``limit`` and "and more". Reads the records it names (one query for a queryset)."""
    names = [f"“{record}”" for record in list(records[: limit + 1])]
    if len(names) > limit:
        return ", ".join(names[:limit]) + " and more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


class LifecycleLock:
    """The lock on a model's lifecycle: a locked row (approved minutes, a signed notice) moves
    on only inside ``key.opening(record)``, where ``key`` is the one ``LifecycleKey`` of this
    lock. The key is claimed once, by the module named ``owner`` (the app's ``services``), when
    it is imported; a second claim, or one from another module, is refused. So the way to move
    a locked record is to call that module's service, which records the move in the history;
    there is no attribute to set on the record. The model still checks what the move changes.

    ``opening`` is kept in a context variable: it holds for the block only, in that thread or
    task only."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self._key: LifecycleKey | None = None
        self._open: ContextVar[frozenset] = ContextVar(f"lifecycle:{owner}", default=frozenset())

    def claim(self) -> LifecycleKey:
        caller = sys._getframe(1).f_globals.get("__name__")
        if caller != self.owner or self._key is not None:
            raise RuntimeError(f"Only {self.owner} holds the key of this lifecycle.")
        self._key = LifecycleKey(self)
        return self._key

    def is_open(self, record: models.Model) -> bool:
        """Whether the service holding the key is moving ``record`` now. No query."""
        return (record._meta.label, record.pk) in self._open.get()


class LifecycleKey:
    """What ``LifecycleLock.claim`` gives the service module; see there."""

    def __init__(self, lock: LifecycleLock) -> None:
        self._lock = lock

    @contextmanager
    def opening(self, record: models.Model) -> Iterator[None]:
        if self._lock._key is not self:  # a key built by hand opens nothing
            raise RuntimeError(f"Only {self._lock.owner} holds the key of this lifecycle.")
        opened = self._lock._open
        token = opened.set(opened.get() | {(record._meta.label, record.pk)})
        try:
            yield
        finally:
            opened.reset(token)


class RenderedText:
    """Keeps ``<field>_html`` in step with ``<field>`` for each name in ``rendered_fields``.

    Rendering happens in ``save()`` so pages read stored HTML and never parse markup per request.
    """

    rendered_fields: tuple[str, ...] = ()

    def render_text_fields(self) -> None:
        for name in self.rendered_fields:
            setattr(self, f"{name}_html", render_markup(getattr(self, name)))

    def html(self, name: str):
        return as_html(getattr(self, f"{name}_html"))


def rendered_html_field() -> models.TextField:
    return models.TextField(blank=True, editable=False)


def rerender_all(stdout=None) -> int:
    """Render stored markup for every record whose model keeps rendered HTML. Returns rows updated.

    ``loaddata`` saves raw rows and skips ``save()``, so fixtures arrive without their HTML.
    The HTML is computed here from the stored text, so this writes past the locks with Django's
    own ``bulk_update``: through the locked querysets an HTML column of a locked row cannot be
    written (it is what the record shows).
    """
    updated = 0
    for model in apps.get_models():
        fields = getattr(model, "rendered_fields", ())
        if not fields:
            continue
        html_fields = [f"{name}_html" for name in fields]
        batch = []
        for obj in model._default_manager.all().iterator(chunk_size=500):
            obj.render_text_fields()
            batch.append(obj)
            if len(batch) >= 500:
                models.QuerySet(model).bulk_update(batch, html_fields)
                updated += len(batch)
                batch = []
        if batch:
            models.QuerySet(model).bulk_update(batch, html_fields)
            updated += len(batch)
        if stdout is not None:
            stdout.write(f"  rendered {model._meta.verbose_name_plural}")
    records_changed()  # bulk_update sends no signals
    return updated


def _attnames(model, names: Iterable[str]) -> frozenset[str]:
    return frozenset(model._meta.get_field(name).attname for name in names)


def lock_keys(queryset: models.QuerySet) -> list:
    """The primary keys of the rows ``queryset`` selects, with those rows locked for the rest
    of the transaction (SELECT … FOR UPDATE on the keys, so a DISTINCT or a join in the
    queryset does not stop the lock). Two queries."""
    keys = list(queryset.order_by().values_list("pk", flat=True).distinct())
    manager = queryset.model._default_manager.db_manager(queryset.db)
    # of=("self",): a default ordering across a relation must not lock the related rows too.
    rows = manager.filter(pk__in=keys).order_by("pk").select_for_update(of=("self",))
    list(rows.values_list("pk", flat=True))
    return keys


class RecordQuerySet(models.QuerySet):
    """A record's queryset: bulk writes that bypass ``save()`` still drop the records token,
    announce changes of the model's ``visibility_fields`` as ``save()`` does, and keep the
    locks ``save()`` and ``delete()`` keep.

    A locked model's queryset says which of its rows a lock holds (``locked()``: rows of
    approved minutes, a signed notice, what it followed and the money it commits). Then
    ``update()`` and ``bulk_update()`` are refused when a row they write is locked before the
    write or after it (so a row can neither change under a lock nor be moved into or out of
    one), ``bulk_create()`` when a new row joins a locked record, and ``delete()`` when a row
    is locked; each in one transaction, so nothing is half-done.
    """

    lock_message = "approved minutes or a signed decision notice"

    # -- locks -----------------------------------------------------------------------------------
    def locked(self) -> models.QuerySet:
        """The rows of this queryset that a lock holds. None, unless the model is locked."""
        return self.none()

    def joining_locked(self) -> models.QuerySet:
        """Of these rows, those held by another record's lock (new rows cannot join it). By
        default the same as ``locked()``; a record that locks itself (a meeting, a notice)
        may be created in its locked state, as a historic record is."""
        return self.locked()

    def refuse_locked(self, doing: str = "changed", rows: models.QuerySet | None = None) -> None:
        """Raise ``LockedRecordError`` naming the locked rows among ``rows`` (these by
        default). One query, and one to name them when there are any."""
        rows = self.locked() if rows is None else rows
        if rows.exists():
            raise LockedRecordError(
                f"{describe(rows)} cannot be {doing}: locked with {self.lock_message}."
            )

    def _refuse_after(self, pks, doing: str) -> None:
        manager = self.model._default_manager.db_manager(self.db)
        self.refuse_locked(doing, manager.filter(pk__in=list(pks)).locked())

    def _tracked(self, names: Iterable[str]) -> frozenset[str]:
        declared = getattr(self.model, "visibility_fields", ())
        return _attnames(self.model, names) & _attnames(self.model, declared)

    def _guarded(self, names: Iterable[str] = ()) -> bool:
        """Whether a write is checked against the locks: the model is locked. The rendered
        HTML is checked too (it is what the record shows); ``rerender_all`` computes it from the
        stored text and writes it with Django's own ``bulk_update``."""
        return type(self).locked is not RecordQuerySet.locked

    def update(self, **kwargs) -> int:
        """One UPDATE; when it touches a visibility field or the model is locked, first the
        rows' keys, locked (``lock_keys``), and then, in one transaction: a locked model's rows
        checked before (one query) and after (one query) the UPDATE, and
        ``visibility_changed`` sent with the keys when a visibility field was written."""
        tracked = self._tracked(kwargs)
        guarded = self._guarded(kwargs)
        if not tracked and not guarded:
            count = super().update(**kwargs)
        else:
            with transaction.atomic(using=self.db):
                pks = lock_keys(self)
                # Exactly the rows locked and announced, not whatever the filter matches now.
                locked = self.model._default_manager.db_manager(self.db).filter(pk__in=pks)
                if guarded:
                    locked.refuse_locked("changed")
                count = models.QuerySet.update(locked, **kwargs)
                if guarded:
                    self._refuse_after(pks, "moved into a locked record")
                if pks and tracked:
                    visibility_changed.send(sender=self.model, pks=pks, fields=tracked)
        records_changed()
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        """Django's bulk_update (through ``update()``, so each batch is checked against the
        locks before and after it), then ``visibility_changed``, in one transaction."""
        objs = list(objs)
        tracked = self._tracked(fields)
        with transaction.atomic(using=self.db):
            pks = [obj.pk for obj in objs if obj.pk is not None]
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            if tracked and pks:
                visibility_changed.send(sender=self.model, pks=pks, fields=tracked)
        records_changed()
        return count

    def bulk_create(self, objs, *args, **kwargs):
        """Django's bulk_create; for a locked model, refused (and nothing created) when a new
        row joins a locked record, or when an upsert (``update_conflicts``) would overwrite a
        locked row. One query more (two for an upsert), in the same transaction."""
        objs = list(objs)
        with transaction.atomic(using=self.db):
            if kwargs.get("update_conflicts") and self._guarded():
                keys = [obj.pk for obj in objs if obj.pk is not None]
                self.model._default_manager.db_manager(self.db).filter(pk__in=keys).refuse_locked(
                    "overwritten"
                )
            created = super().bulk_create(objs, *args, **kwargs)
            if self._guarded():
                pks = [obj.pk for obj in created]
                if None in pks:
                    raise NotImplementedError(
                        f"bulk_create of {self.model._meta.verbose_name_plural} needs the new "
                        "rows' keys to check the locks"
                    )
                manager = self.model._default_manager.db_manager(self.db)
                self.refuse_locked(
                    "added to a locked record", manager.filter(pk__in=pks).joining_locked()
                )
        records_changed()
        return created

    def delete(self):
        """Refused, with nothing deleted, when any row is locked (one query); otherwise
        Django's delete, whose ``pre_delete`` receivers refuse what it would cascade into."""
        if self._guarded():
            self.refuse_locked("deleted")
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


def refuse_deleting_locked(sender, instance, **kwargs) -> None:
    """``pre_delete`` receiver for a locked model (connected per sender in its app's
    ``ready()``): refuses deleting a locked row however the deletion was reached, a cascade
    from a record above it included. Django sends ``pre_delete`` for every row before it
    deletes any, inside the deletion's transaction, so nothing is deleted. One query."""
    manager = sender._default_manager.db_manager(kwargs.get("using"))
    manager.filter(pk=instance.pk).refuse_locked("deleted")


class VisibilityTracked(models.Model):
    """A record whose ``visibility_fields`` decide who may see it (or the records below it).

    ``save()`` of an existing row reads the stored values of those fields with the row locked
    (one SELECT … FOR UPDATE), saves, and when any of them changed sends ``visibility_changed``,
    all in one transaction. A new row sends nothing: no record below it can exist yet.
    """

    visibility_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is None or not self.visibility_fields:
            super().save(*args, **kwargs)
            return
        names = sorted(_attnames(type(self), self.visibility_fields))
        manager = type(self)._default_manager
        with transaction.atomic(using=kwargs.get("using") or manager.db):
            rows = manager.filter(pk=self.pk).order_by().select_for_update(of=("self",))
            stored = rows.values(*names).first()
            super().save(*args, **kwargs)
            if stored is None:
                return
            changed = frozenset(n for n in names if stored[n] != getattr(self, n))
            if changed:
                visibility_changed.send(sender=type(self), pks=[self.pk], fields=changed)
