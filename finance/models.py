"""Financial lines: the money a paper, recommendation, decision notice or collaborated function
commits, budgets, spends or saves, one amount per line.

A line *belongs to* one record: a paper, a recommendation or a decision notice, or, when no
document carries it, a collaborated function. It may also be *about* a collaboration area, a
function or a business case (the 2018 collaboration paper's savings table belongs to that paper
and each row is about one function), which is how finance and collaboration read the same money.

A line of a signed decision notice is locked with the notice: the money a signed decision
committed is part of the decision.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards.models import Paper
from boards.models.base import LockedRecordError
from collaboration.models import BusinessCase, CollaboratedFunction, CollaborationArea
from decisions.models import DecisionNotice, Recommendation
from minutebook import access, money
from minutebook.concurrency import Versioned
from minutebook.fields import FinancialYearField, MoneyField

OWNER_FIELDS = ("paper", "recommendation", "decision_notice")


class RecordType(models.TextChoices):
    """What a line belongs to; the finance page filters by it."""

    PAPER = "paper", "Paper"
    RECOMMENDATION = "recommendation", "Recommendation"
    DECISION_NOTICE = "decision_notice", "Decision notice"
    FUNCTION = "function", "Collaborated function"


RECORD_TYPE_Q = {
    RecordType.PAPER: Q(paper__isnull=False),
    RecordType.RECOMMENDATION: Q(recommendation__isnull=False),
    RecordType.DECISION_NOTICE: Q(decision_notice__isnull=False),
    RecordType.FUNCTION: Q(
        paper__isnull=True, recommendation__isnull=True, decision_notice__isnull=True
    ),
}


def visible_q(user) -> Q:
    """The condition ``visible_to`` filters on, for a reader who does not see everything:
    subqueries over the (few) records, never over the lines."""
    papers = Paper.objects.visible_to(user).values("pk")
    return (
        Q(paper__in=papers)
        | Q(recommendation__in=Recommendation.objects.filter(paper__in=papers).values("pk"))
        | Q(decision_notice__in=DecisionNotice.objects.visible_to(user).values("pk"))
        | RECORD_TYPE_Q[RecordType.FUNCTION]
    )


class FinancialLineQuerySet(models.QuerySet):
    def counted(self) -> FinancialLineQuerySet:
        """Lines that go into totals: not a part or a repeat of another line, and not of a
        withdrawn decision notice (a withdrawn decision commits nothing; its correction's
        lines count instead)."""
        return self.filter(counted=True).exclude(
            decision_notice__status=DecisionNotice.Status.WITHDRAWN
        )

    def delete(self):
        """Deletes line by line, so a signed notice's lines refuse as they do one at a time."""
        deleted = 0
        for line in self:
            line.delete()
            deleted += 1
        return deleted, {self.model._meta.label: deleted}

    def update(self, **kwargs):
        """Refuses lines of a signed notice; keeps the running totals (``finance.rollup``)."""
        from . import rollup

        locked = self.filter(decision_notice__isnull=False).exclude(
            decision_notice__status=DecisionNotice.Status.DRAFT
        )
        if locked.exists():
            raise LockedRecordError(
                "Some of these lines belong to a signed decision notice; the money a signed "
                "decision committed cannot change."
            )
        if set(kwargs) <= {"version"}:  # the optimistic-lock bump moves no money
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        with rollup.moving(FinancialLine.objects.filter(pk__in=ids)):
            return super().update(**kwargs)

    def visible_to(self, user) -> FinancialLineQuerySet:
        """Lines whose record the reader may see: the paper, the recommendation's paper or the
        notice must be visible to them; a function's own lines are public. No query of its own."""
        if access.sees_everything(user):
            return self
        return self.filter(visible_q(user))

    def of_board(self, board_id: int) -> FinancialLineQuerySet:
        """Lines of records of one board: its papers, their recommendations, notices taken at
        its meetings. Subqueries, not joins, so the planner keeps to the lines' indexes."""
        return self.filter(
            Q(paper__in=Paper.objects.filter(board_id=board_id).values("pk"))
            | Q(
                recommendation__in=Recommendation.objects.filter(paper__board_id=board_id).values(
                    "pk"
                )
            )
            | Q(
                decision_notice__in=DecisionNotice.objects.filter(
                    meeting__board_id=board_id
                ).values("pk")
            )
        )

    def of_record_type(self, record_type: str) -> FinancialLineQuerySet:
        return self.filter(RECORD_TYPE_Q[RecordType(record_type)])


