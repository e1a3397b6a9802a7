"""The records the page tests read: a board's meetings and papers (``records``), the decisions
register (``register``) and money on every kind of record (``money``); and an empty cache for
each test, since counts, filter choices and totals are cached until a record changes."""

import datetime

import pytest
from django.core.cache import cache

from boards.models import Paper
from decisions.models import DecisionNotice
from decisions.services import publish_notice, sign_notice
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    RecommendationFactory,
    approve,
)
from tests.finance.factories import CollaboratedFunctionFactory
from tests.web.money import DAY, Kind, line, publish


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts and filter choices are cached until a record changes; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def records():
    """A public board with an approved meeting holding a public item and an exempt item,
    a draft-minutes meeting, a published paper, an exempt paper and a draft paper."""
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    owner = PersonFactory(full_name="Josie Gowler", initials="JG")
    approved = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    public_paper = PaperFactory(
        board=board, meeting=approved, title="Restorative Justice Provision"
    )
    exempt_paper = PaperFactory(
        board=board,
        meeting=approved,
        title="Estates disposal",
        access="exempt",
        exemption_reason="Commercial",
    )
    PaperFactory(board=board, meeting=approved, title="Unfinished draft", status="draft")
    public_item = AgendaItemFactory(
        meeting=approved, number="6", title="Restorative Justice", paper=public_paper
    )
    MinuteParagraphFactory(item=public_item, text="The Board approved the extension.")
    exempt_item = AgendaItemFactory(
        meeting=approved,
        number="7",
        title="Secret estates matter",
        is_exempt=True,
        exemption_reason="Commercially sensitive",
        paper=exempt_paper,
    )
    MinuteParagraphFactory(item=exempt_item, text="Confidential price discussed.")
    ActionFactory(
        meeting=approved, item=public_item, owner=owner, text="Write up the key principles"
    )
    ActionFactory(meeting=approved, item=exempt_item, text="Negotiate the confidential price")
    AttendanceFactory(
        meeting=approved, person=PersonFactory(full_name="Alec Wood"), capacity="apologies"
    )
    approve(approved)
    draft = MeetingFactory(board=board, date=datetime.date(2015, 12, 16))
    draft_item = AgendaItemFactory(meeting=draft, number="1", title="Innovation Fund Bids Review")
    MinuteParagraphFactory(item=draft_item, text="Draft minute text not yet approved.")
    ActionFactory(meeting=draft, text="Draft action not yet approved")
    return {
        "board": board,
        "approved": approved,
        "draft": draft,
        "public_paper": public_paper,
        "exempt_paper": exempt_paper,
    }


@pytest.fixture
def register(signatory):
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    commissioner = PersonFactory(full_name="Sir Graham Bright")
    paper = PaperFactory(
        board=board, meeting=meeting, title="Restorative Justice Provision in Cambridgeshire"
    )
    published = DecisionNoticeFactory(
        title="Restorative Justice extension", meeting=meeting, decision_maker=commissioner
    )
    published.papers.add(paper)
    RecommendationFactory(
        paper=paper,
        number="2.1",
        outcome="approved",
        decided_at=meeting,
        decision_notice=published,
        text="Approve the 12-month extension.",
    )
    sign_notice(notice=published, user=signatory, signed_on=meeting.date)
    publish_notice(notice=published, user=signatory, published_on=meeting.date)
    signed_only = DecisionNoticeFactory(title="Melbourn lease", meeting=meeting)
    sign_notice(notice=signed_only, user=signatory, signed_on=datetime.date(2016, 1, 5))
    DecisionNoticeFactory(title="Unsigned draft decision")
    return {
        "published": DecisionNotice.objects.get(pk=published.pk),
        "paper": paper,
        "board": board,
    }


@pytest.fixture
def money(signatory):
    """Lines on records the public may see and on records only staff and members of the
    board (bcb) may see, with amounts that make every sum unambiguous."""
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    other_board = BoardFactory(name="Joint Chief Officer Board", slug="jcob")
    meeting = MeetingFactory(board=board, date=DAY)
    public = PaperFactory(board=board, meeting=meeting, title="ICT collaboration")
    other = PaperFactory(board=other_board, title="Estates strategy")
    exempt = PaperFactory(
        board=board, access=Paper.Access.EXEMPT, exemption_reason="Paragraph 3: commercial."
    )
    draft = PaperFactory(board=board, status=Paper.Status.DRAFT)
    published = DecisionNoticeFactory(meeting=meeting, title="Published decision")
    draft_notice = DecisionNoticeFactory(meeting=meeting, title="Draft decision")
    function = CollaboratedFunctionFactory(name="Collaborated ICT", slug="ict")
    recommendation = RecommendationFactory(paper=public)
    lines = {
        "public paper 2015/16": line("100000", year="2015/16", paper=public),
        "public paper 2016/17": line("20000", year="2016/17", paper=public),
        "public recommendation": line("5000", year="2015/16", recommendation=recommendation),
        "other board's paper": line("3000", year="2015/16", paper=other),
        "published notice": line("40000", Kind.GRANT, "2015/16", decision_notice=published),
        "function forecast": line("250000", Kind.FORECAST_SAVING, "2016/17", function=function),
        "function budget": line("12345.67", Kind.BUDGET, function=function),
        "exempt paper": line("1000000", year="2015/16", paper=exempt),
        "recommendation of the exempt paper": line(
            "300000", year="2015/16", recommendation=RecommendationFactory(paper=exempt)
        ),
        "draft paper": line("70000", year="2015/16", paper=draft),
        "draft notice": line("9000", year="2015/16", decision_notice=draft_notice),
    }
    publish(published, signatory)
    return {
        "board": board,
        "other_board": other_board,
        "public": public,
        "recommendation": recommendation,
        "published": published,
        "function": function,
        "lines": lines,
    }
