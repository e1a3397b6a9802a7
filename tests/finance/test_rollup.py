"""The running totals behind /finance/ always equal the sums of the lines each reader may see.

After each of a long, random run of changes (lines added, edited, moved, deleted, bulk-updated;
papers published, made exempt, moved to another board; boards made private; notices signed and
published; meetings and recommendations moved), the totals page's figures are compared with a
direct sum over ``FinancialLine.objects.visible_to(reader).counted()`` for the public, a board
member and staff, under every filter. Any drift between the two would show the public money
of hidden records, or lose money, so this is the test that the shortcut is safe.
"""

import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Q, Sum
from django.test import RequestFactory

from boards.models import Paper
from decisions import services
from decisions.models import DecisionNotice
from finance import rollup
from finance.filters import FinancialLineFilter
from finance.models import FinancialLine, LineTotal, RecordType
from finance.views import _totals
from tests.factories import (
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    RecommendationFactory,
    UserFactory,
)
from tests.finance.factories import (
    CollaboratedFunctionFactory,
    CollaborationAreaFactory,
    FinancialLineFactory,
)

pytestmark = pytest.mark.django_db

YEARS = ["", "2014/15", "2015/16", "2016/17"]
KINDS = [FinancialLine.Kind.COST, FinancialLine.Kind.BUDGET, FinancialLine.Kind.REALISED_SAVING]


def figures_from_totals(user, params: dict) -> dict:
    request = RequestFactory().get("/finance/", params)
    request.user = user
    filterset = FinancialLineFilter(
        params or None, queryset=FinancialLine.objects.all(), request=request
    )
    if filterset.is_bound and not filterset.is_valid():
        return None  # e.g. a private board the reader may not choose: the page answers 400
    return {
        (row["financial_year"], row["kind"]): (row["total"], row["lines"])
        for row in _totals(request, filterset)
        if row["lines"]
    }


