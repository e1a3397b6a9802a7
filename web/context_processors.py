"""What every page of the site says about the organisation that publishes it, from settings.

Nothing here reads the database, so the branded error pages can use it too (the 500 page takes
the organisation's name from ``site_context`` directly, with no context processor).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site_context() -> dict:
    """The organisation's name and the footer's links: the accessibility statement (always:
    it is this site's own page) and, only where their setting is set, contact, privacy and
    freedom of information, so no address is ever made up. No query."""
    links = [{"label": "Accessibility statement", "url": reverse("accessibility")}]
    for label, url in (
        ("Contact", settings.MINUTEBOOK_CONTACT_URL),
        ("Privacy", settings.MINUTEBOOK_PRIVACY_URL),
        ("Freedom of information", settings.MINUTEBOOK_FOI_URL),
    ):
        if url:
            links.append({"label": label, "url": url})
    return {"organisation": settings.MINUTEBOOK_ORGANISATION, "footer_links": links}


def site(request: HttpRequest) -> dict:
    return site_context()
