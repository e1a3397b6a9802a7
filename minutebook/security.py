"""Sign-in hardening: the password rule against the site's own names, and the two hooks
django-axes calls (the client's address, the lockout page). Settings: ``AXES_*``,
``MINUTEBOOK_PROXY_COUNT``, ``PASSWORD_FORBIDDEN_WORDS``."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Digits and signs typed for the letters they look like ("M1nuteb00k").
_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_NOT_LETTERS = re.compile(r"[^a-z]+")


def _letters(text: str) -> str:
    """``text`` folded to lower-case letters only: "Minute Book!" and "m1nuteb00k" -> "minutebook"."""
    return _NOT_LETTERS.sub("", text.casefold().translate(_LOOKALIKES))


class ForbiddenWordsValidator:
    """Refuse a password containing one of ``words`` (the product's and the office's names), in
    any case, with or without spaces or punctuation, and with digits for look-alike letters."""

    def __init__(self, words: list[str] | tuple[str, ...] = ("minutebook",)):
        self.words = [word for word in words if _letters(word)]

    def validate(self, password: str, user=None) -> None:
        letters = _letters(password)
        for word in self.words:
            if _letters(word) in letters:
                raise ValidationError(
                    "This password contains “%(word)s”, a name of this site or of the office. "
                    "Choose a password that does not.",
                    code="password_contains_site_name",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        names = ", ".join(f"“{word}”" for word in self.words)
        return f"Your password can’t contain the name of this site or of the office ({names})."


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, as django-axes counts failures by it.

    With ``MINUTEBOOK_PROXY_COUNT = 0`` it is the connection's (``REMOTE_ADDR``). Behind N
    reverse proxies that each append the address they saw to X-Forwarded-For, it is the N-th
    address from the right: the one the outermost proxy saw, which the client cannot forge
    (whatever it puts in the header itself stands further left). A header with fewer addresses
    than proxies is not trusted.
    """
    count = settings.MINUTEBOOK_PROXY_COUNT
    if count:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page a locked-out sign-in gets: 429 Too Many Requests, saying for how long, with
    Retry-After. The same for the site's sign-in and the admin's."""
    cool_off = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "registration/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(cool_off.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
