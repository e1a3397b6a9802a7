"""Saving an imported paper: ``create_draft`` (one transaction) and ``import_paper`` (parse
and save, the one function a background job or the command runs)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import transaction

from boards.models import Board, Meeting, Paper
from decisions.models import Recommendation
from finance.models import FinancialLine
from minutebook.money import financial_year_of

from .importing import PaperDraft, parse


def waiting_storage() -> Storage:
    """Where an uploaded original waits between the import's two steps (and for a job): the
    default storage when ``MEDIA_ROOT`` is set, else ``minutebook-imports`` in the system's
    temporary folder, never the working directory. MERGE SEAM: the attachments' storage."""
    if settings.MEDIA_ROOT:
        return default_storage
    return FileSystemStorage(location=Path(tempfile.gettempdir()) / "minutebook-imports")


def create_draft(
    draft: PaperDraft, *, board: Board, meeting: Meeting | None = None, user=None
) -> Paper:
    """A draft ``Paper`` of ``board`` (at ``meeting``, if given) from ``draft``, with its
    recommendations numbered as printed and its money as financial lines of the paper left
    unconfirmed (``confirmed=False``: in no total and on no public page until a finance
    officer confirms them). All in one transaction: nothing is saved if any part fails.
    Queries: the paper (validated), one per recommendation, and per line its save's queries
    (lock, stamp, totals). ``user`` is kept for the history entry."""
    with transaction.atomic():
        paper = Paper(
            board=board,
            meeting=meeting,
            title=draft.title[:300] or "Imported paper (title not recorded)",
            to_line=draft.to_line[:200],
            author_line=draft.author_line[:300],
            date=draft.date,
            agenda_reference=draft.agenda_reference[:40],
            purpose=draft.purpose,
            body=draft.body,
            source_documents=draft.source_documents,
            contact_officers=draft.contact_officers,
            appendices=draft.appendices,
            status=Paper.Status.DRAFT,
        )
        if user is not None:
            paper._history_user = user
        paper.full_clean()
        paper.save()
        for position, rec in enumerate(draft.recommendations, start=1):
            Recommendation.objects.create(
                paper=paper, position=position, number=rec.number[:20], text=rec.text
            )
        for position, proposed in enumerate(draft.money, start=1):
            line = FinancialLine(
                paper=paper,
                description=proposed.description[:300] or proposed.as_printed,
                amount=Decimal(proposed.amount),
                kind="",
                financial_year=proposed.financial_year,
                as_printed=proposed.as_printed[:100],
                position=position,
                confirmed=False,
                note="Proposed by the import of the paper; confirm the kind, scope and "
                "direction before confirming the line.",
            )
            if proposed.on_date:
                line.financial_year = line.financial_year or financial_year_of(proposed.on_date)
            line.save()
    return paper


def save_import(
    draft: PaperDraft,
    *,
    board: Board,
    meeting: Meeting | None = None,
    user=None,
    original: File | None = None,
) -> Paper:
    """``create_draft`` and the keeping of the original file, in one transaction: what the
    admin screen's save and ``import_paper`` both call. Queries: ``create_draft``'s."""
    with transaction.atomic():
        paper = create_draft(draft, board=board, meeting=meeting, user=user)
        # MERGE SEAM (attachments): keep the original as an attachment of the paper here, in
        # this transaction, once documents.services.attach is merged:
        #     if original is not None:
        #         attach(paper, original, title="Original document", access=paper.access,
        #                user=user)
    return paper


def import_paper(
    data: bytes, *, board: Board, meeting: Meeting | None = None, user=None, name: str = ""
) -> Paper:
    """Parse ``data`` (a .docx, a PDF or text, told apart by content) and save it as a draft
    paper with its original kept. Raises ``documents.importing.ImportRefused`` before anything
    is saved when the file cannot be read. The one function a background job runs for an
    import (its arguments are plain values and keys but for the board and meeting)."""
    draft = parse(data)
    original = ContentFile(data, name=name or f"original.{draft.source_format}")
    return save_import(draft, board=board, meeting=meeting, user=user, original=original)


def import_stored_paper(
    name: str, *, board_id: int, meeting_id: int | None = None, user_id: int | None = None
) -> int:
    """``import_paper`` on a file waiting in ``waiting_storage()`` (``name``), with keys for the
    board, meeting and user: the form a background job takes (its arguments serialise).
    Returns the new paper's key; the stored file is removed once the paper is saved. Queries:
    the board, meeting and user, then ``create_draft``'s."""
    board = Board.objects.get(pk=board_id)
    meeting = Meeting.objects.get(pk=meeting_id, board=board) if meeting_id else None
    user = get_user_model().objects.get(pk=user_id) if user_id else None
    storage = waiting_storage()
    with storage.open(name) as handle:
        data = handle.read()
    paper = import_paper(data, board=board, meeting=meeting, user=user, name=name.rsplit("/")[-1])
    storage.delete(name)
    return paper.pk
