"""The attachments inline on the paper, agenda item and notice screens: uploads checked, the
computed fields read-only, and locked records' attachments read-only."""

import datetime

import pytest

from documents.models import Attachment
from tests.admin_forms import change_url, form_of
from tests.documents import files
from tests.documents.factories import attachment
from tests.factories import AgendaItemFactory, DecisionNoticeFactory, PaperFactory

pytestmark = pytest.mark.django_db

PREFIX = "attachments"


def with_new_row(data: dict, upload, **fields) -> dict:
    total = int(data[f"{PREFIX}-TOTAL_FORMS"])
    row = f"{PREFIX}-{total}"
    data[f"{PREFIX}-TOTAL_FORMS"] = str(total + 1)
    data.update({f"{row}-title": "Lease plan", f"{row}-access": "public", f"{row}-upload": upload})
    data.update({f"{row}-{k}": v for k, v in fields.items()})
    return data


def test_staff_upload_a_file_on_the_paper_screen(staff_client, staff_user):
    paper = PaperFactory()
    data = with_new_row(
        form_of(staff_client, change_url(paper)), files.upload("plan.pdf", files.pdf_bytes())
    )
    response = staff_client.post(change_url(paper), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    found = Attachment.objects.get(paper=paper)
    assert (found.title, found.original_name, found.uploaded_by) == (
        "Lease plan",
        "plan.pdf",
        staff_user,
    )
    assert found.sha256 and found.content_type == "application/pdf"


def test_the_paper_screen_refuses_a_program_renamed_pdf(staff_client):
    paper = PaperFactory()
    data = with_new_row(
        form_of(staff_client, change_url(paper)), files.upload("plan.pdf", files.EXE)
    )
    response = staff_client.post(change_url(paper), data)
    assert response.status_code == 200
    assert "Programs and scripts are not accepted." in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_screen_asks_for_the_reason_of_an_exempt_file(staff_client):
    item = AgendaItemFactory()
    data = with_new_row(
        form_of(staff_client, change_url(item)),
        files.upload("plan.pdf", files.pdf_bytes()),
        access="exempt",
    )
    response = staff_client.post(change_url(item), data)
    assert response.status_code == 200
    assert "Give the reason this attachment is exempt." in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_signed_notices_attachments_are_read_only_on_its_screen(staff_client):
    notice = DecisionNoticeFactory(status="published", published_on=datetime.date(2016, 1, 4))
    attachment(notice, title="Signed scan")
    page = staff_client.get(change_url(notice)).content.decode()
    assert "Signed scan" in page
    assert 'name="attachments-0-title"' not in page


def test_a_draft_notices_attachments_can_be_edited_on_its_screen(staff_client):
    notice = DecisionNoticeFactory()
    attachment(notice, title="Draft scan")
    page = staff_client.get(change_url(notice)).content.decode()
    assert 'name="attachments-0-title"' in page
