"""On the seeded records, a queryset update of what decides a record's visibility moves its
money in or out of the public's totals at once, as a save would.

The figures compared: the public's /finance/ totals (the stored totals the page sums) against
direct sums of the counted lines whose record the public may see, asked of the records' own
``visible_to`` rules rather than of the lines' stamps. Staff, who see every record, keep the
money in their totals: the twin of each check.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, Sum

from boards.models import Board, MinuteParagraph, Paper
from decisions import services
from decisions.models import DecisionNotice
from finance.models import FinancialLine
from finance.models.kinds import SUMMED_NATURES
from finance.models.totals import visible_totals
from minutebook.records import LockedRecordError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = AnonymousUser()


def from_totals(user) -> dict:
    rows = (
        visible_totals(user)
        .filter(lines__gt=0)
        .order_by()
        .values("financial_year", "kind")
        .annotate(total=Sum("total"), lines=Sum("lines"))
    )
    return {(r["financial_year"], r["kind"]): (r["total"], r["lines"]) for r in rows}


def from_records(user) -> dict:
    # Rates and targets are shown, never summed: only amounts and baselines are in totals.
    lines = FinancialLine.objects.filter(counted=True, nature__in=SUMMED_NATURES).exclude(
        decision_notice__status="withdrawn"
    )
    if not user.is_staff:
        papers = Paper.objects.visible_to(user)
        lines = lines.filter(
            Q(paper__in=papers)
            | Q(recommendation__paper__in=papers)
            | Q(decision_notice__in=DecisionNotice.objects.visible_to(user))
            | Q(minute_paragraph__in=MinuteParagraph.objects.visible_to(user))
            | Q(paper=None, recommendation=None, decision_notice=None, minute_paragraph=None)
        )
    sums: dict = defaultdict(lambda: [Decimal(0), 0])
    for year, kind, amount in lines.values_list("financial_year", "kind", "amount"):
        sums[(year, kind)][0] += amount
        sums[(year, kind)][1] += 1
    return {key: (total, n) for key, (total, n) in sums.items()}


def public_total() -> Decimal:
    return sum((total for total, _n in from_totals(PUBLIC).values()), Decimal(0))


@pytest.fixture
def staff():
    return UserFactory(username="seeded-totals-staff", is_staff=True, is_superuser=True)


def test_the_seeded_totals_start_equal_to_the_direct_sums(seeded, staff):
    assert from_totals(PUBLIC) == from_records(PUBLIC)
    assert from_totals(staff) == from_records(staff)


def test_a_paper_made_draft_by_update_leaves_the_public_totals(seeded, staff):
    paper = Paper.objects.get(title__startswith="Bedfordshire, Cambridgeshire and Hertfordshire")
    money = (
        FinancialLine.objects.of_paper(paper, paper.recommendations.values_list("pk", flat=True))
        .counted()
        .aggregate(s=Sum("amount"))["s"]
    )
    assert money == Decimal("16415000")  # the £16.4m of the issue
    before, staff_before = public_total(), from_totals(staff)
    Paper.objects.filter(pk=paper.pk).update(status=Paper.Status.DRAFT)
    assert public_total() == before - money
    assert from_totals(PUBLIC) == from_records(PUBLIC)
    assert from_totals(staff) == staff_before == from_records(staff)


def test_a_board_made_private_by_update_takes_its_papers_money_out_of_the_public_totals(
    seeded, staff
):
    board = Board.objects.get(slug="business-coordination-board")
    before = public_total()
    Board.objects.filter(pk=board.pk).update(is_public=False)
    assert public_total() < before
    assert from_totals(PUBLIC) == from_records(PUBLIC)
    assert from_totals(staff) == from_records(staff)
    Board.objects.filter(pk=board.pk).update(is_public=True)
    assert public_total() == before


def test_a_notice_published_moves_its_money_with_it_and_update_cannot_draft_it(seeded, staff):
    notices = DecisionNotice.objects.filter(financial_lines__isnull=False).distinct()
    signed = list(notices.filter(status=DecisionNotice.Status.SIGNED))
    assert signed
    before = public_total()
    for notice in signed:
        services.publish_notice(notice=notice, user=staff, published_on=datetime.date(2016, 1, 1))
    assert public_total() > before
    assert from_totals(PUBLIC) == from_records(PUBLIC)
    published = public_total()
    # The lifecycle moves through the services only: a queryset cannot send a notice back.
    with pytest.raises(LockedRecordError):
        notices.update(status=DecisionNotice.Status.DRAFT)
    assert public_total() == published
    assert from_totals(PUBLIC) == from_records(PUBLIC)
    assert from_totals(staff) == from_records(staff)
