"""Admin pieces every app's screens share: a year filter, a link to the public page, wide text
boxes, read-only screens for locked records, messages instead of 500s around the locks
(``LockAwareAdmin``), related-record fields that refuse ids no key can hold, and a search that
reads dates and ranks by relevance (``DateAwareSearchMixin``). Knows no app."""

import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import lookup_spawns_duplicates, unquote
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
)
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.signals import pre_delete
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal

from .concurrency import VersionedInlineFormSet, VersionedInlineMixin
from .fields import FIRST_YEAR, LAST_YEAR, MAX_ID, WholeNumberField
from .records import LockedRecordError
from .widgets import NamedAutocompleteMixin, name_row_inputs

CLASHED_MESSAGE = (
    "Nothing was saved: while you were editing, someone else saved rows here that take the "
    "same number or position as yours. Open the record again to see their changes, then "
    "make yours."
)

# The year of a list filter, FIRST_YEAR to LAST_YEAR in the digits 0-9: year 0 or
# 99999999999999999999 would overflow Python's or the database's dates.
YEAR = WholeNumberField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, label="Year")


class YearFilter(admin.SimpleListFilter):
    """Filter by the calendar year of ``year_field`` (set on subclasses). A year out of range
    or not a number is an incorrect lookup (Django's "?e=1"), never a 500."""

    title = "year"
    parameter_name = "year"
    year_field = "date"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates(self.year_field, "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        try:
            year = YEAR.clean(self.value())
        except ValidationError as error:
            raise IncorrectLookupParameters(message_of(error)) from error
        if year is None:
            return queryset
        return queryset.filter(**{f"{self.year_field}__year": year})


def public_link(obj) -> str:
    """A link to the record's page on the public site; a dash for an unsaved record."""
    if obj is None or obj.pk is None:
        return "—"
    return format_html('<a href="{}">View on the public site</a>', obj.get_absolute_url())


def wide_text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "cols": 80})


class ReadOnlyWhenLocked:
    """Shows a locked record read-only: no change, no delete. The models refuse the changes
    anyway; this keeps the admin from offering them. Subclasses say what ``is_locked`` means
    (by default the record's own ``is_locked``)."""

    def is_locked(self, obj) -> bool:
        return bool(obj is not None and getattr(obj, "is_locked", False))

    def has_change_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_delete_permission(request, obj)


# -- ids that cannot be keys ---------------------------------------------------------------------

# Primary keys are 64-bit integers on every database the project runs on; a longer number typed
# into an autocomplete or raw-id field (or a URL) would make SQLite raise OverflowError.
_INTEGER = re.compile(r"[+-]?[0-9]+")


def fits_a_key(value) -> bool:
    """False for a whole number no 64-bit key can hold; True for anything else (the field's
    own lookup judges it). No query."""
    text = str(value).strip()
    return not _INTEGER.fullmatch(text) or -MAX_ID - 1 <= int(text) <= MAX_ID


