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

from collections.abc import Iterable

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
                model._default_manager.bulk_update(batch, html_fields)
                updated += len(batch)
                batch = []
        if batch:
            model._default_manager.bulk_update(batch, html_fields)
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
    and announce changes of the model's ``visibility_fields`` as ``save()`` does."""

    def _tracked(self, names: Iterable[str]) -> frozenset[str]:
        declared = getattr(self.model, "visibility_fields", ())
        return _attnames(self.model, names) & _attnames(self.model, declared)

    def update(self, **kwargs) -> int:
        """One UPDATE; when it touches a visibility field, first the rows' keys, locked
        (``lock_keys``), and after it ``visibility_changed`` with them, in one transaction."""
        tracked = self._tracked(kwargs)
        if not tracked:
            count = super().update(**kwargs)
        else:
            with transaction.atomic(using=self.db):
                pks = lock_keys(self)
                # Exactly the rows locked and announced, not whatever the filter matches now.
                locked = self.model._default_manager.db_manager(self.db).filter(pk__in=pks)
                count = models.QuerySet.update(locked, **kwargs)
                if pks:
                    visibility_changed.send(sender=self.model, pks=pks, fields=tracked)
        records_changed()
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        objs = list(objs)
        tracked = self._tracked(fields)
        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, batch_size=batch_size)
            pks = [obj.pk for obj in objs if obj.pk is not None]
            if tracked and pks:
                visibility_changed.send(sender=self.model, pks=pks, fields=tracked)
        records_changed()
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        records_changed()
        return created


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
        if self.pk is None or self._state.adding or not self.visibility_fields:
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
