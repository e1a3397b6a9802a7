"""The stored totals behind /finance/ and the lines' visibility stamps always agree with the
records' own rules of who may see what.

A line's ``visible_to_public``, ``entitled_board`` and ``in_totals`` columns are copies of
facts about its record (a paper's status, access and board; a board's publicity; a meeting's
board and its minutes' approval; an agenda item's exemption; a minute paragraph's item; a
notice's status and meeting, and whether it corrects another; a recommendation's paper), and
``LineTotal`` rows are
sums kept by those copies. Copies drift: a write path that forgets to re-stamp, a total moved
twice, a race between a visibility change and a line change. A drift either shows the public
the money of a hidden record or loses money from the totals, so every check here compares the
stored columns with an oracle that asks the records themselves (``Paper.objects.visible_to``,
``DecisionNotice.objects.visible_to``, ``MinuteParagraph.objects.visible_to``; a function's own
lines are public) and never reads a stamp:

- a hypothesis state machine runs random sequences of every write path (lines saved, moved,
  deleted, updated, bulk-updated and bulk-created; papers, boards, meetings, agenda items,
  minute paragraphs, recommendations and notices changed by ``save()``, by
  ``QuerySet.update()`` and through the notice and minutes lifecycle services) and after every step checks, for the public, a board member and staff, the lines
  ``FinancialLine.objects.visible_to`` gives, each line's stamps, and the /finance/ figures
  under several filters;
- on PostgreSQL, two threads change a record's visibility (a paper published and unpublished,
  a meeting moved between boards) and its lines (saved, moved off, deleted, changed in bulk) at
  the same moment; neither may deadlock, and afterwards the totals and stamps are exact;
- the bulk updates that bypass ``save()`` (a paper made draft, a board made private, a
  published notice made draft) take the money out of the public totals and leave it in staff's.
"""

