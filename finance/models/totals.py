"""Stored totals of the counted lines, so /finance/ never sums a million lines to answer.

``LineTotal`` holds one row per bucket: financial year, kind, whose money (scope), which way it
goes (direction), what the figure is (nature), record type, the board whose members are entitled
to the line's record, and whether the public may see it; so no total ever adds two scopes, two
directions or two natures. Rates and targets are in no bucket (``in_totals`` is false). Every line
carries the last three as columns of its own (``FinancialLine.visible_to_public``,
``entitled_board``, ``in_totals``), stamped from its record by ``FinancialLineQuerySet.stamp``,
so a bucket is read off the line without any join. ``ColumnTotal`` holds the same money summed
over years (one row per scope, column, record type, board and public: a fifth of the buckets),
for totals that choose no year. The functions here sum lines by those stored columns
and move the differences into both; ``finance.models.lines`` calls them, in the same
transaction, from every path that changes a line or its stamps.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Concat

from boards import access

from .kinds import Direction, Kind, Nature, RecordType, Scope, column_order

CENT = Decimal("0.01")
# (year, kind, record type, board, public, scope key, direction, nature)
Bucket = tuple[str, str, str, int | None, bool, str, str, str]
PARTNER_PREFIX = f"{Scope.PARTNER}:"
# The filters' value for "not recorded" (a query string cannot carry an empty choice).
NOT_RECORDED_PARAM = "not_recorded"
Sums = dict[Bucket, tuple[Decimal, int]]

# What a line belongs to, from its owner columns (no join).
RECORD_TYPE = Case(
    When(paper__isnull=False, then=Value("paper")),
    When(recommendation__isnull=False, then=Value("recommendation")),
    When(decision_notice__isnull=False, then=Value("decision_notice")),
    When(minute_paragraph__isnull=False, then=Value("minute")),
    default=Value("function"),
    output_field=models.CharField(),
)

# Whose money, as a bucket holds it: the scope, or for a named partner "partner:<its name as
# printed>", so that two partners are never added together (no join).
SCOPE_KEY = Case(
    When(scope_code=Scope.PARTNER, then=Concat(Value(PARTNER_PREFIX), F("scope"))),
    default=F("scope_code"),
    output_field=models.CharField(),
)


def scope_key(scope_code: str, printed: str) -> str:
    """The bucket's scope of a line's structured scope and printed scope (as ``SCOPE_KEY``)."""
    return f"{PARTNER_PREFIX}{printed}" if scope_code == Scope.PARTNER else scope_code


#: The scopes' positions in ``Scope`` (``Choices.values`` builds a new list on every call,
#: and these run for every line a record's page totals).
_SCOPE_ORDER = {value: position for position, value in enumerate(Scope.values)}


def scope_label(key: str) -> str:
    """What a total says of its scope: "Cambridgeshire", "Brake (a named partner)"..."""
    if key.startswith(PARTNER_PREFIX):
        return f"{key.removeprefix(PARTNER_PREFIX)} (a named partner)"
    return Scope(key).label if key in _SCOPE_ORDER else key


def scope_order(key: str) -> tuple:
    """Known scopes in the order of ``Scope``, named partners by name, not recorded last."""
    if key.startswith(PARTNER_PREFIX):
        return (len(_SCOPE_ORDER) - 1, key)
    if not key:
        return (len(_SCOPE_ORDER), "")
    return (_SCOPE_ORDER[key] - 1, key)


def bucket_order(scope: str, kind: str, direction: str, nature: str) -> tuple:
    """The order totals are shown in: by scope (``scope_order``), then by column (kind,
    direction, nature: ``column_order``)."""
    return (scope_order(scope), column_order(kind, direction, nature))


class StoredTotal(models.Model):
    """What a stored total holds: its key, the bucket's columns but the year, and the sum and
    count of its lines."""

    key = models.CharField(max_length=300, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    scope = models.CharField(max_length=230, blank=True)  # SCOPE_KEY
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    nature = models.CharField(max_length=20, choices=Nature.choices, default=Nature.AMOUNT)
    board = models.ForeignKey(
        "boards.Board", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    public = models.BooleanField()
    total = models.DecimalField(max_digits=18, decimal_places=2)
    lines = models.PositiveIntegerField()

    class Meta:
        abstract = True
        app_label = "finance"

    def __str__(self) -> str:
        return f"{self.key}: {self.total} ({self.lines})"


class LineTotal(StoredTotal):
    """The sum and count of the counted lines of one bucket."""

    financial_year = models.CharField(max_length=7, blank=True)

    class Meta:
        app_label = "finance"
        indexes = [
            models.Index(fields=["public", "financial_year", "kind"], name="linetotal_public_idx"),
            # The span of years a reader's lines cover (FinancialLineFilter.year_span): MIN and
            # MAX read off this index instead of scanning every bucket (54 ms to 0.4 ms for
            # staff on the benchmark's 180,000 buckets).
            models.Index(
                fields=["financial_year"], condition=Q(lines__gt=0), name="linetotal_year_idx"
            ),
        ]


class ColumnTotal(StoredTotal):
    """The sum and count of the counted lines of one scope, column (kind, direction, nature),
    record type, board and public, over every year: the ``LineTotal`` rows that differ only in
    their year, added up. Totals that choose no year (the lines list unfiltered or by kind,
    scope, record type or board) read these: 34,000 rows instead of 180,000 on the
    benchmark's million lines."""

    class Meta:
        app_label = "finance"


