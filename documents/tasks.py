"""The paper import's background jobs: ``read_paper`` (the admin's parse step) and
``import_waiting_paper`` (the command's ``--job``: parse and save).

Both read an upload waiting in ``waiting_storage()`` by its name, so a worker on another host
finds it wherever the web host put it (the media storage every host shares). ``read_paper``
keeps the parsed draft as JSON beside the upload (``<name>.draft.json``), where the review step
reads it, on whichever host it runs: no worker's memory is involved.

Both are idempotent. ``read_paper`` overwrites its draft with the same draft. The import
records the paper it made on its own Job row in the paper's transaction, so a second run of
that job (a retry, a broker delivering twice) finds the paper and makes no other.
"""

from __future__ import annotations

import dataclasses
import datetime
import json

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from boards.models import Board, Meeting, Paper
from jobs.api import enqueue, job, progress
from jobs.models import Job

from .importing import PaperDraft, ProposedMoney, ProposedRecommendation, parse, sniff
from .services import import_paper, waiting_storage

DRAFT_SUFFIX = ".draft.json"
#: The jobs list's name for the kind of record a job reading an upload works on.
UPLOAD_LABEL = "documents.upload"
FORMAT_NAMES = {"docx": "Word", "pdf": "PDF", "text": "text"}


def draft_name(upload: str) -> str:
    """Where the draft read from the upload ``upload`` is kept, beside it."""
    return upload + DRAFT_SUFFIX


def read_key(upload: str) -> str:
    """The idempotency key of the job reading ``upload``: one reading per upload at a time."""
    return f"documents:read_paper:{upload}"


def draft_to_json(draft: PaperDraft) -> str:
    """``draft`` as JSON text (the date as ISO), the inverse of ``draft_from_json``."""
    data = dataclasses.asdict(draft)
    data["date"] = draft.date.isoformat() if draft.date else None
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def draft_from_json(text: str) -> PaperDraft:
    """The ``PaperDraft`` that ``draft_to_json`` wrote. Unknown keys are left out, so a draft
    kept by an older release still reads."""
    data = json.loads(text)
    known = {field.name for field in dataclasses.fields(PaperDraft)}
    data = {name: value for name, value in data.items() if name in known}
    if data.get("date"):
        data["date"] = datetime.date.fromisoformat(data["date"])
    data["recommendations"] = [ProposedRecommendation(**r) for r in data.get("recommendations", [])]
    data["money"] = [ProposedMoney(**m) for m in data.get("money", [])]
    return PaperDraft(**data)


def read_draft(upload: str) -> PaperDraft | None:
    """The draft ``read_paper`` kept for ``upload``; None until it has run (or once the paper is
    saved and its files removed). One storage read, no query."""
    storage = waiting_storage()
    name = draft_name(upload)
    if not storage.exists(name):
        return None
    with storage.open(name) as handle:
        return draft_from_json(handle.read().decode("utf-8"))


def forget(upload: str) -> None:
    """Remove the upload and its draft from the waiting storage (the paper is saved)."""
    storage = waiting_storage()
    for name in (upload, draft_name(upload)):
        storage.delete(name)


@job("Read an uploaded paper")
def read_paper(upload: str) -> None:
    """Parse the upload waiting as ``upload`` and keep its draft beside it. Raises
    ``ImportRefused`` (the job fails with the reason) for a file that cannot be read, and
    ``FileNotFoundError`` once the upload is gone. No query but the job's progress."""
    storage = waiting_storage()
    with storage.open(upload) as handle:
        data = handle.read()
    kind = FORMAT_NAMES[sniff(data)] if data else "empty"
    progress(0, 2, f"reading the {kind} file")
    draft = parse(data)
    paragraphs = len([chunk for chunk in draft.body.split("\n\n") if chunk.strip()])
    progress(1, 2, f"{paragraphs} paragraphs")
    name = draft_name(upload)
    # Overwrite, never save beside: a storage renames a name that is taken, and a second run
    # must leave the one draft the review step reads.
    storage.delete(name)
    storage.save(name, ContentFile(draft_to_json(draft).encode("utf-8")))
    progress(
        2,
        2,
        f"{paragraphs} paragraphs, {len(draft.recommendations)} recommendations, "
        f"{len(draft.money)} sums of money",
    )


def enqueue_read(upload: str, *, user=None, name: str = "") -> Job:
    """Enqueue ``read_paper`` for ``upload`` (``name``: the file's name as uploaded, which the
    jobs list shows as the job's record). Returns its Job; costs ``jobs.api.enqueue``'s queries
    and an UPDATE naming the file."""
    found = enqueue(
        read_paper, upload, key=read_key(upload), record=(UPLOAD_LABEL, upload[:64]), user=user
    )
    _name_upload(found, name)
    return found


def _name_upload(found: Job, name: str) -> None:
    if name and not found.record_name:
        Job.objects.filter(pk=found.pk).update(record_name=name[:300])
        found.record_name = name[:300]


