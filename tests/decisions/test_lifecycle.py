"""Decision notices: numbering on signing, locking, publishing, withdrawing, superseding."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from decisions.models import DecisionNotice
from decisions.services import draft_correction, publish_notice, sign_notice, withdraw_notice
from minutebook.records import LockedRecordError
from tests.factories import DecisionNoticeFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 11, 26)


def test_signing_gives_the_next_reference_after_a_historic_one(signatory):
    DecisionNoticeFactory(
        reference="CPCC 2015-025", reference_year=2015, reference_number=25, status="signed"
    )
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=DAY)
    assert notice.reference == "CPCC 2015-026"
    assert sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=DAY).reference == (
        "CPCC 2015-027"
    )


def test_numbering_restarts_each_year(signatory):
    sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=DAY)
    notice = sign_notice(
        notice=DecisionNoticeFactory(), user=signatory, signed_on=datetime.date(2016, 1, 4)
    )
    assert notice.reference == "CPCC 2016-001"


def test_the_reference_scheme_is_configurable(signatory, settings):
    settings.DECISION_REFERENCE_FORMAT = "DN/{year}/{number}"
    assert sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=DAY).reference == (
        "DN/2015/1"
    )


def test_only_a_signatory_may_sign(db):
    clerk = UserFactory(username="clerk", is_staff=True)
    notice = DecisionNoticeFactory()
    with pytest.raises(PermissionDenied):
        sign_notice(notice=notice, user=clerk)
    assert DecisionNotice.objects.get(pk=notice.pk).status == "draft"


def test_a_signed_notice_refuses_changes_in_the_model(signatory):
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=DAY)
    notice.decision = "Quietly rewritten"
    with pytest.raises(LockedRecordError) as error:
        notice.save()
    assert "signed and locked" in str(error.value)
    assert DecisionNotice.objects.get(pk=notice.pk).decision != "Quietly rewritten"
    with pytest.raises(LockedRecordError):
        DecisionNotice.objects.get(pk=notice.pk).delete()


def test_a_signed_notice_cannot_be_marked_published_without_the_service(signatory):
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=DAY)
    notice.status = "published"
    notice.published_on = DAY
    with pytest.raises(LockedRecordError):
        notice.save()


def test_publish_then_withdraw_keeps_the_reason_in_the_history(signatory):
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=DAY)
    notice = publish_notice(notice=notice, user=signatory, published_on=DAY)
    assert notice.status == "published" and notice.published_on == DAY
    with pytest.raises(ValueError):
        withdraw_notice(notice=notice, user=signatory, reason="")
    notice = withdraw_notice(notice=notice, user=signatory, reason="Signed in error")
    assert notice.status == "withdrawn"
    assert notice.history.first().history_change_reason == "Withdrawn: Signed in error"
    assert notice.history.first().history_user == signatory


def test_a_correction_supersedes_the_original_when_signed(signatory):
    original = sign_notice(
        notice=DecisionNoticeFactory(title="Lease"), user=signatory, signed_on=DAY
    )
    draft = draft_correction(notice=original, user=signatory)
    assert (draft.status, draft.title, draft.supersedes) == ("draft", "Lease", original)
    draft.decision = "Corrected wording"
    draft.save()
    corrected = sign_notice(notice=draft, user=signatory, signed_on=DAY)
    original.refresh_from_db()
    assert original.status == "withdrawn"
    assert original.withdrawn_reason == f"Superseded by {corrected.reference}."


@pytest.mark.django_db(transaction=True)
def test_notices_signed_at_the_same_time_never_share_a_number(signatory):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    notices = [DecisionNoticeFactory() for _ in range(6)]
    barrier = threading.Barrier(len(notices))
    errors = []

    def sign(notice):
        from django.db import connections

        try:
            barrier.wait()
            sign_notice(notice=notice, user=signatory, signed_on=DAY)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(n,)) for n in notices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    references = sorted(DecisionNotice.objects.values_list("reference", flat=True))
    assert references == [f"CPCC 2015-{n:03d}" for n in range(1, 7)]
