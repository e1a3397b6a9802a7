"""The lifecycle of a decision notice: sign, publish, withdraw, supersede.

Each is one transaction and one history entry; the admin and any view call these, never
set ``status`` themselves. Permissions are checked here so every caller gets the same rule.
This module holds the key of ``DecisionNotice.lifecycle``: a signed notice moves on (published,
withdrawn) only from here, and only along ``DecisionNotice.MOVES``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

from .models import DecisionNotice, ReferenceCounter

# Sent with sender=DecisionNotice, original=<the signed notice>, draft=<its new correction>,
# inside the transaction that drafts it; the finance app copies the money onto the draft.
correction_drafted = Signal()

_KEY = DecisionNotice.lifecycle.claim()

SIGN_PERMISSION = "decisions.sign_decisionnotice"
PUBLISH_PERMISSION = "decisions.publish_decisionnotice"


def _require(user, perm: str, doing: str) -> None:
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(f"You do not have permission to {doing} decision notices.")


def next_reference(year: int) -> tuple[str, int]:
    """The next reference in ``year``; call inside a transaction. Locks that year's counter row,
    so two notices signed at once never get one number (the unique constraint backs this)."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    # Historic notices loaded with their printed numbers count too.
    highest = DecisionNotice.objects.filter(reference_year=year).aggregate(
        m=Max("reference_number")
    )["m"]
    number = max(counter.last_number, highest or 0) + 1
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    return settings.DECISION_REFERENCE_FORMAT.format(year=year, number=number), number


@transaction.atomic
def sign_notice(
    *, notice: DecisionNotice, user, signed_on: datetime.date | None = None
) -> DecisionNotice:
    """Sign a draft: give it the next reference (unless it has a historic one), lock it, and
    withdraw the notice it supersedes. Raises PermissionDenied or ValueError with the reason."""
    _require(user, SIGN_PERMISSION, "sign")
    notice = DecisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != DecisionNotice.Status.DRAFT:
        raise ValueError(f"{notice} is already {notice.get_status_display().lower()}.")
    notice.full_clean()  # refuses, among others, a notice that supersedes a draft
    notice.signed_on = signed_on or timezone.localdate()
    if not notice.reference:
        year = notice.signed_on.year
        notice.reference, notice.reference_number = next_reference(year)
        notice.reference_year = year
    notice.status = DecisionNotice.Status.SIGNED
    notice._change_reason = f"Signed as {notice.reference}"
    notice._history_user = user
    with _KEY.opening(notice):
        notice.save()
    if notice.supersedes_id:
        old = DecisionNotice.objects.select_for_update().get(pk=notice.supersedes_id)
        if old.status == DecisionNotice.Status.DRAFT:
            raise ValueError(f"Only a signed notice can be superseded; “{old}” is a draft.")
        if old.status != DecisionNotice.Status.WITHDRAWN:
            _move(
                old,
                user,
                DecisionNotice.Status.WITHDRAWN,
                f"Superseded by {notice.reference}",
                withdrawn_reason=f"Superseded by {notice.reference}.",
            )
    return notice


def _move(notice: DecisionNotice, user, status: str, reason: str, **changes) -> DecisionNotice:
    """Move a signed notice along its lifecycle (published, withdrawn); never a draft, which
    becomes a decision only by being signed."""
    if notice.status == DecisionNotice.Status.DRAFT:
        raise ValueError(f"{notice} is a draft: sign it first.")
    notice.status = status
    for name, value in changes.items():
        setattr(notice, name, value)
    notice._change_reason = reason
    notice._history_user = user
    with _KEY.opening(notice):
        notice.save()
    return notice


@transaction.atomic
def publish_notice(
    *, notice: DecisionNotice, user, published_on: datetime.date | None = None
) -> DecisionNotice:
    """Publish a signed notice on the public register."""
    _require(user, PUBLISH_PERMISSION, "publish")
    notice = DecisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != DecisionNotice.Status.SIGNED:
        raise ValueError(
            f"Only a signed notice can be published; {notice} is {notice.get_status_display().lower()}."
        )
    return _move(
        notice,
        user,
        DecisionNotice.Status.PUBLISHED,
        "Published",
        published_on=published_on or timezone.localdate(),
    )


@transaction.atomic
def withdraw_notice(*, notice: DecisionNotice, user, reason: str) -> DecisionNotice:
    """Withdraw a signed or published notice; it stays on the register, marked, with the reason."""
    _require(user, PUBLISH_PERMISSION, "withdraw")
    if not reason or not reason.strip():
        raise ValueError("Give the reason for withdrawing the notice.")
    notice = DecisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status not in (DecisionNotice.Status.SIGNED, DecisionNotice.Status.PUBLISHED):
        raise ValueError(
            f"Only a signed or published notice can be withdrawn; {notice} is {notice.get_status_display().lower()}."
        )
    return _move(
        notice,
        user,
        DecisionNotice.Status.WITHDRAWN,
        f"Withdrawn: {reason.strip()}",
        withdrawn_reason=reason.strip(),
    )


COPIED_FIELDS = [
    "title",
    "executive_summary",
    "decision",
    "reasons",
    "options_rejected",
    "consultation",
    "background",
    "financial_implications",
    "legal_implications",
    "other_implications",
    "plan_theme",
    "declarations",
    "forum",
    "decision_maker",
    "decision_maker_title",
    "significant_public_interest",
    "access",
    "exemption",
    "background_papers",
    "contact_officer",
    "meeting",
]


@transaction.atomic
def draft_correction(*, notice: DecisionNotice, user) -> DecisionNotice:
    """A new draft copying a signed notice and pointing back at it; signing it withdraws the old one."""
    if notice.status == DecisionNotice.Status.DRAFT:
        raise ValueError("A draft can be edited directly; corrections are for signed notices.")
    if DecisionNotice.objects.filter(supersedes=notice).exists():
        raise ValueError(f"{notice} already has a correction.")
    draft = DecisionNotice(
        supersedes=notice, **{name: getattr(notice, name) for name in COPIED_FIELDS}
    )
    draft._change_reason = f"Drafted to supersede {notice.reference or notice.pk}"
    draft._history_user = user
    draft.save()
    draft.papers.set(notice.papers.all())
    correction_drafted.send(sender=DecisionNotice, original=notice, draft=draft)
    return draft
