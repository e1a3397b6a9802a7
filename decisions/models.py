"""Recommendations in papers, what the board did with them, and the Commissioner's decision notices.

A decision notice is numbered once, when it is signed, from the configured reference scheme
(``MINUTEBOOK_DECISION_REFERENCE``, e.g. "CPCC {year}-{number:03d}"), and is locked from then on:
the model refuses changes to a signed notice, and so do its papers (none added, removed or
deleted), the recommendations it followed (their text, outcome and link to it) and, in the
finance app, the money of both. Its lifecycle (sign, publish, withdraw) moves only through
``decisions.services``, which holds the key of ``DecisionNotice.lifecycle``, and only along
``DecisionNotice.MOVES``: a signed notice never returns to draft. A correction is a new notice
that supersedes it.
"""

from __future__ import annotations

import weakref

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from boards import access
from boards.models import AgendaItem, Meeting, MinuteParagraph, Paper, Person
from minutebook.concurrency import Versioned
from minutebook.records import (
    LifecycleLock,
    LockedRecordError,
    RecordQuerySet,
    RenderedText,
    VisibilityTracked,
    describe,
    rendered_html_field,
)


class DecisionNoticeQuerySet(RecordQuerySet):
    lock_message = "their signature"

    def locked(self) -> DecisionNoticeQuerySet:
        """Notices signed, published or withdrawn: every notice but a draft."""
        return self.exclude(status=DecisionNotice.Status.DRAFT)

    def joining_locked(self) -> DecisionNoticeQuerySet:
        """None: a notice is locked by its own signature, and a historic one is entered signed."""
        return self.none()

    def visible_to(self, user) -> DecisionNoticeQuerySet:
        """Published (and withdrawn) notices for everyone; drafts and signed-but-unpublished
        notices only for staff and members of the board where the decision was taken."""
        public = Q(status__in=[DecisionNotice.Status.PUBLISHED, DecisionNotice.Status.WITHDRAWN])
        return self.filter(public | access.entitled_q(user, "meeting__board_id"))

    def known_to(self, user) -> DecisionNoticeQuerySet:
        """The notices whose existence the reader may know: those the reader may see
        (``visible_to``), and those whose signing is recorded in a minute paragraph or a paper
        the reader may read (approved public minutes that print "the Commissioner signed the
        Decision Notice" make the decision's existence public, not the notice). Each carries
        ``notice_shown``: whether the reader may open the notice itself. Subqueries; no query
        of its own."""
        if access.sees_everything(user):
            # Staff see every notice: each is shown, none known only from its signing's record
            # (the same rows and flag as the subqueries below, which staff pay to plan for nothing).
            return self.annotate(notice_shown=Value(True, output_field=models.BooleanField()))
        shown = DecisionNotice.objects.visible_to(user).filter(pk=OuterRef("pk"))
        # Correlated by key (each notice's own minute or paper), not ``IN (every readable
        # paragraph)``: at the benchmark's volume that list cost a paper's page 270 ms.
        announced = Exists(
            MinuteParagraph.objects.visible_to(user).filter(pk=OuterRef("signing_minute"))
        ) | Exists(Paper.objects.visible_to(user).filter(pk=OuterRef("signing_paper")))
        return self.annotate(notice_shown=Exists(shown)).filter(
            Q(notice_shown=True) | (announced & Q(status__in=self.model.SIGNED_STATES))
        )

    def of_meeting(self, meeting) -> DecisionNoticeQuerySet:
        """Notices taken at ``meeting`` or whose signing its minutes record (a notice signed
        before the meeting and reported to it). No query of its own.

        The two are a union of keys, each read off its own index (the notices' meeting; the
        meeting's items, their paragraphs, the notices' signing minute), not an OR across the
        join to the minute: PostgreSQL cannot read that OR off an index, so it scanned every
        notice and ran ``known_to``'s subqueries over every paragraph and paper (210-330 ms a
        meeting page at the benchmark's volume; under 1 ms this way)."""
        taken = DecisionNotice.objects.filter(meeting=meeting).order_by().values("pk")
        reported = (
            DecisionNotice.objects.filter(signing_minute__item__meeting=meeting)
            .order_by()
            .values("pk")
        )
        return self.filter(pk__in=taken.union(reported))

    def taken(self) -> DecisionNoticeQuerySet:
        """Notices that are decisions: signed, published or withdrawn (never a draft, nor a
        historic notice whose signing is not recorded)."""
        return self.filter(status__in=DecisionNotice.SIGNED_STATES)

    def with_taken_at_item(self, user) -> DecisionNoticeQuerySet:
        """Each notice with ``taken_at_item_pk`` and ``taken_at_item_number``: the first agenda
        item the reader may see, at the meeting where it was taken, that took one of its papers
        or holds the minute recording its signing (None when none), so ``taken_at_url`` lands
        on it. Two subqueries; no query of its own."""
        items = (
            AgendaItem.objects.visible_to(user)
            .filter(meeting=OuterRef("meeting"))
            .filter(
                Q(paper__decision_notices=OuterRef("pk")) | Q(paragraphs=OuterRef("signing_minute"))
            )
            .order_by("position")
        )
        return self.annotate(
            taken_at_item_pk=Subquery(items.values("pk")[:1]),
            taken_at_item_number=Subquery(items.values("number")[:1]),
        )

    def with_meeting_shown_to(self, user) -> DecisionNoticeQuerySet:
        """Each notice with ``meeting_shown``: whether the reader may see the meeting where it
        was taken (a published notice of a private board's meeting names neither). A subquery;
        no query of its own."""
        meetings = Meeting.objects.visible_to(user).filter(pk=OuterRef("meeting_id"))
        return self.annotate(meeting_shown=Exists(meetings))


