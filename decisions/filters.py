import django_filters
from django.db.models import Q

from boards.filters import visible_boards
from boards.models import Person
from minutebook.filtering import RecordChoiceFilter, WordsFilter, YearFilter
from minutebook.widgets import QuickSelect

from .models import DecisionNotice


def decision_makers(request):
    if request is None:
        return Person.objects.none()
    return Person.objects.filter(
        pk__in=DecisionNotice.objects.visible_to(request.user).values("decision_maker_id")
    ).only("id", "full_name")


class DecisionNoticeFilter(django_filters.FilterSet):
    q = WordsFilter(method="filter_text", label="Words in the reference, title or decision")
    year = YearFilter(field_name="signed_on__year", label="Year signed")
    status = django_filters.ChoiceFilter(
        widget=QuickSelect, choices=DecisionNotice.Status.choices, empty_label="Any status"
    )
    board = RecordChoiceFilter(
        widget=QuickSelect,
        field_name="meeting__board",
        queryset=visible_boards,
        to_field_name="slug",
        empty_label="All boards",
    )
    decision_maker = RecordChoiceFilter(
        widget=QuickSelect, queryset=decision_makers, empty_label="Anyone"
    )

    class Meta:
        model = DecisionNotice
        fields = ["q", "year", "status", "board", "decision_maker"]

    def filter_text(self, queryset, name, value):
        """Words in the reference or title; in the decision and summary only of notices the
        reader may open (on ``known_to``, a notice known only from the minutes that record its
        signing is found by its public facts, never by its unpublished text)."""
        text_readable = (
            Q(notice_shown=True) if "notice_shown" in queryset.query.annotations else Q()
        )
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(title__icontains=word)
                | (
                    text_readable
                    & (Q(decision__icontains=word) | Q(executive_summary__icontains=word))
                )
            )
        return queryset