import contextlib
import datetime
import io
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q, Sum
from django.test import RequestFactory
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from boards.models import AgendaItem, Board, Meeting, MinuteParagraph, Paper
from boards.services import approve_minutes, reopen_minutes
from decisions import services
from decisions.models import DecisionNotice, Recommendation
from finance.filters import FinancialLineFilter
from finance.models import ColumnTotal, FinancialLine, LineTotal, RecordType, totals
from minutebook.records import LockedRecordError
from tests.factories import (
    EARLY_MEETING,
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteParagraphFactory,
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
KINDS = [
    FinancialLine.Kind.COST,
    FinancialLine.Kind.BUDGET,
    FinancialLine.Kind.UNDERSPEND,
    FinancialLine.Kind.REALISED_SAVING,
]
PENNY = Decimal("0.01")
DRAFT = DecisionNotice.Status.DRAFT
WITHDRAWN = DecisionNotice.Status.WITHDRAWN
APPROVED = Meeting.MinutesStatus.APPROVED

# The /finance/ filters checked after every step (the board filters are added per world:
# the member's board, and a private board the public may not choose).
FILTERS = [
    {},
    {"kind": "cost"},
    {"year_from": "2015/16", "year_to": "2016/17"},
    {"no_year": "true"},
    {"record_type": RecordType.RECOMMENDATION},
    {"record_type": RecordType.MINUTE},
]


# -- the two sides compared ------------------------------------------------------------------------


def figures_from_totals(user, params: dict) -> dict | None:
    """The /finance/ figures by (year, kind) as the page reads them: the stored totals the
    reader may see, narrowed by ``FinancialLineFilter.filter_totals``."""
    rows = totals.visible_totals(user).filter(lines__gt=0)
    if params:  # (no filters: filter_totals leaves the rows as they are)
        request = RequestFactory().get("/finance/", params)
        request.user = user
        filterset = FinancialLineFilter(
            params, queryset=FinancialLine.objects.all(), request=request
        )
        if not filterset.is_valid():
            return None  # e.g. a private board the reader may not choose: the page answers 400
        rows = filterset.filter_totals(rows)
    rows = (
        rows.order_by()
        .values("financial_year", "kind")
        .annotate(total=Sum("total"), lines=Sum("lines"))
    )
    return {
        (row["financial_year"], row["kind"]): (pennies(row["total"]), row["lines"]) for row in rows
    }


def pennies(amount: Decimal) -> Decimal:
    """To the penny. SQLite has no decimal type: it adds amounts and stored totals as binary
    floats, so a sum can read back as 2.28000000000020. PostgreSQL is exact."""
    return amount.quantize(PENNY)


# What the oracle reads of a line: its own columns and its record's, never a stamp.
RECORD_VALUES = (
    "pk",
    "amount",
    "kind",
    "financial_year",
    "counted",
    "paper_id",
    "recommendation_id",
    "decision_notice_id",
    "recommendation__paper_id",
    "decision_notice__status",
    "decision_notice__supersedes_id",
    "paper__board_id",
    "recommendation__paper__board_id",
    "decision_notice__meeting__board_id",
    "minute_paragraph_id",
    "minute_paragraph__item__meeting__board_id",
)
STAMPS = ("visible_to_public", "entitled_board_id", "in_totals")


def lines_with_their_records() -> list[dict]:
    return list(FinancialLine.objects.order_by("pk").values(*RECORD_VALUES, *STAMPS))


class RecordRules:
    """Who may see a line, asked of the records' own rules (not of the line's stamps)."""

    def __init__(self, user):
        self.papers = set(Paper.objects.visible_to(user).values_list("pk", flat=True))
        self.notices = set(DecisionNotice.objects.visible_to(user).values_list("pk", flat=True))
        self.minutes = set(MinuteParagraph.objects.visible_to(user).values_list("pk", flat=True))

    def sees(self, line: dict) -> bool:
        if line["paper_id"]:
            return line["paper_id"] in self.papers
        if line["recommendation_id"]:
            return line["recommendation__paper_id"] in self.papers
        if line["decision_notice_id"]:
            return line["decision_notice_id"] in self.notices
        if line["minute_paragraph_id"]:
            return line["minute_paragraph_id"] in self.minutes
        return True  # a collaborated function's own line


def board_of(line: dict) -> int | None:
    """The board whose members the records' rules entitle to the line's record."""
    return (
        line["paper__board_id"]
        or line["recommendation__paper__board_id"]
        or line["decision_notice__meeting__board_id"]
        or line["minute_paragraph__item__meeting__board_id"]
    )


def counts(line: dict) -> bool:
    """Whether the line goes into totals: counted, and not of a notice that commits nothing (a
    withdrawn one, or a correction still in draft: until it is signed, which withdraws the
    notice it corrects, the corrected notice's copy of the money counts)."""
    status = line["decision_notice__status"]
    draft_correction = status == DRAFT and line["decision_notice__supersedes_id"] is not None
    return line["counted"] and status != WITHDRAWN and not draft_correction


def record_type_of(line: dict) -> str:
    for name, record_type in (
        ("paper", RecordType.PAPER),
        ("recommendation", RecordType.RECOMMENDATION),
        ("decision_notice", RecordType.DECISION_NOTICE),
        ("minute_paragraph", RecordType.MINUTE),
    ):
        if line[f"{name}_id"]:
            return record_type
    return RecordType.FUNCTION


def selected(line: dict, params: dict, board: int | None) -> bool:
    year = line["financial_year"]
    if params.get("kind") and line["kind"] != params["kind"]:
        return False
    if params.get("year_from") and not year >= params["year_from"]:
        return False
    if params.get("year_to") and not (year and year <= params["year_to"]):
        return False
    if params.get("no_year") and year:
        return False
    if params.get("record_type") and record_type_of(line) != params["record_type"]:
        return False
    return not (params.get("board") and board_of(line) != board)


def expected_figures(
    user, params: dict, lines: list[dict] | None = None, rules: RecordRules | None = None
) -> dict | None:
    """The oracle: the figures as direct sums over the counted lines whose record the reader
    may see, filtered in Python by the records' own columns."""
    board = None
    if params.get("board"):
        board = (
            Board.objects.visible_to(user)
            .filter(slug=params["board"])
            .values_list("pk", flat=True)
            .first()
        )
        if board is None:
            return None
    rules = rules or RecordRules(user)
    sums: dict = defaultdict(lambda: [Decimal(0), 0])
    for line in lines_with_their_records() if lines is None else lines:
        if counts(line) and rules.sees(line) and selected(line, params, board):
            sums[(line["financial_year"], line["kind"])][0] += line["amount"]
            sums[(line["financial_year"], line["kind"])][1] += 1
    return {key: (total, count) for key, (total, count) in sums.items()}


def stored_totals(model=LineTotal) -> dict:
    """Every stored bucket (or column: ``ColumnTotal``) that holds anything, to the penny (a
    bucket with no lines must hold no money)."""
    rows = ((row.key, pennies(row.total), row.lines) for row in model.objects.all())
    return {key: (total, count) for key, total, count in rows if total or count}


def totals_of_the_stamps(model=LineTotal) -> dict:
    sums = totals.sums(FinancialLine.objects.all())
    if model is ColumnTotal:
        sums = totals.by_column(sums)
    return {totals.key(bucket): (pennies(total), count) for bucket, (total, count) in sums.items()}


def check_everything(
    readers: dict, filters: list[dict], step: str = "", turn: int | None = None
) -> None:
    """Stamps, stored totals, visible lines and /finance/ figures against the oracle, for every
    reader: under every filter, or with ``turn`` the unfiltered figures and one filter in turn
    (each reader a different one), which keeps a long run fast: the stamps and stored totals,
    checked in full every time, are what a change can break; the filters only read them."""
    lines = lines_with_their_records()
    rules = {name: RecordRules(user) for name, user in readers.items()}
    public = rules.get("public") or RecordRules(AnonymousUser())
    for line in lines:
        expected = (public.sees(line), board_of(line), counts(line))
        stamped = tuple(line[name] for name in STAMPS)
        assert stamped == expected, (
            f"{step}: line {line['pk']} is stamped (public, board, in totals) = {stamped}, "
            f"its record says {expected}"
        )
    assert stored_totals() == totals_of_the_stamps(), f"{step}: the stored totals drifted"
    assert stored_totals(ColumnTotal) == totals_of_the_stamps(ColumnTotal), (
        f"{step}: the column totals drifted"
    )
    for number, (name, user) in enumerate(readers.items()):
        checked = filters
        if turn is not None:
            others = [params for params in filters if params]
            checked = [{}, others[(turn + number) % len(others)]]
        visible = set(FinancialLine.objects.visible_to(user).values_list("pk", flat=True))
        assert visible == {line["pk"] for line in lines if rules[name].sees(line)}, (
            f"{step}: FinancialLine.objects.visible_to({name}) disagrees with the records"
        )
        for params in checked:
            expected = expected_figures(user, params, lines, rules[name])
            assert figures_from_totals(user, params) == expected, (
                f"{step}: /finance/ figures for {name} under {params}"
            )


# -- a small world of records ------------------------------------------------------------------------


@dataclass
class World:
    """Three boards (the member sits on the first; the third is private), four meetings (two
    on one date, so a meeting moved onto the other's board clashes; the second's minutes
    approved, the others' draft), an agenda item on each meeting (the first meeting's second
    exempt) with a minute paragraph each, five papers of every kind of visibility, four
    recommendations, four draft notices (one taken at no meeting), a collaborated function,
    and a line on each kind of record."""

    boards: list[int] = field(default_factory=list)
    meetings: list[int] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)
    papers: list[int] = field(default_factory=list)
    recommendations: list[int] = field(default_factory=list)
    notices: list[int] = field(default_factory=list)
    function: int = 0
    readers: dict = field(default_factory=dict)
    filters: list[dict] = field(default_factory=list)

    @property
    def staff(self):
        return self.readers["staff"]


