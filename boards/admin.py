"""The admin where OPCC staff enter boards, meetings, agendas, minutes and papers.

A meeting is entered on one screen (attendance, declarations and agenda items inline); each
agenda item on one screen (its minute paragraphs and actions inline), with links to the
previous and next item so twenty items are typed without hunting. Approved minutes are shown
read-only: the models refuse changes, and the admin does not offer them.

The paper screen joins apps (its recommendations and money inline), so ``PaperAdmin`` is
registered by ``web.admin``.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from minutebook.admin import (
    DateAwareSearchMixin,
    LockAwareAdmin,
    ReadOnlyWhenLocked,
    RecordInline,
    RecordInlineFormSet,
    YearFilter,
    public_link,
    wide_text,
)
from minutebook.concurrency import VersionedAdminMixin

from . import services
from .admin_agenda import AgendaBuildingAdminMixin, StandingItemInline
from .admin_minutes import MinutesAdminMixin
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    Declaration,
    Meeting,
    Membership,
    MinuteParagraph,
    Organisation,
    Person,
)


class MeetingYearFilter(YearFilter):
    year_field = "meeting__date"


def minutes_locked(obj) -> bool:
    """True when ``obj`` is, or belongs to, a meeting whose minutes are approved."""
    if isinstance(obj, MinuteParagraph):
        obj = obj.item
    meeting = obj if isinstance(obj, Meeting) else getattr(obj, "meeting", None)
    return bool(meeting and meeting.minutes_locked)


class ReadOnlyWhenMinutesLocked(ReadOnlyWhenLocked):
    """Read-only once the minutes the record belongs to are approved."""

    def is_locked(self, obj) -> bool:
        return obj is not None and minutes_locked(obj)


class LockedByMinutesInlineMixin(ReadOnlyWhenMinutesLocked):
    """Inlines whose rows approved minutes lock (``obj`` is the parent): no rows added either."""

    def has_add_permission(self, request, obj=None):
        return not self.is_locked(obj) and super().has_add_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(LockAwareAdmin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(LockAwareAdmin, SimpleHistoryAdmin):
    list_display = ["full_name", "initials", "organisation", "user"]
    list_filter = ["organisation"]
    search_fields = ["full_name", "initials"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]


class MembershipInline(RecordInline, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "title", "start", "end"]


@admin.register(Board)
class BoardAdmin(LockAwareAdmin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "parent", "is_public", "meeting_count", "public_page"]
    list_filter = ["is_public", "parent"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline, StandingItemInline]
    readonly_fields = ["public_page"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(meeting_count=Count("meetings"))
        )

    @admin.display(description="Meetings", ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count

    @admin.display(description="Public page")
    def public_page(self, obj):
        return public_link(obj)


class AttendanceFormSet(RecordInlineFormSet):
    """A new attendee whose title is left blank gets the title of their membership of the
    board in force on the meeting's date, when it records one. One query, when needed."""

    def clean(self):
        super().clean()
        meeting = self.instance
        wanting = [
            form
            for form in self.extra_forms
            if form.has_changed()
            and hasattr(form, "cleaned_data")
            and form.cleaned_data.get("person")
            and not (form.cleaned_data.get("title") or "").strip()
        ]
        if not wanting or meeting.board_id is None or meeting.date is None:
            return
        titles = dict(
            Membership.objects.filter(board_id=meeting.board_id)
            .current(meeting.date)
            .exclude(title="")
            .values_list("person_id", "title")
        )
        for form in wanting:
            title = titles.get(form.cleaned_data["person"].pk)
            if title:
                form.cleaned_data["title"] = form.instance.title = title


class AttendanceInline(LockedByMinutesInlineMixin, RecordInline, admin.TabularInline):
    model = Attendance
    formset = AttendanceFormSet
    extra = 3
    autocomplete_fields = ["person"]
    fields = ["position", "person", "capacity", "title", "name_as_recorded"]


