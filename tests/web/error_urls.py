"""The site's addresses and error handlers, with three addresses that fail on purpose, for
tests/web/test_site_basics.py (``@pytest.mark.urls``)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from web import urls as site


def refuse(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a request no page can read")


def fail(request):
    raise RuntimeError("a fault in a view")


urlpatterns = [
    *site.urlpatterns,
    path("test/403/", refuse),
    path("test/400/", suspicious),
    path("test/500/", fail),
]
handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
