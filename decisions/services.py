"""The lifecycle of a decision notice: draft one from a recommendation, sign, publish,
withdraw, supersede.

Each is one transaction and one history entry; the admin and any view call these, never
set ``status`` themselves. Permissions are checked here so every caller gets the same rule.
This module holds the key of ``DecisionNotice.lifecycle``: a signed notice moves on (published,
withdrawn) only from here, and only along ``DecisionNotice.MOVES``.

Refusals: ``PermissionDenied`` (the user may not), ``ValueError`` (the notice is not where the
move starts, e.g. already signed) and ``ValidationError`` (what the notice or the date lacks,
keyed by field where there is one: ``signed_on``).
"""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .models import DecisionNotice, Recommendation, ReferenceCounter

# Sent with sender=DecisionNotice, original=<the signed notice>, draft=<its new correction>,
# inside the transaction that drafts it; the finance app copies the money onto the draft.
correction_drafted = Signal()
# Sent with sender=DecisionNotice, notice=<the notice>, inside the transaction that signs (or
# publishes) it; the site renders the notice's PDF in the background once it commits
# (web.receivers.render_notice_ahead).
notice_signed = Signal()
notice_published = Signal()

_KEY = DecisionNotice.lifecycle.claim()

SIGN_PERMISSION = "decisions.sign_decisionnotice"
PUBLISH_PERMISSION = "decisions.publish_decisionnotice"
HISTORIC_SIGNING_PERMISSION = "decisions.record_historic_signing"
DRAFT_PERMISSIONS = ("decisions.add_decisionnotice", "decisions.change_recommendation")


class NoticeAlreadyDrafted(ValueError):
    """The recommendation already has a decision notice (``notice``): it is not drafted twice."""

    def __init__(self, recommendation: Recommendation, notice: DecisionNotice) -> None:
        self.notice = notice
        super().__init__(
            f"Recommendation {recommendation.number or recommendation.pk} already has the "
            f"decision notice “{notice}” ({notice.get_status_display().lower()}): no second "
            "notice was drafted."
        )


def _require(user, perm: str, doing: str) -> None:
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(f"You do not have permission to {doing} decision notices.")


def _number_after(year: int, last_number: int) -> int:
    # Historic notices loaded with their printed numbers count too.
    highest = DecisionNotice.objects.filter(reference_year=year).aggregate(
        m=Max("reference_number")
    )["m"]
    return max(last_number, highest or 0) + 1


