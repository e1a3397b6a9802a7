"""Police collaboration: areas, the functions collaborated in them, their business cases and the
agreements (s22A Police Act 1996, memoranda of understanding) that govern them.

The money (budgets, forecast and realised savings) is not stored here: it is financial lines
(``finance.FinancialLine``) about an area, a function or a business case, so finance and
collaboration read the same figures.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards.models import Organisation, Paper
from minutebook.concurrency import Versioned

REVIEW_INTERVAL_MONTHS = 12


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # 29 February plus a year is 28 February.
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class CollaborationArea(models.Model):
    """A portfolio of collaborated functions, e.g. Joint Protective Services."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_collaboration_areas",
        help_text="The force or body that leads the area day to day, where recorded.",
    )
    description = models.TextField(blank=True, help_text="As the seeds describe it.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the areas page.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaboration:index") + f"#area-{self.slug}"


class CollaboratedFunction(Versioned):
    """A police function provided jointly, e.g. ICT for Bedfordshire, Cambridgeshire and Hertfordshire."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        OUTLINE_CASE = "outline_case", "Outline case"
        FULL_CASE = "full_case", "Full case"
        IMPLEMENTING = "implementing", "Implementing"
        LIVE = "live", "Live"
        NOT_PROCEEDING = "not_proceeding", "Not proceeding"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    area = models.ForeignKey(CollaborationArea, on_delete=models.PROTECT, related_name="functions")
    lead_force = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_functions",
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="collaborated_functions"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, help_text="Blank when not recorded."
    )
    go_live = models.DateField(
        null=True, blank=True, help_text="Only when a full date is recorded."
    )
    go_live_as_printed = models.CharField(
        max_length=100,
        blank=True,
        help_text='When only a partial date is printed, e.g. "late 2016".',
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        ordering = ["area__position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collaboration:function", args=[self.slug])


class BusinessCase(Versioned):
    class Stage(models.TextChoices):
        OUTLINE = "outline", "Outline business case"
        FULL = "full", "Full business case"

    function = models.ForeignKey(
        CollaboratedFunction, on_delete=models.PROTECT, related_name="business_cases"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    approved_on = models.DateField(
        null=True, blank=True, help_text="Only when a full date is recorded."
    )
    approved_as_printed = models.CharField(
        max_length=100, blank=True, help_text='When only a month is printed, e.g. "February 2015".'
    )
    approved_by = models.CharField(max_length=200, blank=True)
    assurance_review = models.TextField(blank=True)
    paper = models.ForeignKey(
        Paper,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="business_cases",
        help_text="The paper that reports it.",
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["function", "approved_on", "pk"]

    def __str__(self) -> str:
        stage = self.get_stage_display() if self.stage else "Business case"
        return f"{self.function}: {stage}"

    @property
    def approval_text(self) -> str:
        if self.approved_on:
            return self.approved_on.strftime("%-d %B %Y")
        return self.approved_as_printed

    def get_absolute_url(self) -> str:
        return self.function.get_absolute_url() + f"#case-{self.pk}"


class CollaborationAgreement(Versioned):
    class LegalBasis(models.TextChoices):
        S22A = "s22a", "Section 22A Police Act 1996"
        MOU = "mou", "Memorandum of understanding"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    legal_basis = models.CharField(max_length=10, choices=LegalBasis.choices)
    functions = models.ManyToManyField(CollaboratedFunction, blank=True, related_name="agreements")
    parties = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="collaboration_agreements",
        help_text="The corporations sole that signed it.",
    )
    parties_as_printed = models.CharField(
        max_length=300,
        blank=True,
        help_text='When the paper names them together, e.g. "the six corporations sole".',
    )
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.CharField(max_length=200, blank=True, help_text="Where it was signed.")
    last_reviewed_on = models.DateField(null=True, blank=True)
    review_term_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=REVIEW_INTERVAL_MONTHS,
        verbose_name="review term (months)",
        help_text="How often the agreement is reviewed, as it or its paper states (12 for "
        "“at least annually”). Blank when no document states a term: then no review is "
        "computed as due or overdue.",
    )
    review_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Leave blank to count the review term from the last review or the signing.",
    )
    decision_notice = models.ForeignKey(
        "decisions.DecisionNotice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collaboration_agreements",
    )
    paper = models.ForeignKey(
        Paper,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collaboration_agreements",
        help_text="The paper that presented it to a board.",
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[functions, parties])

    class Meta:
        ordering = ["-signed_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collaboration:agreement", args=[self.pk])

    @property
    def review_due(self) -> datetime.date | None:
        """The explicit due date, else the review term after the last review or the signing;
        None when neither a due date nor a term is recorded (nothing is assumed)."""
        if self.review_due_on:
            return self.review_due_on
        base = self.last_reviewed_on or self.signed_on
        if base is None or not self.review_term_months:
            return None
        return _add_months(base, self.review_term_months)

    @property
    def review_due_is_derived(self) -> bool:
        return self.review_due_on is None and self.review_due is not None

    def review_overdue(self, today: datetime.date | None = None) -> bool:
        due = self.review_due
        return bool(due and due < (today or datetime.date.today()))
