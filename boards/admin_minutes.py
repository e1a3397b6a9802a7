"""The secretary's minutes screens on a meeting: take the minutes, approve them, reopen them.

``MinutesAdminMixin`` adds three pages under a meeting's admin screen:

- ``<id>/minutes/`` ("Take minutes"): every agenda item in order with its paragraphs, actions
  and declarations, typed as one document and saved at once. Three model formsets carry the
  whole meeting (paragraphs, actions, declarations), each row naming its item; the page groups
  them under their items. The meeting's ``version`` and every row's guard against a save by
  someone else since the page opened; a refusal keeps everything typed and lists each problem
  at the top, linked to its field. New paragraphs are numbered from their item ("4.3"); numbers
  typed by hand (historic ones) are kept. Saving minutes of a meeting that had none makes them
  draft. A little JavaScript (``static/js/take-minutes.js``) adds rows, keyboard shortcuts
  and a draft kept in the browser; without it the page still saves (one blank row per item).
- ``<id>/approve/``: a confirmation showing what will be locked, and the approval facts (the
  meeting that approved them, who signed, when) prefilled from what the meeting records.
- ``<id>/reopen/``: for holders of "Can reopen approved minutes", asks the reason.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from minutebook.concurrency import STALE_MESSAGE, ConcurrentEditError, VersionedModelFormSet
from minutebook.records import LockedRecordError, describe

from . import services
from .models import Action, AgendaItem, Declaration, Meeting, MinuteParagraph, Person

TAKE_MINUTES_REASON = "Minutes taken on the meeting's minutes screen"
ROWS_CHANGED_MESSAGE = (
    "The rows on this page are no longer the stored ones (someone else added or removed "
    "some). Nothing has been saved: copy what you typed, open the page again, then type it in."
)
CANCELLED_MESSAGE = "{meeting} was cancelled, so it has no minutes to take."


class PreloadedChoiceField(forms.Field):
    """A choice among objects read once for the whole page (so 60 rows cost no query each).
    The value is the object's key; ``choices`` label them for a select."""

    def __init__(self, objects, *, label_of=str, blank_label="—", **kwargs):
        self.objects = {str(o.pk): o for o in objects}
        self.label_of = label_of
        self.blank_label = blank_label
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        if isinstance(self.widget, forms.Select):
            self.widget.choices = self.choices()

    def choices(self):
        first = [] if self.required else [("", self.blank_label)]
        return first + [(key, self.label_of(o)) for key, o in self.objects.items()]

    def prepare_value(self, value):
        return getattr(value, "pk", value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[str(value)]
        except KeyError:
            raise ValidationError(
                "Pick one of the choices offered.", code="invalid_choice"
            ) from None

    def has_changed(self, initial, data):
        initial = "" if initial is None else str(getattr(initial, "pk", initial))
        return initial != ("" if data is None else str(data))


class MinutesRowForm(forms.ModelForm):
    """One row of the minutes: its item (hidden) and its version (hidden) with its text."""

    def __init__(self, *args, page: MinutesPage, **kwargs):
        self.page = page
        super().__init__(*args, **kwargs)
        self.fields["item"] = PreloadedChoiceField(
            page.items,
            required=self.item_required,
            widget=forms.HiddenInput,
        )
        self.fields["version"].widget = forms.HiddenInput()
        self.fields["version"].required = False

    item_required = True
    # What a new row carries before anything is typed in it: its item, its version, the kind
    # preselected. A new row with nothing else changed is left out, like an empty blank row.
    not_typed = frozenset({"item", "version", "kind"})

    def has_changed(self) -> bool:
        if self.instance.pk is None:
            return any(name not in self.not_typed for name in self.changed_data)
        return super().has_changed()

    @property
    def item_pk(self):
        value = self["item"].value()
        return None if value in (None, "") else str(getattr(value, "pk", value))


class ParagraphForm(MinutesRowForm):
    class Meta:
        model = MinuteParagraph
        fields = ["item", "number", "kind", "text", "version"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": "Text"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = ""
        self.fields["number"].widget.attrs.update({"size": 6, "placeholder": "auto"})


class ActionForm(MinutesRowForm):
    # The due date's precision is preselected (a day): a new row with only that is not typed.
    not_typed = MinutesRowForm.not_typed | {"due_precision"}

    class Meta:
        model = Action
        fields = ["item", "text", "owner", "due_date", "due_precision", "due_meeting", "version"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"text": "Action", "due_precision": "Due date is", "due_meeting": "Due at meeting"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The row shows no help texts (its label and choices say it: "Due date is" a day or a
        # month), so none is referred to by aria-describedby.
        self.fields["due_precision"].help_text = ""
        page = self.page
        owners = list(page.owners)
        if self.instance.owner_id and self.instance.owner_id not in {p.pk for p in owners}:
            owners.append(self.instance.owner)
        self.fields["owner"] = PreloadedChoiceField(
            owners, widget=forms.Select, label="Owner", blank_label="— not recorded —"
        )
        self.fields["due_meeting"] = PreloadedChoiceField(
            page.later_meetings,
            widget=forms.Select,
            label="Due at meeting",
            label_of=lambda m: f"{m.date:%-d %B %Y}",
            blank_label="— none —",
        )
        # The meeting raising the action, before validation: the model checks dates against it.
        self.instance.meeting = page.meeting


class DeclarationForm(MinutesRowForm):
    item_required = False

    class Meta:
        model = Declaration
        fields = ["item", "none_declared", "person", "nature", "version"]
        widgets = {"nature": forms.Textarea(attrs={"rows": 2})}
        labels = {"nature": "Interest declared", "none_declared": "None declared"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = list(self.page.owners)
        if self.instance.person_id and self.instance.person_id not in {p.pk for p in people}:
            people.append(self.instance.person)
        self.fields["person"] = PreloadedChoiceField(
            people, widget=forms.Select, label="Who declared", blank_label="— nobody —"
        )
        self.instance.meeting = self.page.meeting
        self.fields["none_declared"].help_text = ""


class MinutesFormSet(VersionedModelFormSet):
    #: Rows a page may add to each item on top of what it shows: a bound on the forms a
    #: forged count makes the server build (Django's own is 1,000 more than max_num).
    ROWS_PER_ITEM = 20

    def __init__(self, *args, page: MinutesPage, **kwargs):
        self.page = page
        super().__init__(*args, **kwargs)
        shown = len(self.get_queryset())  # the rows' one query, read now (and kept)
        self.max_num = self.absolute_max = shown + self.ROWS_PER_ITEM * (len(page.items) + 1)
        self.validate_max = True

    def clean(self):
        """The page's stored rows must be the ones stored now: a count that differs (rows
        added or removed elsewhere, or a forged form) would save stored rows as new copies."""
        super().clean()
        if self.is_bound and self.initial_form_count() != len(self.get_queryset()):
            raise ValidationError(ROWS_CHANGED_MESSAGE)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "page": self.page}


def minutes_formset(form, model) -> type[MinutesFormSet]:
    return forms.modelformset_factory(
        model, form=form, formset=MinutesFormSet, extra=0, can_delete=True, can_delete_extra=False
    )


ParagraphFormSet = minutes_formset(ParagraphForm, MinuteParagraph)
ActionFormSet = minutes_formset(ActionForm, Action)
DeclarationFormSet = minutes_formset(DeclarationForm, Declaration)


class MinutesPage:
    """What the take-minutes screen reads: the meeting, its items, who may own an action, the
    board's later meetings, and the three formsets. Seven queries, whatever the number of
    items: the meeting, its items, the attendance's people, the later meetings, and the
    paragraphs, actions and declarations."""

    prefixes = {"paragraphs": "p", "actions": "a", "declarations": "d"}

    def __init__(self, meeting: Meeting, data=None):
        self.meeting = meeting
        self.items = list(
            AgendaItem.objects.filter(meeting=meeting).select_related("presenter", "paper")
        )
        self.owners = list(
            Person.objects.filter(attendance__meeting=meeting).order_by(
                "attendance__position", "full_name"
            )
        )
        self.later_meetings = list(
            Meeting.objects.filter(board_id=meeting.board_id, date__gt=meeting.date)
            .select_related("board")
            .order_by("date")
        )
        item_ids = [i.pk for i in self.items]
        blank_per_item = [{"item": i.pk} for i in self.items]
        self.paragraphs = ParagraphFormSet(
            data,
            prefix="p",
            page=self,
            queryset=MinuteParagraph.objects.filter(item_id__in=item_ids).order_by(
                "item__position", "position"
            ),
            initial=blank_per_item,
        )
        self.paragraphs.extra = len(self.items)
        self.actions = ActionFormSet(
            data,
            prefix="a",
            page=self,
            queryset=Action.objects.filter(meeting=meeting, item_id__in=item_ids)
            .select_related("owner")
            .order_by("pk"),
            initial=blank_per_item,
        )
        self.actions.extra = len(self.items)
        self.declarations = DeclarationFormSet(
            data,
            prefix="d",
            page=self,
            queryset=Declaration.objects.filter(meeting=meeting)
            .select_related("person")
            .order_by("pk"),
            initial=[{"item": None}, *blank_per_item],
        )
        self.declarations.extra = len(self.items) + 1
        self.formsets = [self.paragraphs, self.actions, self.declarations]

    def sections(self) -> list[dict]:
        """Each item with its rows, in agenda order; first the meeting's own declarations."""
        by_item: dict[str | None, dict[str, list]] = {
            None: {"paragraphs": [], "actions": [], "declarations": []}
        }
        for item in self.items:
            by_item[str(item.pk)] = {"paragraphs": [], "actions": [], "declarations": []}
        for name in ("paragraphs", "actions", "declarations"):
            for form in getattr(self, name).forms:
                rows = by_item.get(form.item_pk) or by_item[None]
                rows[name].append(form)
        sections = [{"item": None, **by_item[None]}]
        for item in self.items:
            sections.append({"item": item, **by_item[str(item.pk)]})
        return sections

    def is_valid(self) -> bool:
        return all([formset.is_valid() for formset in self.formsets])

    def errors(self) -> list[tuple[str, str]]:
        """Each problem as (anchor, message), in the order of the page, for the summary."""
        labels = {str(i.pk): f"Item {i}".strip() for i in self.items}
        found = []
        for name, formset in (
            ("Paragraph", self.paragraphs),
            ("Action", self.actions),
            ("Declaration", self.declarations),
        ):
            for error in formset.non_form_errors():
                found.append(("take_minutes_form", f"{name}s: {error}"))
            for form in formset.forms:
                if not form.errors:
                    continue
                where = labels.get(form.item_pk, "The meeting")
                for field, errors in form.errors.items():
                    if field in ("__all__", "item", "version") or field not in form.fields:
                        anchor = f"row-{form.prefix}"
                        label = ""
                    else:
                        anchor = form[field].id_for_label
                        label = f"{form.fields[field].label}: "
                    for error in errors:
                        found.append((anchor, f"{where}, {name.lower()}: {label}{error}"))
        return found

    @transaction.atomic
    def save(self, *, user, version: int | None) -> dict[str, int]:
        """Saves every changed row and the meeting (its version bumped, its minutes draft if
        they were not recorded). Raises ConcurrentEditError when the meeting was saved by
        someone else since ``version`` was shown; LockedRecordError if its minutes were
        approved meanwhile. Rolled back whole on any refusal."""
        meeting = (
            Meeting.objects.select_for_update().select_related("board").get(pk=self.meeting.pk)
        )
        if version is None or meeting.version != version:
            raise ConcurrentEditError(STALE_MESSAGE)
        if meeting.minutes_locked:
            raise LockedRecordError(
                f"The minutes of {meeting} were approved meanwhile; nothing has been saved."
            )
        if meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(CANCELLED_MESSAGE.format(meeting=meeting))
        for form in self.paragraphs.initial_forms:
            if "item" in form.changed_data:  # moved under another item: it goes last there
                form.instance.position = None
        counts = {}
        for name, formset in (
            ("paragraphs", self.paragraphs),
            ("actions", self.actions),
            ("declarations", self.declarations),
        ):
            saved = formset.save(commit=False)
            for obj in saved:
                if name != "paragraphs":
                    obj.meeting = meeting
                obj._change_reason = TAKE_MINUTES_REASON
                obj._history_user = user
                obj.save()
            for obj in formset.deleted_objects:
                obj._change_reason = TAKE_MINUTES_REASON
                obj._history_user = user
                try:
                    obj.delete()
                except ProtectedError as error:  # a paragraph whose money is recorded
                    raise ValidationError(
                        f"“{obj}” cannot be removed: {describe(list(error.protected_objects))} "
                        "belong to it. Move or delete those first; nothing has been saved."
                    ) from error
            counts[name] = len(saved) + len(formset.deleted_objects)
        if meeting.minutes_status == Meeting.MinutesStatus.NONE and self.items:
            meeting.minutes_status = Meeting.MinutesStatus.DRAFT
        meeting._change_reason = TAKE_MINUTES_REASON
        meeting._history_user = user
        meeting.save()
        self.meeting = meeting
        return counts


class ApproveForm(forms.Form):
    """The approval facts, prefilled from what the meeting records."""

    approved_at = forms.ModelChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label="Approved at the meeting of",
        empty_label="— not recorded —",
    )
    signed_by = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Signed by",
        empty_label="— not recorded —",
    )
    signed_on = forms.DateField(
        required=False,
        label="Signed on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave blank when it is not recorded.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_at"].queryset = (
            Meeting.objects.filter(
                Q(board_id=meeting.board_id, date__gt=meeting.date)
                | Q(pk=meeting.minutes_approved_at_id)
            )
            .select_related("board")
            .order_by("date")
        )
        self.fields["approved_at"].label_from_instance = lambda m: (
            f"{m.date:%-d %B %Y}" if m.board_id == meeting.board_id else str(m)
        )
        signed_by = Person.objects.filter(
            Q(attendance__meeting__board_id=meeting.board_id) | Q(pk=meeting.minutes_signed_by_id)
        ).distinct()
        self.fields["signed_by"].queryset = signed_by.order_by("full_name")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why are the minutes reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Kept in the meeting's history (at most {services.REOPEN_REASON_LENGTH} characters).",
        max_length=services.REOPEN_REASON_LENGTH,
    )


class MinutesAdminMixin:
    """Adds the take-minutes, approve and reopen pages to the meeting's admin (see module)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/minutes/",
                view(self.take_minutes_view),
                name="boards_meeting_minutes",
            ),
            path(
                "<path:object_id>/approve/",
                view(self.approve_view),
                name="boards_meeting_approve",
            ),
            path(
                "<path:object_id>/reopen/",
                view(self.reopen_view),
                name="boards_meeting_reopen",
            ),
            *super().get_urls(),
        ]

    # -- helpers ------------------------------------------------------------------------------
    def _meeting(self, request, object_id) -> Meeting:
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404("No meeting with that id.")
        return meeting

    def _change_url(self, meeting) -> str:
        return reverse("admin:boards_meeting_change", args=[meeting.pk])

    def _context(self, request, meeting, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "title": title,
            "subtitle": str(meeting),
            "change_url": self._change_url(meeting),
            **extra,
        }

    def minutes_tools(self, request, meeting) -> list[dict]:
        """The meeting screen's minutes buttons the user may use."""
        if meeting is None or meeting.pk is None:
            return []
        tools = []
        pk = meeting.pk
        if (
            not meeting.minutes_locked
            and meeting.status != Meeting.Status.CANCELLED
            and self.has_change_permission(request, meeting)
        ):
            tools.append(
                {"url": reverse("admin:boards_meeting_minutes", args=[pk]), "label": "Take minutes"}
            )
        if meeting.minutes_status == Meeting.MinutesStatus.DRAFT and request.user.has_perm(
            services.APPROVE_PERMISSION
        ):
            tools.append(
                {
                    "url": reverse("admin:boards_meeting_approve", args=[pk]),
                    "label": "Approve the minutes",
                }
            )
        if meeting.minutes_locked and request.user.has_perm(services.REOPEN_PERMISSION):
            tools.append(
                {
                    "url": reverse("admin:boards_meeting_reopen", args=[pk]),
                    "label": "Reopen the minutes",
                }
            )
        return tools

    # -- take minutes -------------------------------------------------------------------------
    def take_minutes_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied  # before the lookup: a refusal says nothing of what exists
        meeting = self._meeting(request, object_id)
        if not self.has_view_or_change_permission(request, meeting):
            raise PermissionDenied
        if meeting.minutes_locked:
            messages.info(
                request,
                f"The minutes of {meeting} are approved and locked; reopen them with a reason "
                "to change them.",
            )
            return HttpResponseRedirect(self._change_url(meeting))
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        if meeting.status == Meeting.Status.CANCELLED:
            messages.warning(request, CANCELLED_MESSAGE.format(meeting=meeting))
            return HttpResponseRedirect(self._change_url(meeting))
        data = request.POST if request.method == "POST" else None
        page = MinutesPage(meeting, data)
        problems: list[tuple[str, str]] = []
        if data is not None:
            try:
                version = int(request.POST.get("version", ""))
            except ValueError:
                version = None
            if page.is_valid():
                try:
                    counts = page.save(user=request.user, version=version)
                except (ConcurrentEditError, LockedRecordError) as error:
                    problems = [("minutes", " ".join(error.messages))]
                except ValidationError as error:
                    problems = [("minutes", message) for message in error.messages]
                else:
                    messages.success(
                        request,
                        f"Saved the minutes of {page.meeting}: {counts['paragraphs']} paragraph(s), "
                        f"{counts['actions']} action(s) and {counts['declarations']} declaration(s) "
                        "added, changed or removed.",
                    )
                    target = reverse("admin:boards_meeting_minutes", args=[meeting.pk])
                    if "_approve" in request.POST:
                        target = reverse("admin:boards_meeting_approve", args=[meeting.pk])
                    elif "_meeting" in request.POST:
                        target = self._change_url(meeting)
                    return HttpResponseRedirect(f"{target}?saved={page.meeting.version}")
            else:
                problems = page.errors()
        context = self._context(
            request,
            meeting,
            "Take minutes",
            page=page,
            sections=page.sections(),
            problems=problems,
            version=request.POST.get("version", meeting.version) if data else meeting.version,
            saved=request.GET.get("saved", ""),
            can_approve=request.user.has_perm(services.APPROVE_PERMISSION),
            media=self.media + forms.Media(css={"all": ["css/take-minutes.css"]}),
        )
        return render(request, "admin/boards/meeting/take_minutes.html", context)

    # -- approve ------------------------------------------------------------------------------
    def approve_view(self, request, object_id):
        if not request.user.has_perm(services.APPROVE_PERMISSION):
            raise PermissionDenied
        meeting = self._meeting(request, object_id)
        if meeting.minutes_status != Meeting.MinutesStatus.DRAFT:
            messages.warning(
                request,
                f"{meeting}: only draft minutes can be approved "
                f"(these are {meeting.get_minutes_status_display().lower()}).",
            )
            return HttpResponseRedirect(self._change_url(meeting))
        initial = {
            "approved_at": meeting.minutes_approved_at_id,
            "signed_by": meeting.minutes_signed_by_id,
            "signed_on": meeting.minutes_signed_on,
        }
        form = ApproveForm(
            request.POST if request.method == "POST" else None, initial=initial, meeting=meeting
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.approve_minutes(
                    meeting=meeting,
                    by=request.user,
                    approved_at=form.cleaned_data["approved_at"],
                    signed_by=form.cleaned_data["signed_by"],
                    signed_on=form.cleaned_data["signed_on"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    target = {
                        "minutes_approved_at": "approved_at",
                        "minutes_signed_by": "signed_by",
                        "minutes_signed_on": "signed_on",
                    }.get(field)
                    for message in errors:
                        form.add_error(target, message)
            except (ValueError, LockedRecordError, ConcurrentEditError) as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(self._change_url(meeting))
            else:
                messages.success(
                    request,
                    format_html("Approved and locked the minutes of {}.", meeting),
                )
                return HttpResponseRedirect(self._change_url(meeting))
        locked = AgendaItem.objects.filter(meeting=meeting).aggregate(
            items=Count("pk", distinct=True), paragraphs=Count("paragraphs", distinct=True)
        )
        context = self._context(
            request,
            meeting,
            "Approve the minutes",
            form=form,
            locked={
                **locked,
                "attendance": meeting.attendance.count(),
                "declarations": meeting.declarations.count(),
            },
        )
        return render(request, "admin/boards/meeting/approve.html", context)

    # -- reopen -------------------------------------------------------------------------------
    def reopen_view(self, request, object_id):
        if not request.user.has_perm(services.REOPEN_PERMISSION):
            raise PermissionDenied
        meeting = self._meeting(request, object_id)
        if not meeting.minutes_locked:
            messages.warning(
                request, f"The minutes of {meeting} are not approved: nothing to reopen."
            )
            return HttpResponseRedirect(self._change_url(meeting))
        form = ReopenForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.reopen_minutes(
                    meeting=meeting, reason=form.cleaned_data["reason"], user=request.user
                )
            except ValueError as error:
                form.add_error("reason", str(error))
            else:
                messages.success(
                    request,
                    f"Reopened the minutes of {meeting}: they are draft again. "
                    "The reason is kept in the history.",
                )
                return HttpResponseRedirect(self._change_url(meeting))
        context = self._context(request, meeting, "Reopen the minutes", form=form)
        return render(request, "admin/boards/meeting/reopen.html", context)
