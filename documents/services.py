"""Attaching files: one function that checks, stores and records, in one transaction."""

from __future__ import annotations

from django.db import transaction

from boards.models import AgendaItem, Paper
from decisions.models import DecisionNotice

from .models import Attachment, new_stored_name, storage_for
from .text import index_attachment_text
from .validation import check_upload

RECORD_FIELDS = {Paper: "paper", AgendaItem: "agenda_item", DecisionNotice: "notice"}


def record_field(record) -> str:
    """The attachment's field for ``record`` ("paper", "agenda_item", "notice"); a
    ``TypeError`` for anything else."""
    for model, field in RECORD_FIELDS.items():
        if isinstance(record, model):
            return field
    raise TypeError(f"Files attach to papers, agenda items and decision notices, not {record!r}.")


def attach(
    record: Paper | AgendaItem | DecisionNotice,
    uploaded_file,
    *,
    title: str,
    access: str = Attachment.Access.PUBLIC,
    exemption_reason: str = "",
    user=None,
) -> Attachment:
    """Check ``uploaded_file`` (``documents.validation.check_upload``: type by content, size,
    name), store it in the storage of its access and record it on ``record``; return the new
    attachment. Bad input raises ``ValidationError`` naming the field, with nothing saved: the
    row is written in one transaction, and the stored file is removed again if it fails.
    Queries: the checks of ``full_clean`` (one for a locked record's lock), one INSERT, the
    history row, and the text extraction's UPDATE."""
    checked = check_upload(uploaded_file)
    attachment = Attachment(
        **{record_field(record): record},
        title=(title or "").strip(),
        access=access,
        exemption_reason=(exemption_reason or "").strip(),
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    attachment.full_clean(exclude=["stored_name"])  # named when stored
    return store(attachment, uploaded_file)


def store(attachment: Attachment, uploaded_file) -> Attachment:
    """Put a checked upload into the storage of the new ``attachment``'s access, save the row
    and extract its text (``index_attachment_text``), in one transaction; when the save fails
    the stored file is removed again. The admin's upload form calls this too. Queries: the
    INSERT, the history row, the text's UPDATE (and a lock's check on an agenda item or notice)."""
    storage = storage_for(attachment.access)
    uploaded_file.seek(0)
    stored_name = storage.save(new_stored_name(attachment.original_name), uploaded_file)
    try:
        with transaction.atomic():
            attachment.stored_name = stored_name
            attachment.save()
            index_attachment_text(attachment)
    except BaseException:
        storage.delete(stored_name)
        raise
    return attachment
