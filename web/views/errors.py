"""The site's error pages: 400, 403, 404 and 500, branded like every other page.

400, 403 and 404 render through ``base.html`` with the request (the reader's sign-in state,
the organisation and footer from ``web.context_processors``). The 500 page needs nothing that
may be what failed: no database, no session, no context processor, no template inheritance;
it is rendered with the organisation's name from settings only, and should even that fail, a
fixed page is sent.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from ..context_processors import site_context

FALLBACK_500 = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Something went '
    "wrong – Minutebook</title></head><body><h1>Something went wrong</h1><p>This page could "
    'not be shown. Please try again in a few minutes.</p><p><a href="/">Go to the home '
    "page</a></p></body></html>"
)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page from the organisation's name alone (no request context). No query."""
    try:
        body = loader.get_template("500.html").render(
            {"organisation": site_context()["organisation"]}
        )
    except Exception:  # the page that says something failed must not fail itself
        body = FALLBACK_500
    return HttpResponseServerError(body)
