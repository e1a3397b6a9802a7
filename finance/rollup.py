"""Running totals of the counted lines, kept as they change, so /finance/ never sums a million
lines to answer.

``LineTotal`` holds one row per bucket: financial year, kind, record type, the board whose
members are entitled to the line's record (the paper's board, the recommendation's paper's
board, the board of the meeting where the notice was taken; none for a function's own lines)
and whether the public may see the record. Those two columns are exactly what the access rule
asks (``minutebook.access``): the public sees the public buckets; a board member also sees the
buckets of their boards; staff see all. ``public`` is computed by the same
``FinancialLine.objects.visible_to`` query the pages use, never by a second copy of the rule.

Every change that can move money between buckets goes through ``moving(lines)``: it sums the
affected lines by bucket before the change and after it, and applies the difference in the
same transaction. Line saves and deletes, and changes to what decides a record's visibility
(a paper's status, access or board; a board's publicity; a notice's status or meeting; a
meeting's board; a recommendation's paper), are wired to it by signals (``finance.apps``).
Loading fixtures and bulk writes send no usable signals: ``rebuild()`` (``manage.py
rebuild_finance_totals``, run by ``manage.py seed``) recomputes every row from the lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

Bucket = tuple[str, str, str, int | None, bool]

RECORD_TYPE = Case(
    When(paper__isnull=False, then=Value("paper")),
    When(recommendation__isnull=False, then=Value("recommendation")),
    When(decision_notice__isnull=False, then=Value("decision_notice")),
    default=Value("function"),
    output_field=models.CharField(),
)
BOARD = Coalesce(
    "paper__board_id", "recommendation__paper__board_id", "decision_notice__meeting__board_id"
)


def _public():
    """Whether the public may see a line: the very condition ``visible_to`` filters on
    (``finance.models.visible_q``), whose subqueries run over the records, not the lines."""
    from .models import visible_q

    return Case(
        When(visible_q(AnonymousUser()), then=Value(True)),
        default=Value(False),
        output_field=models.BooleanField(),
    )


def sums(lines) -> dict[Bucket, tuple[Decimal, int]]:
    """The counted ``lines`` summed by bucket, in one query."""
    rows = (
        lines.counted()
        .annotate(_type=RECORD_TYPE, _board=BOARD, _public=_public())
        .order_by()
        .values("financial_year", "kind", "_type", "_board", "_public")
        .annotate(total=Sum("amount"), n=Count("pk"))
    )
    return {
        (r["financial_year"], r["kind"], r["_type"], r["_board"], bool(r["_public"])): (
            r["total"],
            r["n"],
        )
        for r in rows
    }


def _key(bucket: Bucket) -> str:
    year, kind, record_type, board, public = bucket
    return f"{year}|{kind}|{record_type}|{board or '-'}|{int(public)}"


def apply(changes: dict[Bucket, tuple[Decimal, int]]) -> None:
    """Add each (total, count) difference to its bucket's row, creating rows as needed."""
    from .models import LineTotal

    for bucket, (total, count) in changes.items():
        if not total and not count:
            continue
        key = _key(bucket)
        updated = LineTotal.objects.filter(key=key).update(
            total=F("total") + total, lines=F("lines") + count
        )
        if updated:
            continue
        year, kind, record_type, board, public = bucket
        try:
            with transaction.atomic():
                LineTotal.objects.create(
                    key=key,
                    financial_year=year,
                    kind=kind,
                    record_type=record_type,
                    board_id=board,
                    public=public,
                    total=total,
                    lines=count,
                )
        except IntegrityError:  # created meanwhile by a concurrent change
            LineTotal.objects.filter(key=key).update(
                total=F("total") + total, lines=F("lines") + count
            )


def difference(before, after) -> dict[Bucket, tuple[Decimal, int]]:
    changes: dict[Bucket, list] = defaultdict(lambda: [Decimal(0), 0])
    for bucket, (total, count) in after.items():
        changes[bucket][0] += total
        changes[bucket][1] += count
    for bucket, (total, count) in before.items():
        changes[bucket][0] -= total
        changes[bucket][1] -= count
    return {bucket: (total, count) for bucket, (total, count) in changes.items()}


@contextmanager
def moving(lines) -> Iterator[None]:
    """Around a change that may move ``lines`` (a queryset, re-evaluated after the change)
    between buckets: their sums before and after, and the difference applied."""
    with transaction.atomic():
        before = sums(lines)
        yield
        apply(difference(before, sums(lines)))


def rebuild() -> int:
    """Recompute every row from the lines. Returns the number of buckets."""
    from .models import FinancialLine, LineTotal

    with transaction.atomic():
        LineTotal.objects.all().delete()
        buckets = sums(FinancialLine.objects.all())
        LineTotal.objects.bulk_create(
            [
                LineTotal(
                    key=_key(bucket),
                    financial_year=bucket[0],
                    kind=bucket[1],
                    record_type=bucket[2],
                    board_id=bucket[3],
                    public=bucket[4],
                    total=total,
                    lines=count,
                )
                for bucket, (total, count) in buckets.items()
            ],
            batch_size=2000,
        )
        if connection.vendor == "postgresql":  # fresh rows: give the planner their statistics
            with connection.cursor() as cursor:
                cursor.execute(f'ANALYZE "{LineTotal._meta.db_table}"')
    return len(buckets)


def visible_totals(user):
    """``LineTotal`` rows the reader may see: the same rule as ``visible_to``, on buckets."""
    from minutebook import access

    from .models import LineTotal

    if access.sees_everything(user):
        return LineTotal.objects.all()
    boards = access.member_board_ids(user)
    if boards:
        return LineTotal.objects.filter(Q(public=True) | Q(board_id__in=sorted(boards)))
    return LineTotal.objects.filter(public=True)
