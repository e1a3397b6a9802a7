"""Parts of a page that belong to one reader and one request, so a cached page can be shared.

``{% reader_part "_reader_nav.html" %}`` renders that template in place, like ``include``;
but while a page is being recorded for the cache (``parts.record(request)``), it writes a
marker instead, and the page is kept with its markers. Each time the page is served, from the
cache or not, ``parts.fill`` renders the parts for *this* request (its user, CSRF token and
messages) into the markers. So the signed-in name, the sign-out form's CSRF token and the
messages are never in a cache entry. Record text cannot forge a marker: it is escaped (a
marker starts with ``<``) and a marker carries a signature made with the secret key.
"""

from __future__ import annotations

import functools

from django import template
from django.core.signing import Signer
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

RECORDING = "_minutebook_recording_parts"


def record(request) -> None:
    """Render this request's reader parts as markers (the page is about to be cached)."""
    setattr(request, RECORDING, True)


def stop_recording(request) -> None:
    if hasattr(request, RECORDING):
        delattr(request, RECORDING)


@functools.cache
def marker(name: str) -> str:
    """The marker of part ``name``: an HTML comment signed with the secret key. No query."""
    signature = Signer(salt="minutebook.reader-part").signature(name)
    return f"<!--reader-part:{name}:{signature}-->"


@register.simple_tag(takes_context=True)
def reader_part(context, name: str) -> SafeString:
    """The part ``name`` (a template) rendered with this context, or its marker while the
    page is recorded for the cache."""
    request = context.get("request")
    if request is not None and getattr(request, RECORDING, False):
        return mark_safe(marker(name))
    return mark_safe(context.template.engine.get_template(name).render(context))