def is_key_of(field, value) -> bool:
    """Whether ``value`` can be a value of the key ``field`` (a model's primary key): it fits
    a key and the field reads it (not "abc" for an integer key). No query."""
    if not fits_a_key(value):
        return False
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class BoundedModelChoiceField(forms.ModelChoiceField):
    """Refuses an id out of the keys' range as an invalid choice instead of a 500."""

    def to_python(self, value):
        if value not in self.empty_values and not fits_a_key(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value or ():
            if not fits_a_key(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class BoundedAutocompleteSelect(NamedAutocompleteMixin, AutocompleteSelect):
    """Re-showing a refused form does not look up the out-of-range id either."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if fits_a_key(v)], attr)


class BoundedAutocompleteSelectMultiple(NamedAutocompleteMixin, AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if fits_a_key(v)], attr)


class BoundedRawIdWidget(ForeignKeyRawIdWidget):
    def label_and_url_for_value(self, value):
        if not fits_a_key(value):
            return "", ""
        return super().label_and_url_for_value(value)


class BoundedChoicesMixin:
    """For model admins and inlines: related-record fields (select, autocomplete, raw id)
    refuse an id no key can hold with the field's message, never a 500."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        using = kwargs.get("using")
        if "widget" not in kwargs:
            if db_field.name in self.get_autocomplete_fields(request):
                kwargs["widget"] = BoundedAutocompleteSelect(db_field, self.admin_site, using=using)
            elif db_field.name in self.raw_id_fields:
                kwargs["widget"] = BoundedRawIdWidget(
                    db_field.remote_field, self.admin_site, using=using
                )
        kwargs.setdefault("form_class", BoundedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# -- locked records in the admin -------------------------------------------------------------------


def message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def locked_rows(model, pks) -> models.QuerySet | None:
    """The rows among ``pks`` that a lock holds, for a locked model (its queryset has
    ``locked()``); None for a model without locks. No query of its own."""
    rows = model._default_manager.filter(pk__in=list(pks))
    return rows.locked() if hasattr(rows, "locked") else None


class RecordInlineFormSet(VersionedInlineFormSet):
    """The rows of a record's inline: each checked for a newer save by someone else
    (``VersionedInlineFormSet``), and a row locked on its own (``instance.is_locked``: a
    recommendation a signed notice followed) shown disabled, its delete box too, so it is
    sent back unchanged and never saved or deleted. The models refuse it anyway.
    In a tabular inline (``name_rows``, set by ``RecordInline``) each input is named by its
    column and row ("Title, row 3"): the headings label the cells by sight only."""

    name_rows = False

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.name_rows:
            name_row_inputs(form, index)
        if form.instance.pk is not None and getattr(form.instance, "is_locked", False):
            for field in form.fields.values():  # the delete box too: never ticked
                field.disabled = True


class BadInputGuard:
    """For the project's model admins (Django's and django-axes' screens have the 400 floor of
    ``minutebook.middleware.AdminBadInputMiddleware``): an id or value no key or date can hold
    answers a message, a redirect or "not found", never a 500.

    - an object id in the address past 64 bits is "not found" (``get_object``);
    - a value in the list's query (``?pk__in=``, ``?date__year=``, a filter's) that the
      database or Python's dates cannot take is an incorrect lookup (Django's "?e=1");
    - an action asked for an id that cannot be a key is refused with a message;
    - a history address whose record or version id cannot be a key is "not found".
    """

    def get_object(self, request, object_id, from_field=None):
        if not fits_a_key(object_id):
            return None
        return super().get_object(request, object_id, from_field)

    # -- bad values in the list's query, an action's selection or a history address --------------
    def get_changelist_instance(self, request):
        """The list, or ``IncorrectLookupParameters`` (which Django answers with a redirect to
        "?e=1") for a value the database or Python's dates cannot take: SQLite raises
        OverflowError for a number past 64 bits, ``datetime`` OverflowError or ValueError for a
        year 0 or 99999999999999999999. The list's count runs here, so these surface here."""
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def response_action(self, request, queryset):
        """An action, refused with a message when a selected id cannot be a key of this model
        (past 64 bits, or not a number for an integer key): nothing is done."""
        pk = self.model._meta.pk
        if not all(is_key_of(pk, value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            self.message_user(
                request,
                "Nothing was done: the selection names an id no record can have.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def _history_model(self):  # django-simple-history's model of this model's versions
        return getattr(self.model, self.model._meta.simple_history_manager_attribute).model

    def history_view(self, request, object_id, extra_context=None):
        if not is_key_of(self.model._meta.pk, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not is_key_of(self.model._meta.pk, unquote(object_id)) or not is_key_of(
            self._history_model()._meta.pk, version_id
        ):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class LockAwareAdmin(BadInputGuard, BoundedChoicesMixin):
    """What every record's admin screen shares around the locks (approved minutes, signed
    notices and what they hold), so that none answers 500 where a message is due:

    - a refused save (``LockedRecordError``, ``ConcurrentEditError``, any ``ValidationError``
      raised past the form) is rolled back whole and shown as a message;
    - a locked record's change form refuses a POST with a message, and its delete page says
      why it cannot be deleted (naming what holds it) instead of offering it;
    - "Delete selected" is all or nothing: refused with a message naming the locked records,
      and if a deletion is refused midway (a cascade into a locked record) nothing is deleted;
    - "Revert" in the history is disabled for a locked record and refused for a version that
      would lock it (a lifecycle move is made by its own action, with its history entry);
    - an id no key can hold, in a field or the URL, is an invalid choice or "not found"
      (``BoundedChoicesMixin``), and a bad value in the list's query, an action's selection or
      a history address is a message, a redirect or "not found" (``BadInputGuard``).
    """

    # -- what is locked --------------------------------------------------------------------------
    def lock_refusal(self, obj, doing: str = "changed", request=None) -> str | None:
        """Why ``obj`` (as stored) cannot be ``doing``, or None; None too for a user who may not
        see ``obj`` (Django's permission checks answer them, and the message would name it).
        One query for a locked model."""
        if obj is None or obj.pk is None:
            return None
        if request is not None and not self.has_view_or_change_permission(request, obj):
            return None
        rows = locked_rows(self.model, [obj.pk])
        if rows is not None:
            try:
                rows.refuse_locked(doing, rows)
            except ValidationError as error:
                return message_of(error)
        return None

    def deletion_refusal(self, request, queryset) -> str | None:
        """Why the records of ``queryset`` cannot all be deleted, or None: the locked ones
        named (one query and one to name them), then each record's ``pre_delete`` guards (a
        paper that approved minutes or a signed notice list), run without deleting."""
        rows = locked_rows(self.model, queryset.values_list("pk", flat=True))
        try:
            if rows is not None:
                rows.refuse_locked("deleted", rows)
            for obj in queryset:
                pre_delete.send(sender=self.model, instance=obj, using=queryset.db, origin=obj)
        except ValidationError as error:
            return message_of(error)
        return None

    def _refused(self, request, message: str, to: str) -> HttpResponseRedirect:
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(to)

    # -- views -----------------------------------------------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            refusal = self.lock_refusal(obj, request=request)
            if refusal:
                return self._refused(request, f"Nothing was saved. {refusal}", request.path)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:  # rolled back: changeform_view is one transaction
            return self._refused(request, f"Nothing was saved. {message_of(error)}", request.path)
        except IntegrityError:  # a row saved meanwhile by someone else took a unique value
            return self._refused(request, CLASHED_MESSAGE, request.path)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            refusal = self.deletion_refusal(request, self.model._default_manager.filter(pk=obj.pk))
            if refusal:
                change = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
                )
                return self._refused(request, f"Nothing was deleted. {refusal}", change)
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:  # rolled back: delete_view is one transaction
            return self._refused(request, f"Nothing was deleted. {message_of(error)}", request.path)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_or_none, name, description)
        return actions

    def revert_disabled(self, request, obj=None):
        return bool(self.lock_refusal(obj)) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        history = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[object_id]
        )
        obj = self.get_object(request, unquote(object_id))
        refusal = self.lock_refusal(obj, "reverted", request)
        if refusal:
            return self._refused(request, f"Nothing was reverted. {refusal}", history)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().history_form_view(request, object_id, version_id, extra_context)
                rows = locked_rows(self.model, [unquote(object_id)])
                if rows is not None and rows.exists():
                    raise LockedRecordError(
                        "That version is locked (approved minutes, a signed notice): approve "
                        "or sign with the record's own action, which records it in the history."
                    )
                return response
        except ValidationError as error:
            return self._refused(request, f"Nothing was reverted. {message_of(error)}", history)


def delete_selected_or_none(modeladmin, request, queryset):
    """Django's "Delete selected", all or nothing: refused with a message naming what holds
    the locked records before anything is asked or deleted, and rolled back whole if a
    deletion is refused midway."""
    refusal = modeladmin.deletion_refusal(request, queryset)
    if refusal:
        modeladmin.message_user(request, f"Nothing was deleted. {refusal}", messages.ERROR)
        return None
    try:
        with transaction.atomic(using=queryset.db):
            return delete_selected(modeladmin, request, queryset)
    except ValidationError as error:
        modeladmin.message_user(
            request, f"Nothing was deleted. {message_of(error)}", messages.ERROR
        )
        return None


delete_selected_or_none.allowed_permissions = ("delete",)  # type: ignore[attr-defined]


class RecordInline(BoundedChoicesMixin, VersionedInlineMixin):
    """Base of every record's inline: versioned rows, locked rows read-only, bounded ids,
    and in a tabular inline an accessible name for every input. A custom formset subclasses
    ``RecordInlineFormSet``."""

    formset = RecordInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.name_rows = isinstance(self, admin.TabularInline)  # a class made for this call
        return formset


# -- search by date and relevance ------------------------------------------------------------------

# The dates people type into a search box, whole words only: 26/11/2015, 26/11/15, 26.11.2015,
# 2015-11-26, 26 November 2015, 26th Nov 2015, November 26, 2015, November 2015, Nov 2015, 2015.
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_START, _END = r"(?<!\S)", r"[,;.]?(?!\S)"  # a whole word, a trailing comma or full stop taken
_DATE_FORMS = [  # the most specific first: a date read by one form is not read again
    (re.compile(_START + pattern + _END, re.IGNORECASE), kind)
    for pattern, kind in [
        (r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", "day"),
        (r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})", "day"),
        (_DAY + r"\s+" + _MONTH + r",?\s+(?P<year>\d{4})", "day"),
        (_MONTH + r"\s+" + _DAY + r",?\s+(?P<year>\d{4})", "day"),
        (_MONTH + r",?\s+(?P<year>\d{4})", "month"),
        (r"(?P<year>\d{4})", "year"),
    ]
]


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return next(i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(text.lower()[:3]))


def _span(match: re.Match, kind: str) -> tuple[datetime.date, datetime.date] | None:
    """The days a matched date covers, as [start, end): None for a date that does not exist
    (31/02/2015) or a year outside FIRST_YEAR..LAST_YEAR."""
    year = match["year"]
    # A two-digit year reads as Python's %y does: 00-68 are 2000-2068, 69-99 are 1969-1999.
    year = datetime.datetime.strptime(year, "%y").year if len(year) == 2 else int(year)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        if kind == "year":
            return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        month = _month_number(match["month"])
        if kind == "month":
            start = datetime.date(year, month, 1)
            return start, (start + datetime.timedelta(days=31)).replace(day=1)
        day = datetime.date(year, month, int(match["day"]))
        return day, day + datetime.timedelta(days=1)
    except ValueError:  # no such month or day: the text stays words
        return None


def dates_in(term: str) -> tuple[list[tuple[datetime.date, datetime.date]], str]:
    """The dates written in a search term, each as the days it covers ([start, end): a day,
    a month, a year), and the rest of the term without them. Text that looks like a date but
    is none (31/02/2015, 31 February 2015) stays whole in the rest, as words. Quoted text is
    left as typed. No query."""
    taken: list[tuple[int, int]] = []  # matched text, a date or not: no later form reads it
    found: list[tuple[int, int, tuple[datetime.date, datetime.date]]] = []
    for pattern, kind in _DATE_FORMS:
        for match in pattern.finditer(term):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            span = _span(match, kind)
            if span is not None:
                found.append((start, end, span))
    rest = term
    for start, end, _ in sorted(found, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return [span for _, _, span in sorted(found)], " ".join(rest.split())


def search_words(term: str) -> list[str]:
    """The words of a search term as Django's admin search reads them (quoted phrases whole)."""
    words = []
    for bit in smart_split(term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            words.append(bit)
    return words


#: Words of a search term read (a quoted phrase is one; "26 November 2015" three). A search
#: of hundreds of words nests a query past what SQLite parses; nobody types twelve.
SEARCH_WORDS = 12


def first_words(term: str) -> str:
    """The first ``SEARCH_WORDS`` words of a search term, as typed (quotes kept)."""
    bits = list(smart_split(term))
    return term if len(bits) <= SEARCH_WORDS else " ".join(bits[:SEARCH_WORDS])


class DateAwareSearchMixin:
    """For model admins: a search that reads dates and ranks by relevance, in the change list
    and in autocomplete (the meeting picker finds "26/11/2015"), both of which call
    ``get_search_results``.

    - Dates in the forms of ``dates_in`` filter ``search_date_field`` to the day, month or year
      they name; the other words are searched over ``search_fields`` as Django does (each word
      in some field). A date that does not exist (31/02/2015) is searched as words.
    - When words are searched and the user has not sorted a column (``o`` in the list's
      query), results come by relevance, then in the list's usual order: a rank field equal to
      the whole phrase, then one holding every word, then one holding some word, then matches
      elsewhere (``search_rank``, a CASE expression that runs on SQLite and PostgreSQL).

    ``search_date_field`` left None is the first date field the model is ordered by (a
    meeting's or paper's ``date``, a notice's ``signed_on``); ``search_rank_fields`` left None
    is the model's ``title`` when it has one (no rank otherwise). Only the first
    ``SEARCH_WORDS`` words of a term are read."""

    search_date_field: str | None = None
    search_rank_fields: list[str] | None = None

    def get_search_date_field(self) -> str | None:
        if self.search_date_field is not None:
            return self.search_date_field or None
        for name in self.model._meta.ordering:
            name = str(name).lstrip("-")
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                return name
        return None

    def get_search_rank_fields(self) -> list[str]:
        if self.search_rank_fields is not None:
            return list(self.search_rank_fields)
        names = {field.name for field in self.model._meta.get_fields()}
        return ["title"] if "title" in names else []

    def search_rank(self, words: list[str]) -> models.Expression | None:
        """3 for a rank field equal to the phrase, 2 for one holding every word, 1 for one
        holding some word, else 0; None when there is nothing to rank."""
        fields = self.get_search_rank_fields()
        if not fields or not words:
            return None
        phrase = " ".join(words)
        equal = models.Q.create([(f"{f}__iexact", phrase) for f in fields], connector="OR")
        every = models.Q.create(
            [models.Q.create([(f"{f}__icontains", w) for w in words]) for f in fields],
            connector="OR",
        )
        some = models.Q.create(
            [(f"{f}__icontains", w) for f in fields for w in words], connector="OR"
        )
        return models.Case(
            models.When(equal, then=3),
            models.When(every, then=2),
            models.When(some, then=1),
            default=0,
            output_field=models.IntegerField(),
        )

    def get_search_results(self, request, queryset, search_term):
        search_term = first_words(search_term)
        field = self.get_search_date_field()
        spans, rest = dates_in(search_term) if field and search_term else ([], search_term)
        for start, end in spans:
            queryset = queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        queryset, may_have_duplicates = super().get_search_results(request, queryset, rest)
        if spans:
            may_have_duplicates |= lookup_spawns_duplicates(self.opts, field)
        rank = self.search_rank(search_words(rest))
        if rank is not None and ORDER_VAR not in request.GET:
            order = queryset.query.order_by or self.model._meta.ordering
            queryset = queryset.annotate(search_rank=rank).order_by("-search_rank", *order)
        return queryset, may_have_duplicates
