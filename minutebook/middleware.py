"""Response headers the CSP and security middlewares do not set: Permissions-Policy on every
response, and Cache-Control ``private`` on every response to a signed-in reader."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


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