def import_key(upload: str) -> str:
    return f"documents:import_paper:{upload}"


@job("Import a paper")
def import_waiting_paper(
    upload: str, board_id: int, meeting_id: int | None, user_id: int | None
) -> int:
    """Parse and save the upload waiting as ``upload`` as a draft paper (``import_paper``) and
    name the paper on this job's row, in the paper's transaction. Run again after it
    succeeded (its row names a paper that exists), it returns that paper and makes no other.
    Returns the paper's key. Two runs at once (one given up as stale while still alive, and
    its retry) take turns on the job's row (a row lock, on PostgreSQL), and the paper is named
    on the row whatever its status, so the second finds the first's paper. Queries: the job's
    row and the paper it names (twice: before reading the file and under the lock), the board,
    meeting and user, the lock, then ``create_draft``'s, the row's UPDATE and the progress."""
    mine = Job.objects.filter(key=import_key(upload)[:300], task=IMPORT_TASK)  # as enqueued
    storage = waiting_storage()
    saved = _saved_paper(mine)
    if saved is not None:
        storage.delete(upload)  # a run that stopped between commit and cleanup
        return saved
    progress(0, 1, "reading and saving the paper")
    board = Board.objects.get(pk=board_id)
    meeting = Meeting.objects.get(pk=meeting_id, board=board) if meeting_id else None
    user = get_user_model().objects.get(pk=user_id) if user_id else None
    with storage.open(upload) as handle:
        data = handle.read()
    with transaction.atomic():
        list(mine.select_for_update())  # waits for a run saving this upload to commit
        saved = _saved_paper(mine)
        if saved is None:
            paper = import_paper(
                data, board=board, meeting=meeting, user=user, name=upload.rsplit("/")[-1]
            )
            # Named on the row whatever its status now: a run given up as stale (the row
            # failed, or queued again for its retry) still tells the retry what it saved.
            mine.update(
                record_label="boards.paper", record_pk=str(paper.pk), record_name=str(paper)[:300]
            )
            saved = paper.pk
    # Removed only once the paper is committed: a failed run leaves the file for its retry.
    storage.delete(upload)
    progress(1, 1, f"saved as draft paper {saved}")
    return saved


def _saved_paper(jobs) -> int | None:
    """The key of the paper ``jobs`` (an upload's import jobs) name, if it exists. Two queries
    at most."""
    done = jobs.filter(record_label="boards.paper").exclude(record_pk="").first()
    if done is not None and Paper.objects.filter(pk=done.record_pk).exists():
        return int(done.record_pk)
    return None


#: The path a Job row names ``import_waiting_paper`` by.
IMPORT_TASK = f"{import_waiting_paper.__module__}.{import_waiting_paper.__qualname__}"


def enqueue_import(
    upload: str, *, board_id: int, meeting_id: int | None = None, user=None, name: str = ""
) -> Job:
    """Enqueue ``import_waiting_paper`` for ``upload`` (``name``: the file's name, shown in the
    jobs list until the job names its paper). Returns its Job; costs ``jobs.api.enqueue``'s
    queries and an UPDATE naming the file."""
    found = enqueue(
        import_waiting_paper,
        upload,
        board_id,
        meeting_id,
        getattr(user, "pk", None),
        key=import_key(upload),
        record=(UPLOAD_LABEL, upload[:64]),
        user=user,
    )
    _name_upload(found, name)
    return found


def abandoned_uploads(older_than: datetime.timedelta) -> list[str]:
    """The files waiting under ``imports/`` of uploads whose review nobody finished: an upload
    and the draft read from it, both last written more than ``older_than`` ago, that no job
    queued or running reads or saves, and no failed import job names (its retry needs the
    file). A file gone meanwhile (a review saved, a sweep on another host) is passed over.
    One query, and a listing plus one request per file of the waiting storage."""
    storage = waiting_storage()
    uploads: dict[str, list[str]] = {}
    folders = ["imports"]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        folders += [f"{folder}/{sub}" for sub in subfolders]
        for name in files:
            path = f"{folder}/{name}"
            uploads.setdefault(path.removesuffix(DRAFT_SUFFIX), []).append(path)
    kept = set(
        Job.objects.filter(
            Q(status__in=Job.ACTIVE, key__startswith="documents:")
            | Q(status=Job.Status.FAILED, task=IMPORT_TASK)
        ).values_list("key", flat=True)
    )
    cutoff = datetime.datetime.now(datetime.UTC) - older_than
    found = []
    for upload, names in sorted(uploads.items()):
        if read_key(upload)[:300] in kept or import_key(upload)[:300] in kept:
            continue
        try:
            newest = max(storage.get_modified_time(name) for name in names)
        except Exception:  # noqa: BLE001 - gone meanwhile, or unreadable: not ours to judge
            continue
        if newest < cutoff:
            found += sorted(names)
    return found
