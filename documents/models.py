"""Attachments: original files on a paper, an agenda item or a decision notice.

Each has its own access (public, or exempt with a reason), never more open than its record:
``Attachment.objects.visible_to(user)`` keeps only attachments of records the reader may see,
and exempt ones only for readers entitled to that record's board's restricted records (staff, its
sitting members; boards/access.py). Public files live in ``STORAGES["attachments"]``, exempt ones
in ``STORAGES["exempt_attachments"]``; a change of access moves the file (``save()``).

Locks follow the record's: an attachment of a signed (or historic) decision notice, or of an
agenda item in approved minutes, cannot be changed or deleted, one at a time or through the
queryset (``AttachmentQuerySet.locked``), nor moved into or out of such a record. A file may
still be added to a locked record (the signed notice's scan, a historic paper's original): what
the record says does not change. A paper has no lock of its own, so neither have its files.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards import access
from boards.models import AgendaItem, Meeting, Paper
from decisions.models import DecisionNotice
from minutebook.records import LockedRecordError, RecordQuerySet

from .validation import label_of

PUBLIC_STORAGE = "attachments"
EXEMPT_STORAGE = "exempt_attachments"


class AttachmentQuerySet(RecordQuerySet):
    lock_message = "their record (approved minutes or a signed decision notice)"

    def locked(self) -> AttachmentQuerySet:
        """Attachments of agenda items in approved minutes and of notices that are not drafts.
        Joins up to the meeting or notice; no query of its own."""
        return self.filter(
            Q(agenda_item__meeting__minutes_status=Meeting.MinutesStatus.APPROVED)
            | (Q(notice__isnull=False) & ~Q(notice__status=DecisionNotice.Status.DRAFT))
        )

    def joining_locked(self) -> AttachmentQuerySet:
        """None: adding a file to a locked record changes nothing the record says."""
        return self.none()

    def visible_to(self, user) -> AttachmentQuerySet:
        """Attachments of the papers, agenda items and notices the reader may see; exempt
        ones only for readers entitled to that record's board. Subqueries; no query of its
        own beyond the reader's (cached) roles."""
        public = Q(access=Attachment.Access.PUBLIC)
        return self.filter(
            (
                Q(paper__in=Paper.objects.visible_to(user).values("pk"))
                & (public | access.entitled_q(user, "paper__board_id"))
            )
            | (
                Q(agenda_item__in=AgendaItem.objects.visible_to(user).values("pk"))
                & (public | access.entitled_q(user, "agenda_item__meeting__board_id"))
            )
            | (
                Q(notice__in=DecisionNotice.objects.visible_to(user).values("pk"))
                & (public | access.entitled_q(user, "notice__meeting__board_id"))
            )
        )

    def withheld_from_public(self) -> AttachmentQuerySet:
        """Exempt attachments of records the public may see: their addresses ask a reader who
        is not signed in to sign in (as an exempt paper's does); any other hidden attachment's
        answer 404. No query of its own."""
        anonymous = AnonymousUser()
        return self.filter(access=Attachment.Access.EXEMPT).filter(
            Q(paper__in=Paper.objects.visible_to(anonymous).values("pk"))
            | Q(agenda_item__in=AgendaItem.objects.visible_to(anonymous).values("pk"))
            | Q(notice__in=DecisionNotice.objects.visible_to(anonymous).values("pk"))
        )

    # Where a file is kept and who may read it: moving the file (storage) and its words (the
    # search index) happens in ``save()``, which a bulk write would bypass.
    SAVE_ONLY = frozenset({"access", "paper", "agenda_item", "notice", "stored_name"})

    def _refuse_save_only(self, names) -> None:
        fields = {self.model._meta.get_field(name).name for name in names}
        if fields & self.SAVE_ONLY:
            raise ValidationError(
                "An attachment's access, record and file change only through its save(), "
                "which moves the file and keeps the search index in step: "
                f"not through a bulk update of {', '.join(sorted(fields & self.SAVE_ONLY))}."
            )

    def update(self, **kwargs) -> int:
        """Refused for the access, the record or the file (see ``SAVE_ONLY``); otherwise the
        record queryset's ``update()``, checked against the locks."""
        self._refuse_save_only(kwargs)
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        self._refuse_save_only(fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def listed(self) -> AttachmentQuerySet:
        """In the order pages list them: as uploaded."""
        return self.order_by("uploaded_at", "pk")


class Attachment(models.Model):
    """An original file attached to exactly one paper, agenda item or decision notice."""

    class Access(models.TextChoices):
        PUBLIC = "public", "Public"
        EXEMPT = "exempt", "Exempt"

    title = models.CharField(max_length=300)
    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    notice = models.ForeignKey(
        DecisionNotice,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name="decision notice",
    )
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.PUBLIC)
    exemption_reason = models.CharField(max_length=300, blank=True)
    stored_name = models.CharField(
        max_length=500, editable=False, help_text="The file's name in its storage."
    )
    original_name = models.CharField(
        max_length=255, editable=False, help_text="The uploaded file's name, made safe."
    )
    size = models.PositiveBigIntegerField(editable=False, help_text="Bytes.")
    content_type = models.CharField(
        max_length=100, editable=False, help_text="As sniffed from the content."
    )
    sha256 = models.CharField(max_length=64, editable=False, verbose_name="SHA-256")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    text = models.TextField(
        blank=True, editable=False, help_text="Text extracted for search (PDF, Word, CSV)."
    )

    history = HistoricalRecords(excluded_fields=["text"])
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(paper__isnull=False, agenda_item__isnull=True, notice__isnull=True)
                    | Q(paper__isnull=True, agenda_item__isnull=False, notice__isnull=True)
                    | Q(paper__isnull=True, agenda_item__isnull=True, notice__isnull=False)
                ),
                name="attachment_one_record",
                violation_error_message="An attachment belongs to exactly one paper, agenda "
                "item or decision notice.",
            ),
            models.CheckConstraint(
                condition=Q(access__in=["public", "exempt"]), name="attachment_access_valid"
            ),
            models.CheckConstraint(
                condition=Q(access="public") | ~Q(exemption_reason=""),
                name="attachment_exempt_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("attachments:download", kwargs={"pk": self.pk, "name": self.original_name})

    @property
    def record(self) -> Paper | AgendaItem | DecisionNotice | None:
        """The paper, item or notice it is attached to. A query if not loaded."""
        return self.paper or self.agenda_item or self.notice

    @property
    def type_label(self) -> str:
        return label_of(self.content_type)

    @property
    def storage(self) -> Storage:
        """Where its file is kept: the exempt storage (always private) for an exempt one."""
        return storage_for(self.access)

    def open(self):
        """Its file, opened for reading from its storage."""
        return self.storage.open(self.stored_name, "rb")

    # -- rules ---------------------------------------------------------------------------------
    def clean(self) -> None:
        errors = {}
        records = [self.paper_id, self.agenda_item_id, self.notice_id]
        if sum(r is not None for r in records) != 1:
            errors["paper"] = "Attach it to exactly one paper, agenda item or decision notice."
        if self.access == self.Access.EXEMPT and not self.exemption_reason.strip():
            errors["exemption_reason"] = "Give the reason this attachment is exempt."
        if errors:
            raise ValidationError(errors)
        self.refuse_if_locked()

    def target_locked(self) -> bool:
        """Whether the record it is being saved onto is locked. One query (none for a paper)."""
        if self.agenda_item_id is not None:
            return AgendaItem.objects.filter(pk=self.agenda_item_id).locked().exists()
        if self.notice_id is not None:
            return DecisionNotice.objects.filter(pk=self.notice_id).locked().exists()
        return False

    def refuse_if_locked(self) -> None:
        """Refuse a change of a stored attachment held by a lock, or a move of one into a
        locked record. One query for a new attachment (none on a paper), two for a stored one."""
        if self.pk is None:
            return
        stored = Attachment.objects.filter(pk=self.pk)
        if stored.locked().exists() or (stored.exists() and self.target_locked()):
            raise LockedRecordError(
                f"The attachment “{self.title}” cannot be changed: its record is locked "
                "(approved minutes or a signed decision notice)."
            )

    def save(self, *args, **kwargs) -> None:
        """Saves the row; when the access changed, copies the file to the other storage first
        and removes the old copy once the transaction commits. Refused under a lock."""
        with transaction.atomic():
            self.refuse_if_locked()
            stored = (
                Attachment.objects.filter(pk=self.pk)
                .select_for_update()
                .values("access", "stored_name")
                .first()
                if self.pk is not None
                else None
            )
            if stored and stored["access"] != self.access:
                self._move_file(stored["access"], stored["stored_name"])
            super().save(*args, **kwargs)

    def _move_file(self, old_access: str, old_name: str) -> None:
        source = storage_for(old_access)
        with source.open(old_name, "rb") as handle:
            self.stored_name = self.storage.save(new_stored_name(self.original_name), handle)
        transaction.on_commit(lambda: source.delete(old_name))

    def delete(self, *args, **kwargs):
        if self.pk is not None:
            Attachment.objects.filter(pk=self.pk).refuse_locked("deleted")
        return super().delete(*args, **kwargs)


def storage_for(access_value: str) -> Storage:
    """The storage of attachments of that access. No I/O."""
    return storages[EXEMPT_STORAGE if access_value == Attachment.Access.EXEMPT else PUBLIC_STORAGE]


def new_stored_name(safe: str) -> str:
    """A fresh key for a file: a random folder keeps two files of one name apart, and tells
    nothing of the record."""
    return f"{uuid.uuid4().hex}/{safe}"


def delete_stored_file(sender, instance: Attachment, **kwargs) -> None:
    """``post_delete`` receiver for ``Attachment`` (``DocumentsConfig.ready``): removes the file
    from its storage once the deletion commits (a rolled-back deletion keeps it)."""
    storage, name = instance.storage, instance.stored_name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
