"""Financial lines: the money a paper, recommendation, decision notice, minute paragraph or
collaborated function commits, budgets, spends or saves, one amount per line.

A line *belongs to* the one record that prints it: a paper, a recommendation, a decision notice
or a minute paragraph (money printed only in minutes), or, when no document carries it, a
collaborated function. It may also be *about* a collaboration area, a
function or a business case (the 2018 collaboration paper's savings table belongs to that paper
and each row is about one function), which is how finance and collaboration read the same money.

A line of a signed decision notice, or of a recommendation a signed notice followed, is locked
with the notice: the money a signed decision committed is part of the decision. Likewise a line
of a minute paragraph is locked with the approved minutes that print it: approved minutes are
reopened (``boards.services.reopen_minutes``) before their money changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from boards import access
from boards.models import Board, Meeting, MinuteParagraph, Paper
from collaboration.models import BusinessCase, CollaboratedFunction, CollaborationArea
from decisions.models import DecisionNotice, Recommendation
from minutebook import money
from minutebook.concurrency import Versioned
from minutebook.fields import FinancialYearField, MoneyField
from minutebook.records import LockedRecordError, RecordQuerySet, lock_keys

from . import totals
from .kinds import (
    SUMMED_NATURES,
    Direction,
    Kind,
    Nature,
    PrintedTotalOf,
    RecordType,
    Scope,
    column_label,
)

# The records a line belongs to, by their field on the line, and the record type of each.
OWNER_FIELDS = ("paper", "recommendation", "decision_notice", "minute_paragraph")
OWNER_TYPES = {
    "paper": RecordType.PAPER,
    "recommendation": RecordType.RECOMMENDATION,
    "decision_notice": RecordType.DECISION_NOTICE,
    "minute_paragraph": RecordType.MINUTE,
}

RECORD_TYPE_Q = {
    RecordType.PAPER: Q(paper__isnull=False),
    RecordType.RECOMMENDATION: Q(recommendation__isnull=False),
    RecordType.DECISION_NOTICE: Q(decision_notice__isnull=False),
    RecordType.MINUTE: Q(minute_paragraph__isnull=False),
    RecordType.FUNCTION: Q(**{f"{name}__isnull": True for name in OWNER_FIELDS}),
}

# The line's columns that a stamp writes (see FinancialLineQuerySet.stamp).
STAMP_FIELDS = ("visible_to_public", "entitled_board", "in_totals")


def _stamps() -> dict:
    """The stamp columns as SQL expressions over a line's owner columns, for an UPDATE.

    ``visible_to_public`` is the records' own rule, ``Paper.objects.visible_to``,
    ``DecisionNotice.objects.visible_to`` and ``MinuteParagraph.objects.visible_to`` (approved
    minutes of a public board, under an item that is not exempt) for the anonymous reader, as
    subqueries; there is no second copy of it. ``entitled_board`` is the board whose members the
    access rule entitles to the record (the paper's, the recommendation's paper's, the notice's
    meeting's, the minute's meeting's).
    """
    public = AnonymousUser()
    papers = Paper.objects.visible_to(public).values("pk")
    visible = (
        Q(paper__in=papers)
        | Q(recommendation__in=Recommendation.objects.filter(paper__in=papers).values("pk"))
        | Q(decision_notice__in=DecisionNotice.objects.visible_to(public).values("pk"))
        | Q(minute_paragraph__in=MinuteParagraph.objects.visible_to(public).values("pk"))
        | RECORD_TYPE_Q[RecordType.FUNCTION]
    )
    # A withdrawn decision commits nothing, and a correction commits nothing until it is signed
    # (which withdraws the notice it corrects): the money is counted once.
    not_committing = DecisionNotice.objects.filter(
        Q(status=DecisionNotice.Status.WITHDRAWN)
        | Q(status=DecisionNotice.Status.DRAFT, supersedes__isnull=False)
    )
    # A line an import proposed is seen by no public page and counted in no total until a
    # finance officer confirms it.
    visible &= Q(confirmed=True)
    return {
        "visible_to_public": Case(
            When(visible, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
        "entitled_board": Coalesce(
            Subquery(Paper.objects.filter(pk=OuterRef("paper_id")).values("board_id")[:1]),
            Subquery(
                Recommendation.objects.filter(pk=OuterRef("recommendation_id")).values(
                    "paper__board_id"
                )[:1]
            ),
            Subquery(
                DecisionNotice.objects.filter(pk=OuterRef("decision_notice_id")).values(
                    "meeting__board_id"
                )[:1]
            ),
            Subquery(
                MinuteParagraph.objects.filter(pk=OuterRef("minute_paragraph_id")).values(
                    "item__meeting__board_id"
                )[:1]
            ),
        ),
        "in_totals": Case(
            When(
                Q(counted=True, confirmed=True, nature__in=SUMMED_NATURES)
                & ~Q(decision_notice__in=not_committing.values("pk")),
                then=Value(True),
            ),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
    }


def seen_by(user):
    """Whether ``user`` may see a line, from its stamps (``visible_to_public``, the
    ``entitled_board`` id) already read: the rule of ``FinancialLineQuerySet.visible_to`` for
    lines read by another path (a join). No query beyond the reader's cached memberships."""
    if access.reads_all_money(user):
        return lambda public, board: True
    boards = access.member_board_ids(user)
    return lambda public, board: bool(public) or board in boards


def minute_title(paragraph: MinuteParagraph) -> str:
    """What a minute is called where its money is listed: “Minute 9.4 of BCB 26 November
    2015”; an unnumbered paragraph by its item's number, as the pages cite it. Reads the
    paragraph's item, meeting and board: queries if not loaded."""
    number = paragraph.number or paragraph.item.number
    meeting = paragraph.item.meeting
    return f"Minute {number} of {meeting}" if number else f"Minute of {meeting}"


def restamp(lines: models.QuerySet, before: totals.Sums) -> None:
    """Stamp ``lines`` from their records (one plain UPDATE) and move their money from the
    buckets of ``before`` (their sums as they were) into the buckets they now fall in. Call
    inside the transaction of the write. Two queries and one per bucket that moved."""
    models.QuerySet.update(lines, **_stamps())
    totals.apply(totals.difference(before, totals.sums(lines)))


def lock_owners(owners) -> None:
    """Lock the records whose change re-stamps lines with these owners ((paper id,
    recommendation id, notice id, minute paragraph id) tuples, ``OWNER_FIELDS``' order): papers
    with their boards, recommendations with their paper and board, notices, minute paragraphs
    with their agenda item, and then the meetings of the notices and of the paragraphs (whose
    minutes' approval decides both who sees a minute and whether its lines are locked). Always
    in that order and by key, so writers of lines and of records wait for each other instead of
    deadlocking. Up to five queries; nothing is locked on SQLite, where writers are serialised
    anyway."""
    papers, recommendations, notices, paragraphs = set(), set(), set(), set()
    for paper, recommendation, notice, paragraph in owners:
        papers.add(paper)
        recommendations.add(recommendation)
        notices.add(notice)
        paragraphs.add(paragraph)
    meetings: set[int] = set()
    for model, ids, related in (
        (Paper, papers, ("board",)),
        (Recommendation, recommendations, ("paper", "paper__board")),
        (DecisionNotice, notices, ()),
        (MinuteParagraph, paragraphs, ("item",)),
    ):
        ids.discard(None)
        if ids:
            rows = model.objects.filter(pk__in=sorted(ids)).select_related(*related)
            keys = ["id", *(f"{name}__id" for name in related)]
            if model is DecisionNotice:
                keys.append("meeting_id")
            if model is MinuteParagraph:
                keys.append("item__meeting_id")
            of = ("self", *related)
            locked = list(rows.order_by("pk").only(*keys).select_for_update(of=of))
            # A notice's meeting is optional: an outer join cannot lock. A paragraph's is
            # locked with the notices', in one order.
            if model is DecisionNotice:
                meetings |= {n.meeting_id for n in locked if n.meeting_id}
            if model is MinuteParagraph:
                meetings |= {p.item.meeting_id for p in locked}
    if meetings:
        found = Meeting.objects.filter(pk__in=sorted(meetings)).order_by("pk")
        list(found.select_for_update(of=("self",)).values_list("pk", flat=True))


def _key(value) -> int | None:
    """A record's key from a record or a key; None for anything else (an expression)."""
    if isinstance(value, models.Model):
        return value.pk
    return value if isinstance(value, int) else None


def _owners_of(lines: models.QuerySet) -> list:
    return list(lines.values_list(*(f"{name}_id" for name in OWNER_FIELDS)))


def owners_of(line: FinancialLine) -> tuple:
    """The line's owner keys, in ``OWNER_FIELDS``' order."""
    return tuple(getattr(line, f"{name}_id") for name in OWNER_FIELDS)


def _refuse_into_signed(owners) -> None:
    """Refuse moving or adding lines to a signed notice, to a recommendation a signed notice
    followed, or to a paragraph of approved minutes (``owners``: (recommendation id, notice
    id, minute paragraph id) triples). Up to three queries."""
    recommendations = {r for r, _n, _p in owners if r is not None}
    notices = {n for _r, n, _p in owners if n is not None}
    paragraphs = {p for _r, _n, p in owners if p is not None}
    if (notices and DecisionNotice.objects.filter(pk__in=notices).locked().exists()) or (
        recommendations and Recommendation.objects.filter(pk__in=recommendations).locked().exists()
    ):
        raise LockedRecordError(
            "A signed decision notice's money cannot change: no line can be added to it or "
            "to a recommendation it followed."
        )
    if paragraphs and MinuteParagraph.objects.filter(pk__in=paragraphs).locked().exists():
        raise LockedRecordError(
            "The money printed in approved minutes cannot change: no line can be added to a "
            "paragraph of approved minutes. Reopen the minutes with a reason first."
        )


@contextmanager
def restamping(lines: models.QuerySet) -> Iterator[None]:
    """Around a write to ``lines`` (a queryset that selects the same rows before and after it):
    their sums by bucket before, the write, then ``restamp``, all in one transaction."""
    with transaction.atomic(using=lines.db):
        before = totals.sums(lines)
        yield
        restamp(lines, before)


class FinancialLineQuerySet(RecordQuerySet):
    lock_message = (
        "a signed decision notice or approved minutes: the money a signed decision committed, "
        "or approved minutes print, cannot change"
    )

    # -- locks -----------------------------------------------------------------------------------
    def locked(self) -> FinancialLineQuerySet:
        """Lines of a signed (published, withdrawn) notice, of a recommendation a signed
        notice followed, or of a paragraph of approved minutes. Subqueries; no query of its
        own."""
        return self.filter(
            Q(decision_notice__in=DecisionNotice.objects.locked().values("pk"))
            | Q(recommendation__in=Recommendation.objects.locked().values("pk"))
            | Q(minute_paragraph__in=MinuteParagraph.objects.locked().values("pk"))
        )

    # -- reading ---------------------------------------------------------------------------------
    def counted(self) -> FinancialLineQuerySet:
        """Lines that go into totals: an amount or a baseline (never a rate or a target), not a
        part or a repeat of another line, not of a withdrawn
        decision notice (a withdrawn decision commits nothing; its correction's lines count
        instead), and not of a correction still in draft (the notice it corrects still counts).
        The stored ``in_totals`` column; no join."""
        return self.filter(in_totals=True)

    def visible_to(self, user) -> FinancialLineQuerySet:
        """Lines whose record the reader may see (the paper, the recommendation's paper or the
        notice; a function's own lines are public), read from the line's stamped columns:
        public lines, and for a board member the lines of their boards' records. No query of
        its own beyond the reader's (cached) memberships."""
        if access.reads_all_money(user):
            return self
        boards = access.member_board_ids(user)
        if boards:
            return self.filter(Q(visible_to_public=True) | Q(entitled_board__in=sorted(boards)))
        return self.filter(visible_to_public=True)

    def disagreements(self, user) -> FinancialLineQuerySet:
        """Of these lines, those that carry a contradiction in words, and those reporting the
        same money as a line ``user`` may see whose amount differs: what /finance/ lists under
        "Where the documents disagree". Read off ``line_disagreement_idx``, the other line
        looked up by key; no query of its own."""
        seen = FinancialLine.objects.visible_to(user).filter(pk=OuterRef("same_as_id"))
        disagreeing = (
            Q(same_as__isnull=False) & Exists(seen) & ~Q(amount=models.F("same_as__amount"))
        )
        return self.filter(~Q(contradiction="") | disagreeing)

    def of_board(self, board_id: int) -> FinancialLineQuerySet:
        """Lines of records of one board (its papers, their recommendations, notices taken at its
        meetings, its minutes): the stamped ``entitled_board``, indexed."""
        return self.filter(entitled_board=board_id)

    def of_paper(self, paper: Paper, recommendation_ids) -> FinancialLineQuerySet:
        """A paper's money: its own lines and those of its recommendations (``recommendation_ids``,
        already read by the page), read by owner through the owners' indexes. No query of its
        own (a subquery here would make PostgreSQL scan every line)."""
        return self.filter(Q(paper=paper) | Q(recommendation__in=list(recommendation_ids)))

    def of_notice(self, notice: DecisionNotice, recommendation_ids) -> FinancialLineQuerySet:
        """The money a notice commits: its own lines and those of the recommendations it followed
        (``recommendation_ids``, already read by the page), read by owner. No query of its own."""
        return self.filter(
            Q(decision_notice=notice) | Q(recommendation__in=list(recommendation_ids))
        )

    def of_record_type(self, record_type: str) -> FinancialLineQuerySet:
        return self.filter(RECORD_TYPE_Q[RecordType(record_type)])

    def with_records(self, *, same_as: bool = False) -> FinancialLineQuerySet:
        """The lines with what a row shows of its record (titles, names and what their addresses
        need, never a paper's body or a minute's text), in the same query; with ``same_as``,
        also what a row says of the line it reports the same money as (a join: not for the lines
        list, whose planning each join slows)."""
        own = [field.attname for field in FinancialLine._meta.concrete_fields]
        related = ["paper", "recommendation__paper", "decision_notice", "function", "area"]
        fields = [*own, *RECORD_FIELDS]
        if same_as:
            related.append("same_as")
            fields += SAME_AS_FIELDS
        # A minute's title needs its item, meeting and board: four joins more, which the
        # planner weighs for every list of lines (planning, not reading, was most of the lines
        # list's SQL time); read instead in one query, only when a line of a minute is listed.
        minutes = Prefetch(
            "minute_paragraph",
            queryset=MinuteParagraph.objects.select_related("item__meeting__board").only(
                *(
                    f.removeprefix("minute_paragraph__")
                    for f in fields
                    if f.startswith("minute_paragraph__")
                )
            ),
        )
        return (
            self.select_related(*related)
            .only(*(f for f in fields if not f.startswith("minute_paragraph__")))
            .prefetch_related(minutes)
        )

    def with_same_money(self, user) -> FinancialLineQuerySet:
        """The lines with ``same_as_amount``: the amount of the line each reports the same money
        as, when ``user`` may see that line (else None), so a row can say whether the two
        figures agree. A subquery by key per line read; no join, no query of its own."""
        seen = FinancialLine.objects.visible_to(user).filter(pk=OuterRef("same_as_id"))
        return self.annotate(same_as_amount=Subquery(seen.values("amount")[:1]))

    def sums_by_bucket(self) -> list[tuple[str, str, str, str, object]]:
        """(scope key, kind, direction, nature, total) of the lines counted in totals, one per
        bucket present (never two scopes or directions added; rates and targets never), in
        ``totals.bucket_order``. One query."""
        rows = (
            self.counted()
            .annotate(_scope=totals.SCOPE_KEY)
            .order_by()
            .values_list("_scope", "kind", "direction", "nature")
            .annotate(total=Sum("amount"))
        )
        return sorted(rows, key=lambda row: totals.bucket_order(*row[:4]))

    def by_kind(self) -> list[tuple[str, str, object]]:
        """(bucket, label, total) of ``sums_by_bucket``: the bucket "scope|kind|direction|nature"
        and a label naming the scope, "Grant (received): Cambridgeshire". One query."""
        return [
            ("|".join(row[:4]), f"{column_label(*row[1:4])}: {totals.scope_label(row[0])}", row[4])
            for row in self.sums_by_bucket()
        ]

    def by_notice_and_kind(self, notice_ids) -> dict[int, list[dict]]:
        """For each notice, [{"label", "total"}] of the counted lines it commits (its own and
        those of the recommendations it followed), one per scope, kind, direction and nature,
        the label naming the scope. One query."""
        rows = (
            self.filter(counted=True, confirmed=True, nature__in=SUMMED_NATURES)
            .filter(
                Q(decision_notice__in=notice_ids)
                | Q(recommendation__decision_notice__in=notice_ids)
            )
            .annotate(
                notice=Coalesce("decision_notice", "recommendation__decision_notice"),
                _scope=totals.SCOPE_KEY,
            )
            .order_by()
            .values("notice", "_scope", "kind", "direction", "nature")
            .annotate(total=Sum("amount"))
        )

        def order(row):
            return totals.bucket_order(row["_scope"], row["kind"], row["direction"], row["nature"])

        found: dict[int, list[dict]] = defaultdict(list)
        for row in sorted(rows, key=order):
            column = (row["kind"], row["direction"], row["nature"])
            label = f"{column_label(*column)}: {totals.scope_label(row['_scope'])}"
            found[row["notice"]].append({"label": label, "total": row["total"]})
        return dict(found)

    # -- keeping the stamps and the stored totals ------------------------------------------------
    def stamp(self) -> None:
        """Recompute the stamp columns of these lines from their records and move their money
        between the stored totals (``finance.models.totals``): in one transaction, the lines'
        sums by bucket before, one UPDATE of the stamps, the sums after, the difference applied.
        The caller holds the lock on the records that changed."""
        with transaction.atomic(using=self.db):
            lines = FinancialLine.objects.filter(pk__in=lock_keys(self))
            restamp(lines, totals.sums(lines))

    def rebuild_totals(self) -> int:
        """Stamp every line and recompute every stored total from the lines (after raw SQL or
        ``loaddata``, which bypass the models). Returns the number of buckets."""
        with transaction.atomic(using=self.db):
            models.QuerySet.update(FinancialLine.objects.all(), **_stamps())
            return totals.replace_all(totals.sums(FinancialLine.objects.all()))

    def update(self, **kwargs) -> int:
        """Refuses lines of a signed notice (``locked()``: before the UPDATE and, for lines
        moved onto one, after it); otherwise one UPDATE and the lines re-stamped, with the
        stored totals moved, in one transaction with the lines locked."""
        self.refuse_locked()
        if set(kwargs) <= {"version"}:  # the optimistic-lock bump moves no money
            return super().update(**kwargs)
        # New owners given as records or keys (bulk_update passes expressions: it has checked
        # and locked the owners of its objects itself).
        new = tuple(_key(kwargs.get(name, kwargs.get(f"{name}_id"))) for name in OWNER_FIELDS)
        _refuse_into_signed([new[1:]])
        with transaction.atomic(using=self.db):
            lock_owners([*_owners_of(self), new])
            ids = lock_keys(self)
            with restamping(FinancialLine.objects.filter(pk__in=ids)):
                count = super().update(**kwargs)
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs, *args, **kwargs):
        """Creates the lines, stamps them and adds them to the stored totals, in one
        transaction. Refused where the database does not return the new keys."""
        objs = list(objs)
        with transaction.atomic(using=self.db):
            _refuse_into_signed([owners_of(o)[1:] for o in objs])
            lock_owners([owners_of(o) for o in objs])
            created = super().bulk_create(objs, *args, **kwargs)
            ids = [line.pk for line in created]
            if None in ids:
                raise NotImplementedError("bulk_create of lines needs the new rows' keys")
            FinancialLine.objects.filter(pk__in=ids).tally_new()
        return created

    def tally_new(self) -> None:
        """Stamp lines just written by a path that bypassed ``save()`` and add them to the stored
        totals (they were in none)."""
        with transaction.atomic(using=self.db):
            restamp(self, {})

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        """Updates the lines, re-stamps them and moves the stored totals, in one transaction."""
        objs = list(objs)
        with transaction.atomic(using=self.db):
            lines = FinancialLine.objects.filter(pk__in=[line.pk for line in objs])
            lines.refuse_locked()
            _refuse_into_signed([owners_of(o)[1:] for o in objs])
            lock_owners([*_owners_of(lines), *(owners_of(o) for o in objs)])
            # Django's bulk_update writes through update(), which re-stamps and moves the
            # totals: wrapping it again would move them twice.
            count = super().bulk_update(objs, fields, batch_size=batch_size)
        return count

    def delete(self):
        """Deletes line by line, so a signed notice's lines refuse as they do one at a time."""
        deleted = 0
        with transaction.atomic(using=self.db):
            for line in self:
                line.delete()
                deleted += 1
        return deleted, {self.model._meta.label: deleted}

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


