"""Pieces every boards model shares: rendered markup and the lock on approved minutes."""

from django.core.exceptions import ValidationError
from django.db import models

from minutebook.markup import as_html, render_markup


class LockedRecordError(ValidationError):
    """Raised when a change is saved to a record that approved minutes have locked."""


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
