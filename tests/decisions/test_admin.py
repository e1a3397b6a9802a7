"""The decisions register, one notice, the CSV export, and the notice admin."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import DecisionNotice
from decisions.services import publish_notice, sign_notice
from tests.factories import (
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    PersonFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(signatory):
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    commissioner = PersonFactory(full_name="Sir Graham Bright")
    paper = PaperFactory(
        board=board, meeting=meeting, title="Restorative Justice Provision in Cambridgeshire"
    )
    published = DecisionNoticeFactory(
        title="Restorative Justice extension", meeting=meeting, decision_maker=commissioner
    )
    published.papers.add(paper)
    RecommendationFactory(
        paper=paper,
        number="2.1",
        outcome="approved",
        decided_at=meeting,
        decision_notice=published,
        text="Approve the 12-month extension.",
    )
    sign_notice(notice=published, user=signatory, signed_on=meeting.date)
    publish_notice(notice=published, user=signatory, published_on=meeting.date)
    signed_only = DecisionNoticeFactory(title="Melbourn lease", meeting=meeting)
    sign_notice(notice=signed_only, user=signatory, signed_on=datetime.date(2016, 1, 5))
    DecisionNoticeFactory(title="Unsigned draft decision")
    return {
        "published": DecisionNotice.objects.get(pk=published.pk),
        "paper": paper,
        "board": board,
    }


def text(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )


def test_the_public_register_lists_published_notices_only(client, register):
    html = text(client, "/decisions/")
    assert "Restorative Justice extension" in html and "CPCC 2015-001" in html
    assert "Melbourn lease" not in html and "Unsigned draft decision" not in html
    text(
        client, DecisionNotice.objects.get(title="Unsigned draft decision").get_absolute_url(), 404
    )


def test_staff_see_every_notice_newest_first(staff_client, register):
    html = text(staff_client, "/decisions/")
    assert html.index("Melbourn lease") < html.index("Restorative Justice extension")
    assert "Unsigned draft decision" in html


def test_the_register_filters_by_year_status_board_maker_and_words(staff_client, register):
    assert "Restorative" not in text(staff_client, "/decisions/?year=2016")
    assert "Melbourn" not in text(staff_client, "/decisions/?status=published")
    maker = register["published"].decision_maker
    assert "Melbourn" not in text(staff_client, f"/decisions/?decision_maker={maker.pk}")
    assert "Restorative" in text(staff_client, "/decisions/?board=bcb&q=restorative")
    assert "Enter a number." in text(staff_client, "/decisions/?year=soon", 400)


def test_a_notice_links_to_its_meeting_papers_and_recommendations(client, register):
    html = text(client, register["published"].get_absolute_url())
    assert "/boards/bcb/2015-11-26/" in html
    assert register["paper"].get_absolute_url() in html
    assert "Approve the 12-month extension." in html and "Approved" in html


def test_the_csv_export_holds_what_the_reader_may_see(client, staff_client, register):
    rows = list(csv.DictReader(io.StringIO(text(client, "/decisions/export.csv"))))
    assert [r["title"] for r in rows] == ["Restorative Justice extension"]
    assert (
        rows[0]["reference"] == "CPCC 2015-001"
        and rows[0]["board"] == "Business Coordination Board"
    )
    staff_rows = list(
        csv.DictReader(io.StringIO(text(staff_client, "/decisions/export.csv?status=signed")))
    )
    assert [r["title"] for r in staff_rows] == ["Melbourn lease"]
    assert "year" in text(client, "/decisions/export.csv?year=x", 400)


def test_a_signatory_signs_in_the_admin_and_the_notice_turns_read_only(signatory):
    client = Client()
    client.force_login(signatory)
    notice = DecisionNoticeFactory(title="Appointment of Legally Qualified Chairs")
    response = client.post(
        reverse("admin:decisions_decisionnotice_changelist"),
        {"action": "sign", "_selected_action": [notice.pk]},
        follow=True,
    )
    assert "Signed 1 decision notice" in response.content.decode()
    html = client.get(
        reverse("admin:decisions_decisionnotice_change", args=[notice.pk])
    ).content.decode()
    assert 'name="decision"' not in html
    assert "Draft a correction" in html


def test_staff_without_the_signing_permission_are_refused_with_a_message(db):
    from django.contrib.auth.models import Permission

    clerk = UserFactory(username="clerk", is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(codename__in=["view_decisionnotice", "change_decisionnotice"])
    )
    client = Client()
    client.force_login(clerk)
    notice = DecisionNoticeFactory()
    response = client.post(
        reverse("admin:decisions_decisionnotice_changelist"),
        {"action": "sign", "_selected_action": [notice.pk]},
        follow=True,
    )
    assert "do not have permission to sign" in response.content.decode()
    assert DecisionNotice.objects.get(pk=notice.pk).status == "draft"


def test_withdrawing_in_the_admin_asks_for_a_reason(signatory):
    client = Client()
    client.force_login(signatory)
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory)
    url = reverse("admin:decisions_decisionnotice_changelist")
    page = client.post(url, {"action": "withdraw", "_selected_action": [notice.pk]})
    assert "Reason for withdrawing" in page.content.decode()
    client.post(
        url,
        {"action": "withdraw", "_selected_action": [notice.pk], "reason": "Wrong supplier named"},
    )
    assert DecisionNotice.objects.get(pk=notice.pk).withdrawn_reason == "Wrong supplier named"


def test_recommendations_are_entered_inline_on_the_paper(staff_client):
    paper = PaperFactory()
    html = staff_client.get(reverse("admin:boards_paper_change", args=[paper.pk])).content.decode()
    assert "recommendations-TOTAL_FORMS" in html


def test_the_meeting_page_shows_each_papers_recommendations_and_the_decisions_taken(
    client, register
):
    from boards.models import AgendaItem

    AgendaItem.objects.create(
        meeting=register["published"].meeting,
        number="4",
        title="Restorative Justice",
        paper=register["paper"],
    )
    html = text(client, "/boards/bcb/2015-11-26/")
    assert "Approve the 12-month extension." in html
    assert register["published"].get_absolute_url() in html
    assert "Melbourn lease" not in html  # signed, not yet published


def test_the_home_page_lists_the_latest_published_decisions(client, register):
    html = text(client, "/")
    assert "Restorative Justice extension" in html and "Melbourn lease" not in html


def test_the_admin_links_each_notice_to_its_pdf(staff_client):
    notice = DecisionNoticeFactory()
    pdf_url = reverse("decisions:pdf", args=[notice.pk])
    assert (
        pdf_url
        in staff_client.get(reverse("admin:decisions_decisionnotice_changelist")).content.decode()
    )
    assert (
        pdf_url
        in staff_client.get(
            reverse("admin:decisions_decisionnotice_change", args=[notice.pk])
        ).content.decode()
    )


def test_the_download_action_sends_staff_to_the_notices_pdf(staff_client):
    notice = DecisionNoticeFactory()
    response = staff_client.post(
        reverse("admin:decisions_decisionnotice_changelist"),
        {"action": "download_pdf", "_selected_action": [notice.pk]},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "decisions:pdf", args=[notice.pk]
    )
