"""One FilterSet per list page. Choices come from what the reader may see."""

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q

from minutebook.changes import records_token
from minutebook.filtering import RecordChoiceFilter, RecordDateFilter, WordsFilter, YearFilter
from minutebook.widgets import QuickSelect

from .access import reader_class
from .models import Action, Board, Meeting, Paper, Person


def visible_boards(request):
    if request is None:
        return Board.objects.none()
    return Board.objects.visible_to(request.user).only("id", "name", "short_name", "slug")


class PaperFilter(django_filters.FilterSet):
    q = WordsFilter(method="filter_text", label="Words in the title or text")
    board = RecordChoiceFilter(
        widget=QuickSelect, queryset=visible_boards, to_field_name="slug", empty_label="All boards"
    )
    year = YearFilter(field_name="date__year", label="Year")
    date_from = RecordDateFilter(
        field_name="date",
        lookup_expr="gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = RecordDateFilter(
        field_name="date",
        lookup_expr="lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Paper
        fields = ["q", "board", "year", "date_from", "date_to"]

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(purpose__icontains=word) | Q(body__icontains=word)
            )
        return queryset

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if (
            valid
            and data.get("date_from")
            and data.get("date_to")
            and data["date_from"] > data["date_to"]
        ):
            self.form.add_error("date_to", "The “to” date must not be before the “from” date.")
            return False
        return valid


def action_owners(request):
    """Owners of the actions the reader may see. The ids are cached per class of reader until
    any record changes, so the scan of every visible action runs once, not on every request."""
    if request is None:
        return Person.objects.none()
    key = f"minutebook:action-owners:{reader_class(request.user)}:{records_token()}"
    ids = cache.get(key)
    if ids is None:
        ids = sorted(
            {
                i
                for i in Action.objects.visible_to(request.user).values_list("owner_id", flat=True)
                if i is not None
            }
        )
        cache.set(key, ids, 3600)
    return Person.objects.filter(pk__in=ids).only("id", "full_name")


STATUS_NOT_RECORDED = "not-recorded"
ACTION_STATUSES = [(value or STATUS_NOT_RECORDED, label) for value, label in Action.Status.choices]


class ActionFilter(django_filters.FilterSet):
    board = RecordChoiceFilter(
        widget=QuickSelect,
        field_name="meeting__board",
        queryset=visible_boards,
        to_field_name="slug",
        empty_label="All boards",
        label="Board",
    )
    owner = RecordChoiceFilter(widget=QuickSelect, queryset=action_owners, empty_label="Anyone")
    status = django_filters.ChoiceFilter(
        widget=QuickSelect,
        choices=ACTION_STATUSES,
        empty_label="Any status",
        method="filter_status",
    )

    class Meta:
        model = Action
        fields = ["board", "owner", "status"]

    def filter_status(self, queryset, name, value):
        """``not-recorded`` stands for the blank status in the query string (a blank value
        means any status)."""
        return queryset.filter(status="" if value == STATUS_NOT_RECORDED else value)


class MeetingYearFilter(django_filters.FilterSet):
    """The board page's ``?year=``: which year of the board's meetings to list (the page itself
    picks the latest year the board met when the year is not given or it did not meet then)."""

    year = YearFilter(field_name="date__year", label="Year")

    class Meta:
        model = Meeting
        fields = ["year"]
