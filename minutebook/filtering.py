"""Applying a list page's FilterSet the same way everywhere, and the filters every FilterSet's
parameters are read with.

A query parameter is read by a bounded form field (``minutebook.fields``): a year from 1990 to
2100, a record's id from 1 to 2**63-1, a date in those years, only the digits 0-9, a choice of
records written in ASCII, a flag of 1 or 0, words of at most 200 characters. Their messages
start with the field's label. So a bad value is a 400 naming the field (the page
with its form's messages, or a plain-text 400 for exports), never a 500 from the database or
from Python's dates, and ``?page=`` is read the same way (``minutebook.pagination``).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote_plus

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from .fields import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_ID,
    FlagField,
    RecordDateField,
    WholeNumberField,
    WordsField,
)
from .pagination import requested_page


class WordsFilter(django_filters.CharFilter):
    """Words to search for (``?q=``): at most 200 characters, no NUL; a filter ``method`` reads
    only the first few."""

    field_class = WordsField


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number in the digits 0-9, from ``min_value`` to ``max_value`` (keyword
    arguments, required)."""

    field_class = WholeNumberField

    def get_max_validator(self):
        return None  # the field is bounded already


class YearFilter(WholeNumberFilter):
    """A calendar year, FIRST_YEAR to LAST_YEAR (so ``date__year`` never asks for year 0)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class RecordIdFilter(WholeNumberFilter):
    """A record's id, 1 to the largest key the database holds."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class RecordDateFilter(django_filters.DateFilter):
    """A date in the years FIRST_YEAR to LAST_YEAR, written in the digits 0-9."""

    field_class = RecordDateField


class FlagFilter(django_filters.BooleanFilter):
    """1 or 0 (true or false); any other value is refused, not taken as "not given"."""

    field_class = FlagField


class RecordChoiceIterator(ModelChoiceIterator):
    """The choices as Django lists them (the empty choice, the null choice, then a choice per
    record), the records read by one plain query. Django's own reads them through
    ``QuerySet.iterator()``, which on PostgreSQL is a server-side cursor: DECLARE, FETCH and
    CLOSE, three round trips for a list of a few hundred owners (3 ms of the action log's)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class RecordChoiceField(ModelChoiceField):
    """A choice of records by key or slug; a value that no key or slug can be (not ASCII, so
    not "٣" for record 3, or longer than any slug) is refused without a query."""

    MAX_LENGTH = 100
    iterator = RecordChoiceIterator

    def to_python(self, value):
        if isinstance(value, str) and (not value.isascii() or len(value) > self.MAX_LENGTH):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RecordChoiceFilter(django_filters.ModelChoiceFilter):
    """``ModelChoiceFilter`` reading its value with ``RecordChoiceField``."""

    field_class = RecordChoiceField


def apply_filters(filterset_class, request: HttpRequest, queryset: QuerySet):
    """(filterset, results, status): the filtered queryset and 200, or, when a filter value or
    ``?page=`` is bad, no results and 400 so the page shows the form's messages (a bad page or
    hidden field as a message above the fields). No query of its own."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    if not valid:
        # A hidden field (?line=, ?no_year=, set by links) has no place on the form to show
        # its message: show it above the fields. Its messages start with its label.
        for field in filterset.form.hidden_fields():
            for message in list(field.errors):
                filterset.form.add_error(None, message)
    try:
        requested_page(request)
    except ValidationError as error:
        filterset.form.add_error(None, error)
        valid = False
    if not valid:
        return filterset, queryset.none(), 400
    return filterset, filterset.qs, 200


def bad_query_response(errors: dict[str, list[str]]) -> HttpResponse:
    """A plain-text 400 naming each bad parameter: "Bad filter: year: Year: Enter a number...".
    Form-wide messages ("__all__": a bad page) are written as they are, once."""
    named = {m for name, messages in errors.items() if name != "__all__" for m in messages}
    return HttpResponse(
        "Bad filter: "
        + "; ".join(
            " ".join(m for m in messages if m not in named)
            if name == "__all__"
            else f"{name}: {' '.join(messages)}"
            for name, messages in errors.items()
            if name != "__all__" or set(messages) - named
        ),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def bad_filter_response(filterset) -> HttpResponse:
    """A plain-text 400 naming each bad filter, for exports (which have no form to show)."""
    return bad_query_response(filterset.errors)


_quote = lru_cache(maxsize=8192)(quote_plus)


def query_string(params: dict) -> str:
    """``params`` (names to text; "" and None left out) as a query string, the same as
    ``urlencode``, with each name's and value's quoting remembered: the totals grid writes
    the filters of thousands of cells a request, all made of a few dozen values."""
    return "&".join(
        f"{_quote(name)}={_quote(str(value))}"
        for name, value in params.items()
        if value not in ("", None)
    )
