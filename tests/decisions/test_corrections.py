"""Correcting a decision: only a signed notice is superseded; a draft never reaches the public by
any lifecycle path; while its correction is in draft the decision's money counts once; the
correction is drafted only by a POST (with its CSRF token), after a confirmation page."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from decisions.models import DecisionNotice
from decisions.services import draft_correction, publish_notice, sign_notice
from finance.models.totals import visible_totals
from tests.factories import EARLY_MEETING, DecisionNoticeFactory, MeetingFactory, UserFactory
from tests.finance.factories import FinancialLineFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 1, 28)


def total(user) -> Decimal:
    return visible_totals(user).aggregate(s=Sum("total"))["s"] or Decimal(0)


def test_a_draft_cannot_be_superseded(signatory):
    draft = DecisionNoticeFactory(title="Never signed", decision="Secret working text.")
    other = DecisionNoticeFactory(title="Another draft", supersedes=draft)
    with pytest.raises(ValidationError, match="Only a signed notice can be superseded"):
        other.full_clean()
    with pytest.raises(ValidationError, match="Only a signed notice can be superseded"):
        sign_notice(notice=other, user=signatory, signed_on=DAY)
    draft.refresh_from_db()
    other.refresh_from_db()
    assert draft.status == other.status == DecisionNotice.Status.DRAFT
    assert not DecisionNotice.objects.visible_to(AnonymousUser()).filter(pk=draft.pk).exists()


def test_a_signed_notice_is_superseded_when_its_correction_is_signed(signatory):
    original = DecisionNoticeFactory(
        title="ICT agreement", meeting=MeetingFactory(date=EARLY_MEETING)
    )
    sign_notice(notice=original, user=signatory, signed_on=DAY)
    original = publish_notice(notice=original, user=signatory, published_on=DAY)
    correction = draft_correction(notice=original, user=signatory)
    sign_notice(notice=correction, user=signatory, signed_on=DAY)
    original.refresh_from_db()
    assert original.status == DecisionNotice.Status.WITHDRAWN


def test_the_money_of_a_decision_counts_once_while_its_correction_is_in_draft(
    signatory, staff_user
):
    original = DecisionNoticeFactory(
        title="ICT agreement", meeting=MeetingFactory(date=EARLY_MEETING)
    )
    FinancialLineFactory(decision_notice=original, amount=Decimal("385000"), kind="cost",
                         financial_year="2015/16")  # fmt: skip
    sign_notice(notice=original, user=signatory, signed_on=DAY)
    original = publish_notice(notice=original, user=signatory, published_on=DAY)
    assert total(AnonymousUser()) == total(staff_user) == Decimal("385000")
    correction = draft_correction(notice=original, user=signatory)
    assert correction.financial_lines.count() == 1  # the money is on the draft to correct
    assert total(AnonymousUser()) == total(staff_user) == Decimal("385000")
    sign_notice(notice=correction, user=signatory, signed_on=DAY)
    assert total(staff_user) == Decimal("385000")  # now the correction's, the original withdrawn


def test_opening_the_correct_address_only_asks_for_confirmation(admin_client, signatory):
    original = DecisionNoticeFactory(title="ICT agreement")
    sign_notice(notice=original, user=signatory, signed_on=DAY)
    url = reverse("admin:decisions_decisionnotice_correct", args=[original.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "Draft the correction" in page.content.decode()
    assert not DecisionNotice.objects.filter(supersedes=original).exists()
    admin_client.post(url)
    assert DecisionNotice.objects.filter(supersedes=original).count() == 1


def test_the_correction_is_refused_without_the_csrf_token(signatory):
    original = DecisionNoticeFactory(title="ICT agreement")
    sign_notice(notice=original, user=signatory, signed_on=DAY)
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="csrf-admin", is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:decisions_decisionnotice_correct", args=[original.pk]))
    assert response.status_code == 403
    assert not DecisionNotice.objects.filter(supersedes=original).exists()