# What a row shows of the records around a line: titles, names and what their addresses need,
# never a paper's body, so a row costs the same whatever the paper holds.
RECORD_FIELDS = (
    "paper__id",
    "paper__title",
    "recommendation__id",
    "recommendation__number",
    "recommendation__paper__id",
    "recommendation__paper__title",
    "decision_notice__id",
    "decision_notice__title",
    "decision_notice__reference",
    "minute_paragraph__id",
    "minute_paragraph__number",
    "minute_paragraph__item__id",
    "minute_paragraph__item__number",
    "minute_paragraph__item__meeting__id",
    "minute_paragraph__item__meeting__date",
    "minute_paragraph__item__meeting__board__id",
    "minute_paragraph__item__meeting__board__slug",
    "minute_paragraph__item__meeting__board__name",
    "minute_paragraph__item__meeting__board__short_name",
    "function__id",
    "function__name",
    "function__slug",
    "area__id",
    "area__name",
    "area__slug",
)


# What is said of the line a line reports the same money as, with its stamps (``seen_by``).
SAME_AS_FIELDS = (
    "same_as__id",
    "same_as__description",
    "same_as__amount",
    "same_as__as_printed",
    "same_as__nature",
    "same_as__financial_year",
    "same_as__visible_to_public",
    "same_as__entitled_board",
)


