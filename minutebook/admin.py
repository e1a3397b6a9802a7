"""Admin pieces every app's screens share: a year filter, a link to the public page, wide text
boxes, and read-only screens for locked records. Knows no app."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html


class YearFilter(admin.SimpleListFilter):
    """Filter by the calendar year of ``year_field`` (set on subclasses)."""

    title = "year"
    parameter_name = "year"
    year_field = "date"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates(self.year_field, "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.year_field}__year": int(self.value())})
        return queryset


def public_link(obj) -> str:
    """A link to the record's page on the public site; a dash for an unsaved record."""
    if obj is None or obj.pk is None:
        return "—"
    return format_html('<a href="{}">View on the public site</a>', obj.get_absolute_url())


def wide_text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 80})


class ReadOnlyWhenLocked:
    """Shows a locked record read-only: no change, no delete. The models refuse the changes
    anyway; this keeps the admin from offering them. Subclasses say what ``is_locked`` means
    (by default the record's own ``is_locked``)."""

    def is_locked(self, obj) -> bool:
        return bool(obj is not None and getattr(obj, "is_locked", False))

    def has_change_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_delete_permission(request, obj)