def figures_from_lines(user, params: dict) -> dict:
    request = RequestFactory().get("/finance/", params)
    request.user = user
    lines = FinancialLine.objects.visible_to(user)
    filterset = FinancialLineFilter(params or None, queryset=lines, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return None
    sums: dict = defaultdict(lambda: [Decimal(0), 0])
    for line in filterset.qs.counted():
        sums[(line.financial_year, line.kind)][0] += line.amount
        sums[(line.financial_year, line.kind)][1] += 1
    return {key: (total, count) for key, (total, count) in sums.items()}


class World:
    """Records of two boards (one private later), papers, notices, recommendations, lines."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.boards = [BoardFactory(is_public=True), BoardFactory(is_public=True)]
        self.meetings = [MeetingFactory(board=b) for b in self.boards for _ in range(2)]
        self.papers = [
            PaperFactory(
                board=rng.choice(self.boards), status=rng.choice(list(Paper.Status.values))
            )
            for _ in range(5)
        ]
        self.notices = [
            DecisionNoticeFactory(meeting=rng.choice([*self.meetings, None])) for _ in range(3)
        ]
        self.recommendations = [
            RecommendationFactory(paper=rng.choice(self.papers)) for _ in range(4)
        ]
        self.functions = [CollaboratedFunctionFactory(area=CollaborationAreaFactory())]
        self.lines: list[FinancialLine] = []
        member = UserFactory(username="rollup-member")
        MembershipFactory(board=self.boards[0], person=PersonFactory(user=member))
        self.readers = {
            "public": AnonymousUser(),
            "member": member,
            "staff": UserFactory(username="rollup-staff", is_staff=True, is_superuser=True),
        }

    def owner(self) -> dict:
        choice = self.rng.randrange(4)
        if choice == 0:
            return {"paper": self.rng.choice(self.papers)}
        if choice == 1:
            return {"recommendation": self.rng.choice(self.recommendations)}
        if choice == 2:
            draft = list(
                DecisionNotice.objects.filter(
                    pk__in=[n.pk for n in self.notices], status=DecisionNotice.Status.DRAFT
                ).order_by("pk")
            )
            if draft:
                return {"decision_notice": self.rng.choice(draft)}
        return {"function": self.functions[0]}

    def open_lines(self) -> list[FinancialLine]:
        """Lines that may still change: not of a signed notice."""
        return list(
            FinancialLine.objects.filter(pk__in=[line.pk for line in self.lines])
            .filter(Q(decision_notice=None) | Q(decision_notice__status="draft"))
            .order_by("pk")
        )

    def add_line(self) -> None:
        kind = self.rng.choice(KINDS)
        amount = Decimal(
            self.rng.randrange(-5000, 90000) if kind == "budget" else self.rng.randrange(1, 90000)
        )
        self.lines.append(
            FinancialLineFactory(
                amount=amount,
                kind=kind,
                financial_year=self.rng.choice(YEARS),
                counted=self.rng.random() > 0.15,
                **self.owner(),
            )
        )

    def step(self) -> str:
        rng = self.rng
        action = rng.choice(
            [
                "add",
                "add",
                "edit",
                "move",
                "delete",
                "bulk",
                "paper",
                "paper_board",
                "board",
                "notice",
                "meeting",
                "recommendation",
                "part_of",
            ]
        )
        lines = self.open_lines()
        if action == "add" or (
            not lines and action in {"edit", "move", "delete", "bulk", "part_of"}
        ):
            self.add_line()
        elif action == "edit":
            line = FinancialLine.objects.get(pk=rng.choice(lines).pk)
            line.amount = Decimal(rng.randrange(1, 90000))
            line.financial_year = rng.choice(YEARS)
            line.save()
        elif action == "move":
            line = FinancialLine.objects.get(pk=rng.choice(lines).pk)
            line.paper = line.recommendation = line.decision_notice = None
            for name, record in self.owner().items():
                setattr(line, name, record)
            if not any((line.paper_id, line.recommendation_id, line.decision_notice_id)):
                line.function = self.functions[0]
            line.save()
        elif action == "delete":
            line = rng.choice(lines)
            if line.parts.exists():  # a whole with parts is protected
                return "delete (refused)"
            gone = line.pk
            line.delete()
            self.lines = [kept for kept in self.lines if kept.pk != gone]
        elif action == "bulk":
            ids = [line.pk for line in rng.sample(lines, min(3, len(lines)))]
            FinancialLine.objects.filter(pk__in=ids).update(financial_year=rng.choice(YEARS))
        elif action == "part_of":
            part, whole = FinancialLine.objects.get(pk=rng.choice(lines).pk), rng.choice(self.lines)
            if part.pk != whole.pk:
                part.part_of = whole
                part.save()
        elif action == "paper":
            paper = Paper.objects.get(pk=rng.choice(self.papers).pk)
            paper.status = rng.choice(list(Paper.Status.values))
            paper.access = rng.choice(list(Paper.Access.values))
            paper.exemption_reason = "Section 43" if paper.access == "exempt" else ""
            paper.save()
        elif action == "paper_board":
            paper = Paper.objects.get(pk=rng.choice(self.papers).pk)
            paper.board = rng.choice(self.boards)
            paper.save()
        elif action == "board":
            board = rng.choice(self.boards)
            board.refresh_from_db()
            board.is_public = not board.is_public
            board.save()
        elif action == "notice":
            notice = DecisionNotice.objects.get(pk=rng.choice(self.notices).pk)
            signer = self.readers["staff"]
            if notice.status == "draft":
                services.sign_notice(notice=notice, user=signer)
            elif notice.status == "signed":
                services.publish_notice(notice=notice, user=signer)
            elif notice.status == "published":
                services.withdraw_notice(notice=notice, user=signer, reason="Superseded.")
        elif action == "meeting":
            meeting = rng.choice(self.meetings)
            meeting.refresh_from_db()
            meeting.board = rng.choice(self.boards)
            try:
                meeting.save()
            except Exception:  # one meeting per board per day, or locked minutes: no change
                return "meeting (refused)"
        elif action == "recommendation":
            rec = rng.choice(self.recommendations)
            rec.refresh_from_db()
            rec.paper = rng.choice(self.papers)
            rec.save()
        return action


FILTERS = [
    {},
    {"kind": "cost"},
    {"year_from": "2015/16"},
    {"year_to": "2015/16"},
    {"record_type": RecordType.RECOMMENDATION},
    {"record_type": RecordType.FUNCTION},
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_running_totals_equal_the_visible_lines_after_every_change(seed):
    world = World(random.Random(seed))
    for _ in range(8):
        world.add_line()
    for step in range(60):
        action = world.step()
        for name, user in world.readers.items():
            for params in [*FILTERS, {"board": world.boards[0].slug}]:
                assert figures_from_totals(user, params) == figures_from_lines(user, params), (
                    f"step {step} ({action}), {name}, {params}"
                )


def test_rebuilding_gives_the_totals_kept_by_the_changes():
    world = World(random.Random(7))
    for _ in range(30):
        world.step()
    kept = {t.key: (t.total, t.lines) for t in LineTotal.objects.filter(lines__gt=0)}
    call_command("rebuild_finance_totals", verbosity=0)
    assert {t.key: (t.total, t.lines) for t in LineTotal.objects.all()} == kept


def test_the_public_never_sees_a_hidden_papers_money_in_the_totals():
    hidden = PaperFactory(status=Paper.Status.DRAFT)
    FinancialLineFactory(paper=hidden, amount=Decimal("5000"), financial_year="2015/16")
    assert figures_from_totals(AnonymousUser(), {}) == {}
    hidden.status = Paper.Status.PUBLISHED
    hidden.save()
    assert figures_from_totals(AnonymousUser(), {}) == {
        ("2015/16", "cost"): (Decimal("5000.00"), 1)
    }


def test_a_line_saved_in_a_transaction_that_fails_leaves_no_total(django_db_blocker):
    paper = PaperFactory()
    with pytest.raises(RuntimeError), __import__("django").db.transaction.atomic():
        FinancialLineFactory(paper=paper, amount=Decimal("10"))
        raise RuntimeError("the admin form failed after the line was saved")
    assert not LineTotal.objects.exclude(lines=0).exists()
    assert rollup.sums(FinancialLine.objects.all()) == {}
    assert FinancialLine.objects.aggregate(s=Sum("amount"))["s"] is None


def test_a_correction_carries_the_money_and_the_withdrawn_original_leaves_the_totals():
    """Correcting a signed notice copies its lines onto the draft (parts still part of their
    copied whole); signing the correction withdraws the original, whose money then leaves the
    totals while the correction's counts: the decision is committed once."""
    signer = UserFactory(username="corrector", is_staff=True, is_superuser=True)
    notice = DecisionNoticeFactory(meeting=MeetingFactory())
    whole = FinancialLineFactory(
        decision_notice=notice, amount=Decimal("4000"), financial_year="2016/17"
    )
    FinancialLineFactory(
        decision_notice=notice, amount=Decimal("2400"), financial_year="2016/17", part_of=whole
    )
    notice = services.sign_notice(notice=notice, user=signer)
    notice = services.publish_notice(notice=notice, user=signer)
    public = AnonymousUser()
    assert figures_from_totals(public, {}) == {("2016/17", "cost"): (Decimal("4000.00"), 1)}

    draft = services.draft_correction(notice=notice, user=signer)
    copies = {line.amount: line for line in draft.financial_lines.all()}
    assert set(copies) == {Decimal("4000.00"), Decimal("2400.00")}
    assert copies[Decimal("2400.00")].part_of == copies[Decimal("4000.00")]
    copies[Decimal("4000.00")].amount = Decimal("4500")
    copies[Decimal("4000.00")].save()
    draft = services.sign_notice(notice=draft, user=signer)
    services.publish_notice(notice=draft, user=signer)

    notice.refresh_from_db()
    assert notice.status == DecisionNotice.Status.WITHDRAWN
    for user in (public, signer):
        assert figures_from_totals(user, {}) == {("2016/17", "cost"): (Decimal("4500.00"), 1)}
        assert figures_from_totals(user, {}) == figures_from_lines(user, {})
