"""The search page's parameters.

The search page reads ``q`` (the words, websearch syntax), ``kind``, ``board`` (a board the
reader may see, by slug) and ``year``, each with a bounded field, so a bad value is a 400
naming it. The search itself is ``search.results.Search``: ``SearchFilter`` only reads them."""

import django_filters
from django import forms

from boards.filters import visible_boards
from minutebook.filtering import RecordChoiceFilter, WordsFilter, YearFilter

from .models import Kind, SearchEntry


class SearchFilter(django_filters.FilterSet):
    q = WordsFilter(
        label="Search for",
        method="no_filter",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices,
        empty_label="Any kind",
        label="Kind of record",
        error_messages={"invalid_choice": "Kind of record: Select a kind from the list."},
    )
    board = RecordChoiceFilter(
        queryset=visible_boards,
        to_field_name="slug",
        empty_label="All boards",
        error_messages={"invalid_choice": "Board: Select a board from the list."},
    )
    year = YearFilter(field_name="year", label="Year")

    class Meta:
        model = SearchEntry
        fields = ["q", "kind", "board", "year"]

    def no_filter(self, queryset, name, value):
        return queryset  # the words are matched by the full-text index (search.results)