class FinancialLine(Versioned):
    class Kind(models.TextChoices):
        COST = "cost", "Cost"
        CAPITAL = "capital", "Capital"
        REVENUE = "revenue", "Revenue"
        GRANT = "grant", "Grant"
        INCOME = "income", "Income"
        BUDGET = "budget", "Budget"
        UNDERSPEND = "underspend", "Underspend"
        FEE = "fee", "Fee"
        FORECAST_SAVING = "forecast_saving", "Forecast saving"
        REALISED_SAVING = "realised_saving", "Realised saving"

    class Recurrence(models.TextChoices):
        RECURRENT = "recurrent", "Recurrent"
        ONE_OFF = "one_off", "One-off"

    # A budget may be cut below nothing on a line of adjustments, and a negative underspend is
    # an overspend; every other kind is a positive sum whose direction the kind carries
    # (a cost printed "-£795" in a table of savings is a cost of £795k).
    NEGATIVE_KINDS = frozenset({Kind.BUDGET, Kind.UNDERSPEND})

    description = models.CharField(max_length=300)
    amount = MoneyField(help_text="Pounds, e.g. 197000, 197,000, £197k, £1.2m or £52.50.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    financial_year = FinancialYearField(
        blank=True,
        db_index=True,
        help_text='UK financial year, April to March, written "2015/16". Blank when not '
        "recorded; filled in from the date when only a date is given.",
    )
    on_date = models.DateField(
        null=True,
        blank=True,
        verbose_name="date",
        help_text="The date the amount applies to, if printed.",
    )
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, blank=True, help_text="Blank when not recorded."
    )
    scope = models.CharField(
        max_length=200,
        blank=True,
        help_text='Whose money, as printed, e.g. "Cambridgeshire" or "Bedfordshire, '
        'Cambridgeshire and Hertfordshire".',
    )
    as_printed = models.CharField(
        max_length=100,
        blank=True,
        help_text='The figure as the source prints it, e.g. "Circa £1m".',
    )
    source_table = models.CharField(
        max_length=200,
        blank=True,
        help_text="The printed table the figure comes from; lines of one table are shown together.",
    )
    in_thousands = models.BooleanField(
        default=False, help_text="The source table is in £'000; show the figure the same way."
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within its record or table.")
    note = models.TextField(blank=True)
    counted = models.BooleanField(
        default=True,
        verbose_name="counted in totals",
        help_text="Untick when the figure repeats, is part of, or was superseded by money "
        "recorded in another line (say which in the note): it is still listed, never added "
        "to a total twice.",
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="The line this figure is part of or repeats; it is then not counted again.",
    )

    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.PROTECT, related_name="financial_lines"
    )
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_lines",
    )
    decision_notice = models.ForeignKey(
        DecisionNotice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_lines",
    )
    function = models.ForeignKey(
        CollaboratedFunction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_lines",
        help_text="The collaborated function the money is for (the line belongs to it when no "
        "paper, recommendation or notice is given).",
    )
    area = models.ForeignKey(
        CollaborationArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_lines",
        help_text="The collaboration area the money is for, e.g. a collaborated budget.",
    )
    business_case = models.ForeignKey(
        BusinessCase,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_lines",
        help_text="The business case that forecast this saving.",
    )

    history = HistoricalRecords()
    objects = FinancialLineQuerySet.as_manager()

    class Meta:
        ordering = ["financial_year", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="financialline_one_owner",
                condition=(
                    Q(
                        paper__isnull=False,
                        recommendation__isnull=True,
                        decision_notice__isnull=True,
                    )
                    | Q(
                        paper__isnull=True,
                        recommendation__isnull=False,
                        decision_notice__isnull=True,
                    )
                    | Q(
                        paper__isnull=True,
                        recommendation__isnull=True,
                        decision_notice__isnull=False,
                    )
                    | Q(
                        paper__isnull=True,
                        recommendation__isnull=True,
                        decision_notice__isnull=True,
                        function__isnull=False,
                    )
                ),
                violation_error_message="A line belongs to exactly one paper, recommendation or "
                "decision notice, or else to a collaborated function.",
            ),
            models.CheckConstraint(
                name="financialline_part_not_counted",
                condition=Q(part_of__isnull=True) | Q(counted=False),
                violation_error_message="A line that is part of another is not counted again.",
            ),
            models.CheckConstraint(
                name="financialline_negative_kinds",
                condition=Q(amount__gte=0) | Q(kind__in=["budget", "underspend"]),
                violation_error_message="Only a budget or an underspend can be negative.",
            ),
        ]
        indexes = [
            models.Index(fields=["financial_year", "kind"], name="line_year_kind_idx"),
            models.Index(fields=["kind", "financial_year"], name="line_kind_year_idx"),
            # The lines list's order, so a page is read off the index instead of sorting.
            models.Index(
                fields=["financial_year", "kind", "position", "id"], name="line_list_order_idx"
            ),
        ]

    def __str__(self) -> str:
        year = f" ({self.financial_year})" if self.financial_year else ""
        return f"{self.description}: {money.format_amount(self.amount)}{year}"

    # -- what it belongs to ---------------------------------------------------------------------
    @property
    def record(self):
        """The record the line belongs to."""
        return self.paper or self.recommendation or self.decision_notice or self.function

    @property
    def record_title(self) -> str:
        """What the record is called: its title, a function's name, or for a recommendation
        its number and paper."""
        if self.recommendation_id:
            rec = self.recommendation
            return f"Recommendation {rec.number} of “{rec.paper.title}”"
        record = self.record
        return getattr(record, "title", None) or getattr(record, "name", "") or str(record)

    @property
    def record_type(self) -> RecordType:
        for name in OWNER_FIELDS:
            if getattr(self, f"{name}_id"):
                return RecordType(name)
        return RecordType.FUNCTION

    def get_absolute_url(self) -> str:
        return reverse("finance:lines") + f"?line={self.pk}"

    # -- display ----------------------------------------------------------------------------------
    @property
    def display_amount(self) -> str:
        """As the papers print it: "£197k"; in a £'000 table, thousands: "1,501"."""
        if self.in_thousands:
            return money.format_thousands(self.amount)
        return money.format_amount(self.amount)

    @property
    def exact_amount(self) -> str:
        return money.format_exact(self.amount)

    # -- rules -----------------------------------------------------------------------------------
    def clean(self) -> None:
        errors: dict[str, str] = {}
        owners = [name for name in OWNER_FIELDS if getattr(self, f"{name}_id")]
        if len(owners) > 1:
            errors["__all__"] = (
                "A line belongs to one record: choose a paper, a recommendation or a decision "
                "notice, not " + " and ".join(o.replace("_", " ") for o in owners) + "."
            )
        elif not owners and not self.function_id:
            errors["__all__"] = (
                "Choose the record the line belongs to: a paper, a recommendation, a decision "
                "notice or a collaborated function."
            )
        if self.part_of_id:
            if self.part_of_id == self.pk:
                errors["part_of"] = "Part of: a line cannot be part of itself."
            self.counted = False
        if self.amount is not None and self.amount < 0 and self.kind not in self.NEGATIVE_KINDS:
            errors["amount"] = (
                f"Amount: a {self.get_kind_display().lower() or 'line'} cannot be negative; "
                "only a budget or an underspend can."
            )
        if self.on_date:
            derived = money.financial_year_of(self.on_date)
            if not self.financial_year:
                self.financial_year = derived
            elif self.financial_year != derived:
                errors["financial_year"] = (
                    f"Financial year: the date {self.on_date:%-d %B %Y} is in {derived}, "
                    f"not {self.financial_year}."
                )
        if errors:
            raise ValidationError(errors)

    def locked_by(self) -> DecisionNotice | None:
        """The signed notice this line (as stored) belongs to, if any."""
        notice_ids = {self.decision_notice_id}
        if self.pk:
            stored = (
                type(self)
                ._default_manager.filter(pk=self.pk)
                .values_list("decision_notice_id", flat=True)
                .first()
            )
            notice_ids.add(stored)
        notice_ids.discard(None)
        if not notice_ids:
            return None
        return (
            DecisionNotice.objects.filter(pk__in=notice_ids)
            .exclude(status=DecisionNotice.Status.DRAFT)
            .first()
        )

    def save(self, *args, **kwargs) -> None:
        if self.part_of_id:
            self.counted = False
        if self.on_date:
            derived = money.financial_year_of(self.on_date)
            if not self.financial_year:
                self.financial_year = derived
            elif self.financial_year != derived:
                raise ValidationError(
                    {
                        "financial_year": f"Financial year: the date {self.on_date:%-d %B %Y} "
                        f"is in {derived}, not {self.financial_year}."
                    }
                )
        notice = self.locked_by()
        if notice is not None:
            raise LockedRecordError(
                f"This line belongs to the signed decision notice “{notice}”; the money a signed "
                "decision committed cannot change. Draft a correction of the notice instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        notice = self.locked_by()
        if notice is not None:
            raise LockedRecordError(
                f"This line belongs to the signed decision notice “{notice}” and cannot be deleted."
            )
        return super().delete(*args, **kwargs)


class LineTotal(models.Model):
    """The sum and count of the counted lines of one bucket (see ``finance.rollup``)."""

    key = models.CharField(max_length=120, unique=True)
    financial_year = models.CharField(max_length=7, blank=True)
    kind = models.CharField(max_length=20, choices=FinancialLine.Kind.choices)
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    board = models.ForeignKey(
        "boards.Board", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    public = models.BooleanField()
    total = models.DecimalField(max_digits=18, decimal_places=2)
    lines = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["public", "financial_year", "kind"], name="linetotal_public_idx")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.total} ({self.lines})"
