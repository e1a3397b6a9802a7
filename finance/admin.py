"""Admin for finance officers: lines inline on papers, decision notices and functions, and a list
of every line (a minute's money, printed only in minutes, is entered there: choose the minute)
with filters by year, kind and what the line belongs to, and the totals of the filtered lines.

Finance officers (the "Finance officers" group) may edit lines but not the records they belong
to: ``LinesOnlyMixin`` opens a paper, notice or function read-only for them, with its lines
editable, and saving such a form saves the lines only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from minutebook import money
from minutebook.admin import LockAwareAdmin, ReadOnlyWhenLocked, RecordInline
from minutebook.concurrency import VersionedAdminMixin

from .models import FinancialLine, RecordType


class MinuteIdWidget(ForeignKeyRawIdWidget):
    """The id of a line's minute paragraph, and nothing of the minute: the raw-id widget's
    label beside the box is the paragraph's opening words, read without asking whether the
    user may read those minutes (draft or exempt ones included), so it is left out."""

    def label_and_url_for_value(self, value):
        return "", ""


LINE_FIELDS = [
    "description",
    "amount",
    "kind",
    "financial_year",
    "on_date",
    "recurrence",
    "scope_code",
    "scope",
    "direction",
    "nature",
    "as_printed",
    "source_table",
    "in_thousands",
    "position",
]


# What the line's own screen adds: why it is or is not counted, what it contradicts or totals.
LINE_NOTES = [
    "note",
    "contradiction",
    "counted",
    "part_of",
    "same_as",
    "printed_total_of",
    "printed_total_table",
]


class FinancialLineForm(forms.ModelForm):
    """A line's form: a nature left unchosen is an amount, as a line always was before natures
    were recorded (so a form or script that does not know the field still saves an amount)."""

    class Meta:
        model = FinancialLine
        fields = ["nature"]  # the admin passes the fields it shows

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "nature" in self.fields:
            self.fields["nature"].required = False

    def clean_nature(self) -> str:
        return self.cleaned_data.get("nature") or FinancialLine.Nature.AMOUNT


class FinancialLineInline(RecordInline, admin.TabularInline):
    model = FinancialLine
    form = FinancialLineForm
    extra = 0
    fields = [*LINE_FIELDS, "function", "area", "business_case"]
    autocomplete_fields = ["function", "area", "business_case"]
    show_change_link = True
    verbose_name = "financial line"
    verbose_name_plural = "Financial lines (amounts accept 197000, £197k, £1.2m)"


class PaperLineInline(FinancialLineInline):
    fk_name = "paper"


class NoticeLineInline(FinancialLineInline):
    """Lines of a notice; read-only once the notice is signed (the model refuses changes too)."""

    fk_name = "decision_notice"

    def _locked(self, obj) -> bool:
        return bool(obj is not None and obj.pk and obj.is_locked)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class FunctionLineInline(FinancialLineInline):
    """A function's own lines: those belonging to no paper, recommendation or notice. Lines of
    papers about the function are edited on the paper."""

    fk_name = "function"
    fields = [*LINE_FIELDS, "area", "business_case"]
    autocomplete_fields = ["area", "business_case"]

    def get_queryset(self, request):
        return super().get_queryset(request).of_record_type(RecordType.FUNCTION)


class LinesOnlyMixin:
    """Lets a user who may change financial lines, but not this model, edit the lines inline.

    The record's own fields become read-only, its other inlines follow their own permissions,
    and saving the form saves the lines only (no new version or history entry of the record).
    """

    line_inlines: tuple[type[admin.options.InlineModelAdmin], ...] = ()

    def lines_only(self, request) -> bool:
        opts = self.model._meta
        user = request.user
        return not user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and any(
            user.has_perm(f"finance.{action}_financialline")
            for action in ("add", "change", "delete")
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed or (obj is not None and self.lines_only(request) and self._record_open(obj))

    def _record_open(self, obj) -> bool:
        """Whether the record's lines may still change (a signed notice's may not)."""
        return not getattr(obj, "is_locked", False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.lines_only(request):
            form_fields = [
                name
                for name in flatten_fieldsets(self.get_fieldsets(request, obj))
                if name != "version"
            ]
            return [*fields, *(name for name in form_fields if name not in fields), "version"]
        return fields

    def save_model(self, request, obj, form, change):
        if change and self.lines_only(request):
            return
        super().save_model(request, obj, form, change)


class YearListFilter(admin.SimpleListFilter):
    title = "financial year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            FinancialLine.objects.exclude(financial_year="")
            .order_by("-financial_year")
            .values_list("financial_year", flat=True)
            .distinct()
        )
        return [(y, y) for y in years] + [("none", "Not recorded")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(financial_year="")
        if self.value():
            return queryset.filter(financial_year=self.value())
        return queryset


class RecordTypeListFilter(admin.SimpleListFilter):
    title = "belongs to"
    parameter_name = "record_type"

    def lookups(self, request, model_admin):
        return RecordType.choices

    def queryset(self, request, queryset):
        if self.value() in RecordType.values:
            return queryset.of_record_type(self.value())
        return queryset


class ToConfirmListFilter(admin.SimpleListFilter):
    """Lines an import proposed that no finance officer has confirmed yet."""

    title = "confirmation"
    parameter_name = "to_confirm"

    def lookups(self, request, model_admin):
        return [("yes", "To confirm"), ("no", "Confirmed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(confirmed=False)
        if self.value() == "no":
            return queryset.filter(confirmed=True)
        return queryset


@admin.action(
    description="Confirm the selected lines (count them in totals)", permissions=["change"]
)
def confirm_lines(modeladmin, request, queryset) -> None:
    """Confirms lines an import proposed, through ``update()`` (which re-stamps the lines and
    moves the stored totals); locked lines refuse as on every path."""
    waiting = queryset.filter(confirmed=False)
    # An import proposes a figure and its words only; what kind of money it is, the finance
    # officer says before it counts.
    no_kind = list(waiting.filter(kind="").values_list("description", flat=True)[:5])
    if no_kind:
        modeladmin.message_user(
            request,
            "Nothing confirmed: choose the kind of each line first ("
            + "; ".join(f"“{d}”" for d in no_kind)
            + ").",
            level=messages.ERROR,
        )
        return
    count = waiting.update(confirmed=True)
    modeladmin.message_user(request, f"{count} line(s) confirmed: they now count in totals.")


@admin.register(FinancialLine)
class FinancialLineAdmin(
    LockAwareAdmin, ReadOnlyWhenLocked, VersionedAdminMixin, SimpleHistoryAdmin
):
    """Every line; a line locked with a signed notice (its own or a recommendation's it
    followed) or with approved minutes (a minute's) is shown read-only, and cannot be
    deleted."""

    form = FinancialLineForm
    list_display = [
        "description",
        "amount_display",
        "kind",
        "financial_year",
        "recurrence",
        "belongs_to",
        "function",
    ]
    actions = [confirm_lines]
    list_filter = [
        ToConfirmListFilter,
        YearListFilter,
        "kind",
        "scope_code",
        "direction",
        "nature",
        RecordTypeListFilter,
        "recurrence",
        "function__area",
    ]
    list_select_related = [
        "paper",
        "recommendation__paper",
        "decision_notice",
        "minute_paragraph__item__meeting__board",
        "function",
    ]
    search_fields = ["description", "as_printed", "source_table", "scope"]
    autocomplete_fields = [
        "paper",
        "recommendation",
        "decision_notice",
        "function",
        "area",
        "business_case",
        "same_as",
    ]
    # A minute by its id: finance officers do not read minutes in the admin (draft minutes
    # are not theirs to see), so no search of them is offered, and the box names nothing of
    # the minute it holds (``MinuteIdWidget``).
    raw_id_fields = ["minute_paragraph"]
    change_list_template = "admin/finance/financialline/change_list.html"
    fieldsets = [
        (
            None,
            {"fields": [*LINE_FIELDS, *LINE_NOTES]},
        ),
        (
            "Belongs to (one of paper, recommendation, decision notice, minute; or only a "
            "function)",
            {"fields": ["paper", "recommendation", "decision_notice", "minute_paragraph"]},
        ),
        ("About", {"fields": ["function", "area", "business_case"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        """A line shown read-only (locked, or to a reader who may not change it) gives its
        minute by id (``minute_display``): the admin would write the paragraph's words."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "minute_display" if field == "minute_paragraph" else field
                        for field in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "minute_display"]

    @admin.display(description="minute paragraph")
    def minute_display(self, obj):
        return f"Minute paragraph {obj.minute_paragraph_id}" if obj.minute_paragraph_id else "-"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "minute_paragraph":
            kwargs["widget"] = MinuteIdWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="amount", ordering="amount")
    def amount_display(self, obj):
        return format_html(
            '<span title="{}">{}</span>',
            money.format_exact(obj.amount),
            money.format_amount(obj.amount),
        )

    @admin.display(description="belongs to")
    def belongs_to(self, obj):
        record = obj.record
        name = obj.record_title if obj.minute_paragraph_id else record
        return format_html(
            '{}: <a href="{}">{}</a>', obj.record_type.label, record.get_absolute_url(), name
        )

    def changelist_view(self, request, extra_context=None):
        """The changelist with the totals by kind of the lines its filters select."""
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            context["kind_totals"] = [
                {
                    "label": label,
                    "total": total,
                    "shown": money.format_amount(total),
                    "exact": money.format_exact(total),
                }
                for _kind, label, total in context["cl"].queryset.by_kind()
            ]
        return response
