"""Response headers the CSP and security middlewares do not set: Permissions-Policy on every
response, and Cache-Control ``private`` on every response to a signed-in reader; and a 400,
not a 500, for an admin address no record can match."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase
from django.urls import reverse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


def keep_private(response: HttpResponseBase) -> None:
    """Mark ``response`` ``private`` (never ``public``) unless it already says ``private`` or
    the stricter ``no-store``; other directives (``no-cache``, ``max-age``) are kept."""
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }
    if not directives & {"private", "no-store"}:
        patch_cache_control(response, private=True)  # also drops a "public"


class SecurityHeadersMiddleware:
    """Permissions-Policy denying the features of ``settings.PERMISSIONS_POLICY`` to every page;
    Cache-Control ``private`` when the reader is signed in, because what a signed-in reader sees
    (exempt items, drafts) must never be kept by a shared cache.

    Sits after AuthenticationMiddleware. Costs nothing for the public; for a signed-in reader
    it reads ``request.user``, which the page has almost always read already.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if request.user.is_authenticated:
            keep_private(response)
        return response


class AdminBadInputMiddleware:
    """An admin address carrying a value no key, number or date can hold answers 400 rather
    than 500 on the screens the project does not own (auth's users and groups, axes' logs).
    The project's own screens turn such values into a message first (``BadInputGuard`` in
    ``minutebook.admin``); this is the floor under every admin view. Logged as a warning."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not request.path.startswith(reverse("admin:index")):
            return None
        if not isinstance(exception, OverflowError | ValueError | DataError):
            return None
        logger.warning("Admin address refused as bad input: %s (%s)", request.path, exception)
        return HttpResponseBadRequest(
            "A value in this address is not a number, key or date that a record can have.\n",
            content_type="text/plain; charset=utf-8",
        )
