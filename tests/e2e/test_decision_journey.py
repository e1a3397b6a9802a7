"""A board member opens a decision notice from its meeting and downloads its PDF."""

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from .helpers import sign_in


def test_staff_open_a_notice_from_the_register_and_download_its_pdf(
    page: Page, seeded, staff_login
):
    notice = seeded.signed_notice()
    sign_in(page, *staff_login, next_path="/decisions/")
    page.get_by_label("Status").select_option("signed")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=notice.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(notice.title)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this notice (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert notice.title in " ".join(text.split())
    assert "not recorded" in text  # the seeds print no reference for this notice
