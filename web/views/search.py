"""The site-wide search, ``/search/?q=``."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minutebook.filtering import apply_filters
from search.filters import SearchFilter
from search.models import SearchEntry

from ..pages.search import search_context


def results(request: HttpRequest) -> HttpResponse:
    """Results, facets and pages for the words asked; a message for no words; a 400 with the
    form's messages for a bad parameter (too many characters, a board the reader may not see).
    Queries: see ``search_context``."""
    filterset, _, status = apply_filters(SearchFilter, request, SearchEntry.objects.none())
    context = {"filter": filterset}
    if status == 200:
        data = filterset.form.cleaned_data if filterset.is_bound else {}
        context.update(search_context(request, data))
    return render(request, "search/results.html", context, status=status)
