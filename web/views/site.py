"""Pages about the site itself rather than its records: the accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..page_cache import cached_page


@cached_page
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement UK public bodies must publish: what was tested, the known
    problems, and where to report one (``MINUTEBOOK_ACCESSIBILITY_CONTACT``, "not recorded"
    when unset). No query."""
    contact = settings.MINUTEBOOK_ACCESSIBILITY_CONTACT
    if contact.startswith(("https://", "http://", "/", "mailto:")):
        href = contact
    elif "@" in contact and " " not in contact:
        href = f"mailto:{contact}"
    else:
        href = ""  # a telephone number or an address: shown as written
    context = {"contact": contact.removeprefix("mailto:"), "contact_href": href}
    return render(request, "site/accessibility.html", context)
