"""Attachments: one record each, their own access (never more open than the record), their
files in the storage of that access, and the record's lock."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from boards.models import Paper
from documents.models import Attachment
from documents.services import attach
from minutebook.records import LockedRecordError
from tests.documents import files
from tests.documents.factories import attachment
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
    approve,
)

pytestmark = pytest.mark.django_db


def stored_files(root, folder):
    base = root / folder
    return sorted(p.name for p in base.rglob("*") if p.is_file()) if base.exists() else []


def test_attach_records_the_checked_file(staff_user, attachment_storages):
    paper = PaperFactory()
    data = files.pdf_bytes()
    found = attach(
        paper, files.upload("../Report\u202e.pdf", data), title=" Report ", user=staff_user
    )
    found.refresh_from_db()
    assert (found.paper, found.title, found.original_name) == (paper, "Report", "Report.pdf")
    assert (found.size, found.content_type, found.uploaded_by) == (
        len(data),
        "application/pdf",
        staff_user,
    )
    assert stored_files(attachment_storages, "public") == ["Report.pdf"]
    assert stored_files(attachment_storages, "exempt") == []
    with found.open() as handle:
        assert handle.read() == data


def test_exempt_files_go_to_the_exempt_storage(attachment_storages):
    attachment(PaperFactory(), exempt=True)
    assert stored_files(attachment_storages, "exempt") == ["report.pdf"]
    assert stored_files(attachment_storages, "public") == []


def test_an_exempt_attachment_needs_a_reason_and_nothing_is_half_saved(attachment_storages):
    with pytest.raises(ValidationError) as caught:
        attach(PaperFactory(), files.upload("a.pdf", files.pdf_bytes()), title="A", access="exempt")
    assert "exemption_reason" in caught.value.message_dict
    assert not Attachment.objects.exists()
    assert stored_files(attachment_storages, "exempt") == []


def test_a_refused_upload_saves_nothing(attachment_storages):
    with pytest.raises(ValidationError) as caught:
        attach(PaperFactory(), files.upload("a.pdf", files.EXE), title="A")
    assert "file" in caught.value.message_dict
    assert not Attachment.objects.exists()
    assert stored_files(attachment_storages, "public") == []


def test_an_untitled_attachment_is_refused():
    with pytest.raises(ValidationError) as caught:
        attach(PaperFactory(), files.upload("a.pdf", files.pdf_bytes()), title="  ")
    assert "title" in caught.value.message_dict


def test_files_attach_only_to_papers_items_and_notices():
    with pytest.raises(TypeError):
        attach(BoardFactory(), files.upload("a.pdf", files.pdf_bytes()), title="A")


def test_the_database_refuses_an_attachment_of_two_records():
    found = attachment(PaperFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        models.QuerySet(Attachment).filter(pk=found.pk).update(agenda_item=AgendaItemFactory())


def test_the_database_refuses_an_exempt_attachment_without_a_reason():
    found = attachment(PaperFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        models.QuerySet(Attachment).filter(pk=found.pk).update(access="exempt")


def test_changing_the_access_moves_the_file(
    attachment_storages, django_capture_on_commit_callbacks
):
    found = attachment(PaperFactory())
    with django_capture_on_commit_callbacks(execute=True):
        found.access, found.exemption_reason = "exempt", "Personal data"
        found.save()
    assert stored_files(attachment_storages, "public") == []
    assert stored_files(attachment_storages, "exempt") == ["report.pdf"]
    with Attachment.objects.get(pk=found.pk).open() as handle:
        assert handle.read().startswith(b"%PDF")


def test_deleting_an_attachment_removes_its_file(
    attachment_storages, django_capture_on_commit_callbacks
):
    found = attachment(PaperFactory())
    with django_capture_on_commit_callbacks(execute=True):
        found.delete()
    assert stored_files(attachment_storages, "public") == []


# -- who sees what ------------------------------------------------------------------------------


@pytest.fixture
def readers(staff_user, finance_user, member_user):
    board = BoardFactory(is_public=True)
    MembershipFactory(board=board, person=member_user.person)
    outsider = UserFactory(username="outsider")
    PersonFactory(user=outsider)
    MembershipFactory(board=BoardFactory(), person=outsider.person)
    return board, {
        "public": AnonymousUser(),
        "staff": staff_user,
        "finance": finance_user,
        "member": member_user,
        "other board's member": outsider,
    }


def who_sees(found, readers) -> set[str]:
    return {
        name
        for name, user in readers.items()
        if Attachment.objects.visible_to(user).filter(pk=found.pk).exists()
    }


EVERYONE = {"public", "staff", "finance", "member", "other board's member"}
ENTITLED = {"staff", "member"}


def test_a_public_attachment_of_a_public_paper_is_seen_by_everyone(readers):
    board, users = readers
    assert who_sees(attachment(PaperFactory(board=board)), users) == EVERYONE


def test_an_exempt_attachment_is_seen_only_by_those_entitled_to_the_board(readers):
    board, users = readers
    assert who_sees(attachment(PaperFactory(board=board), exempt=True), users) == ENTITLED


def test_a_public_attachment_is_never_more_open_than_its_paper(readers):
    board, users = readers
    exempt_paper = PaperFactory(board=board, access=Paper.Access.EXEMPT, exemption_reason="Para 3")
    assert who_sees(attachment(exempt_paper), users) == ENTITLED
    draft = PaperFactory(board=board, status=Paper.Status.DRAFT)
    assert who_sees(attachment(draft), users) == ENTITLED
    private = PaperFactory(board=BoardFactory(is_public=False))
    assert who_sees(attachment(private), users) == {"staff"}


def test_an_agenda_items_attachment_follows_the_item(readers):
    board, users = readers
    meeting = MeetingFactory(board=board)
    assert who_sees(attachment(AgendaItemFactory(meeting=meeting)), users) == EVERYONE
    exempt_item = AgendaItemFactory(meeting=meeting, is_exempt=True, exemption_reason="Para 3")
    assert who_sees(attachment(exempt_item), users) == ENTITLED
    assert who_sees(attachment(AgendaItemFactory(meeting=meeting), exempt=True), users) == ENTITLED


def test_a_notices_attachment_follows_the_notice(readers):
    board, users = readers
    meeting = MeetingFactory(board=board)
    draft = DecisionNoticeFactory(meeting=meeting)
    assert who_sees(attachment(draft), users) == ENTITLED
    published = DecisionNoticeFactory(
        meeting=meeting, status="published", published_on=datetime.date(2016, 1, 4)
    )
    assert who_sees(attachment(published), users) == EVERYONE
    assert who_sees(attachment(published, exempt=True), users) == ENTITLED


# -- locks --------------------------------------------------------------------------------------


@pytest.fixture
def signed_notice():
    return DecisionNoticeFactory(status="published", published_on=datetime.date(2016, 1, 4))


LOCKED_PATHS = [
    "access change",
    "bulk update",
    "delete",
    "queryset delete",
    "queryset update",
    "save",
]


def locked_paths(found):
    return {
        "save": lambda: (setattr(found, "title", "Changed"), found.save()),
        "delete": lambda: found.delete(),
        "queryset update": lambda: Attachment.objects.filter(pk=found.pk).update(title="Changed"),
        "queryset delete": lambda: Attachment.objects.filter(pk=found.pk).delete(),
        "bulk update": lambda: Attachment.objects.bulk_update(
            [Attachment(pk=found.pk, title="Changed")], ["title"]
        ),
        "access change": lambda: (
            setattr(found, "access", "exempt"),
            setattr(found, "exemption_reason", "Late"),
            found.save(),
        ),
    }


@pytest.mark.parametrize("path", LOCKED_PATHS)
def test_a_signed_notices_attachment_cannot_be_changed_on_any_path(signed_notice, path):
    found = attachment(signed_notice, title="Signed scan")
    with pytest.raises(LockedRecordError):
        locked_paths(found)[path]()
    stored = Attachment.objects.get(pk=found.pk)
    assert (stored.title, stored.access) == ("Signed scan", "public")


@pytest.mark.parametrize("path", LOCKED_PATHS)
def test_an_approved_items_attachment_cannot_be_changed_on_any_path(path):
    item = AgendaItemFactory()
    found = attachment(item, title="Tabled paper")
    approve(item.meeting)
    with pytest.raises(LockedRecordError):
        locked_paths(found)[path]()
    assert Attachment.objects.get(pk=found.pk).title == "Tabled paper"


def test_a_draft_notices_attachment_can_be_changed_and_its_twin_on_a_signed_one_cannot(
    signed_notice,
):
    draft = attachment(DecisionNoticeFactory(), title="Draft")
    draft.title = "Changed"
    draft.save()
    Attachment.objects.filter(pk=draft.pk).delete()
    assert not Attachment.objects.filter(pk=draft.pk).exists()
    signed = attachment(signed_notice, title="Signed")
    with pytest.raises(LockedRecordError):
        Attachment.objects.filter(pk=signed.pk).delete()


def test_a_file_may_still_be_added_to_a_signed_notice(signed_notice):
    found = attachment(signed_notice, title="Signed scan")
    assert found.notice == signed_notice


def test_an_attachment_cannot_be_moved_onto_a_signed_notice(signed_notice):
    found = attachment(DecisionNoticeFactory(), title="Draft")
    with pytest.raises(LockedRecordError):
        found.notice = signed_notice
        found.save()
    with pytest.raises(ValidationError):
        Attachment.objects.filter(pk=found.pk).update(notice=signed_notice)


@pytest.mark.parametrize("field", ["access", "paper", "agenda_item", "notice", "stored_name"])
def test_a_bulk_write_never_changes_where_a_file_is_kept_or_who_reads_it(field):
    found = attachment(PaperFactory())
    value = {"access": "exempt", "stored_name": "x"}.get(field)
    with pytest.raises(ValidationError, match="only through its save"):
        Attachment.objects.filter(pk=found.pk).update(**{field: value})
    with pytest.raises(ValidationError, match="only through its save"):
        Attachment.objects.bulk_update([found], [field])
    assert Attachment.objects.get(pk=found.pk).access == "public"


def test_deleting_a_signed_notice_never_reaches_its_attachments(signed_notice):
    found = attachment(signed_notice)
    with pytest.raises(LockedRecordError):
        signed_notice.delete()
    assert Attachment.objects.filter(pk=found.pk).exists()


def test_the_public_never_sees_what_an_attachment_queryset_hides(readers):
    board, users = readers
    attachment(PaperFactory(board=board), title="Secret annex", exempt=True)
    assert not Attachment.objects.visible_to(users["public"]).filter(title="Secret annex").exists()
    assert Attachment.objects.visible_to(users["member"]).filter(title="Secret annex").exists()


def test_an_attachments_text_is_read_by_a_background_job_once_the_upload_commits(
    django_capture_on_commit_callbacks,
):
    from jobs.models import Job

    paper = PaperFactory()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        made = attach(paper, files.upload("report.pdf", files.pdf_bytes("Okapi census")),
                      title="Census")  # fmt: skip
    # Saved, with its job queued: nothing read yet, the request is not kept waiting.
    job = Job.objects.get(task="documents.text.read_text")
    assert (job.status, job.arguments) == (Job.Status.QUEUED, [made.pk])
    made.refresh_from_db()
    assert made.text == "" and pending
    # The commit hands the job to the backend (immediate here), which reads the file.
    for callback in pending:
        callback()
    job.refresh_from_db()
    made.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert "Okapi census" in made.text
