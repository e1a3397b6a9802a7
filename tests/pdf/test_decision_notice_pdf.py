"""A decision notice's PDF: a formal notice, signed or plainly a draft."""

import datetime

import pytest
from django.test import Client

from decisions.services import publish_notice, sign_notice
from tests.factories import DecisionNoticeFactory, MeetingFactory, PersonFactory

from .conftest import in_order, reader, text

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2015, 11, 26)


@pytest.fixture
def notice():
    return DecisionNoticeFactory(
        title="Termination of the lease of Melbourn Police Office",
        executive_summary="The police office is surplus to requirements.",
        decision="I approve the termination of the lease.",
        financial_implications="An annual revenue saving of about £3,700.",
        legal_implications="Six months' notice under the lease.",
        other_implications="None.",
        declarations="None declared.",
        decision_maker=PersonFactory(full_name="Sir Graham Bright"),
        decision_maker_title="Police and Crime Commissioner",
    )


def test_an_unsigned_notice_is_a_draft_for_staff_and_not_found_for_the_public(staff_client, notice):
    assert Client().get(f"/decisions/{notice.pk}.pdf").status_code == 404
    response = staff_client.get(f"/decisions/{notice.pk}.pdf")
    assert response.status_code == 200
    content = text(response)
    assert in_order(
        content,
        [
            "DRAFT",
            "Reference: not recorded",
            "Termination of the lease of Melbourn Police Office",
            "DRAFT: this notice has not been signed.",
            "Not signed. This notice is a DRAFT.",
        ],
    )
    assert response["Content-Disposition"] == (
        f'inline; filename="decision-notice-{notice.pk}.pdf"'
    )


def test_a_published_notice_is_a_formal_notice_with_its_signature_block(signatory, notice):
    notice = sign_notice(notice=notice, user=signatory, signed_on=SIGNED_ON)
    publish_notice(notice=notice, user=signatory, published_on=SIGNED_ON)
    response = Client().get(f"/decisions/{notice.pk}.pdf")
    assert response.status_code == 200
    content = text(response)
    assert in_order(
        content,
        [
            "Decision notice CPCC 2015-001 · 26 November 2015",
            "Reference: CPCC 2015-001",
            "Termination of the lease of Melbourn Police Office",
            "Executive summary",
            "The police office is surplus to requirements.",
            "Decision",
            "I approve the termination of the lease.",
            "Implications",
            "Financial implications",
            "An annual revenue saving of about £3,700.",
            "Legal implications",
            "Declarations of interest",
            "None declared.",
            "Decision maker",
            "Name Sir Graham Bright",
            "Title Police and Crime Commissioner",
            "Signed on 26 November 2015",
        ],
    ), content
    assert "DRAFT" not in content
    assert response["Content-Disposition"] == 'inline; filename="CPCC-2015-001.pdf"'
    metadata = reader(response).metadata
    assert metadata.title == (
        "Decision notice CPCC 2015-001: Termination of the lease of Melbourn Police Office"
    )
    assert metadata.author == "Sir Graham Bright, Police and Crime Commissioner"


def test_a_signed_but_unpublished_notice_is_not_found_for_the_public(signatory, notice):
    sign_notice(notice=notice, user=signatory, signed_on=SIGNED_ON)
    assert Client().get(f"/decisions/{notice.pk}.pdf").status_code == 404


def test_a_signed_but_unpublished_notice_is_shown_to_staff_and_the_boards_members(
    signatory, staff_client, member_of, notice
):
    notice.meeting = MeetingFactory(date=SIGNED_ON)  # members are entitled through its board
    notice.taken_outside_meeting = False  # taken at that meeting
    notice.save()
    sign_notice(notice=notice, user=signatory, signed_on=SIGNED_ON)
    for client in (staff_client, member_of(notice.meeting.board)):
        response = client.get(f"/decisions/{notice.pk}.pdf")
        assert response.status_code == 200
        assert "CPCC 2015-001" in text(response)


def test_the_pdf_reads_only_what_it_prints(staff_client, notice, settings):
    """The page and the PDF share one context; the PDF prints no attachments, agreements or
    link to an agenda item, so it reads none of them (each read is paid on every PDF built)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MINUTEBOOK_PAGE_CACHE = False
    read = {}
    for name, url in (("page", notice.get_absolute_url()), ("pdf", f"/decisions/{notice.pk}.pdf")):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        read[name] = " ".join(q["sql"] for q in queries.captured_queries)
    for part in ("documents_attachment", "collaboration_collaborationagreement", "taken_at_item"):
        assert part in read["page"], part
        assert part not in read["pdf"], part