def sums(lines) -> Sums:
    """The lines counted in totals, summed by bucket from their stored columns. One query."""
    rows = (
        lines.filter(in_totals=True)
        .annotate(_type=RECORD_TYPE, _scope=SCOPE_KEY)
        .order_by()
        .values(
            "financial_year",
            "kind",
            "_type",
            "entitled_board_id",
            "visible_to_public",
            "_scope",
            "direction",
            "nature",
        )
        .annotate(total=Sum("amount"), n=Count("pk"))
    )
    return {
        (
            r["financial_year"],
            r["kind"],
            r["_type"],
            r["entitled_board_id"],
            bool(r["visible_to_public"]),
            r["_scope"],
            r["direction"],
            r["nature"],
        ): (r["total"], r["n"])
        for r in rows
    }


def key(bucket: Bucket) -> str:
    year, kind, record_type, board, public, scope, direction, nature = bucket
    # The scope last: a partner's printed name may hold any character.
    return f"{year}|{kind}|{record_type}|{board or '-'}|{int(public)}|{direction}|{nature}|{scope}"


def column_of(bucket: Bucket) -> Bucket:
    """The bucket's ``ColumnTotal``: the same bucket with no year."""
    _year, kind, record_type, board, public, scope, direction, nature = bucket
    return ("*", kind, record_type, board, public, scope, direction, nature)


def _added_up(items) -> Sums:
    """(bucket, total, count) triples added up by bucket."""
    found: dict[Bucket, list] = defaultdict(lambda: [Decimal(0), 0])
    for bucket, total, count in items:
        found[bucket][0] += total
        found[bucket][1] += count
    return {bucket: (total, count) for bucket, (total, count) in found.items()}


def by_column(buckets: Sums) -> Sums:
    """``buckets`` added up by ``column_of``."""
    return _added_up((column_of(b), total, count) for b, (total, count) in buckets.items())


def difference(before: Sums, after: Sums) -> Sums:
    return _added_up(
        [
            *((b, total, count) for b, (total, count) in after.items()),
            *((b, -total, -count) for b, (total, count) in before.items()),
        ]
    )


def _row(model, bucket: Bucket, total: Decimal, count: int) -> StoredTotal:
    """The ``model`` row (``LineTotal`` or ``ColumnTotal``) of ``bucket``, unsaved."""
    year, kind, record_type, board, public, scope, direction, nature = bucket
    row = model(
        key=key(bucket),
        kind=kind,
        record_type=record_type,
        scope=scope,
        direction=direction,
        nature=nature,
        board_id=board,
        public=public,
        total=total,
        lines=count,
    )
    if model is LineTotal:
        row.financial_year = year
    return row


def apply(changes: Sums) -> None:
    """Add each (total, count) difference to its bucket's row, and to its column's
    (``ColumnTotal``), creating rows as needed. Each row is read locked, added to in Python's
    exact decimals and written back (SQLite would add in binary floating point), so concurrent
    changes add up; rows are taken in key order, buckets before columns, so two changes wait
    for each other instead of deadlocking. Two queries per bucket and per column that moved
    (an INSERT for a new one)."""
    for model, rows in ((LineTotal, changes), (ColumnTotal, by_column(changes))):
        for bucket, (total, count) in sorted(rows.items(), key=lambda item: key(item[0])):
            if total or count:
                _add(model, bucket, total, count)


def _add(model, bucket: Bucket, total: Decimal, count: int) -> None:
    for _attempt in range(2):
        row = model.objects.select_for_update().filter(key=key(bucket)).first()
        if row is not None:
            row.total = (row.total + total).quantize(CENT)
            row.lines += count
            row.save(update_fields=["total", "lines"])
            return
        try:
            with transaction.atomic():
                _row(model, bucket, total.quantize(CENT), count).save()
            return
        except IntegrityError:  # created meanwhile by a concurrent change: add to it
            continue


def replace_all(buckets: Sums) -> int:
    """Replace every row, buckets and columns, with ``buckets`` (a rebuild from the lines).
    Returns the number of buckets."""
    for model, rows in ((LineTotal, buckets), (ColumnTotal, by_column(buckets))):
        model.objects.all().delete()
        model.objects.bulk_create(
            [_row(model, bucket, total, count) for bucket, (total, count) in rows.items()],
            batch_size=2000,
        )
    return len(buckets)


def visible_totals(user, model=LineTotal):
    """``LineTotal`` (or ``ColumnTotal``) rows the reader may see: the rule of
    ``FinancialLine.visible_to``, on buckets (public buckets; a member's boards' buckets too;
    staff all). No query of its own."""
    if access.reads_all_money(user):
        return model.objects.all()
    boards = access.member_board_ids(user)
    if boards:
        return model.objects.filter(Q(public=True) | Q(board_id__in=sorted(boards)))
    return model.objects.filter(public=True)
