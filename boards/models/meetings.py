"""Meetings and what happens at them: attendance, agenda items, minutes, actions, declarations.

Approved minutes are locked: once a meeting's minutes are approved, its agenda items, minute
paragraphs, attendance and declarations refuse to be saved, deleted, moved out of those minutes
or into them, one at a time or through their querysets (``MinutesLockedQuerySet``), and so does
the meeting's own record. ``boards.services.reopen_minutes`` is the one way back, with a
recorded reason: it holds the key of ``Meeting.lifecycle``. Actions stay editable: they are
closed at later meetings.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from simple_history.models import HistoricalRecords

from minutebook.concurrency import Versioned
from minutebook.records import (
    LifecycleLock,
    LockedRecordError,
    RecordQuerySet,
    RenderedText,
    VisibilityTracked,
    rendered_html_field,
)

from .. import access
from .boards import Board
from .people import Person


class MeetingQuerySet(RecordQuerySet):
    lock_message = "their approved minutes"

    def locked(self) -> MeetingQuerySet:
        """Meetings whose minutes are approved."""
        return self.filter(minutes_status=Meeting.MinutesStatus.APPROVED)

    def joining_locked(self) -> MeetingQuerySet:
        """None: a meeting is locked by its own minutes, and a historic one is entered approved."""
        return self.none()

    def visible_to(self, user) -> MeetingQuerySet:
        """Meetings of boards the reader may see. Joins board; no query of its own."""
        return self.filter(Q(board__is_public=True) | access.entitled_q(user, "board_id"))

    def with_minutes_visible_to(self, user) -> MeetingQuerySet:
        """Meetings whose minutes the reader may read: approved, or the reader is entitled to drafts."""
        return self.visible_to(user).filter(
            Q(minutes_status=Meeting.MinutesStatus.APPROVED)
            | (~Q(minutes_status=Meeting.MinutesStatus.NONE) & access.entitled_q(user, "board_id"))
        )


class Meeting(VisibilityTracked, Versioned):
    class Status(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class MinutesStatus(models.TextChoices):
        NONE = "none", "Not recorded"
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    class ActionsArising(models.TextChoices):
        """What the meeting's page lists under the actions arising from earlier meetings."""

        CARRIED_FORWARD = "carried_forward", "Open actions of earlier meetings, carried forward"
        NONE_OUTSTANDING = "none_outstanding", "The minutes record no outstanding actions"
        IN_MINUTES = "in_minutes", "Discussed in the minutes, not recorded as actions"
        NOT_RECORDED = "", "Not recorded"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True, help_text="Blank when not recorded.")
    location = models.CharField(max_length=200, blank=True, help_text="Blank when not recorded.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.SCHEDULED,
        blank=True,
        help_text="Blank for historic meetings known only from a paper, when the seeds do not say.",
    )
    minutes_status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.NONE
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes_of",
        help_text="The later meeting that approved these minutes, when recorded.",
    )
    minutes_signed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_signed"
    )
    minutes_signed_on = models.DateField(null=True, blank=True)
    chair = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_chaired",
        help_text="The chair as the minutes name them. Blank when they do not name one.",
    )
    actions_arising = models.CharField(
        max_length=20,
        choices=ActionsArising.choices,
        default=ActionsArising.CARRIED_FORWARD,
        blank=True,
        help_text="Carried forward lists the open actions of the board's earlier meetings. Choose "
        "“no outstanding actions” when the minutes say so; blank when nothing is recorded.",
    )
    announced_in = models.ForeignKey(
        "boards.MinuteParagraph",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_announced",
        help_text="The minute of an earlier meeting that announced this meeting's date, time "
        "and place, when they are taken from it.",
    )
    notes = models.TextField(
        blank=True, help_text="Anything printed about the meeting that has no field of its own."
    )

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()
    # What MeetingQuerySet.visible_to and the rules of the records below a meeting read.
    visibility_fields = ("board", "minutes_status")
    # Approved minutes move back to draft only through boards.services.reopen_minutes.
    lifecycle = LifecycleLock("boards.services")
    # What the reopening may change on approved minutes (and the optimistic-lock version).
    REOPEN_FIELDS = frozenset({"minutes_status", "version"})

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["-date", "board__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "date"], name="meeting_one_per_board_per_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(minutes_status="none"),
                name="meeting_cancelled_has_no_minutes",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="meeting_date_idx")]
        permissions = [
            ("approve_minutes", "Can approve minutes"),
            ("reopen_minutes", "Can reopen approved minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.board.label} {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        """Reads self.board: a query if not loaded."""
        return Meeting.url_of(self.board.slug, self.date)

    @staticmethod
    def url_of(board_slug: str, date: datetime.date) -> str:
        """The address of the meeting of the board ``board_slug`` on ``date``. No query."""
        return reverse("boards:meeting", kwargs={"board": board_slug, "date": date.isoformat()})

    @property
    def carries_actions_forward(self) -> bool:
        """Whether the page lists the open actions of earlier meetings as carried forward to
        this one: not where the minutes record none outstanding, discuss them in their own
        words, or say nothing."""
        return self.actions_arising == self.ActionsArising.CARRIED_FORWARD

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_status == self.MinutesStatus.APPROVED

    def minutes_visible_to(self, user) -> bool:
        """Whether ``user`` may read these minutes: approved, or a draft and the reader is
        entitled to the board (the Python form of ``with_minutes_visible_to``). No query
        beyond the reader's (cached) memberships."""
        if self.minutes_status == self.MinutesStatus.APPROVED:
            return True
        return self.minutes_status == self.MinutesStatus.DRAFT and access.is_entitled(
            user, self.board_id
        )

    def clean(self) -> None:
        errors = {}
        if self.status == self.Status.CANCELLED and self.minutes_status != self.MinutesStatus.NONE:
            errors["minutes_status"] = "A cancelled meeting has no minutes."
        if self.minutes_approved_at_id and self.minutes_approved_at_id == self.pk:
            errors["minutes_approved_at"] = (
                "Minutes are approved at a later meeting, not the same one."
            )
        elif self.minutes_approved_at and self.date and self.minutes_approved_at.date <= self.date:
            errors["minutes_approved_at"] = "The approving meeting must come after this one."
        if self.announced_in_id and self.date and self.announced_in.item.meeting.date >= self.date:
            errors["announced_in"] = "The announcement is in the minutes of an earlier meeting."
        if self.minutes_signed_on and self.date and self.minutes_signed_on < self.date:
            errors["minutes_signed_on"] = "Minutes cannot be signed before the meeting was held."
        elif self.minutes_signed_on and self.minutes_signed_on > timezone.localdate():
            errors["minutes_signed_on"] = "Minutes cannot be signed on a day still to come."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        """Refused when the stored minutes are approved, except the one move
        ``reopen_minutes`` makes with its key: back to draft, nothing else changed. One query."""
        if self.pk is not None:
            stored = Meeting.objects.filter(pk=self.pk).first()
            if stored is not None and stored.minutes_locked and not self._reopened(stored):
                raise LockedRecordError(
                    f"The minutes of {stored} are approved and locked. Reopen them with a "
                    "reason to change them."
                )
        super().save(*args, **kwargs)

    def _reopened(self, stored: Meeting) -> bool:
        changed = {
            f.attname
            for f in self._meta.concrete_fields
            if getattr(stored, f.attname) != getattr(self, f.attname)
        }
        return (
            Meeting.lifecycle.is_open(self)
            and self.minutes_status == self.MinutesStatus.DRAFT
            and changed <= self.REOPEN_FIELDS
        )

    @staticmethod
    def stored_minutes_approved(pk: int) -> bool:
        """Whether the saved row's minutes are approved (not this object's state). One query."""
        status = Meeting.objects.filter(pk=pk).values_list("minutes_status", flat=True).first()
        return status == Meeting.MinutesStatus.APPROVED

    def delete(self, *args, **kwargs):
        if self.pk is not None and Meeting.stored_minutes_approved(self.pk):
            raise LockedRecordError(f"{self} has approved minutes and cannot be deleted.")
        return super().delete(*args, **kwargs)


class MinutesLockedQuerySet(RecordQuerySet):
    """Records that approved minutes lock (``LockedByMinutes``): ``locked()`` is those whose
    meeting (through the model's ``minutes_path``) has approved minutes."""

    lock_message = "approved minutes"

    def locked(self) -> MinutesLockedQuerySet:
        """Rows of approved minutes. Joins up to the meeting; no query of its own."""
        path = self.model.minutes_path
        return self.filter(**{f"{path}__minutes_status": Meeting.MinutesStatus.APPROVED})


class LockedByMinutes(models.Model):
    """A record that approved minutes lock: the minutes it is in as stored and those it is
    being saved into. ``minutes_path`` is the path to its meeting; ``meeting_q`` says which
    meeting it is being saved into. ``clean()`` refuses too, so a form shows the message."""

    minutes_path = "meeting"

    class Meta:
        abstract = True

    def meeting_q(self) -> Q:
        """The meeting this record is being saved into, as a filter on meetings."""
        return Q(pk=self.meeting_id)

    def locking_meeting(self) -> Meeting | None:
        """The meeting with approved minutes that holds this record, as stored or as it
        will be saved; None when there is none. One query."""
        held = self.meeting_q()
        if self.pk is not None:
            stored = type(self)._default_manager.filter(pk=self.pk).values(self.minutes_path)
            held |= Q(pk__in=stored)
        return (
            Meeting.objects.filter(held, minutes_status=Meeting.MinutesStatus.APPROVED)
            .select_related("board")
            .first()
        )

    def refuse_if_locked(self) -> None:
        meeting = self.locking_meeting()
        if meeting is not None:
            raise LockedRecordError(
                f"The minutes of {meeting} are approved and locked; "
                "reopen them with a reason before changing them."
            )

    def clean(self) -> None:
        super().clean()
        self.refuse_if_locked()

    def save(self, *args, **kwargs) -> None:
        self.refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_locked()
        return super().delete(*args, **kwargs)


class Attendance(LockedByMinutes, Versioned):
    class Capacity(models.TextChoices):
        MEMBER = "member", "Member present"
        IN_ATTENDANCE = "in_attendance", "In attendance"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    title = models.CharField(
        max_length=200, blank=True, help_text="Title as recorded in these minutes."
    )
    name_as_recorded = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name as these minutes spell it, when it differs from the person's record.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order as printed.")

    history = HistoricalRecords()
    objects = MinutesLockedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["meeting", "position", "pk"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_capacity_display()})"

    @property
    def display_name(self) -> str:
        """The name as printed in these minutes. Reads self.person: a query if not loaded."""
        return self.name_as_recorded or self.person.full_name


class AgendaItemQuerySet(MinutesLockedQuerySet):
    def visible_to(self, user) -> AgendaItemQuerySet:
        """Items of visible meetings; exempt items only for readers entitled to that board."""
        return self.listed_to(user).filter(
            Q(is_exempt=False) | access.entitled_q(user, "meeting__board_id")
        )

    def listed_to(self, user) -> AgendaItemQuerySet:
        """Items of the meetings the reader may see, exempt ones included: an agenda lists an
        exempt item to every reader of the meeting by its number and the paragraph of
        Schedule 12A (``AgendaItem.is_withheld_from`` says which the reader may not open).
        Joins board; no query of its own."""
        return self.filter(
            Q(meeting__board__is_public=True) | access.entitled_q(user, "meeting__board_id")
        )


class AgendaItem(LockedByMinutes, VisibilityTracked, Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(
        blank=True, help_text="Order on the agenda. Left blank, the item goes last."
    )
    number = models.CharField(
        max_length=20, blank=True, help_text='As printed, e.g. "4" or "14.2".'
    )
    title = models.CharField(max_length=300)
    presenter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="items_presented"
    )
    paper = models.ForeignKey(
        "boards.Paper",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    is_exempt = models.BooleanField(
        default=False,
        help_text="Exempt items are shown only to the board's members and OPCC staff.",
    )
    exemption_reason = models.CharField(max_length=300, blank=True)
    exemption_paragraph = models.CharField(
        max_length=20,
        blank=True,
        verbose_name="paragraph of Schedule 12A",
        help_text="The paragraph of Schedule 12A to the Local Government Act 1972 the minutes or "
        'agenda give, e.g. "3". The public agenda lists the item as "exempt (paragraph 3 of '
        'Schedule 12A)". Blank when not recorded.',
    )

    history = HistoricalRecords()
    objects = AgendaItemQuerySet.as_manager()
    visibility_fields = ("meeting", "is_exempt")

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="item_position_unique"),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=~Q(number=""),
                name="item_number_unique_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(is_exempt=False) | ~Q(exemption_reason=""),
                name="item_exempt_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    # A printed number that can stand in an address as it is ("4", "14.2", "4a").
    ADDRESSABLE_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")

    @classmethod
    def anchor_for(cls, number: str, pk: int) -> str:
        """The item's anchor on its meeting's page: ``item-<number>`` by the printed number
        (unique in its meeting: a constraint), or ``agenda-item-<pk>`` for an item printed
        without a number, or with one no address can hold as it is. Never both forms for one
        meeting's items, since the second never starts ``item-``. No query."""
        if number and cls.ADDRESSABLE_NUMBER.fullmatch(number):
            return f"item-{number}"
        return f"agenda-item-{pk}"

    @property
    def anchor(self) -> str:
        return self.anchor_for(self.number, self.pk)

    def get_absolute_url(self) -> str:
        """The meeting's page at this item. Reads self.meeting and its board: queries if not
        loaded."""
        return f"{self.meeting.get_absolute_url()}#{self.anchor}"

    def is_withheld_from(self, user) -> bool:
        """Whether the reader sees only that this item is exempt (the Python form of the
        difference between ``listed_to`` and ``visible_to``): exempt, and the reader is not
        entitled to the board's restricted records. No query beyond the reader's (cached)
        memberships; reads self.meeting.board_id."""
        return self.is_exempt and not access.is_entitled(user, self.meeting.board_id)

    def clean(self) -> None:
        super().clean()
        if self.is_exempt and not self.exemption_reason.strip():
            raise ValidationError({"exemption_reason": "Give the reason this item is exempt."})
        if self.meeting_id and self.number:
            clash = AgendaItem.objects.filter(meeting_id=self.meeting_id, number=self.number)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"number": f"This meeting already has an item {self.number}."}
                )

    def save(self, *args, **kwargs) -> None:
        """A new item left without a position goes last; one left without a number is numbered
        after the meeting's highest ("7" after "6"), unless the agenda has items numbered
        otherwise or not at all (a historic agenda keeps its own numbering). One or two
        queries before the save."""
        if self.position is None:
            last = AgendaItem.objects.filter(meeting_id=self.meeting_id).aggregate(
                m=Max("position")
            )["m"]
            self.position = (last or 0) + 1
        if self.pk is None and not self.number:
            self.number = self.next_number()
        super().save(*args, **kwargs)

    def next_number(self) -> str:
        """The number after the meeting's highest whole item number: "1" on an empty agenda,
        blank when any item of the agenda is unnumbered or numbered other than 1, 2, 3. One query."""
        numbers = list(
            AgendaItem.objects.filter(meeting_id=self.meeting_id).values_list("number", flat=True)
        )
        if not all(n.isascii() and n.isdigit() for n in numbers):
            return ""
        return str(max((int(n) for n in numbers), default=0) + 1)