def build_world(name: str = "rollup") -> World:
    boards = [
        BoardFactory(is_public=True),
        BoardFactory(is_public=True),
        BoardFactory(is_public=False),
    ]
    day = datetime.date(2015, 6, 1)
    meetings = [
        MeetingFactory(board=boards[0], date=day),
        MeetingFactory(board=boards[0], date=datetime.date(2015, 9, 1)),
        MeetingFactory(board=boards[1], date=day),
        MeetingFactory(board=boards[2], date=datetime.date(2016, 1, 5)),
    ]
    papers = [
        PaperFactory(board=boards[0], status=Paper.Status.PUBLISHED),
        PaperFactory(board=boards[0], status=Paper.Status.DRAFT),
        PaperFactory(
            board=boards[1],
            status=Paper.Status.PUBLISHED,
            access=Paper.Access.EXEMPT,
            exemption_reason="Section 43",
        ),
        PaperFactory(board=boards[2], status=Paper.Status.PUBLISHED),
        PaperFactory(board=boards[1], status=Paper.Status.PUBLISHED),
    ]
    recommendations = [
        RecommendationFactory(paper=papers[0]),
        RecommendationFactory(paper=papers[1]),
        RecommendationFactory(paper=papers[3]),
        RecommendationFactory(paper=papers[4]),
    ]
    notices = [
        DecisionNoticeFactory(meeting=meetings[0]),
        DecisionNoticeFactory(meeting=meetings[2]),
        DecisionNoticeFactory(meeting=meetings[3]),
        DecisionNoticeFactory(meeting=None),
    ]
    items = [
        AgendaItemFactory(meeting=meetings[0], number="1", position=1),
        AgendaItemFactory(
            meeting=meetings[0],
            number="2",
            position=2,
            is_exempt=True,
            exemption_reason="Section 43",
        ),
        AgendaItemFactory(meeting=meetings[1], number="1", position=1),
        AgendaItemFactory(meeting=meetings[2], number="1", position=1),
        AgendaItemFactory(meeting=meetings[3], number="1", position=1),
    ]
    paragraphs = [MinuteParagraphFactory(item=item) for item in items]
    function = CollaboratedFunctionFactory(area=CollaborationAreaFactory())
    for owner, amount, kind, year, counted in [
        ({"paper": papers[0]}, "1000", "cost", "2015/16", True),
        ({"paper": papers[3]}, "700", "cost", "", False),
        ({"recommendation": recommendations[0]}, "1200", "cost", "2015/16", True),
        ({"recommendation": recommendations[1]}, "-500", "budget", "", True),
        ({"decision_notice": notices[0]}, "2500", "cost", "2016/17", True),
        ({"decision_notice": notices[2]}, "90.50", "underspend", "2014/15", True),
        ({"function": function}, "300", "realised_saving", "2014/15", True),
        ({"minute_paragraph": paragraphs[0]}, "2100000", "underspend", "2015/16", True),
        ({"minute_paragraph": paragraphs[1]}, "25000", "cost", "", True),
        ({"minute_paragraph": paragraphs[2]}, "83000", "capital", "2015/16", True),
        ({"minute_paragraph": paragraphs[4]}, "226000", "capital", "2015/16", False),
    ]:
        FinancialLineFactory(
            amount=Decimal(amount), kind=kind, financial_year=year, counted=counted, **owner
        )
    member = UserFactory(username=f"{name}-member", password="!")  # never logs in
    MembershipFactory(board=boards[0], person=PersonFactory(user=member))
    staff = UserFactory(username=f"{name}-staff", password="!", is_staff=True, is_superuser=True)
    approve_minutes(meeting=meetings[1], by=staff)  # its minute's line is locked with them
    return World(
        boards=[b.pk for b in boards],
        meetings=[m.pk for m in meetings],
        items=[i.pk for i in items],
        paragraphs=[p.pk for p in paragraphs],
        papers=[p.pk for p in papers],
        recommendations=[r.pk for r in recommendations],
        notices=[n.pk for n in notices],
        function=function.pk,
        readers={"public": AnonymousUser(), "member": member, "staff": staff},
        filters=[*FILTERS, {"board": boards[0].slug}, {"board": boards[2].slug}],
    )


def fit(amount: Decimal, kind: str) -> Decimal:
    """Only a budget or an underspend can be negative (a database constraint)."""
    return amount if kind in FinancialLine.NEGATIVE_KINDS else abs(amount)


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        lines_with_their_records(),
        sorted(LineTotal.objects.values_list("key", "total", "lines")),
        sorted(ColumnTotal.objects.values_list("key", "total", "lines")),
        sorted(DecisionNotice.objects.values_list("pk", "status", "meeting_id")),
        sorted(Meeting.objects.values_list("pk", "board_id", "minutes_status")),
        sorted(AgendaItem.objects.values_list("pk", "meeting_id", "is_exempt")),
        sorted(MinuteParagraph.objects.values_list("pk", "item_id", "position")),
    )


def refused(error, change) -> None:
    """``change`` raises ``error`` and leaves every line, total and record as it was."""
    before = snapshot()
    with pytest.raises(error), transaction.atomic():
        change()
    assert snapshot() == before, f"a refused change ({error.__name__}) left changes behind"


# -- 1. the state machine ----------------------------------------------------------------------------

picks = st.integers(min_value=0, max_value=10**6)  # an index into whatever list exists then
amounts = st.integers(min_value=-500_000, max_value=9_000_000).map(lambda p: Decimal(p).scaleb(-2))
kinds = st.sampled_from(KINDS)
years = st.sampled_from(YEARS)
owners = st.one_of(
    st.tuples(st.just("paper"), st.integers(0, 4)),
    st.tuples(st.just("recommendation"), st.integers(0, 3)),
    st.tuples(st.just("decision_notice"), picks),
    st.tuples(st.just("minute_paragraph"), picks),
    st.just(("function", 0)),
)
OWNER_FIELDS = ["paper", "recommendation", "decision_notice", "minute_paragraph", "function"]