class DeclarationInline(LockedByMinutesInlineMixin, RecordInline, admin.TabularInline):
    model = Declaration
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["none_declared", "person", "item", "nature"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Offer only this meeting's items.
        field = formset.form.base_fields.get("item")
        if field is not None:
            field.queryset = (
                AgendaItem.objects.filter(meeting=obj) if obj else AgendaItem.objects.none()
            )
        return formset


def whole_number(number: str) -> bool:
    """ "7" is, "7a", "4.1" and "²" are not (``str.isdigit`` takes superscripts)."""
    return number.isascii() and number.isdigit()


class PositionedFormSet(RecordInlineFormSet):
    """Rows left without a position go after every other row, typed on the form or stored
    (rows someone else added meanwhile included), each on its own, so two rows never share a
    position and the save never meets the unique constraint. One query."""

    def clean(self):
        super().clean()
        self.place_new_rows()

    def kept_rows(self) -> list:
        """The rows that will be saved, in the form's order."""
        return [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk is not None or form.has_changed())
        ]

    def others(self, field: str) -> list:
        """``field`` of the parent's stored rows this form does not show. One query."""
        if self.instance.pk is None:
            return []
        shown = [form.instance.pk for form in self.forms if form.instance.pk is not None]
        return list(
            self.model._default_manager.filter(**{self.fk.name: self.instance})
            .exclude(pk__in=shown)
            .values_list(field, flat=True)
        )

    def place_new_rows(self) -> None:
        rows = self.kept_rows()
        used = {form.cleaned_data.get("position") for form in rows} | set(self.others("position"))
        used.discard(None)
        following = max(used, default=0)
        for form in rows:
            if form.cleaned_data.get("position") is None:
                following += 1
                form.cleaned_data["position"] = form.instance.position = following


class AgendaItemFormSet(PositionedFormSet):
    """Refuses two items of one meeting with the same printed number before anything is saved,
    and numbers the new items left unnumbered."""

    def clean(self):
        super().clean()
        seen: dict[str, int] = {}
        for index, form in enumerate(self.forms):
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            number = (form.cleaned_data.get("number") or "").strip()
            if not number:
                continue
            if number in seen:
                form.add_error(
                    "number",
                    f"Item {number} appears twice on this agenda (rows {seen[number] + 1} and {index + 1}).",
                )
            else:
                seen[number] = index
        self.number_new_items()

    def number_new_items(self) -> None:
        """New items left unnumbered are numbered after the row above ("3" below "2"), skipping
        numbers typed on any row or stored on items added meanwhile, so two items never get one
        number. Only on an agenda numbered 1, 2, 3 (as ``AgendaItem.next_number``); otherwise
        they stay blank. One query."""
        rows = self.kept_rows()
        numbers = [(form.cleaned_data.get("number") or "").strip() for form in rows]
        typed = [n for n in numbers if n] + [n for n in self.others("number") if n]
        if not all(whole_number(n) for n in typed):
            return
        used = {int(n) for n in typed}
        above = 0
        for form, number in zip(rows, numbers, strict=True):
            if number:
                above = max(above, int(number))
                continue
            if form.instance.pk is not None:
                continue  # a stored item left unnumbered keeps that
            above += 1
            while above in used:
                above += 1
            used.add(above)
            form.cleaned_data["number"] = form.instance.number = str(above)


class AgendaItemInline(LockedByMinutesInlineMixin, RecordInline, admin.TabularInline):
    model = AgendaItem
    formset = AgendaItemFormSet
    extra = 5
    show_change_link = True
    autocomplete_fields = ["presenter", "paper"]
    fields = [
        "position",
        "number",
        "title",
        "presenter",
        "paper",
        "is_exempt",
        "exemption_reason",
        "exemption_paragraph",
    ]


