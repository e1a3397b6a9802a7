"""Documents in, as services: attaching a file (``attach``, ``store``: check, store and
record in one transaction) and saving an imported paper (``create_draft`` in one transaction,
``import_paper`` to parse and save, the one function a background job or the command runs),
which keeps the original as an attachment of the draft."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction

from boards.models import AgendaItem, Board, Meeting, Paper
from decisions.models import DecisionNotice, Recommendation
from finance.models import FinancialLine
from minutebook.money import financial_year_of

from .importing import PaperDraft, parse, sniff
from .models import Attachment, new_stored_name, storage_for
from .text import read_text_later
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
    and enqueue the reading of its text (``read_text_later``: a background job once the
    transaction commits), in one transaction; when the save fails
    the stored file is removed again. The admin's upload form calls this too. Queries: the
    INSERT, the history row, the text's UPDATE (and a lock's check on an agenda item or notice)."""
    storage = storage_for(attachment.access)
    uploaded_file.seek(0)
    stored_name = storage.save(new_stored_name(attachment.original_name), uploaded_file)
    try:
        with transaction.atomic():
            attachment.stored_name = stored_name
            attachment.save()
            read_text_later(attachment)
    except BaseException:
        storage.delete(stored_name)
        raise
    return attachment


def waiting_storage() -> Storage:
    """Where an uploaded original waits between the import's two steps (and for a job): the
    exempt attachments' storage, private on every configuration and shared by every host (the
    private bucket in production); the file is removed once the draft is saved."""
    return storages["exempt_attachments"]


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
    """``create_draft`` and the keeping of the original file as the draft's attachment
    (``attach``: refused, with nothing saved, when the file fails the upload checks), in one
    transaction: what the admin screen's save and ``import_paper`` both call. Queries:
    ``create_draft``'s and ``attach``'s."""
    with transaction.atomic():
        paper = create_draft(draft, board=board, meeting=meeting, user=user)
        if original is not None:
            # The original, beside the draft: exempt until a member of staff has read it and
            # chosen to publish it (an import knows nothing of what the original may hold),
            # named with its type's extension (the attachment checks want one; the importer
            # told the type by content).
            attach(
                paper,
                _named_by_type(original),
                title="Original document",
                access=Attachment.Access.EXEMPT,
                exemption_reason=ORIGINAL_EXEMPTION,
                user=user,
            )
    return paper


ORIGINAL_EXEMPTION = "The original of an imported paper, not yet reviewed for publication."
EXTENSIONS = {"docx": ".docx", "pdf": ".pdf", "text": ".txt"}


def _named_by_type(original: File) -> File:
    """``original`` named with the extension of the type its content has ("paper.md" of text
    becomes "paper.md.txt"). Reads its first bytes."""
    original.seek(0)
    head = original.read(1 << 16)
    original.seek(0)
    extension = EXTENSIONS[sniff(head if head[:4] != b"PK\x03\x04" else original.read())]
    original.seek(0)
    name = (original.name or "original").rsplit("/", 1)[-1]
    if not name.lower().endswith(extension):
        original.name = name + extension
    return original


def import_paper(
    data: bytes, *, board: Board, meeting: Meeting | None = None, user=None, name: str = ""
) -> Paper:
    """Parse ``data`` (a .docx, a PDF or text, told apart by content) and save it as a draft
    paper with its original kept. Raises ``documents.importing.ImportRefused`` before anything
    is saved when the file cannot be read. The one function a background job runs for an
    import (its arguments are plain values and keys but for the board and meeting)."""
    draft = parse(data)
    suffix = {"text": "txt"}.get(draft.source_format, draft.source_format)
    original = ContentFile(data, name=name or f"original.{suffix}")
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
