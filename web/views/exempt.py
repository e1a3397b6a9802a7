"""Addresses of exempt records: "Sign in to view" for a reader who is not signed in.

An exempt record (a published exempt paper of a public board) is hidden from the public like
any other restricted record, but its existence is public (the agenda lists it), so its address
tells a reader who is not signed in to sign in (403), and answers 404 to a signed-in reader who
is not entitled to it, as for every other record they may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def sign_in_to_view(withheld: Callable[[], QuerySet]) -> Callable:
    """Wrap a record's view taking ``pk``: where it answers 404 to a reader who is not signed
    in and the record is among ``withheld()``, answer "Sign in to view" (403) instead. One
    query, and only on that 404."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
            try:
                return view(request, pk, **kwargs)
            except Http404:
                if request.user.is_authenticated or not withheld().filter(pk=pk).exists():
                    raise
            context = {"next": request.get_full_path()}
            return render(request, "sign_in_to_view.html", context, status=403)

        return wrapped

    return decorate