class MinuteParagraphQuerySet(MinutesLockedQuerySet):
    def visible_to(self, user) -> MinuteParagraphQuerySet:
        """Paragraphs of minutes the reader may read, under items the reader may see."""
        entitled = access.entitled_q(user, "item__meeting__board_id")
        return self.filter(
            (Q(item__meeting__board__is_public=True) | entitled)
            & (Q(item__is_exempt=False) | entitled)
            & (Q(item__meeting__minutes_status=Meeting.MinutesStatus.APPROVED) | entitled)
        )


class MinuteParagraph(RenderedText, LockedByMinutes, VisibilityTracked, Versioned):
    class Kind(models.TextChoices):
        NARRATIVE = "narrative", "Narrative"
        RESOLUTION = "resolution", "Resolution"
        ACTION = "action", "Action"
        NOTED = "noted", "Noted"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(blank=True, help_text="Order. Left blank, it goes last.")
    number = models.CharField(
        max_length=20,
        blank=True,
        help_text='As printed, e.g. "4.1". Left blank on a new paragraph of a numbered item, '
        "it is numbered automatically.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NARRATIVE)
    text = models.TextField()
    text_html = rendered_html_field()

    history = HistoricalRecords(excluded_fields=["text_html"])
    objects = MinuteParagraphQuerySet.as_manager()
    visibility_fields = ("item",)
    rendered_fields = ("text",)
    minutes_path = "item__meeting"

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="paragraph_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}".strip()

    def get_absolute_url(self) -> str:
        """The paragraph on its meeting's page. Reads self.item.meeting.board: queries if not
        loaded."""
        return f"{self.item.meeting.get_absolute_url()}#minute-{self.pk}"

    def meeting_q(self) -> Q:
        return Q(items=self.item_id) if self.item_id else Q(pk__in=[])

    def save(self, *args, **kwargs) -> None:
        siblings = MinuteParagraph.objects.filter(item_id=self.item_id)
        if self.position is None:
            last = siblings.aggregate(m=Max("position"))["m"]
            self.position = (last or 0) + 1
        if self.pk is None and not self.number and self.item.number:
            earlier = siblings.filter(position__lt=self.position).count()
            self.number = f"{self.item.number}.{earlier + 1}"
        self.render_text_fields()
        super().save(*args, **kwargs)


@dataclass(frozen=True)
class MeetingLink:
    """A meeting as a row of actions links to it: its board's slug and its date, so its page's
    address (``url``)."""

    board_slug: str
    date: datetime.date

    @property
    def url(self) -> str:
        return Meeting.url_of(self.board_slug, self.date)


class ActionQuerySet(RecordQuerySet):
    def for_rows(self) -> ActionQuerySet:
        """The actions with what a row of actions prints (``boards/_action_rows.html``): the
        meeting raised at with its board, the item and the owner joined; of the meeting the
        action is due at and of the one that closed it, only the date and the board's slug
        (``Action.due_meeting_link``, ``Action.closed_at_link``), each a scalar subquery by
        key. Joining those two meetings and their boards too made nine tables, and PostgreSQL
        spent 8 ms planning every such query (1 ms this way). No query of its own."""

        def linked(field: str) -> dict:
            meeting = Meeting.objects.filter(pk=OuterRef(field)).order_by()
            return {
                f"{field}_on": Subquery(meeting.values("date")[:1]),
                f"{field}_board_slug": Subquery(meeting.values("board__slug")[:1]),
            }

        return self.select_related("meeting__board", "item", "owner").annotate(
            **linked("due_meeting"), **linked("closed_at")
        )

    def visible_to(self, user) -> ActionQuerySet:
        """Actions from minutes the reader may read, not under items hidden from the reader."""
        entitled = access.entitled_q(user, "meeting__board_id")
        return self.filter(
            (Q(meeting__board__is_public=True) | entitled)
            & (Q(item__isnull=True) | Q(item__is_exempt=False) | entitled)
            & (Q(meeting__minutes_status=Meeting.MinutesStatus.APPROVED) | entitled)
        )

    def arising_at(self, meeting: Meeting) -> ActionQuerySet:
        """Actions carried forward to ``meeting``: raised earlier on its board, open or closed
        there. An action whose status is not recorded is not known to be open: it is not
        carried forward."""
        return self.filter(
            meeting__board_id=meeting.board_id, meeting__date__lt=meeting.date
        ).filter(Q(status=Action.Status.OPEN) | Q(closed_at=meeting))


class Action(VisibilityTracked, Versioned):
    class Status(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    class DuePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", help_text="Meeting where raised."
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    paragraph = models.ForeignKey(
        MinuteParagraph,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The minute paragraph that records the action.",
    )
    text = models.TextField()
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    due_date = models.DateField(null=True, blank=True)
    due_precision = models.CharField(
        max_length=10,
        choices=DuePrecision.choices,
        default=DuePrecision.DAY,
        blank=True,
        help_text="Month when the minutes give only a month (“May 2016”): the due date is then "
        "stored as the month's first day and shown as the month. Left blank, a day.",
    )
    due_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_due"
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.OPEN,
        blank=True,
        help_text="Blank (not recorded) for historic actions whose minutes print no status.",
    )
    closed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_closed"
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()
    visibility_fields = ("meeting", "item")

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["-meeting__date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="open") | Q(closed_at__isnull=True),
                name="action_open_is_not_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        """The meeting's page at the agenda item the action was raised under, else at the
        action's row. Reads self.meeting, its board and self.item: queries if not loaded."""
        return f"{self.meeting.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """Where on its meeting's page the action is: the agenda item it was raised under (the
        item is on the action's meeting: ``clean``), else its own row. Reads self.item: a query
        if not loaded."""
        return self.item.anchor if self.item_id is not None else f"action-{self.pk}"

    def _meeting_link(self, field: str) -> MeetingLink | None:
        if getattr(self, f"{field}_id") is None:
            return None
        slug = getattr(self, f"{field}_board_slug", None)
        if slug is not None:  # given by ActionQuerySet.for_rows
            return MeetingLink(slug, getattr(self, f"{field}_on"))
        meeting = getattr(self, field)
        return MeetingLink(meeting.board.slug, meeting.date)

    @property
    def due_meeting_link(self) -> MeetingLink | None:
        """The meeting the action is due at, as its row links to it; None when none is
        recorded. From ``ActionQuerySet.for_rows``'s date and slug, else self.due_meeting and
        its board: queries if not loaded."""
        return self._meeting_link("due_meeting")

    @property
    def closed_at_link(self) -> MeetingLink | None:
        """The meeting that closed the action, as its row links to it; None when none is
        recorded. Read as ``due_meeting_link`` is."""
        return self._meeting_link("closed_at")

    @property
    def due_as_printed(self) -> str:
        """The due date as the minutes give it: "May 2016" for a month, "26 Nov 2015" for a
        day; blank when no date is recorded."""
        if self.due_date is None:
            return ""
        if self.due_precision == self.DuePrecision.MONTH:
            return date_format(self.due_date, "F Y")
        return date_format(self.due_date, "j M Y")

    def clean(self) -> None:
        errors = {}
        if self.due_precision == self.DuePrecision.MONTH:
            if self.due_date:
                self.due_date = self.due_date.replace(day=1)
            else:
                errors["due_date"] = "Give the month the action is due, as any day in that month."
        if self.status == self.Status.OPEN and self.closed_at_id:
            errors["closed_at"] = (
                "An open action has not been closed at a meeting; clear this or change the status."
            )
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            errors["item"] = (
                "The item must be on the agenda of the meeting where the action was raised."
            )
        if self.due_meeting_id and self.meeting_id and self.due_meeting.date <= self.meeting.date:
            errors["due_meeting"] = (
                "The action must be due at a later meeting than the one that raised it."
            )
        if self.closed_at_id and self.meeting_id and self.closed_at.date < self.meeting.date:
            errors["closed_at"] = "An action cannot be closed before the meeting that raised it."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        """A due month is stored as its first day, however it reached the record; a
        precision left blank is a day."""
        self.due_precision = self.due_precision or self.DuePrecision.DAY
        if self.due_precision == self.DuePrecision.MONTH and self.due_date:
            self.due_date = self.due_date.replace(day=1)
        super().save(*args, **kwargs)


class Declaration(LockedByMinutes, Versioned):
    """A declaration of interest at a meeting; "none declared" is recorded as a fact too."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    none_declared = models.BooleanField(
        default=False, help_text="Tick when the minutes record that no interests were declared."
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="declarations"
    )
    nature = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = MinutesLockedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(none_declared=True, person__isnull=True)
                | Q(none_declared=False, person__isnull=False),
                name="declaration_names_a_person_or_none",
            ),
        ]

    def __str__(self) -> str:
        return "None declared" if self.none_declared else f"{self.person}: {self.nature[:60]}"

    def clean(self) -> None:
        super().clean()
        if self.none_declared and self.person_id:
            raise ValidationError(
                {"person": "Either name who declared, or tick “none declared”, not both."}
            )
        if not self.none_declared and not self.person_id:
            raise ValidationError(
                {"person": "Name who declared the interest, or tick “none declared”."}
            )