class DecisionNotice(RenderedText, VisibilityTracked, Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # A historic notice the documents name (asked to be signed, "would go to the Board")
        # without recording whether it was signed: never shown as a draft "not signed".
        NOT_RECORDED = "not_recorded", "Signing not recorded"
        SIGNED = "signed", "Signed"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Access(models.TextChoices):
        PUBLIC = "public", "Public"
        PART_EXEMPT = "part_exempt", "Part exempt"

    reference = models.CharField(
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        help_text="Given when the notice is signed; historic notices keep theirs or stay empty.",
    )
    reference_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reference_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    title = models.CharField(max_length=300)
    text_taken_from = models.CharField(
        max_length=300,
        blank=True,
        help_text="When the notice's own wording is not recorded: the document whose text is "
        "entered in its place, e.g. “minutes 9.1 and 9.2 of the Business Coordination Board, 30 "
        "September 2015”. Blank when the text is the notice's own.",
    )
    executive_summary = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    options_rejected = models.TextField(blank=True, verbose_name="options considered and rejected")
    consultation = models.TextField(blank=True)
    background = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True, help_text="The finance officer's advice.")
    legal_implications = models.TextField(blank=True)
    other_implications = models.TextField(blank=True, help_text="Equality, risk, value for money.")
    plan_theme = models.CharField(
        max_length=200, blank=True, verbose_name="Police and Crime Plan theme"
    )
    declarations = models.TextField(
        blank=True, verbose_name="declarations of interest", help_text="And any dispensation."
    )
    forum = models.CharField(
        max_length=200, blank=True, help_text="Where the decision was taken, as recorded."
    )
    decision_maker = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions_made"
    )
    decision_maker_title = models.CharField(max_length=200, blank=True)
    significant_public_interest = models.BooleanField(
        null=True, blank=True, help_text="Obliges publication. Blank when not recorded."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(null=True, blank=True)
    signing_minute = models.ForeignKey(
        MinuteParagraph,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signings_recorded",
        verbose_name="signing recorded in minute",
        help_text="The minute paragraph that records the signing (“the Commissioner signed the "
        "Decision Notice”). Once those minutes are approved and public, the decision's "
        "existence is public (title, meeting, reference) even while the notice is unpublished.",
    )
    signing_paper = models.ForeignKey(
        Paper,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signings_recorded",
        verbose_name="signing recorded in paper",
        help_text="A paper that records the signing (“signed decision notice CPCC 2015-025”).",
    )
    published_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.PUBLIC)
    exemption = models.TextField(
        blank=True, help_text="What is exempt and under which provision (part-exempt notices)."
    )
    background_papers = models.TextField(blank=True)
    contact_officer = models.TextField(blank=True)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_notices",
        help_text="The meeting where the decision was taken.",
    )
    taken_outside_meeting = models.BooleanField(
        default=False,
        verbose_name="taken outside a meeting",
        help_text="Tick when the decision was not taken at a meeting (then name no meeting). "
        "Historic notices that do not say are left unticked.",
    )
    papers = models.ManyToManyField(Paper, blank=True, related_name="decision_notices")
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text="The earlier notice this one corrects or replaces.",
    )

    rendered_fields = (
        "executive_summary",
        "decision",
        "reasons",
        "options_rejected",
        "consultation",
        "background",
        "financial_implications",
        "legal_implications",
        "other_implications",
        "declarations",
    )
    history = HistoricalRecords(
        excluded_fields=[f"{name}_html" for name in rendered_fields], m2m_fields=[papers]
    )
    objects = DecisionNoticeQuerySet.as_manager()
    # What DecisionNoticeQuerySet.visible_to and the rules of the money it commits read (a
    # correction's money counts once it is signed, when the notice it supersedes is withdrawn).
    visibility_fields = ("status", "meeting", "supersedes")
    # Fields the lifecycle services may still change on a signed notice, and the moves they
    # may make (from, to); signing is the move out of draft, made before the notice is locked.
    LIFECYCLE_FIELDS = frozenset({"status", "published_on", "withdrawn_reason", "version"})
    MOVES = frozenset(
        {("signed", "published"), ("signed", "withdrawn"), ("published", "withdrawn")}
    )
    lifecycle = LifecycleLock("decisions.services")
    # The statuses of a decision taken: the Commissioner signed it.
    SIGNED_STATES = (Status.SIGNED, Status.PUBLISHED, Status.WITHDRAWN)

    executive_summary_html = rendered_html_field()
    decision_html = rendered_html_field()
    reasons_html = rendered_html_field()
    options_rejected_html = rendered_html_field()
    consultation_html = rendered_html_field()
    background_html = rendered_html_field()
    financial_implications_html = rendered_html_field()
    legal_implications_html = rendered_html_field()
    other_implications_html = rendered_html_field()
    declarations_html = rendered_html_field()

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["-signed_on", "-pk"]
        permissions = [
            ("sign_decisionnotice", "Can sign decision notices"),
            ("publish_decisionnotice", "Can publish or withdraw decision notices"),
            ("record_historic_signing", "Can record a historic signing date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="notice_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(access="public") | ~Q(exemption=""),
                name="notice_part_exempt_records_exemption",
            ),
            models.UniqueConstraint(
                fields=["reference_year", "reference_number"],
                name="notice_number_unique_per_year",
            ),
            models.CheckConstraint(
                condition=Q(taken_outside_meeting=False) | Q(meeting__isnull=True),
                name="notice_meeting_or_outside_one",
                violation_error_message="A decision taken at a meeting was not taken outside "
                "one: clear the meeting or untick “taken outside a meeting”.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "signed_on"], name="notice_status_signed_idx"),
            # The latest notices, newest first (the home page's, the register's order): read
            # backwards off this, not every notice sorted (8 ms at 4,000 notices; 1 ms).
            models.Index(fields=["signed_on", "id"], name="notice_signed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", kwargs={"pk": self.pk})

    def taken_at_url(self) -> str:
        """The page of the meeting where it was taken, at the agenda item concerned when the
        queryset said which (``with_taken_at_item``); blank without a meeting. Reads
        self.meeting and its board: queries if not loaded."""
        if self.meeting_id is None:
            return ""
        url = self.meeting.get_absolute_url()
        pk = getattr(self, "taken_at_item_pk", None)
        if pk is None:
            return url
        return f"{url}#{AgendaItem.anchor_for(self.taken_at_item_number, pk)}"

    @property
    def is_locked(self) -> bool:
        """Every notice but a draft: a signed one, and a historic one whose signing is not
        recorded (it is kept as the documents leave it, and corrected by a new notice)."""
        return self.status != self.Status.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status in self.SIGNED_STATES

    def missing_for_signing(self) -> list[str]:
        """What a notice needs before it is signed and lacks, as the fields are labelled on
        its screen: the decision, the reasons, the decision maker, and where it was taken (a
        meeting, or "taken outside a meeting"). Empty when complete. No query. Checked by
        ``decisions.services.sign_notice`` only: historic notices entered signed keep what was
        printed."""
        label = {f.name: capfirst(f.verbose_name) for f in self._meta.fields}
        missing = [
            label[name] for name in ("decision", "reasons") if not getattr(self, name).strip()
        ]
        if self.decision_maker_id is None:
            missing.append(label["decision_maker"])
        if self.meeting_id is None and not self.taken_outside_meeting:
            missing.append(
                f"{label['meeting']} (or tick “{self._meta.get_field('taken_outside_meeting').verbose_name}”)"
            )
        return missing

    def signing_refusal(self) -> str | None:
        """Why this notice cannot be signed as it stands (naming each missing field), or None.
        No query."""
        missing = self.missing_for_signing()
        return f"Before signing, fill in: {', '.join(missing)}." if missing else None

    def clean(self) -> None:
        if self.pk is not None:
            self._refuse_changes_when_locked()
        errors = {}
        if self.access == self.Access.PART_EXEMPT and not self.exemption.strip():
            errors["exemption"] = "Record what is exempt and why."
        if self.supersedes_id and self.supersedes_id == self.pk:
            errors["supersedes"] = "A notice cannot supersede itself."
        elif self.supersedes_id and not self.supersedes.is_signed:
            # A draft was never a decision: it is edited, not superseded, and must never reach
            # the public as "withdrawn" when its supposed correction is signed. Nor is a
            # notice whose signing is not recorded: withdrawing it would claim it was signed.
            errors["supersedes"] = (
                f"Only a signed notice can be superseded; “{self.supersedes}” is "
                f"{self.supersedes.get_status_display().lower()}."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            self._refuse_changes_when_locked()
        self.render_text_fields()
        super().save(*args, **kwargs)

    def _refuse_changes_when_locked(self) -> None:
        """A signed notice refuses every change but a lifecycle move made by
        ``decisions.services`` (which holds the key): one of ``MOVES``, changing only
        ``LIFECYCLE_FIELDS``. A draft leaves draft only by being signed, with the key. One
        query."""
        stored = type(self)._default_manager.filter(pk=self.pk).first()
        if stored is None:
            return
        if stored.status == self.Status.DRAFT:
            signing = DecisionNotice.lifecycle.is_open(self) and self.status == self.Status.SIGNED
            if self.status != self.Status.DRAFT and not signing:
                raise LockedRecordError(
                    "A draft notice becomes a decision only by being signed: use the “Sign” "
                    "action (decisions.services.sign_notice), which gives it its reference."
                )
            return
        changed = {
            f.attname
            for f in self._meta.concrete_fields
            if not f.name.endswith("_html")
            and getattr(stored, f.attname) != getattr(self, f.attname)
        }
        moving = (
            DecisionNotice.lifecycle.is_open(self)
            and (stored.status, self.status) in self.MOVES
            and not changed - self.LIFECYCLE_FIELDS
        )
        if not moving and stored.status == self.Status.NOT_RECORDED:
            raise LockedRecordError(
                f"Decision notice “{stored}” is a historic record whose signing the documents "
                "do not record: it is kept as they leave it. Record a correction as a new notice."
            )
        if not moving:
            raise LockedRecordError(
                f"Decision notice {stored.reference or stored.pk} is signed and locked. "
                "Correct it with a new notice that supersedes it."
            )

    def delete(self, *args, **kwargs):
        if self.pk is not None:
            type(self)._default_manager.filter(pk=self.pk).refuse_locked(
                "deleted (a signed notice is withdrawn instead)"
            )
        return super().delete(*args, **kwargs)


class ReferenceCounter(models.Model):
    """The last number given in each year of the reference scheme; locked while a notice is signed."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class RecommendationQuerySet(RecordQuerySet):
    lock_message = "the signed decision notice that followed them"

    def with_decided_item(self, user) -> RecommendationQuerySet:
        """Each recommendation with ``decided_item_pk`` and ``decided_item_number``: the first
        agenda item the reader may see that took its paper at the meeting that decided it
        (None when none), so ``decided_at_url`` lands on that item. Two subqueries; no query
        of its own."""
        items = (
            AgendaItem.objects.visible_to(user)
            .filter(meeting=OuterRef("decided_at"), paper=OuterRef("paper"))
            .order_by("position")
        )
        return self.annotate(
            decided_item_pk=Subquery(items.values("pk")[:1]),
            decided_item_number=Subquery(items.values("number")[:1]),
        )

    def locked(self) -> RecommendationQuerySet:
        """Recommendations a signed (published, withdrawn) notice followed. Joins the notice."""
        return self.filter(decision_notice__status__in=DecisionNotice.SIGNED_STATES)


class Recommendation(RenderedText, VisibilityTracked, Versioned):
    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        # What a historic recommendation carries unless a document states its outcome.
        NOT_RECORDED = "not_recorded", "Not recorded"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_AMENDMENT = "approved_with_amendment", "Approved with amendment"
        NOTED = "noted", "Noted"
        DEFERRED = "deferred", "Deferred"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveIntegerField(default=0, help_text="Order as printed.")
    number = models.CharField(max_length=20, blank=True, help_text='As printed, e.g. "2.1".')
    text = models.TextField()
    text_html = rendered_html_field()
    outcome = models.CharField(max_length=30, choices=Outcome.choices, default=Outcome.PENDING)
    decided_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations_decided",
        help_text="The meeting that considered it.",
    )
    outcome_note = models.TextField(blank=True)
    decision_notice = models.ForeignKey(
        DecisionNotice,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        help_text="The decision notice that followed.",
    )

    history = HistoricalRecords(excluded_fields=["text_html"])
    rendered_fields = ("text",)
    # A recommendation is seen with its paper; its money is seen by the paper's readers.
    visibility_fields = ("paper",)
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["paper", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:70]}".strip()

    def get_absolute_url(self) -> str:
        return self.paper.get_absolute_url() + f"#recommendation-{self.pk}"

    def decided_at_url(self) -> str:
        """The page of the meeting that decided it, at the agenda item that took its paper
        when the queryset said which (``with_decided_item``); blank when no meeting is
        recorded. Reads self.decided_at and its board: queries if not loaded."""
        if self.decided_at_id is None:
            return ""
        url = self.decided_at.get_absolute_url()
        pk = getattr(self, "decided_item_pk", None)
        if pk is None:
            return url
        return f"{url}#{AgendaItem.anchor_for(self.decided_item_number, pk)}"

    @property
    def is_locked(self) -> bool:
        """Whether a signed notice followed it (as loaded). Reads self.decision_notice: a
        query if not loaded."""
        return bool(self.decision_notice_id and self.decision_notice.is_signed)

    def locking_notice(self) -> DecisionNotice | None:
        """The signed notice that followed this recommendation, as stored or as it will be
        saved (a recommendation cannot join a signed notice either); None when none. One query."""
        held = Q(pk=self.decision_notice_id)
        if self.pk is not None:
            held |= Q(pk__in=Recommendation.objects.filter(pk=self.pk).values("decision_notice"))
        return DecisionNotice.objects.filter(held).taken().first()

    def refuse_if_locked(self) -> None:
        notice = self.locking_notice()
        if notice is not None:
            raise LockedRecordError(
                f"This recommendation is locked with the signed decision notice “{notice}”: "
                "what a signed decision followed cannot change. Draft a correction of the notice."
            )

    def clean(self) -> None:
        self.refuse_if_locked()
        if self.outcome == self.Outcome.PENDING and self.decided_at_id:
            raise ValidationError(
                {"outcome": "Record the outcome decided at that meeting, or clear the meeting."}
            )

    def save(self, *args, **kwargs) -> None:
        self.refuse_if_locked()
        self.render_text_fields()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_locked()
        return super().delete(*args, **kwargs)


def reference_format() -> str:
    return settings.DECISION_REFERENCE_FORMAT


# -- guards connected in DecisionsConfig.ready(), one receiver per sender ----------------------

# Notices just written by ``loaddata`` (a raw save), whose papers it sets next: the fixtures
# of historic signed notices. By identity, so no other copy of the record passes.
_loaded: weakref.WeakValueDictionary[int, DecisionNotice] = weakref.WeakValueDictionary()


def note_loaded_notice(sender, instance, raw=False, **kwargs) -> None:
    """``post_save`` receiver: remember a notice ``loaddata`` wrote (see ``_loaded``)."""
    if raw:
        _loaded[id(instance)] = instance


def refuse_changing_papers(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``m2m_changed`` receiver for ``DecisionNotice.papers``: a signed notice's papers are
    part of it, so none is added or removed, from either side (``notice.papers.add()`` or
    ``paper.decision_notices.clear()``). One query."""
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if reverse:  # instance is a paper
        notices = DecisionNotice.objects.filter(papers=instance)
        if pk_set is not None:
            notices = DecisionNotice.objects.filter(pk__in=pk_set)
    else:
        if _loaded.get(id(instance)) is instance:
            return
        notices = DecisionNotice.objects.filter(pk=instance.pk)
    locked = notices.locked()
    if locked.exists():
        raise LockedRecordError(
            f"The papers of {describe(locked)} cannot change: a signed notice is locked. "
            "Draft a correction of the notice instead."
        )


def refuse_deleting_paper(sender, instance, **kwargs) -> None:
    """``pre_delete`` receiver for ``Paper``: a paper that a signed notice lists, or whose
    recommendations a signed notice followed, is never deleted. Up to two queries, and one to
    name the notices."""
    notices = DecisionNotice.objects.filter(
        Q(papers=instance) | Q(recommendations__paper=instance)
    ).locked()
    if notices.exists():
        raise LockedRecordError(
            f"“{instance}” cannot be deleted: the signed decision notice(s) "
            f"{describe(notices.distinct())} came from it."
        )
