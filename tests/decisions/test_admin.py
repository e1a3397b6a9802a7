"""The decision notice admin: signing (and refusing staff without the permission), withdrawing
with a reason, and the links and action that lead to each notice's PDF."""

import pytest
from django.test import Client
from django.urls import reverse

from decisions.models import DecisionNotice
from decisions.services import sign_notice
from tests.factories import DecisionNoticeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_signatory_signs_in_the_admin_and_the_notice_turns_read_only(signatory):
    client = Client()
    client.force_login(signatory)
    notice = DecisionNoticeFactory(title="Appointment of Legally Qualified Chairs")
    url = reverse("admin:decisions_decisionnotice_changelist")
    asked = client.post(url, {"action": "sign", "_selected_action": [notice.pk]})
    assert "Sign and lock" in asked.content.decode()  # the action asks first
    response = client.post(
        url, {"action": "sign", "_selected_action": [notice.pk], "post": "yes"}, follow=True
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
