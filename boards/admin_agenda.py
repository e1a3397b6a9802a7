"""The meeting screen's agenda tools: copy an agenda (an earlier meeting's or the board's
standing items) and fill in the attendance from the board's memberships; and the standing
items, entered inline on the board's screen.

Each tool is a confirmation page under the meeting (``<id>/copy-agenda/``,
``<id>/fill-attendance/``): a GET shows what would be added and changes nothing; a POST (with
its CSRF token) calls the service in ``boards.agenda`` and returns to the meeting with a
message saying what was done. Both need the permission to change meetings; approved minutes
are refused with a message.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse

from minutebook.admin import RecordInline, RecordInlineFormSet, message_of

from . import agenda
from .models import Attendance, StandingItem

STANDING = "standing"
CHANGED_MEANWHILE = (
    "Nothing was added: the meeting was changed by someone else meanwhile. Open it again to "
    "see their changes, then try again."
)


class StandingItemFormSet(RecordInlineFormSet):
    """Refuses two standing items of a board with the same number before anything is saved
    (the database refuses it too, but with an error page)."""

    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            number = (form.cleaned_data.get("number") or "").strip()
            if number and number in seen:
                form.add_error("number", f"Standing item {number} appears twice.")
            seen.add(number)


class StandingItemInline(RecordInline, admin.TabularInline):
    """The board's standing items: the agenda its meetings can start from."""

    model = StandingItem
    formset = StandingItemFormSet
    extra = 1
    autocomplete_fields = ["presenter"]
    fields = ["position", "number", "title", "presenter"]


class SourceForm(forms.Form):
    source = forms.ChoiceField(label="Copy from")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = choices


