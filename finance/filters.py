"""Filters of the finance pages and exports: board, kind, financial-year range, no year recorded,
record type, one line, the lines of one paper, notice or collaborated function. Every URL parameter of /finance/, /finance/lines/ and the exports is a
field here, and ``filter_totals`` applies the same values to the stored totals, so a cell of
the totals grid, its list of lines and its CSV select the same lines."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Max, Min
from django.utils.http import urlencode

from boards.filters import visible_boards
from decisions.models import Recommendation
from minutebook import money
from minutebook.filtering import FlagFilter, RecordChoiceFilter, RecordIdFilter
from minutebook.widgets import QuickSelect

from .models import FinancialLine, RecordType
from .models.totals import visible_totals


def year_choices(first: str | None, last: str | None) -> list[tuple[str, str]]:
    """Every financial year from ``first`` to ``last``, e.g. 2014/15 … 2018/19."""
    if not first or not last:
        return []
    start, end = int(first[:4]), int(last[:4])
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(start, end + 1)]
    return [(y, y) for y in years]


class YearChoiceFilter(django_filters.ChoiceFilter):
    """A financial year from the years the reader's lines span."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "Any year")
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(*args, **kwargs)


class FinancialLineFilter(django_filters.FilterSet):
    board = RecordChoiceFilter(
        label="Board",
        queryset=visible_boards,
        to_field_name="slug",
        empty_label="All boards",
        widget=QuickSelect,
        method="filter_board",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind",
        choices=FinancialLine.Kind.choices,
        empty_label="All kinds",
        widget=QuickSelect,
    )
    year_from = YearChoiceFilter(label="From year", method="filter_year_from")
    year_to = YearChoiceFilter(label="To year", method="filter_year_to")
    record_type = django_filters.ChoiceFilter(
        choices=RecordType.choices,
        empty_label="Any record",
        label="Belongs to",
        widget=QuickSelect,
        method="filter_record_type",
    )
    # Set by the links of the totals grid and of a line's own address, not by the form.
    no_year = FlagFilter(label="No year recorded", method="filter_no_year")
    line = RecordIdFilter(field_name="pk", label="Line", widget=forms.HiddenInput)
    # Set by a record page's "all the lines" link: the same lines as the page's money section.
    paper = RecordIdFilter(label="Paper", widget=forms.HiddenInput, method="filter_paper")
    notice = RecordIdFilter(label="Decision notice", widget=forms.HiddenInput, method="filter_notice")
    function = RecordIdFilter(
        field_name="function", label="Collaborated function", widget=forms.HiddenInput
    )

    FORM_FIELDS = ("board", "kind", "year_from", "year_to", "record_type")

    class Meta:
        model = FinancialLine
        fields = [
            "board",
            "kind",
            "year_from",
            "year_to",
            "record_type",
            "no_year",
            "line",
            "paper",
            "notice",
            "function",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = year_choices(*self.year_span())
        # A bookmarked year outside today's span stays valid if it is a financial year.
        for name in ("year_from", "year_to"):
            value = (self.data or {}).get(name)
            if value and (value, value) not in choices:
                try:
                    money.validate_financial_year(value)
                except ValueError:
                    continue
                choices = sorted([*choices, (value, value)])
        for name in ("year_from", "year_to"):
            self.filters[name].extra["choices"] = choices
            self.form.fields[name].choices = [("", "Any year"), *choices]

    def year_span(self) -> tuple[str | None, str | None]:
        """First and last financial year of the counted lines the reader may see (so a hidden
        line's year never shows in the choices), from the stored totals. One query."""
        user = getattr(self.request, "user", None)
        found = (
            visible_totals(user)
            .filter(lines__gt=0)
            .exclude(financial_year="")
            .aggregate(first=Min("financial_year"), last=Max("financial_year"))
        )
        return found["first"], found["last"]

    def filter_board(self, queryset, name, value):
        return queryset.of_board(value.pk)

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(financial_year__gte=value)

    def filter_year_to(self, queryset, name, value):
        # Blank years sort first as text: "to 2016/17" must not bring in lines of no year.
        return queryset.filter(financial_year__lte=value).exclude(financial_year="")

    def filter_record_type(self, queryset, name, value):
        return queryset.of_record_type(value)

    def filter_no_year(self, queryset, name, value):
        return queryset.filter(financial_year="") if value else queryset

    def filter_paper(self, queryset, name, value):
        """A paper's own lines and its recommendations'. One query (the recommendations' keys,
        so that the lines are read through the owners' indexes, as on the paper's page)."""
        followed = Recommendation.objects.filter(paper=value).values_list("pk", flat=True)
        return queryset.of_paper(value, list(followed))

    def filter_notice(self, queryset, name, value):
        """The lines a notice commits: its own and those of the recommendations it followed.
        One query, as ``filter_paper``."""
        followed = Recommendation.objects.filter(decision_notice=value).values_list("pk", flat=True)
        return queryset.of_notice(value, list(followed))

    # -- the same filters on the stored totals, and in links ------------------------------------
    def filter_totals(self, totals):
        """``totals`` (stored totals the reader may see) narrowed by the same values as the
        lines. The single line and one record's lines have no bucket: they select none."""
        data = self.form.cleaned_data if self.is_bound else {}
        if any(data.get(name) is not None for name in ("line", "paper", "notice", "function")):
            return totals.none()
        if data.get("board"):
            totals = totals.filter(board_id=data["board"].pk)
        if data.get("kind"):
            totals = totals.filter(kind=data["kind"])
        if data.get("year_from"):
            totals = totals.filter(financial_year__gte=data["year_from"])
        if data.get("year_to"):
            totals = totals.filter(financial_year__lte=data["year_to"]).exclude(financial_year="")
        if data.get("no_year"):
            totals = totals.filter(financial_year="")
        if data.get("record_type"):
            totals = totals.filter(record_type=data["record_type"])
        return totals

    def query(self, **overrides) -> str:
        """The query string of these filters (as the reader gave them), with ``overrides``; a
        value of None drops a parameter."""
        data = self.data or {}
        params = {name: data.get(name, "") for name in self.filters}
        params.update(overrides)
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if (
            valid
            and data.get("year_from")
            and data.get("year_to")
            and data["year_from"] > data["year_to"]
        ):
            self.form.add_error("year_to", "The “to” year must not be before the “from” year.")
            return False
        return valid
