"""Optimistic locking: concurrent edits never silently overwrite each other.

A ``Versioned`` model carries a ``version`` number that every save of an existing row bumps,
but only if the row still has the version the editor started from. The admin puts the version
in a hidden field, so a form submitted after someone else saved is refused with a message: the
record's own form (``VersionedAdminMixin``) and every row of its inlines
(``VersionedInlineMixin``), so a line edited inline on a paper, or an agenda item edited on its
meeting while open on its own screen, is never saved over a newer one.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F


class ConcurrentEditError(ValidationError):
    """Raised when a record changed since the editor loaded it."""


STALE_ROW_MESSAGE = (
    "Someone else saved this row while you were editing it. Nothing has been saved: open "
    "the record again to see their changes, then make yours."
)

STALE_MESSAGE = (
    "Someone else saved this record while you were editing it. Your changes have not been "
    "saved: open the record again to see their changes, then make yours."
)


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=0, help_text="Bumped on every save; forms send it back to detect concurrent edits."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        """One extra UPDATE for an existing row: the compare-and-bump of ``version``. Django's
        plain ``QuerySet.update``: the model's own ``save()`` has checked its locks already."""
        # An object built with the key of a stored row (a constructor, a history record's
        # ``instance``) updates that row: it is checked like any other, whatever _state says.
        if self.pk is not None:
            manager = type(self)._default_manager
            row = manager.filter(pk=self.pk, version=self.version)
            bumped = models.QuerySet.update(row, version=F("version") + 1)
            if bumped:
                self.version += 1
            elif not self._state.adding or manager.filter(pk=self.pk).exists():
                raise ConcurrentEditError(STALE_MESSAGE)
        super().save(*args, **kwargs)


class VersionedAdminMixin:
    """Sends ``version`` through the admin form and refuses a stale submission with a message."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["widget"] = forms.HiddenInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        match = getattr(request, "resolver_match", None)
        if obj is not None and match and (match.url_name or "").endswith("_simple_history"):
            # "Revert" saves an old version over the current one: the form starts from the
            # current version, so a save by someone else since the page opened is still caught.
            obj.version = (
                type(obj)
                ._default_manager.filter(pk=obj.pk)
                .values_list("version", flat=True)
                .first()
                or 0
            )
        form = super().get_form(request, obj, change=change, **kwargs)

        class VersionedForm(form):
            def clean(self):
                cleaned = super().clean()
                # A form showing the record read-only (version among the read-only fields)
                # saves only its inlines, which carry their own checks.
                if self.instance.pk is not None and "version" in self.fields:
                    current = (
                        type(self.instance)
                        ._default_manager.filter(pk=self.instance.pk)
                        .values_list("version", flat=True)
                        .first()
                    )
                    if current != cleaned.get("version"):
                        raise ValidationError(STALE_MESSAGE)
                return cleaned

        return VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        first_name, first_options = fieldsets[0]
        fields = list(first_options.get("fields", []))
        if "version" not in fields:
            fields.append("version")
        return [(first_name, {**first_options, "fields": fields}), *fieldsets[1:]]


class VersionedRowsMixin:
    """For a model formset: refuses the whole form when a row being changed or deleted was
    saved by someone else since it was shown (its posted ``version`` is not the stored one).
    One query for all the rows."""

    def clean(self):
        super().clean()
        if not issubclass(self.model, Versioned):
            return
        sent = {}
        for form in self.initial_forms:
            if form.instance.pk is None or not hasattr(form, "cleaned_data"):
                continue
            if form.has_changed() or self._should_delete_form(form):
                sent[form.instance.pk] = (form, form.cleaned_data.get("version"))
        if not sent:
            return
        stored = dict(
            self.model._default_manager.filter(pk__in=list(sent)).values_list("pk", "version")
        )
        for pk, (form, version) in sent.items():
            if stored.get(pk) != version:
                form.add_error(None, STALE_ROW_MESSAGE)


class VersionedInlineFormSet(VersionedRowsMixin, forms.BaseInlineFormSet):
    """An inline's rows, each checked for a newer save by someone else (``VersionedRowsMixin``)."""


class VersionedModelFormSet(VersionedRowsMixin, forms.BaseModelFormSet):
    """A model formset's rows, each checked for a newer save by someone else."""


class VersionedInlineMixin:
    """An inline whose rows carry their ``version`` in a hidden field, checked by
    ``VersionedInlineFormSet`` (the inline's formset must be one)."""

    formset = VersionedInlineFormSet

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if issubclass(self.model, Versioned) and "version" not in fields:
            fields.append("version")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "version":
            # A new row sends none and starts at 0; a changed row without one is stale.
            kwargs["widget"] = forms.HiddenInput
            kwargs["required"] = False
        return super().formfield_for_dbfield(db_field, request, **kwargs)
