"""Applying a list page's FilterSet the same way everywhere."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse


def apply_filters(filterset_class, request: HttpRequest, queryset: QuerySet):
    """(filterset, results, status): the filtered queryset and 200, or, when a filter value is
    bad, no results and 400 so the page shows the form's messages. No query of its own."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none(), 400
    return filterset, filterset.qs, 200


def bad_filter_response(filterset) -> HttpResponse:
    """A plain-text 400 naming each bad filter, for exports (which have no form to show)."""
    return HttpResponse(
        "Bad filter: "
        + "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()),
        status=400,
        content_type="text/plain; charset=utf-8",
    )
