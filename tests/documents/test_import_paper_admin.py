"""The admin journey: "Import a paper" on the papers' list, upload, the draft beside the
original, corrections, save as a draft paper; only for staff who may add papers."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from boards.models import Paper
from finance.models import FinancialLine
from tests.factories import BoardFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:boards_paper_import")
TEXT = (
    "To: Business Coordination Board\n\nFrom: Chief Executive\n\nDate: 26 November 2015\n\n"
    "Melbourn Police Office\n\n1. Purpose\n\n1.1 To seek approval <b>now</b>.\n\n"
    "2. Recommendation\n\n2.1 The Board is recommended to approve the termination.\n\n"
    "3. Background\n\n3.1 A rent of £500pa and a saving of £3,700.\n"
)


def upload(client, board, text=TEXT, name="paper.txt", data=None):
    """Upload a file and follow the redirect to its review page, once the reading job has run
    as it does after the upload's commit (the embedded backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            URL,
            {
                "file": SimpleUploadedFile(name, data if data is not None else text.encode()),
                "board": board.pk,
                "meeting": "",
            },
        )
    if response.status_code == 302 and response["Location"].startswith(URL):
        return client.get(response["Location"])
    return response


def review_post(page) -> dict:
    """The review form's fields as the page filled them in."""
    html = page.content.decode()
    data = dict(
        re.findall(r'<input type="(?:hidden|text|number)" name="([^"]+)" value="([^"]*)"', html)
    )
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        data[name] = chosen.group(1) if chosen else ""
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', html, re.S):
        data[name] = (
            value.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", '"')
            .replace("&#x27;", "'")
            .replace("&amp;", "&")
        )
    return data


def test_staff_who_may_add_papers_find_import_on_the_papers_list(staff_client):
    page = staff_client.get(reverse("admin:boards_paper_changelist"))
    assert URL in page.content.decode()


def test_staff_who_may_not_add_papers_cannot_import(db):
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_paper"))
    client = Client()
    client.force_login(user)
    assert URL not in client.get(reverse("admin:boards_paper_changelist")).content.decode()
    assert client.get(URL).status_code == 403
    assert upload(client, BoardFactory()).status_code == 403
    assert not Paper.objects.exists()


def test_the_public_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_upload_without_its_csrf_token_is_refused(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert upload(client, BoardFactory()).status_code == 403


def test_the_draft_is_shown_beside_the_original_and_saved_as_corrected(staff_client):
    board = BoardFactory()
    page = upload(staff_client, board)
    html = page.content.decode()
    assert page.status_code == 200
    assert "The original" in html
    assert "To seek approval &lt;b&gt;now&lt;/b&gt;." in html  # the original's text, escaped
    assert "<b>now</b>" not in html
    data = review_post(page)
    assert data["title"] == "Melbourn Police Office"
    data["title"] = "Melbourn Police Office (corrected)"
    saved = staff_client.post(URL, data)
    paper = Paper.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:boards_paper_change", args=[paper.pk])
    assert paper.title == "Melbourn Police Office (corrected)"
    assert paper.status == Paper.Status.DRAFT
    assert [r.number for r in paper.recommendations.all()] == ["2.1"]
    assert sorted(FinancialLine.objects.values_list("as_printed", "confirmed")) == [
        ("£3,700", False),
        ("£500", False),
    ]
    # The original is kept beside it, exempt until someone has read it.
    (original,) = paper.attachments.all()
    assert (original.title, original.access) == ("Original document", "exempt")
    # The same review sent again (a double click) makes no second paper.
    again = staff_client.post(URL, data)
    assert again.status_code == 302
    assert again["Location"] == saved["Location"]
    assert Paper.objects.count() == 1


def test_errors_name_the_field(staff_client):
    board = BoardFactory()
    data = review_post(upload(staff_client, board))
    data["date"] = "not a date"
    data["money-0-amount"] = "lots"
    page = staff_client.post(URL, data)
    html = page.content.decode()
    assert page.status_code == 400
    assert "Date: Enter a valid date." in html
    assert "Money 1, Amount: Amount:" in html or "Money 1, Amount" in html
    assert not Paper.objects.exists()


def test_a_file_that_cannot_be_read_is_refused_naming_the_file(staff_client):
    page = upload(staff_client, BoardFactory(), text="", name="x.docx")
    assert page.status_code in (200, 400)
    assert "File:" in page.content.decode()
    assert not Paper.objects.exists()


def test_a_forged_token_is_refused(staff_client):
    board = BoardFactory()
    data = review_post(upload(staff_client, board))
    data["token"] = data["token"][:-3] + "abc"
    assert staff_client.post(URL, data).status_code == 403
    assert not Paper.objects.exists()


def test_a_pdf_is_shown_page_by_page_beside_its_draft(staff_client, tmp_path):
    from minutebook.pdf.render import render_pdf

    html = (
        '<h2 style="font-weight:bold;font-size:13pt">A two-page paper</h2><p>1.1 First page.</p>'
        '<p style="page-break-before:always">1.2 Second page.</p>'
    )
    pdf = render_pdf(html, base_url=str(tmp_path))
    page = upload(staff_client, BoardFactory(), name="p.bin", data=pdf)
    body = page.content.decode()
    assert page.status_code == 200
    assert "read from the pdf" in body
    assert "Page 1" in body and "Page 2" in body
    assert "Second page." in body