def _plural(count: int, word: str) -> str:
    """ "1 item", "2 items"; "1 person", "2 people"."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {'people' if word == 'person' else word + 's'}"


def _done(plan: agenda.Plan, verb: str, word: str, where: str) -> str:
    """ "Copied 12 items from BCB 29 October 2015; left out 2 already on the agenda." """
    text = f"{verb} {_plural(len(plan.add), word)} from {plan.source}"
    if plan.skipped:
        text += f"; left out {len(plan.skipped)} already {where}"
    return text + "."


class AgendaBuildingAdminMixin:
    """For the meeting's model admin: the copy-agenda and fill-attendance pages and their
    URLs (``admin:boards_meeting_copy_agenda``, ``admin:boards_meeting_fill_attendance``).
    The buttons are in ``templates/admin/boards/meeting/change_form.html``."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/copy-agenda/",
                self.admin_site.admin_view(self.copy_agenda_view),
                name="boards_meeting_copy_agenda",
            ),
            path(
                "<path:object_id>/fill-attendance/",
                self.admin_site.admin_view(self.fill_attendance_view),
                name="boards_meeting_fill_attendance",
            ),
            *super().get_urls(),
        ]

    # -- shared ------------------------------------------------------------------------------
    def _buildable_meeting(self, request, object_id):
        """(meeting, None), or (None, a response): 403 without the permission to change
        meetings, Django's "not found" redirect, or back to the meeting with the refusal for
        approved minutes. One query for the meeting (with its board)."""
        if not self.has_change_permission(request):  # the model's permission: locks below
            raise PermissionDenied
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        refusal = agenda.refusal(meeting)
        if refusal:
            return None, self._back(request, meeting, refusal, messages.ERROR)
        return meeting, None

    def _back(self, request, meeting, message, level=messages.SUCCESS):
        self.message_user(request, message, level)
        return HttpResponseRedirect(reverse("admin:boards_meeting_change", args=[meeting.pk]))

    def _page(self, request, template, meeting, title, **context):
        return render(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "meeting": meeting,
                "title": title,
                **context,
            },
        )

    # -- copy an agenda ----------------------------------------------------------------------
    def _source_choices(self, meeting):
        """The sources offered: the board's standing items (when it has any), then its
        earlier meetings with an agenda, newest first; and the one picked by default (the
        previous meeting with an agenda, else the standing items). Two queries."""
        standing = meeting.board.standing_items.count()
        meetings = {str(m.pk): m for m in agenda.earlier_agendas(meeting)}
        choices = []
        if standing:
            label = f"The standing items of {meeting.board.label} ({_plural(standing, 'item')})"
            choices.append((STANDING, label))
        choices += [(pk, f"{m} ({_plural(m.item_count, 'item')})") for pk, m in meetings.items()]
        default = next(iter(meetings), STANDING if standing else None)
        return choices, meetings, default

    def _plan_for(self, meeting, source, meetings):
        if source == STANDING:
            return agenda.plan_standing_items(meeting=meeting)
        return agenda.plan_agenda_copy(meeting=meeting, source=meetings[source])

    def copy_agenda_view(self, request, object_id):
        """GET: the items that copying from the chosen source (``?source=``, by default the
        previous meeting with an agenda) would add. POST: copy them."""
        meeting, response = self._buildable_meeting(request, object_id)
        if response is not None:
            return response
        choices, meetings, default = self._source_choices(meeting)
        if request.method == "POST":
            form = SourceForm(request.POST, choices=choices)
        elif "source" in request.GET:
            form = SourceForm(request.GET, choices=choices)
        else:
            form = SourceForm(initial={"source": default}, choices=choices)
        source = form.cleaned_data["source"] if form.is_bound and form.is_valid() else None
        if source is None and not form.is_bound:
            source = default
        if request.method == "POST" and source is not None:
            try:
                if source == STANDING:
                    plan = agenda.copy_standing_items(meeting=meeting, user=request.user)
                else:
                    plan = agenda.copy_agenda(
                        meeting=meeting, source=meetings[source], user=request.user
                    )
            except ValueError as error:
                return self._back(request, meeting, f"Nothing was copied. {error}", messages.ERROR)
            except ValidationError as error:  # a model's lock or constraint, rolled back
                return self._back(
                    request, meeting, f"Nothing was copied. {message_of(error)}", messages.ERROR
                )
            except IntegrityError:  # an item saved meanwhile took a number: rolled back
                return self._back(request, meeting, CHANGED_MEANWHILE, messages.ERROR)
            level = messages.SUCCESS if plan.add else messages.WARNING
            return self._back(
                request, meeting, _done(plan, "Copied", "item", "on the agenda"), level
            )
        plan = self._plan_for(meeting, source, meetings) if source is not None else None
        return self._page(
            request,
            "admin/boards/meeting/agenda_copy.html",
            meeting,
            f"Copy an agenda to {meeting}",
            form=form,
            source=source,
            plan=plan,
        )

    # -- fill in the attendance --------------------------------------------------------------
    def fill_attendance_view(self, request, object_id):
        """GET: the people that filling in the attendance would add. POST: add them."""
        meeting, response = self._buildable_meeting(request, object_id)
        if response is not None:
            return response
        if request.method == "POST":
            try:
                plan = agenda.fill_attendance(meeting=meeting, user=request.user)
            except ValueError as error:
                return self._back(request, meeting, f"Nobody was added. {error}", messages.ERROR)
            except ValidationError as error:
                return self._back(
                    request, meeting, f"Nobody was added. {message_of(error)}", messages.ERROR
                )
            except IntegrityError:  # someone added meanwhile: rolled back
                return self._back(request, meeting, CHANGED_MEANWHILE, messages.ERROR)
            level = messages.SUCCESS if plan.add else messages.WARNING
            message = _done(plan, "Added", "person", "in the attendance")
            if plan.add:
                message += " Each is “Member present”: change those who sent apologies."
            return self._back(request, meeting, message, level)
        return self._page(
            request,
            "admin/boards/meeting/agenda_fill_attendance.html",
            meeting,
            f"Fill in the attendance of {meeting}",
            plan=agenda.plan_attendance(meeting=meeting),
            capacity=Attendance.Capacity.MEMBER.label,
        )