def next_reference(year: int) -> tuple[str, int]:
    """The next reference in ``year``; call inside a transaction. Locks that year's counter row,
    so two notices signed at once never get one number (the unique constraint backs this)."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    number = _number_after(year, counter.last_number)
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    return settings.DECISION_REFERENCE_FORMAT.format(year=year, number=number), number


def coming_references(year: int, count: int) -> list[str]:
    """The references the next ``count`` notices signed in ``year`` would get now, for a
    confirmation page; locks nothing, so a notice signed first takes one and the next ones
    are given. Two queries."""
    counter = ReferenceCounter.objects.filter(year=year).first()
    first = _number_after(year, counter.last_number if counter else 0)
    return [
        settings.DECISION_REFERENCE_FORMAT.format(year=year, number=number)
        for number in range(first, first + count)
    ]


def may_record_historic_signing(user) -> bool:
    return user is not None and user.has_perm(HISTORIC_SIGNING_PERMISSION)


def _signing_refusals(notice: DecisionNotice, day: datetime.date, today: datetime.date) -> dict:
    """What keeps ``notice`` from being signed on ``day``: {field or NON_FIELD_ERRORS:
    [message]}, empty when nothing does. A query for the meeting if not loaded."""
    errors: dict[str, list[str]] = {}
    refusal = notice.signing_refusal()
    if refusal:
        errors[NON_FIELD_ERRORS] = [refusal]
    if day > today:
        errors["signed_on"] = ["The signing date cannot be in the future."]
    elif notice.meeting_id and day < notice.meeting.date:
        errors["signed_on"] = [
            "The signing date cannot be before the meeting where the decision was taken "
            f"({date_format(notice.meeting.date, 'j F Y')})."
        ]
    return errors


@transaction.atomic
def sign_notice(
    *, notice: DecisionNotice, user, signed_on: datetime.date | None = None
) -> DecisionNotice:
    """Sign a draft on ``signed_on`` (today when not given): give it the next reference (unless
    it has a historic one), lock it, and withdraw the notice it supersedes.

    Refuses (``PermissionDenied``) a user without the permission to sign, or a date other than
    today from a user without "Can record a historic signing date"; refuses (``ValueError``) a
    notice that is not a draft; refuses (``ValidationError``) a notice missing what a notice
    needs (``DecisionNotice.missing_for_signing``, each field named in one message) and a date
    in the future or before the meeting where the decision was taken (under ``signed_on``)."""
    _require(user, SIGN_PERMISSION, "sign")
    today = timezone.localdate()
    day = signed_on or today
    if day != today and not may_record_historic_signing(user):
        raise PermissionDenied(
            "You do not have permission to record a historic signing date: a notice you sign "
            "is signed today."
        )
    notice = DecisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status == DecisionNotice.Status.NOT_RECORDED:
        # Signing it now would stamp today's date and a new reference on a historic decision.
        raise ValueError(
            f"{notice} is a historic record whose signing the documents do not record: it "
            "cannot be signed now. Record a correction as a new notice."
        )
    if notice.status != DecisionNotice.Status.DRAFT:
        raise ValueError(f"{notice} is already {notice.get_status_display().lower()}.")
    errors = _signing_refusals(notice, day, today)
    if errors:
        raise ValidationError(errors)
    notice.full_clean()  # refuses, among others, a notice that supersedes a draft
    notice.signed_on = day
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
    notice_signed.send(sender=DecisionNotice, notice=notice)
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
    notice = _move(
        notice,
        user,
        DecisionNotice.Status.PUBLISHED,
        "Published",
        published_on=published_on or timezone.localdate(),
    )
    notice_published.send(sender=DecisionNotice, notice=notice)
    return notice


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
    "taken_outside_meeting",
]


@transaction.atomic
def draft_correction(*, notice: DecisionNotice, user) -> DecisionNotice:
    """A new draft copying a signed notice and pointing back at it; signing it withdraws the old one."""
    if notice.status == DecisionNotice.Status.DRAFT:
        raise ValueError("A draft can be edited directly; corrections are for signed notices.")
    if not notice.is_signed:
        # Superseding it would, once signed, withdraw it: a claim that it had been signed.
        raise ValueError(
            f"{notice} is a historic record whose signing is not recorded: corrections are "
            "for signed notices. Record what is learnt as a new notice."
        )
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


@transaction.atomic
def draft_notice_from_recommendation(*, recommendation: Recommendation, user) -> DecisionNotice:
    """A draft notice following ``recommendation``: titled after its paper, listing the paper,
    taken at the meeting that decided the recommendation (else the meeting the paper went to),
    and linked both ways (the recommendation records the notice). The recommendation's
    financial lines are then the money the notice commits: a line has one owner, so they stay
    the recommendation's and are counted once, and signing the notice locks them with it.

    Refuses (``PermissionDenied``) a user who may not add notices or change recommendations,
    and (``NoticeAlreadyDrafted``, a ``ValueError``) a recommendation that already has a
    notice. One history entry on the notice and one on the recommendation, each with the
    reason. Five queries and the writes."""
    for perm in DRAFT_PERMISSIONS:
        _require(user, perm, "draft")
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("paper", "decision_notice")
        .get(pk=recommendation.pk)
    )
    if recommendation.decision_notice_id:
        raise NoticeAlreadyDrafted(recommendation, recommendation.decision_notice)
    paper = recommendation.paper
    number = recommendation.number or f"#{recommendation.pk}"
    reason = f"Drafted from recommendation {number} of “{paper}”"
    draft = DecisionNotice(
        title=paper.title[: DecisionNotice._meta.get_field("title").max_length],
        meeting_id=recommendation.decided_at_id or paper.meeting_id,
    )
    draft.full_clean()
    draft._change_reason = reason
    draft._history_user = user
    # simple_history writes an entry for every save and every change of the papers: the
    # notice is saved without one, and adding its paper writes the one entry (fields and
    # paper), marked as the creation it is.
    draft.save_without_historical_record()
    draft.papers.add(paper)
    draft.history.filter(id=draft.pk).update(history_type="+")
    recommendation.decision_notice = draft
    recommendation._change_reason = f"Followed by the draft decision notice “{draft}”"
    recommendation._history_user = user
    recommendation.save()
    return draft