@admin.register(Meeting)
class MeetingAdmin(
    MinutesAdminMixin,
    AgendaBuildingAdminMixin,
    DateAwareSearchMixin,
    LockAwareAdmin,
    ReadOnlyWhenMinutesLocked,
    VersionedAdminMixin,
    SimpleHistoryAdmin,
):
    list_display = ["date", "board", "status", "minutes_status", "item_count", "public_page"]
    list_filter = ["board", YearFilter, "status", "minutes_status"]
    list_select_related = ["board"]
    date_hierarchy = "date"
    ordering = ["-date", "board__name"]
    search_fields = ["board__name", "board__short_name", "location", "items__title"]
    search_rank_fields = ["board__short_name", "board__name"]
    autocomplete_fields = [
        "board",
        "minutes_approved_at",
        "minutes_signed_by",
        "chair",
        "announced_in",
    ]
    inlines = [AttendanceInline, DeclarationInline, AgendaItemInline]
    readonly_fields = ["public_page"]
    actions = ["approve_minutes"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "board",
                    "date",
                    "start_time",
                    "location",
                    "announced_in",
                    "status",
                    "notes",
                    "public_page",
                ]
            },
        ),
        (
            "Minutes",
            {
                "fields": [
                    "minutes_status",
                    "chair",
                    "actions_arising",
                    "minutes_approved_at",
                    "minutes_signed_by",
                    "minutes_signed_on",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items", distinct=True))

    @admin.display(description="Items", ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description="Public page")
    def public_page(self, obj):
        return public_link(obj)

    def get_readonly_fields(self, request, obj=None):
        """The minutes' status moves only through taking, approving and reopening them."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields if "minutes_status" in fields else [*fields, "minutes_status"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and obj.minutes_locked and request.method == "GET":
            messages.info(
                request,
                "These minutes are approved and locked. A correction is minuted at a later "
                "meeting, or the minutes are reopened with a recorded reason.",
            )
        extra_context = {
            **(extra_context or {}),
            "minutes_tools": self.minutes_tools(request, obj),
            "can_approve": request.user.has_perm(services.APPROVE_PERMISSION),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        if "_take_minutes" in request.POST:
            return HttpResponseRedirect(reverse("admin:boards_meeting_minutes", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        """ "Save and take minutes" and "Save and approve the minutes" save what was typed on
        the meeting's screen first, then go on."""
        if "_take_minutes" in request.POST:
            return HttpResponseRedirect(reverse("admin:boards_meeting_minutes", args=[obj.pk]))
        if "_approve" in request.POST:
            return HttpResponseRedirect(reverse("admin:boards_meeting_approve", args=[obj.pk]))
        return super().response_change(request, obj)

    @admin.action(description="Approve the minutes of the selected meetings")
    def approve_minutes(self, request, queryset):
        """One meeting: its confirmation page. Several: refused, as each approval records its
        own approving meeting, signatory and date."""
        if not request.user.has_perm(services.APPROVE_PERMISSION):
            self.message_user(
                request, "You do not have permission to approve minutes.", messages.ERROR
            )
            return None
        meetings = list(queryset[:2])
        if len(meetings) != 1:
            self.message_user(
                request,
                "Approve one meeting's minutes at a time: each records the meeting that "
                "approved them, who signed them and when.",
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(reverse("admin:boards_meeting_approve", args=[meetings[0].pk]))


class MinuteParagraphInline(LockedByMinutesInlineMixin, RecordInline, admin.TabularInline):
    model = MinuteParagraph
    formset = PositionedFormSet
    extra = 5
    fields = ["position", "number", "kind", "text"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = wide_text(4)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ActionFormSet(RecordInlineFormSet):
    """Actions typed under an agenda item are raised at that item's meeting."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            # Set before validation, so the model's date checks against the meeting run.
            form.instance.meeting_id = self.instance.meeting_id
        return form


class ActionInline(RecordInline, admin.TabularInline):
    """Actions raised under the item. Once the minutes are approved the item page is read-only;
    actions are then closed from the action's own admin page."""

    model = Action
    formset = ActionFormSet
    fk_name = "item"
    extra = 1
    autocomplete_fields = ["owner", "due_meeting", "closed_at"]
    fields = [
        "text",
        "owner",
        "due_date",
        "due_precision",
        "due_meeting",
        "status",
        "closed_at",
        "note",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"text", "note"}:
            kwargs["widget"] = wide_text(2)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AgendaItemAdmin(
    LockAwareAdmin, ReadOnlyWhenMinutesLocked, VersionedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["__str__", "meeting", "is_exempt", "paragraph_count"]
    list_filter = ["meeting__board", MeetingYearFilter, "is_exempt"]
    list_select_related = ["meeting__board"]
    search_fields = ["title", "number", "meeting__board__name"]
    ordering = ["meeting", "position"]
    autocomplete_fields = ["meeting", "presenter", "paper"]
    inlines = [MinuteParagraphInline, ActionInline]
    readonly_fields = ["neighbours"]
    fields = [
        "meeting",
        "neighbours",
        "position",
        "number",
        "title",
        "presenter",
        "paper",
        "is_exempt",
        "exemption_reason",
        "exemption_paragraph",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(paragraph_count=Count("paragraphs"))

    def save_related(self, request, form, formsets, change):
        """Paragraphs typed under an item of a meeting whose minutes were not recorded make
        them draft (``boards.services.start_minutes``)."""
        super().save_related(request, form, formsets, change)
        if form.instance.meeting_id is not None:
            services.start_minutes(
                meeting=form.instance.meeting,
                user=request.user,
                reason=f"Minutes started on item {form.instance}",
            )

    def response_post_save_change(self, request, obj):
        """Plain "Save" goes back to the item's meeting, not to every item of every meeting."""
        return HttpResponseRedirect(reverse("admin:boards_meeting_change", args=[obj.meeting_id]))

    def response_post_save_add(self, request, obj):
        return self.response_post_save_change(request, obj)

    @admin.display(description="Paragraphs", ordering="paragraph_count")
    def paragraph_count(self, obj):
        return obj.paragraph_count

    @admin.display(description="Agenda")
    def neighbours(self, obj):
        """Links to the meeting and the items either side, so staff move through the agenda.
        Two queries: the items of the item's stored meeting (a subquery), and that meeting."""
        if obj is None or obj.pk is None:
            return "—"
        # The item as stored: a refused form may have changed its meeting on ``obj``.
        meeting_id = AgendaItem.objects.filter(pk=obj.pk).values_list("meeting_id", flat=True)
        siblings = list(AgendaItem.objects.filter(meeting_id__in=meeting_id).order_by("position"))
        index = next((i for i, s in enumerate(siblings) if s.pk == obj.pk), None)
        if index is None:  # deleted meanwhile
            return "—"
        meeting = siblings[index].meeting_id
        links = [(reverse("admin:boards_meeting_change", args=[meeting]), "↑ the meeting")]
        if index > 0:
            prev = siblings[index - 1]
            links.append(
                (reverse("admin:boards_agendaitem_change", args=[prev.pk]), f"← item {prev}")
            )
        if index + 1 < len(siblings):
            nxt = siblings[index + 1]
            links.append(
                (reverse("admin:boards_agendaitem_change", args=[nxt.pk]), f"item {nxt} →")
            )
        links.append((siblings[index].get_absolute_url(), "public page"))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)


class PaperAdmin(DateAwareSearchMixin, LockAwareAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    """The paper's own fields. Registered by ``web.admin``, which adds the recommendations
    (decisions) and financial lines (finance) inline: that screen joins three apps."""

    list_display = ["title", "board", "date", "status", "access", "public_page"]
    list_filter = ["board", YearFilter, "status", "access"]
    list_select_related = ["board"]
    date_hierarchy = "date"
    search_fields = ["title", "author_line", "body"]
    autocomplete_fields = ["board", "meeting"]
    readonly_fields = ["public_page"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "board",
                    "meeting",
                    "to_line",
                    "author_line",
                    "date",
                    "agenda_reference",
                    "public_page",
                ]
            },
        ),
        ("Access", {"fields": ["status", "access", "exemption_reason"]}),
        (
            "Text",
            {"fields": ["purpose", "body", "source_documents", "contact_officers", "appendices"]},
        ),
    ]

    @admin.display(description="Public page")
    def public_page(self, obj):
        return public_link(obj)


@admin.register(Action)
class ActionAdmin(LockAwareAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "owner", "meeting", "due", "status", "closed_at"]
    list_filter = ["status", "meeting__board", MeetingYearFilter]
    list_select_related = ["owner", "meeting__board", "closed_at__board"]
    search_fields = ["text", "owner__full_name", "owner__initials"]
    autocomplete_fields = ["meeting", "item", "paragraph", "owner", "due_meeting", "closed_at"]

    @admin.display(description="Due", ordering="due_date")
    def due(self, action: Action) -> str:
        """The due date as printed: a month where the minutes give only the month."""
        return action.due_as_printed or "not recorded"


@admin.register(MinuteParagraph)
class MinuteParagraphAdmin(LockAwareAdmin, ReadOnlyWhenMinutesLocked, SimpleHistoryAdmin):
    """Registered for search and autocomplete; paragraphs are entered inline on their agenda item."""

    list_display = ["__str__", "item", "kind"]
    list_filter = ["kind", "item__meeting__board"]
    list_select_related = ["item__meeting__board"]
    search_fields = ["text", "number"]
    autocomplete_fields = ["item"]
