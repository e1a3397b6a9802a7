"""The search page's parameters, and the papers list's filters with their words matched by the
search index.

The search page reads ``q`` (the words, websearch syntax), ``kind``, ``board`` (a board the
reader may see, by slug) and ``year``, each with a bounded field, so a bad value is a 400
naming it. The search itself is ``search.results.Search``: ``SearchFilter`` only reads them."""

import django_filters
from django import forms
from django.db.models import Q

from boards.filters import PaperFilter, visible_boards
from decisions.filters import DecisionNoticeFilter
from minutebook.filtering import RecordChoiceFilter, WordsFilter, YearFilter

from . import backends
from .models import Kind, SearchEntry
from .query import parse


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


class IndexedPaperFilter(PaperFilter):
    """The papers list's filters, its words (``q``) matched by the search index as on
    /search/: every word by its stem, "quoted phrases", ``-word`` to exclude, in the title,
    purpose, body and recommendations. Words with nothing to look for (only "the", only
    exclusions) filter nothing out."""

    def filter_text(self, queryset, name, value):
        query = parse(value)
        if not query:
            return queryset
        matches, _, _ = backends.expressions(query)
        found = SearchEntry.objects.filter(matches, kind=Kind.PAPER).values("object_id")
        return queryset.filter(pk__in=found)


class IndexedDecisionNoticeFilter(DecisionNoticeFilter):
    """The register's filters (and its CSV's), its words (``q``) matched by the search index
    in every text field of the notices the reader may open. A notice the reader only knows of
    (``known_to``: public minutes record its signing; ``notice_shown`` false) is found, as
    before, only by its reference and title, each word as written: never by its unpublished
    text, which the index holds."""

    def filter_text(self, queryset, name, value):
        query = parse(value)
        if not query:
            return queryset
        matches, _, _ = backends.expressions(query)
        found = Q(pk__in=SearchEntry.objects.filter(matches, kind=Kind.NOTICE).values("object_id"))
        if "notice_shown" not in queryset.query.annotations:
            return queryset.filter(found)
        public_facts = Q()
        for word in value.split()[:8]:
            public_facts &= Q(reference__icontains=word) | Q(title__icontains=word)
        return queryset.filter(
            (Q(notice_shown=True) & found) | (Q(notice_shown=False) & public_facts)
        )