class FinancialLine(Versioned):
    Kind = Kind
    Scope = Scope
    Direction = Direction
    Nature = Nature
    PrintedTotalOf = PrintedTotalOf

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
        verbose_name="scope as printed",
        help_text='Whose money, in the words of the source, e.g. "Cambridgeshire" or "across '
        'the Alliance"; for a named partner, its name.',
    )
    scope_code = models.CharField(
        max_length=20,
        choices=Scope.choices,
        blank=True,
        verbose_name="scope",
        help_text="Whose money: totals never add two scopes. Leave “Scope not recorded” when "
        "the source does not say.",
    )
    direction = models.CharField(
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text="Money the OPCC receives, pays out, commits, saves, or a budget it holds. "
        "Leave “Direction not recorded” when the source does not say.",
    )
    nature = models.CharField(
        max_length=20,
        choices=Nature.choices,
        default=Nature.AMOUNT,
        help_text="An amount; a rate (£52.50 per hour, £12 per annum); a baseline cost of a "
        "service; a target; a total as the document prints it. Rates, targets and printed "
        "totals are shown, never summed into totals.",
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
    printed_total_of = models.CharField(
        max_length=20,
        choices=PrintedTotalOf.choices,
        blank=True,
        verbose_name="printed total of",
        help_text="For a printed total: which lines of its table it totals (its year's, its "
        "row's, the whole table's, a running total to its year, or the running totals added "
        "up), so that pages show it beside what those lines add up to.",
    )
    printed_total_table = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="table it totals",
        help_text="For a total printed in the text (not in the table): the printed table whose "
        "lines it totals. Blank: its own source table.",
    )
    in_thousands = models.BooleanField(
        default=False, help_text="The source table is in £'000; show the figure the same way."
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within its record or table.")
    note = models.TextField(blank=True)
    contradiction = models.TextField(
        blank=True,
        help_text="Where the document contradicts itself or another document on this figure "
        "(a total that its parts do not add up to, a unit heading the figures do not bear), "
        "in words: every page that lists the line says it.",
    )
    counted = models.BooleanField(
        default=True,
        verbose_name="counted in totals",
        help_text="Untick when the figure repeats, is part of, or was superseded by money "
        "recorded in another line, or was cancelled (say which in the note): it is still "
        "listed, never added to a total.",
    )
    confirmed = models.BooleanField(
        default=True,
        help_text="Unticked for money an import of a paper proposed: such a line is on no "
        "public page and in no total until a finance officer confirms it.",
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="The line this figure is part of or repeats; it is then not counted again.",
    )

    same_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
        verbose_name="same money as",
        help_text="The line (usually of another document) that reports this same money; this "
        "line is then not counted again. Where the two amounts differ both are kept, and "
        "every page that lists this line says so.",
    )

    paper = models.ForeignKey(
        Paper,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_lines",
        # line_record_order_idx leads with it; an index of the paper alone led the planner to
        # read the list's ``sort=-record`` through it, sorting every line of no paper (1.4 s
        # for page 15 of one kind at the benchmark's volume, 3 ms by the record order index).
        db_index=False,
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
    minute_paragraph = models.ForeignKey(
        MinuteParagraph,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_lines",
        verbose_name="minute",
        help_text="The minute paragraph that prints the figure, for money printed only in "
        "minutes (no paper or notice carries it).",
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

    # Stamped from the line's record by FinancialLineQuerySet.stamp on every path that changes
    # the line or what decides its record's visibility; never edited. visible_to reads them.
    visible_to_public = models.BooleanField(default=False, editable=False)
    entitled_board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # line_board_order_idx leads with it
    )
    in_totals = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords(excluded_fields=list(STAMP_FIELDS))
    objects = FinancialLineQuerySet.as_manager()
    # What FinancialLineQuerySet.visible_to reads: stamps kept from the records' own
    # visibility_fields (finance.receivers), re-stamped by every write path of the lines.
    visibility_fields = ("visible_to_public", "entitled_board")

    class Meta:
        base_manager_name = "objects"  # related managers' add() go through RecordQuerySet
        ordering = ["financial_year", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="financialline_one_owner",
                condition=(
                    Q(
                        paper__isnull=False,
                        recommendation__isnull=True,
                        decision_notice__isnull=True,
                        minute_paragraph__isnull=True,
                    )
                    | Q(
                        paper__isnull=True,
                        recommendation__isnull=False,
                        decision_notice__isnull=True,
                        minute_paragraph__isnull=True,
                    )
                    | Q(
                        paper__isnull=True,
                        recommendation__isnull=True,
                        decision_notice__isnull=False,
                        minute_paragraph__isnull=True,
                    )
                    | Q(
                        paper__isnull=True,
                        recommendation__isnull=True,
                        decision_notice__isnull=True,
                        minute_paragraph__isnull=False,
                    )
                    | Q(
                        paper__isnull=True,
                        recommendation__isnull=True,
                        decision_notice__isnull=True,
                        minute_paragraph__isnull=True,
                        function__isnull=False,
                    )
                ),
                violation_error_message="A line belongs to exactly one paper, recommendation, "
                "decision notice or minute, or else to a collaborated function.",
            ),
            models.CheckConstraint(
                name="financialline_part_not_counted",
                condition=Q(part_of__isnull=True) | Q(counted=False),
                violation_error_message="A line that is part of another is not counted again.",
            ),
            models.CheckConstraint(
                name="financialline_same_money_not_counted",
                condition=Q(same_as__isnull=True) | Q(counted=False),
                violation_error_message="A line that reports the same money as another is not "
                "counted again.",
            ),
            models.CheckConstraint(
                name="financialline_negative_kinds",
                condition=Q(amount__gte=0) | Q(kind__in=["budget", "underspend"]),
                violation_error_message="Only a budget or an underspend can be negative.",
            ),
        ]
        # No index another one leads with (the year alone, the year and kind, the entitled
        # board alone): each index is a path the planner weighs for every join of the lines
        # list, and four redundant ones cost it 8 ms a request at the benchmark's volume.
        indexes = [
            models.Index(fields=["kind", "financial_year"], name="line_kind_year_idx"),
            # The lines list's order, so a page is read off the index instead of sorting.
            models.Index(
                fields=["financial_year", "kind", "position", "id"], name="line_list_order_idx"
            ),
            # The same order within what a reader may see: the public's lines, one board's.
            models.Index(
                fields=["visible_to_public", "financial_year", "kind", "position", "id"],
                name="line_public_order_idx",
            ),
            models.Index(
                fields=["entitled_board", "financial_year", "kind", "position", "id"],
                name="line_board_order_idx",
            ),
            # The lines list sorted by amount or description (?sort=), for everyone and for
            # the public: a page read off the index, not a sort of a million lines.
            models.Index(fields=["amount", "id"], name="line_amount_order_idx"),
            models.Index(
                fields=["visible_to_public", "amount", "id"], name="line_public_amount_idx"
            ),
            models.Index(fields=["description", "id"], name="line_description_order_idx"),
            # ?sort=record and -record (finance.filters._record_order): -record is the exact
            # reverse, read off the same index backwards.
            models.Index(
                fields=[
                    "paper",
                    "recommendation",
                    "decision_notice",
                    "minute_paragraph",
                    "function",
                    "id",
                ],
                name="line_record_order_idx",
            ),
            models.Index(
                fields=["visible_to_public", "description", "id"],
                name="line_public_description_idx",
            ),
            # The few lines /finance/ lists as contradictions or repeats (``disagreements``),
            # read without scanning the others.
            models.Index(
                fields=["id"],
                condition=~Q(contradiction="") | Q(same_as__isnull=False),
                name="line_disagreement_idx",
            ),
        ]

    def __str__(self) -> str:
        year = f" ({self.financial_year})" if self.financial_year else ""
        return f"{self.description}: {money.format_amount(self.amount)}{year}"

    # -- what it belongs to ---------------------------------------------------------------------
    @property
    def record(self):
        """The record the line belongs to."""
        return (
            self.paper
            or self.recommendation
            or self.decision_notice
            or self.minute_paragraph
            or self.function
        )

    @property
    def record_title(self) -> str:
        """What the record is called: its title, a function's name, for a recommendation its
        number and paper, for a minute its number (or its item's) and meeting: “Minute 9.4 of
        BCB 26 November 2015”. Reads the record (and a minute's item, meeting and board): a
        query each if not loaded (``with_records`` loads them)."""
        if self.recommendation_id:
            rec = self.recommendation
            return f"Recommendation {rec.number} of “{rec.paper.title}”"
        if self.minute_paragraph_id:
            return minute_title(self.minute_paragraph)
        record = self.record
        return getattr(record, "title", None) or getattr(record, "name", "") or str(record)

    @property
    def record_type(self) -> RecordType:
        for name in OWNER_FIELDS:
            if getattr(self, f"{name}_id"):
                return OWNER_TYPES[name]
        return RecordType.FUNCTION

    def get_absolute_url(self) -> str:
        return reverse("finance:lines") + f"?line={self.pk}"

    # -- display ----------------------------------------------------------------------------------
    @property
    def scope_label(self) -> str:
        """Whose money, as totals name it: the scope, or the named partner."""
        return totals.scope_label(totals.scope_key(self.scope_code, self.scope))

    @property
    def summed(self) -> bool:
        """Whether a figure of this nature is added into totals (a rate or target never is)."""
        return self.nature in SUMMED_NATURES

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
    def clean_rules(self) -> None:
        """The line's own rules (one owner, sign, part of, year and date), without the lock
        that ``clean()`` checks first."""
        errors: dict[str, str] = {}
        owners = [name for name in OWNER_FIELDS if getattr(self, f"{name}_id")]
        if len(owners) > 1:
            errors["__all__"] = (
                "A line belongs to one record: choose a paper, a recommendation, a decision "
                "notice or a minute, not "
                + " and ".join(OWNER_TYPES[o].label.lower() for o in owners)
                + "."
            )
        elif not owners and not self.function_id:
            errors["__all__"] = (
                "Choose the record the line belongs to: a paper, a recommendation, a decision "
                "notice, a minute or a collaborated function."
            )
        if self.part_of_id:
            if self.part_of_id == self.pk:
                errors["part_of"] = "Part of: a line cannot be part of itself."
            self.counted = False
        if self.same_as_id:
            if self.same_as_id == self.pk:
                errors["same_as"] = "Same money as: a line cannot repeat itself."
            self.counted = False
        if self.nature != Nature.PRINTED_TOTAL and (
            self.printed_total_of or self.printed_total_table
        ):
            # Named on the nature, which every form of a line shows (inlines do not show what a
            # printed total totals).
            errors["nature"] = (
                "Nature: only a line of nature “Printed total” totals other lines (printed total "
                "of, table it totals)."
            )
        if self.scope_code == Scope.PARTNER and not self.scope.strip():
            errors["scope"] = (
                "Scope as printed: name the partner whose money this is (each partner is "
                "totalled apart)."
            )
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

    def locked_by(self) -> DecisionNotice | Meeting | None:
        """What holds this line locked, as stored or as it will be saved: the signed notice it
        belongs to, directly or through a recommendation the notice followed, or else the
        meeting whose approved minutes print it (its minute paragraph's); None when nothing
        does. One query, and one more for a stored line or a minute's."""
        held = Q(pk=self.decision_notice_id)
        if self.recommendation_id is not None:
            held |= Q(recommendations=self.recommendation_id)
        if self.pk:
            stored = type(self)._default_manager.filter(pk=self.pk)
            held |= Q(pk__in=stored.values("decision_notice")) | Q(
                recommendations__in=stored.values("recommendation")
            )
        notice = DecisionNotice.objects.filter(held).locked().order_by("pk").first()
        if notice is not None or (self.minute_paragraph_id is None and not self.pk):
            return notice
        minutes = Q(items__paragraphs=self.minute_paragraph_id) if self.minute_paragraph_id else Q()
        if self.pk:
            stored_minute = Q(items__paragraphs__financial_lines=self.pk)
            minutes = (minutes | stored_minute) if self.minute_paragraph_id else stored_minute
        return (
            Meeting.objects.locked().filter(minutes).select_related("board").order_by("pk").first()
        )

    @property
    def is_locked(self) -> bool:
        """Whether the line, as stored, is locked with a signed notice or approved minutes.
        One or two queries."""
        return self.pk is not None and self.locked_by() is not None

    @staticmethod
    def refusal(holder: DecisionNotice | Meeting, doing: str = "changed") -> LockedRecordError:
        """The error refusing a change (``doing``: "changed", "deleted") to a line ``holder``
        locks (see ``locked_by``), saying what to do instead."""
        if isinstance(holder, Meeting):
            return LockedRecordError(
                f"This line belongs to the approved minutes of {holder}: the money approved "
                f"minutes print cannot be {doing}. Reopen the minutes with a reason first."
            )
        return LockedRecordError(
            f"This line belongs to the signed decision notice “{holder}” (or a recommendation "
            f"it followed): the money a signed decision committed cannot be {doing}. Draft a "
            "correction of the notice instead."
        )

    def clean(self) -> None:
        holder = self.locked_by()
        if holder is not None:
            raise self.refusal(holder)
        self.clean_rules()

    def _lock_owner(self) -> None:
        """Lock the rows whose change would re-stamp this line, as stored and as it will be
        saved (see ``lock_owners``)."""
        owners = [owners_of(self)]
        if self.pk is not None:
            owners += _owners_of(FinancialLine.objects.filter(pk=self.pk))
        lock_owners(owners)

    def save(self, *args, **kwargs) -> None:
        """Saves the line, stamps it from its record and moves its money in the stored totals,
        in one transaction: the owner's rows locked, the stored line's bucket read with its row
        locked, the save, the stamp (one UPDATE), the new bucket read, the totals moved.
        Refused for a line of a signed notice or of approved minutes."""
        if self.part_of_id or self.same_as_id:
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
        with transaction.atomic(using=kwargs.get("using") or "default"):
            self._lock_owner()
            holder = self.locked_by()
            if holder is not None:
                raise self.refusal(holder)
            before: totals.Sums = {}
            if self.pk is not None:
                stored = FinancialLine.objects.filter(pk=self.pk)
                list(stored.select_for_update().values_list("pk", flat=True))  # lock, then read
                before = totals.sums(stored)
            super().save(*args, **kwargs)
            restamp(FinancialLine.objects.filter(pk=self.pk), before)
            self.refresh_from_db(fields=STAMP_FIELDS)

    def delete(self, *args, **kwargs):
        """Deletes the line and takes its money out of the stored totals, in one transaction.
        Refused for a line of a signed notice or of approved minutes."""
        with transaction.atomic():
            self._lock_owner()
            holder = self.locked_by()
            if holder is not None:
                raise self.refusal(holder, "deleted")
            stored = FinancialLine.objects.filter(pk=self.pk)
            list(stored.select_for_update().values_list("pk", flat=True))  # lock, then read
            before = totals.sums(stored)
            deleted = super().delete(*args, **kwargs)
            totals.apply(totals.difference(before, {}))
        return deleted
