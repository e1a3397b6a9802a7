"""Filters of the finance pages and exports: board, kind, financial-year range, no year recorded,
record type, scope (whose money; a named partner's), direction, nature, one line, the lines
of one paper, notice, minute or collaborated function. Every URL parameter of /finance/, /finance/lines/ and the exports is a
field here, and ``filter_totals`` applies the same values to the stored totals, so a cell of
the totals grid, its list of lines and its CSV select the same lines."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Max, Min

from boards.filters import visible_boards
from decisions.models import Recommendation
from minutebook import money
from minutebook.filtering import FlagFilter, RecordChoiceFilter, RecordIdFilter, query_string
from minutebook.widgets import QuickSelect

from .models import FinancialLine, RecordType
from .models.kinds import Direction, Nature, Scope
from .models.totals import NOT_RECORDED_PARAM, ColumnTotal, LineTotal, visible_totals


def recorded_choices(choices) -> list[tuple[str, str]]:
    """A TextChoices' choices with its "not recorded" value ("") spelt ``not_recorded``, which
    a query string can carry."""
    return [(value or NOT_RECORDED_PARAM, label) for value, label in choices]


def stored_value(value: str) -> str:
    return "" if value == NOT_RECORDED_PARAM else value


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


def _record_order(descending: bool) -> list:
    """Lines of one record together: by owner (paper, recommendation, notice, minute,
    function), the same on every database (no line's missing owner sorts first on one and last
    on another)."""
    owners = ("paper", "recommendation", "decision_notice", "minute_paragraph", "function")
    keys = [F(name) for name in owners]
    ordered = [
        key.desc(nulls_first=True) if descending else key.asc(nulls_last=True) for key in keys
    ]
    return [*ordered, "-pk" if descending else "pk"]


def _reverse(order: list[str]) -> list[str]:
    return [key[1:] if key.startswith("-") else f"-{key}" for key in order]


_BY_YEAR = ["financial_year", "kind", "position", "pk"]  # line_list_order_idx
#: ?sort= values: (label, order). "year" is the list's order when none is given.
SORTS = {
    "description": ("Description, A to Z", ["description", "pk"]),
    "-description": ("Description, Z to A", ["-description", "-pk"]),
    "year": ("Financial year, earliest first", _BY_YEAR),
    "-year": ("Financial year, latest first", _reverse(_BY_YEAR)),
    "kind": ("Kind, A to Z", ["kind", "financial_year", "position", "pk"]),
    "-kind": ("Kind, Z to A", ["-kind", "-financial_year", "-position", "-pk"]),
    "amount": ("Amount, smallest first", ["amount", "pk"]),
    "-amount": ("Amount, largest first", ["-amount", "-pk"]),
    "record": ("Record, in the order entered", _record_order(descending=False)),
    "-record": ("Record, latest entered first", _record_order(descending=True)),
}
DEFAULT_SORT = "year"


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
    year = YearChoiceFilter(label="Financial year", method="filter_year")
    scope = django_filters.ChoiceFilter(
        label="Scope",
        choices=recorded_choices(Scope.choices),
        empty_label="Every scope",
        widget=QuickSelect,
        method="filter_scope",
    )
    direction = django_filters.ChoiceFilter(
        label="Direction",
        choices=recorded_choices(Direction.choices),
        empty_label="Every direction",
        widget=QuickSelect,
        method="filter_direction",
    )
    nature = django_filters.ChoiceFilter(
        label="Nature",
        choices=Nature.choices,
        empty_label="Every nature",
        widget=QuickSelect,
    )
    # Set by the links of a named partner's totals: the partner's name as printed.
    partner = django_filters.CharFilter(
        field_name="scope", label="Partner", widget=forms.HiddenInput, method="filter_partner"
    )
    # A range of years, kept for links made before the one control above.
    year_from = YearChoiceFilter(
        label="From year", method="filter_year_from", widget=forms.HiddenInput
    )
    year_to = YearChoiceFilter(label="To year", method="filter_year_to", widget=forms.HiddenInput)
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
    notice = RecordIdFilter(
        label="Decision notice", widget=forms.HiddenInput, method="filter_notice"
    )
    minute = RecordIdFilter(field_name="minute_paragraph", label="Minute", widget=forms.HiddenInput)
    function = RecordIdFilter(
        field_name="function", label="Collaborated function", widget=forms.HiddenInput
    )
    # The lines list's order, set by its columns' headings; the exports keep it.
    sort = django_filters.ChoiceFilter(
        label="Sort",
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        widget=forms.HiddenInput,
        method="filter_sort",
        # A hidden field's message is shown above the form: it names the field itself.
        error_messages={
            "invalid_choice": "Sort: “%(value)s” is not a column the lines sort by: use "
            "description, year, kind, amount or record, with a leading - for the other way."
        },
    )

    FORM_FIELDS = ("board", "year", "kind", "scope", "direction", "record_type")

    class Meta:
        model = FinancialLine
        fields = [
            "board",
            "kind",
            "year",
            "scope",
            "direction",
            "nature",
            "partner",
            "year_from",
            "year_to",
            "record_type",
            "no_year",
            "line",
            "paper",
            "notice",
            "minute",
            "function",
            "sort",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = year_choices(*self.year_span())
        # A bookmarked year outside today's span stays valid if it is a financial year.
        for name in ("year", "year_from", "year_to"):
            value = (self.data or {}).get(name)
            if value and (value, value) not in choices:
                try:
                    money.validate_financial_year(value)
                except ValueError:
                    continue
                choices = sorted([*choices, (value, value)])
        for name in ("year", "year_from", "year_to"):
            self.filters[name].extra["choices"] = choices
            self.form.fields[name].choices = choices  # the filter adds "Any year"

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

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])

    @property
    def sort_key(self) -> str:
        """The ?sort= value in force: the one given if valid, else the list's order."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return data.get("sort") or DEFAULT_SORT

    def ordered(self, lines):
        """``lines`` in the order of ``sort_key`` (no query)."""
        return lines.order_by(*SORTS[self.sort_key][1])

    def filter_board(self, queryset, name, value):
        return queryset.of_board(value.pk)

    def filter_year(self, queryset, name, value):
        return queryset.filter(financial_year=value)

    def filter_scope(self, queryset, name, value):
        return queryset.filter(scope_code=stored_value(value))

    def filter_direction(self, queryset, name, value):
        return queryset.filter(direction=stored_value(value))

    def filter_partner(self, queryset, name, value):
        """A named partner's lines: of partner scope, printed with this name."""
        return queryset.filter(scope_code=Scope.PARTNER, scope=value)

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
        one_record = ("line", "paper", "notice", "minute", "function")
        if any(data.get(name) is not None for name in one_record):
            return totals.none()
        if data.get("board"):
            totals = totals.filter(board_id=data["board"].pk)
        if data.get("kind"):
            totals = totals.filter(kind=data["kind"])
        if data.get("year"):
            totals = totals.filter(financial_year=data["year"])
        if data.get("scope"):
            scope = stored_value(data["scope"])
            if scope == Scope.PARTNER:
                totals = totals.filter(scope__startswith=f"{Scope.PARTNER}:")
            else:
                totals = totals.filter(scope=scope)
        if data.get("partner"):
            totals = totals.filter(scope=f"{Scope.PARTNER}:{data['partner']}")
        if data.get("direction"):
            totals = totals.filter(direction=stored_value(data["direction"]))
        if data.get("nature"):
            totals = totals.filter(nature=data["nature"])
        if data.get("year_from"):
            totals = totals.filter(financial_year__gte=data["year_from"])
        if data.get("year_to"):
            totals = totals.filter(financial_year__lte=data["year_to"]).exclude(financial_year="")
        if data.get("no_year"):
            totals = totals.filter(financial_year="")
        if data.get("record_type"):
            totals = totals.filter(record_type=data["record_type"])
        return totals

    def totals_for(self, user):
        """The stored totals of these filters, as ``user`` may see them: by column
        (``ColumnTotal``, a fifth of the rows) when no year is chosen, by bucket (``LineTotal``)
        otherwise. No query."""
        data = self.form.cleaned_data if self.is_bound else {}
        by_year = ("year", "year_from", "year_to", "no_year")
        model = LineTotal if any(data.get(name) for name in by_year) else ColumnTotal
        return self.filter_totals(visible_totals(user, model))

    def query(self, **overrides) -> str:
        """The query string of these filters (as the reader gave them), with ``overrides``; a
        value of None drops a parameter."""
        data = self.data or {}
        params = {name: data.get(name, "") for name in self.filters}
        params.update(overrides)
        return query_string(params)

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
            valid = False
        return valid

    def hidden_errors(self) -> list[str]:
        """The errors of the fields the form does not show (a bookmarked range of years, a
        partner, a line), each naming its field, for the page to say above the form."""
        return [
            f"{field.label}: {error}"
            for name, field in self.form.fields.items()
            if isinstance(field.widget, forms.HiddenInput) and name in self.form.errors
            for error in self.form.errors[name]
        ]