class LinesAndRecords(RuleBasedStateMachine):
    """Random sequences of every write path of the lines and of what decides their visibility.
    Each example runs in a savepoint rolled back in ``teardown``, so every example starts
    from the world built once by the test."""

    world: ClassVar[World]

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.notices = list(self.world.notices)  # corrections are added as they are drafted
        self.checks = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # -- helpers --------------------------------------------------------------------------------
    def lines(self) -> list[FinancialLine]:
        return list(FinancialLine.objects.order_by("pk"))

    def notice_pk(self, pick: int) -> int:
        return self.notices[pick % len(self.notices)]

    def is_draft(self, notice_pk: int | None) -> bool:
        return notice_pk is None or DecisionNotice.objects.get(pk=notice_pk).status == DRAFT

    def owner_values(self, owner) -> dict:
        """The owner columns for ``owner``; a function's own line gets the function."""
        kind, pick = owner
        values = {
            "paper_id": None,
            "recommendation_id": None,
            "decision_notice_id": None,
            "minute_paragraph_id": None,
        }
        if kind == "paper":
            values["paper_id"] = self.world.papers[pick]
        elif kind == "recommendation":
            values["recommendation_id"] = self.world.recommendations[pick]
        elif kind == "decision_notice":
            values["decision_notice_id"] = self.notice_pk(pick)
        elif kind == "minute_paragraph":
            paragraphs = self.world.paragraphs
            values["minute_paragraph_id"] = paragraphs[pick % len(paragraphs)]
        else:
            values["function_id"] = self.world.function
        return values

    def minutes_approved(self, paragraph_pk: int | None) -> bool:
        return paragraph_pk is not None and (
            MinuteParagraph.objects.filter(pk=paragraph_pk).locked().exists()
        )

    def locks(self, values: dict) -> bool:
        """Whether owner columns ``values`` name a locked record: a signed notice, or a
        paragraph of approved minutes."""
        return not self.is_draft(values.get("decision_notice_id")) or self.minutes_approved(
            values.get("minute_paragraph_id")
        )

    def locked(self, line: FinancialLine) -> bool:
        """A line as stored belongs to a signed (published, withdrawn) notice or to a
        paragraph of approved minutes."""
        stored = FinancialLine.objects.get(pk=line.pk)
        return self.locks(
            {
                "decision_notice_id": stored.decision_notice_id,
                "minute_paragraph_id": stored.minute_paragraph_id,
            }
        )

    # -- lines, one at a time -------------------------------------------------------------------
    @rule(
        owner=owners,
        kind=kinds,
        amount=amounts,
        year=years,
        how=st.sampled_from(["counted", "not counted", "part of"]),
        whole=picks,
    )
    def add_a_line(self, owner, kind, amount, year, how, whole):
        line = FinancialLine(
            description="Added",
            amount=fit(amount, kind),
            kind=kind,
            financial_year=year,
            counted=how == "counted",
            **self.owner_values(owner),
        )
        existing = self.lines()
        if how == "part of" and existing:
            line.part_of = existing[whole % len(existing)]
        if self.locks(self.owner_values(owner)):
            refused(LockedRecordError, line.save)
        else:
            line.save()

    @rule(which=picks, amount=amounts, kind=kinds, year=years, counted=st.booleans())
    def edit_a_line(self, which, amount, kind, year, counted):
        lines = self.lines()
        if not lines:
            return
        line = lines[which % len(lines)]
        line.amount, line.kind = fit(amount, kind), kind
        line.financial_year, line.counted = year, counted
        if self.locked(line):
            refused(LockedRecordError, line.save)
        else:
            line.save()

    @rule(which=picks, whole=picks)
    def make_a_line_part_of_another(self, which, whole):
        lines = self.lines()
        if len(lines) < 2:
            return
        part, other = lines[which % len(lines)], lines[whole % len(lines)]
        if part.pk == other.pk:
            return
        part.part_of = other
        if self.locked(part):
            refused(LockedRecordError, part.save)
        else:
            part.save()

    @rule(which=picks, owner=owners)
    def move_a_line(self, which, owner):
        lines = self.lines()
        if not lines:
            return
        line = lines[which % len(lines)]
        values = self.owner_values(owner)
        for name, value in values.items():
            setattr(line, name, value)
        if self.locked(line) or self.locks(values):
            refused(LockedRecordError, line.save)
        else:
            line.save()

    @rule(which=picks)
    def delete_a_line(self, which):
        lines = self.lines()
        if not lines:
            return
        line = lines[which % len(lines)]
        if self.locked(line):
            refused(LockedRecordError, line.delete)
        elif line.parts.exists():  # a whole is protected by its parts
            refused(models.ProtectedError, line.delete)
        else:
            line.delete()

    # -- lines, in bulk ---------------------------------------------------------------------------
    @rule(
        which=st.lists(picks, min_size=1, max_size=3),
        change=st.one_of(
            st.tuples(st.just("amount"), amounts),
            st.tuples(st.just("kind"), kinds),
            st.tuples(st.just("financial_year"), years),
            st.tuples(st.just("owner"), owners),
        ),
    )
    def update_lines(self, which, change):
        lines = self.lines()
        if not lines:
            return
        chosen = {lines[pick % len(lines)].pk: lines[pick % len(lines)] for pick in which}
        name, value = change
        kwargs = self.owner_values(value) if name == "owner" else {name: value}
        if self.locks(kwargs):
            return  # money onto a locked record: save() refuses it; not tried in bulk here
        update = FinancialLine.objects.filter(pk__in=list(chosen)).update
        if any(self.locked(line) for line in chosen.values()):
            refused(LockedRecordError, lambda: update(**kwargs))
            return
        after = [
            (kwargs.get("amount", line.amount), kwargs.get("kind", line.kind))
            for line in chosen.values()
        ]
        if any(amount < 0 and kind not in FinancialLine.NEGATIVE_KINDS for amount, kind in after):
            refused(IntegrityError, lambda: update(**kwargs))
            return
        update(**kwargs)

    @rule(
        changes=st.lists(
            st.tuples(picks, amounts, kinds, years, st.booleans(), owners), min_size=1, max_size=3
        )
    )
    def bulk_update_lines(self, changes):
        lines = self.lines()
        if not lines:
            return
        chosen: dict[int, FinancialLine] = {}
        for pick, amount, kind, year, counted, owner in changes:
            line = lines[pick % len(lines)]
            values = self.owner_values(owner)
            if line.pk in chosen or self.locks(values):
                continue
            line.amount, line.kind, line.financial_year = fit(amount, kind), kind, year
            line.counted = counted and line.part_of_id is None
            for name, value in values.items():
                setattr(line, name, value)
            chosen[line.pk] = line
        if not chosen:
            return
        fields = ["amount", "kind", "financial_year", "counted", *OWNER_FIELDS]

        def bulk_update():
            FinancialLine.objects.bulk_update(list(chosen.values()), fields)

        if any(self.locked(line) for line in chosen.values()):
            refused(LockedRecordError, bulk_update)
        else:
            bulk_update()

    @rule(
        specs=st.lists(
            st.tuples(owners, kinds, amounts, years, st.booleans()), min_size=1, max_size=3
        )
    )
    def bulk_create_lines(self, specs):
        new = []
        for owner, kind, amount, year, counted in specs:
            values = self.owner_values(owner)
            if self.locks(values):
                continue  # money onto a locked record: save() refuses it; not tried in bulk
            new.append(
                FinancialLine(
                    description="Bulk",
                    amount=fit(amount, kind),
                    kind=kind,
                    financial_year=year,
                    counted=counted,
                    **values,
                )
            )
        FinancialLine.objects.bulk_create(new)

    # -- what decides visibility --------------------------------------------------------------------
    @rule(
        which=st.integers(0, 4),
        status=st.sampled_from(Paper.Status.values),
        access=st.sampled_from(Paper.Access.values),
    )
    def update_a_paper(self, which, status, access):
        reason = "Section 43" if access == Paper.Access.EXEMPT else ""
        Paper.objects.filter(pk=self.world.papers[which]).update(
            status=status, access=access, exemption_reason=reason
        )

    @rule(
        which=st.integers(0, 4),
        status=st.sampled_from(Paper.Status.values),
        access=st.sampled_from(Paper.Access.values),
        board=st.integers(0, 2),
    )
    def save_a_paper(self, which, status, access, board):
        paper = Paper.objects.get(pk=self.world.papers[which])
        paper.status, paper.access, paper.board_id = status, access, self.world.boards[board]
        paper.exemption_reason = "Section 43" if access == Paper.Access.EXEMPT else ""
        paper.save()

    @rule(which=st.integers(0, 2), is_public=st.booleans(), how=st.sampled_from(["update", "save"]))
    def change_a_boards_publicity(self, which, is_public, how):
        pk = self.world.boards[which]
        if how == "update":
            Board.objects.filter(pk=pk).update(is_public=is_public)
        else:
            board = Board.objects.get(pk=pk)
            board.is_public = is_public
            board.save()

    @rule(which=st.integers(0, 3), board=st.integers(0, 2), how=st.sampled_from(["update", "save"]))
    def move_a_meeting_to_another_board(self, which, board, how):
        meeting = Meeting.objects.get(pk=self.world.meetings[which])
        target = self.world.boards[board]

        def move():
            if how == "update":
                Meeting.objects.filter(pk=meeting.pk).update(board_id=target)
            else:
                meeting.board_id = target
                meeting.save()

        clash = Meeting.objects.filter(board=target, date=meeting.date).exclude(pk=meeting.pk)
        if meeting.minutes_locked:  # approved minutes lock their meeting's record
            refused(LockedRecordError, move)
        elif clash.exists():  # one meeting per board per day
            refused(IntegrityError, move)
        else:
            move()

    @rule(which=st.integers(0, 3))
    def approve_or_reopen_minutes(self, which):
        """Through the minutes services: approval makes the minutes (and their money) public
        and locks them; reopening, with a reason, takes both back."""
        meeting = Meeting.objects.get(pk=self.world.meetings[which])
        if meeting.minutes_locked:
            reopen_minutes(meeting=meeting, reason="A figure to correct.", user=self.world.staff)
        else:
            approve_minutes(meeting=meeting, by=self.world.staff)

    @rule(which=st.integers(0, 4), exempt=st.booleans(), how=st.sampled_from(["update", "save"]))
    def change_an_items_exemption(self, which, exempt, how):
        pk = self.world.items[which]
        reason = "Section 43" if exempt else ""

        def change():
            if how == "update":
                AgendaItem.objects.filter(pk=pk).update(is_exempt=exempt, exemption_reason=reason)
            else:
                item = AgendaItem.objects.get(pk=pk)
                item.is_exempt, item.exemption_reason = exempt, reason
                item.save()

        if AgendaItem.objects.filter(pk=pk).locked().exists():
            refused(LockedRecordError, change)
        else:
            change()

    @rule(which=st.integers(0, 4), item=st.integers(0, 4), how=st.sampled_from(["update", "save"]))
    def move_a_paragraph_to_another_item(self, which, item, how):
        pk, item_pk = self.world.paragraphs[which], self.world.items[item]
        position = 1000 + pk  # clashes with no paragraph of any item

        def move():
            if how == "update":
                MinuteParagraph.objects.filter(pk=pk).update(item=item_pk, position=position)
            else:
                paragraph = MinuteParagraph.objects.get(pk=pk)
                paragraph.item_id, paragraph.position = item_pk, position
                paragraph.save()

        into_or_out_of_approved = self.minutes_approved(pk) or (
            AgendaItem.objects.filter(pk=item_pk).locked().exists()
        )
        if into_or_out_of_approved:
            refused(LockedRecordError, move)
        else:
            move()

    @rule(which=st.integers(0, 3), paper=st.integers(0, 4), how=st.sampled_from(["update", "save"]))
    def move_a_recommendation_to_another_paper(self, which, paper, how):
        pk, paper_pk = self.world.recommendations[which], self.world.papers[paper]
        if how == "update":
            Recommendation.objects.filter(pk=pk).update(paper=paper_pk)
        else:
            recommendation = Recommendation.objects.get(pk=pk)
            recommendation.paper_id = paper_pk
            recommendation.save()

    @rule(which=picks, action=st.sampled_from(["sign", "publish", "withdraw", "correct"]))
    def move_a_notice_through_its_lifecycle(self, which, action):
        notice = DecisionNotice.objects.get(pk=self.notice_pk(which))
        staff, status = self.world.staff, notice.status
        calls = {
            "sign": lambda: services.sign_notice(notice=notice, user=staff),
            "publish": lambda: services.publish_notice(notice=notice, user=staff),
            "withdraw": lambda: services.withdraw_notice(
                notice=notice, user=staff, reason="Superseded."
            ),
            "correct": lambda: services.draft_correction(notice=notice, user=staff),
        }
        allowed = {
            "sign": status == DRAFT,
            "publish": status == DecisionNotice.Status.SIGNED,
            "withdraw": status in (DecisionNotice.Status.SIGNED, DecisionNotice.Status.PUBLISHED),
            "correct": status != DRAFT
            and not DecisionNotice.objects.filter(supersedes=notice).exists(),
        }
        if not allowed[action]:
            refused(ValueError, calls[action])
            return
        done = calls[action]()
        if action == "correct":
            self.notices.append(done.pk)

    @rule(which=picks, meeting=st.one_of(st.none(), st.integers(0, 3)))
    def move_a_draft_notice_to_another_meeting(self, which, meeting):
        DecisionNotice.objects.filter(pk=self.notice_pk(which), status=DRAFT).update(
            meeting=None if meeting is None else self.world.meetings[meeting],
            taken_outside_meeting=meeting is None,  # a notice is taken at one or outside one
        )

    @rule(which=picks, status=st.sampled_from(DecisionNotice.Status.values))
    def update_a_notices_status(self, which, status):
        """Bypassing the services: the attack on the totals (a published notice made draft).
        Refused unless the notice is a draft and stays one (the lifecycle moves through the
        services only)."""
        pk = self.notice_pk(which)

        def change():
            DecisionNotice.objects.filter(pk=pk).update(
                status=status, published_on=datetime.date(2016, 4, 1)
            )

        if self.is_draft(pk) and status == DRAFT:
            change()
        else:
            refused(LockedRecordError, change)

    @rule()
    def rebuild_the_totals(self):
        kept = stored_totals(), stored_totals(ColumnTotal)
        call_command("rebuild_finance_totals", verbosity=0, stdout=io.StringIO())
        assert (stored_totals(), stored_totals(ColumnTotal)) == kept, (
            "rebuilding changed the totals the changes kept"
        )

    # -- after every step ---------------------------------------------------------------------------
    @invariant()
    def the_stamps_and_totals_follow_the_records(self):
        self.checks += 1
        check_everything(self.world.readers, self.world.filters, turn=self.checks)


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_the_totals_and_stamps_follow_the_records_through_any_sequence_of_changes():
    LinesAndRecords.world = build_world("machine")
    run_state_machine_as_test(
        LinesAndRecords,
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            database=None,
            print_blob=True,
            report_multiple_bugs=False,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


# -- a fixed run of every write path --------------------------------------------------------------


def a_run_of_every_change(world: World) -> None:
    """Each write path once, in an order that moves money between buckets."""
    staff = world.staff
    lines = list(FinancialLine.objects.order_by("pk"))
    paper_line, rec_line, function_line = lines[0], lines[2], lines[6]
    paper_line.amount, paper_line.financial_year = Decimal("1100"), "2016/17"
    paper_line.save()
    rec_line.recommendation_id, rec_line.paper_id = None, world.papers[4]
    rec_line.save()
    FinancialLine.objects.filter(pk=function_line.pk).update(kind="cost", amount=Decimal("310"))
    FinancialLine.objects.bulk_create(
        [
            FinancialLine(
                description="Bulk", amount=Decimal("40"), kind="cost", paper_id=world.papers[0]
            ),
            FinancialLine(
                description="Bulk", amount=Decimal("60"), kind="cost", function_id=world.function
            ),
        ]
    )
    paper_line.refresh_from_db()
    paper_line.financial_year = "2014/15"
    FinancialLine.objects.bulk_update([paper_line], ["financial_year"])
    Paper.objects.filter(pk=world.papers[0]).update(status=Paper.Status.DRAFT)
    paper = Paper.objects.get(pk=world.papers[1])
    paper.status = Paper.Status.PUBLISHED
    paper.save()
    Board.objects.filter(pk=world.boards[1]).update(is_public=False)
    Meeting.objects.filter(pk=world.meetings[3]).update(board=world.boards[1])
    Recommendation.objects.filter(pk=world.recommendations[1]).update(paper=world.papers[3])
    notice = services.sign_notice(
        notice=DecisionNotice.objects.get(pk=world.notices[0]), user=staff
    )
    notice = services.publish_notice(notice=notice, user=staff)
    draft = services.draft_correction(notice=notice, user=staff)
    services.sign_notice(notice=draft, user=staff)
    FinancialLine.objects.get(pk=lines[1].pk).delete()
    # The minutes: approved (their money public but for the exempt item's), an item made
    # exempt by update, approved minutes reopened, a paragraph moved to another meeting's item.
    approve_minutes(meeting=Meeting.objects.get(pk=world.meetings[0]), by=staff)
    AgendaItem.objects.filter(pk=world.items[3]).update(
        is_exempt=True, exemption_reason="Section 43"
    )
    reopen_minutes(
        meeting=Meeting.objects.get(pk=world.meetings[1]), reason="A figure to correct.", user=staff
    )
    paragraph = MinuteParagraph.objects.get(pk=world.paragraphs[2])
    paragraph.item_id, paragraph.position = world.items[3], 50
    paragraph.save()


def test_rebuilding_gives_the_totals_kept_by_the_changes():
    world = build_world()
    a_run_of_every_change(world)
    kept = {t.key: (t.total, t.lines) for t in LineTotal.objects.filter(lines__gt=0)}
    columns = {t.key: (t.total, t.lines) for t in ColumnTotal.objects.filter(lines__gt=0)}
    call_command("rebuild_finance_totals", verbosity=0, stdout=io.StringIO())
    assert {t.key: (t.total, t.lines) for t in LineTotal.objects.all()} == kept
    assert {t.key: (t.total, t.lines) for t in ColumnTotal.objects.all()} == columns


def test_a_fixed_run_of_every_change_keeps_the_totals_and_stamps_exact():
    world = build_world()
    check_everything(world.readers, world.filters, "before")
    a_run_of_every_change(world)
    check_everything(world.readers, world.filters, "after")


# -- 2. a paper's visibility and its lines changed at the same moment -----------------------------

ROUNDS = 30


def run_together(*workers) -> None:
    """Run each ``worker(round)`` in its own thread, ``ROUNDS`` times, all starting each round
    together; every thread closes its connection. Any error fails the test, by thread and
    round: a deadlock or a serialization failure here is a bug of the application's locking."""
    barrier = threading.Barrier(len(workers))
    errors: list[str] = []

    def run(worker):
        try:
            for number in range(ROUNDS):
                barrier.wait(timeout=60)
                try:
                    worker(number)
                except Exception as error:
                    errors.append(
                        f"{worker.__name__}, round {number}: {type(error).__name__}: {error}"
                    )
                    barrier.abort()
                    return
        except threading.BrokenBarrierError:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting (a lock?)"
    if errors:
        pytest.fail(
            "Concurrent changes raised (a deadlock or serialization failure is a bug):\n"
            + "\n".join(errors)
        )


def check_public_and_staff(world: World) -> None:
    readers = {"public": world.readers["public"], "staff": world.staff}
    filters = [{}, {"record_type": RecordType.RECOMMENDATION}, world.filters[-2]]
    check_everything(readers, filters, "after the race")


def toggle_publication(paper_pk: int):
    """A worker publishing and unpublishing a paper, by ``save()`` and by ``update()``."""

    def change_the_papers_visibility(number):
        status = Paper.Status.DRAFT if number % 2 == 0 else Paper.Status.PUBLISHED
        if number % 4 < 2:
            paper = Paper.objects.get(pk=paper_pk)
            paper.status = status
            paper.save()
        else:
            Paper.objects.filter(pk=paper_pk).update(status=status)

    return change_the_papers_visibility


def a_paper_and_its_recommendations(world: World) -> tuple[int, list[int]]:
    paper = Paper.objects.get(pk=world.papers[0])
    return paper.pk, [world.recommendations[0], RecommendationFactory(paper=paper).pk]


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent writers need PostgreSQL"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_paper_published_and_unpublished_while_its_lines_are_saved_keeps_the_totals_exact():
    world = build_world("race")
    paper_pk, recommendations = a_paper_and_its_recommendations(world)

    def save_its_lines(number):
        recommendation = recommendations[number % 2]
        ours = FinancialLine.objects.filter(
            Q(paper=paper_pk) | Q(recommendation__in=recommendations)
        ).order_by("pk")
        step = number % 4
        if step == 0:
            FinancialLineFactory(paper_id=paper_pk, amount=Decimal(100 + number))
        elif step == 1:
            FinancialLineFactory(recommendation_id=recommendation, amount=Decimal(200 + number))
        elif step == 2:
            line = ours.first()
            line.amount, line.financial_year = Decimal(300 + number), YEARS[number % 4]
            line.save()
        else:  # from the paper to a recommendation of it, or back
            line = ours.last()
            if line.paper_id:
                line.paper_id, line.recommendation_id = None, recommendation
            else:
                line.paper_id, line.recommendation_id = paper_pk, None
            line.save()

    run_together(toggle_publication(paper_pk), save_its_lines)
    check_public_and_staff(world)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_paper_published_and_unpublished_while_its_lines_change_in_bulk_keeps_the_totals_exact():
    world = build_world("race")
    paper_pk, recommendations = a_paper_and_its_recommendations(world)

    def change_its_lines_in_bulk(number):
        recommendation = recommendations[number % 2]
        ours = FinancialLine.objects.filter(
            Q(paper=paper_pk) | Q(recommendation__in=recommendations)
        ).order_by("pk")
        step = number % 3
        if step == 0:
            FinancialLine.objects.bulk_create(
                [
                    FinancialLine(description="Bulk", amount=Decimal(5), kind="cost", **owner)
                    for owner in ({"paper_id": paper_pk}, {"recommendation_id": recommendation})
                ]
            )
        elif step == 1:
            ours.update(amount=Decimal(400 + number))
        else:
            lines = list(ours)
            for line in lines:
                line.financial_year = YEARS[number % 4]
            FinancialLine.objects.bulk_update(lines, ["financial_year"])

    run_together(toggle_publication(paper_pk), change_its_lines_in_bulk)
    check_public_and_staff(world)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_line_moved_off_a_paper_or_deleted_while_the_paper_changes_leaves_its_money_once():
    world = build_world("race")
    paper_pk, recommendations = a_paper_and_its_recommendations(world)

    def move_or_delete_its_lines(number):
        recommendation = recommendations[number % 2]
        step = number % 3
        if step == 0:  # two lines for the next rounds to take away
            FinancialLineFactory(paper_id=paper_pk, amount=Decimal(100 + number))
            FinancialLineFactory(recommendation_id=recommendation, amount=Decimal(200 + number))
            return
        line = (
            FinancialLine.objects.filter(Q(paper=paper_pk) | Q(recommendation=recommendation))
            .order_by("-pk")
            .first()
        )
        if step == 1:  # onto the collaborated function: no record of the paper to lock
            line.paper_id = line.recommendation_id = None
            line.function_id = world.function
            line.save()
        else:
            line.delete()

    run_together(toggle_publication(paper_pk), move_or_delete_its_lines)
    check_public_and_staff(world)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_meeting_moved_to_another_board_while_its_notices_lines_change_keeps_the_stamps_exact():
    world = build_world("race")
    meeting_pk, notice_pk = world.meetings[3], world.notices[2]  # its date is its own
    boards = [world.boards[0], world.boards[2]]

    def move_the_meeting(number):
        Meeting.objects.filter(pk=meeting_pk).update(board=boards[number % 2])

    def change_the_notices_lines(number):
        if number % 2 == 0:
            FinancialLineFactory(decision_notice_id=notice_pk, amount=Decimal(100 + number))
        else:
            line = FinancialLine.objects.filter(decision_notice=notice_pk).order_by("pk").first()
            line.amount = Decimal(200 + number)
            line.save()

    run_together(move_the_meeting, change_the_notices_lines)
    readers = {"member": world.readers["member"], "staff": world.staff}
    check_everything(readers, [{}, world.filters[-2]], "after the race")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_minutes_approved_and_reopened_while_another_meetings_minute_lines_move_keep_exact():
    """One worker approves and reopens a meeting's minutes (its minute's money in and out of
    the public totals); the other saves and moves the line of another meeting's minute onto
    a paragraph of the first while it is a draft, and back. Neither may deadlock; a line moved
    into minutes just approved is refused, and afterwards the stamps and totals are exact."""
    world = build_world("minutes-race")
    meeting_pk = world.meetings[0]
    staff = world.staff
    own, other = world.paragraphs[0], world.paragraphs[3]  # meetings[0]'s and meetings[2]'s

    def approve_and_reopen(number):
        meeting = Meeting.objects.get(pk=meeting_pk)
        if meeting.minutes_locked:
            reopen_minutes(meeting=meeting, reason="A figure to correct.", user=staff)
        else:
            approve_minutes(meeting=meeting, by=staff)

    def move_the_line(number):
        line = FinancialLine.objects.filter(minute_paragraph=other).order_by("pk").first()
        if line is None:
            line = FinancialLineFactory(minute_paragraph_id=other, amount=Decimal(100 + number))
        line.minute_paragraph_id = own if number % 2 == 0 else other
        line.amount = Decimal(300 + number)
        # Refused when the minutes it moves into were approved first, as it must be.
        with contextlib.suppress(LockedRecordError):
            line.save()

    run_together(approve_and_reopen, move_the_line)
    check_public_and_staff(world)


# -- 3. bulk updates that bypass save() ---------------------------------------------------------------


@dataclass
class Seeded:
    """A public board's published paper with a recommendation, a published notice taken at
    its meeting, a function, each with counted money, and a line not counted."""

    world: World
    board: Board
    paper: Paper
    notice: DecisionNotice


@pytest.fixture
def seeded_like():
    world = build_world("seeded")
    board = BoardFactory(is_public=True)
    paper = PaperFactory(board=board, status=Paper.Status.PUBLISHED)
    meeting = MeetingFactory(board=board, date=EARLY_MEETING)
    notice = DecisionNoticeFactory(meeting=meeting)
    FinancialLineFactory(paper=paper, amount=Decimal("197000"), financial_year="2015/16")
    FinancialLineFactory(
        recommendation=RecommendationFactory(paper=paper),
        amount=Decimal("52.50"),
        financial_year="2015/16",
    )
    FinancialLineFactory(paper=paper, amount=Decimal("999"), counted=False)
    FinancialLineFactory(decision_notice=notice, amount=Decimal("1200000"), financial_year="")
    services.sign_notice(notice=notice, user=world.staff)
    notice = services.publish_notice(notice=notice, user=world.staff)
    return Seeded(world=world, board=board, paper=paper, notice=notice)


def grand_total(figures: dict) -> Decimal:
    return sum((total for total, _ in figures.values()), Decimal(0))


def assert_hidden_from_the_public_only(seeded: Seeded, hide, hidden: Decimal) -> None:
    public, staff = seeded.world.readers["public"], seeded.world.staff
    world = seeded.world
    before_public, before_staff = figures_from_totals(public, {}), figures_from_totals(staff, {})
    assert before_public == expected_figures(public, {})
    hide()
    after_public = figures_from_totals(public, {})
    for params in world.filters:
        assert figures_from_totals(public, params) == expected_figures(public, params), params
    assert grand_total(before_public) - grand_total(after_public) == hidden
    # the twin: staff still count every line
    assert figures_from_totals(staff, {}) == before_staff == expected_figures(staff, {})
    check_everything(world.readers, world.filters, "after the update")


def test_the_public_totals_follow_a_paper_made_draft_by_update(seeded_like):
    assert_hidden_from_the_public_only(
        seeded_like,
        lambda: Paper.objects.filter(pk=seeded_like.paper.pk).update(status=Paper.Status.DRAFT),
        Decimal("197052.50"),
    )


def test_the_public_totals_follow_a_paper_made_exempt_by_update(seeded_like):
    assert_hidden_from_the_public_only(
        seeded_like,
        lambda: Paper.objects.filter(pk=seeded_like.paper.pk).update(
            access=Paper.Access.EXEMPT, exemption_reason="Section 43"
        ),
        Decimal("197052.50"),
    )


def test_the_public_totals_follow_a_board_made_private_by_update(seeded_like):
    assert_hidden_from_the_public_only(
        seeded_like,
        lambda: Board.objects.filter(pk=seeded_like.board.pk).update(is_public=False),
        Decimal("197052.50"),  # a notice's visibility is its own, not its board's
    )


def test_a_published_notice_cannot_be_made_draft_by_update_and_its_money_stays(seeded_like):
    """The attack this used to follow (a published notice made draft by ``update()``) is now
    refused by the notice's queryset, and nothing moves."""
    public = seeded_like.world.readers["public"]
    refused(
        LockedRecordError,
        lambda: DecisionNotice.objects.filter(pk=seeded_like.notice.pk).update(status=DRAFT),
    )
    assert figures_from_totals(public, {}) == expected_figures(public, {})
    check_everything(seeded_like.world.readers, seeded_like.world.filters, "after the refusal")


def test_the_public_totals_follow_a_recommendation_moved_to_a_draft_paper_by_update(seeded_like):
    draft = PaperFactory(board=seeded_like.board, status=Paper.Status.DRAFT)
    assert_hidden_from_the_public_only(
        seeded_like,
        lambda: Recommendation.objects.filter(paper=seeded_like.paper).update(paper=draft),
        Decimal("52.50"),
    )


# -- kept from the earlier rollup tests ---------------------------------------------------------------


def test_the_public_never_sees_a_hidden_papers_money_in_the_totals():
    hidden = PaperFactory(status=Paper.Status.DRAFT)
    FinancialLineFactory(paper=hidden, amount=Decimal("5000"), financial_year="2015/16")
    assert figures_from_totals(AnonymousUser(), {}) == {}
    hidden.status = Paper.Status.PUBLISHED
    hidden.save()
    assert figures_from_totals(AnonymousUser(), {}) == {
        ("2015/16", "cost"): (Decimal("5000.00"), 1)
    }


def test_a_line_saved_in_a_transaction_that_fails_leaves_no_total():
    paper = PaperFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        FinancialLineFactory(paper=paper, amount=Decimal("10"))
        raise RuntimeError("the admin form failed after the line was saved")
    assert not LineTotal.objects.exclude(lines=0).exists()
    assert totals.sums(FinancialLine.objects.all()) == {}
    assert FinancialLine.objects.aggregate(s=Sum("amount"))["s"] is None


def test_a_correction_carries_the_money_and_the_withdrawn_original_leaves_the_totals():
    """Correcting a signed notice copies its lines onto the draft (parts still part of their
    copied whole); signing the correction withdraws the original, whose money then leaves the
    totals while the correction's counts: the decision is committed once."""
    signer = UserFactory(username="corrector", is_staff=True, is_superuser=True)
    notice = DecisionNoticeFactory(meeting=MeetingFactory(date=EARLY_MEETING))
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
    for user in (public, signer):  # while the correction is a draft, the original's money counts
        assert figures_from_totals(user, {}) == {("2016/17", "cost"): (Decimal("4000.00"), 1)}
        assert figures_from_totals(user, {}) == expected_figures(user, {})
    draft = services.sign_notice(notice=draft, user=signer)
    services.publish_notice(notice=draft, user=signer)

    notice.refresh_from_db()
    assert notice.status == DecisionNotice.Status.WITHDRAWN
    for user in (public, signer):
        assert figures_from_totals(user, {}) == {("2016/17", "cost"): (Decimal("4500.00"), 1)}
        assert figures_from_totals(user, {}) == expected_figures(user, {})
