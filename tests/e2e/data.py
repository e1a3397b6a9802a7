"""What the browser tests read: the seed records, and handles on the ones the journeys visit."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from boards.models import Action, Board, Meeting, Paper
from collaboration.models import (
    BusinessCase,
    CollaboratedFunction,
    CollaborationAgreement,
    CollaborationArea,
)
from decisions.models import DecisionNotice
from finance.models import FinancialLine

BCB_NAME = "Business Coordination Board"
SEP_2015 = datetime.date(2015, 9, 30)
NOV_2015 = datetime.date(2015, 11, 26)


def load() -> "Records":
    """Load the seed records (``manage.py seed``) and the made-up money and collaboration
    records (``load_money``), and return handles on what the tests visit."""
    out = StringIO()
    call_command("seed", stdout=out, stderr=out)
    assert Board.objects.filter(name=BCB_NAME).exists(), (
        f"manage.py seed did not load the {BCB_NAME} from fixtures/seed/:\n{out.getvalue()}"
    )
    load_money()
    return Records.from_db()


@dataclass
class Records:
    bcb: Board
    sep_2015: Meeting
    nov_2015: Meeting
    money: "MoneyRecords"

    @classmethod
    def from_db(cls) -> "Records":
        bcb = Board.objects.get(name=BCB_NAME)
        return cls(
            bcb=bcb,
            sep_2015=Meeting.objects.get(board=bcb, date=SEP_2015),
            nov_2015=Meeting.objects.get(board=bcb, date=NOV_2015),
            money=MoneyRecords.from_db(),
        )

    def public_papers_of(self, meeting: Meeting):
        return Paper.objects.visible_to(AnonymousUser()).filter(meeting=meeting)

    def paper_with_table(self) -> Paper:
        """The first published paper whose text has a table."""
        papers = Paper.objects.visible_to(AnonymousUser()).filter(body_html__contains="<table")
        paper = papers.order_by("date", "pk").first()
        assert paper is not None, "no public paper with a table in the records"
        return paper

    def signed_notice(self):
        """A signed notice from the 26 Nov 2015 meeting, with its papers and recommendations."""
        return (
            DecisionNotice.objects.filter(meeting=self.nov_2015, status="signed")
            .exclude(papers=None)
            .first()
        )

    def public_actions(self):
        return Action.objects.visible_to(AnonymousUser())


# --- Money and collaboration: made-up records ---------------------------------------------
#
# Invented for the browser tests, every name marked "E2E test" and "made up", so they are never
# mistaken for the seed documents' facts. They sit beside the seeds:
# - a published, public paper of the BCB with financial lines in two financial years that no
#   seed line uses (MONEY_YEAR and OTHER_YEAR), so the totals and the export of MONEY_YEAR hold
#   exactly these lines and their figures are known;
# - a collaboration area with one function, a business case, an s22A agreement and the
#   published decision notice that approved it, and the function's own lines: forecast and
#   realised savings by year (its chart) and budgets about the area (on the budgets chart).

MONEY_YEAR = "2012/13"
OTHER_YEAR = "2022/23"
MONEY_PAPER_TITLE = "E2E test paper: shared drone unit budget (made up)"
E2E_AREA_NAME = "E2E Test Collaboration Area"
E2E_FUNCTION_NAME = "E2E Test Drone Unit"
E2E_FUNCTION_SLUG = "e2e-test-drone-unit"
E2E_AGREEMENT_TITLE = "E2E test agreement: joint drone unit (made up)"
E2E_NOTICE_REFERENCE = "E2E-TEST-001"
E2E_NOTICE_TITLE = "E2E test notice: joint drone unit agreement (made up)"

# (description, kind, financial year, amount, as the pages print it)
MONEY_PAPER_LINES = [
    ("E2E test: replacement drones", "cost", MONEY_YEAR, Decimal("48250"), "£48,250"),
    ("E2E test: drone hangar", "capital", MONEY_YEAR, Decimal("310000"), "£310k"),
    ("E2E test: pilot training", "cost", OTHER_YEAR, Decimal("77700"), "£77,700"),
]
# The function's savings: (kind, financial year, amount); the chart's table prints them.
E2E_SAVINGS = [
    ("forecast_saving", "2016/17", Decimal("120000")),
    ("realised_saving", "2016/17", Decimal("95000")),
    ("forecast_saving", "2017/18", Decimal("150000")),
    ("realised_saving", "2017/18", Decimal("140000")),
]
E2E_BUDGETS = [("2016/17", Decimal("2500000")), ("2017/18", Decimal("2600000"))]


def load_money() -> "MoneyRecords":
    """Create the made-up money and collaboration records (after the seeds)."""
    bcb = Board.objects.get(name=BCB_NAME)
    paper = Paper.objects.create(
        board=bcb,
        title=MONEY_PAPER_TITLE,
        date=datetime.date(2013, 1, 16),
        purpose="Made-up paper for the browser tests: it is not one of the seed documents.",
        body="The figures below are invented for testing.",
        status=Paper.Status.PUBLISHED,
        access=Paper.Access.PUBLIC,
    )
    for position, (description, kind, year, amount, _shown) in enumerate(MONEY_PAPER_LINES, 1):
        FinancialLine.objects.create(
            paper=paper,
            description=description,
            kind=kind,
            financial_year=year,
            amount=amount,
            position=position,
        )

    area = CollaborationArea.objects.create(
        name=E2E_AREA_NAME,
        slug="e2e-test-area",
        description="Made-up area for the browser tests.",
        position=99,
    )
    function = CollaboratedFunction.objects.create(
        name=E2E_FUNCTION_NAME,
        slug=E2E_FUNCTION_SLUG,
        area=area,
        status=CollaboratedFunction.Status.LIVE,
        go_live=datetime.date(2016, 4, 1),
        description="Made-up function for the browser tests.",
    )
    case = BusinessCase.objects.create(
        function=function,
        stage=BusinessCase.Stage.FULL,
        approved_on=datetime.date(2016, 1, 20),
        approved_by="E2E Test Board (made up)",
    )
    notice = DecisionNotice.objects.create(
        reference=E2E_NOTICE_REFERENCE,
        title=E2E_NOTICE_TITLE,
        decision="To enter the made-up joint drone unit agreement (test data).",
        status=DecisionNotice.Status.PUBLISHED,
        signed_on=datetime.date(2016, 2, 25),
        published_on=datetime.date(2016, 3, 1),
    )
    agreement = CollaborationAgreement.objects.create(
        title=E2E_AGREEMENT_TITLE,
        legal_basis=CollaborationAgreement.LegalBasis.S22A,
        signed_on=datetime.date(2016, 3, 14),
        signed_at="E2E test venue (made up)",
        decision_notice=notice,
    )
    agreement.functions.add(function)
    for position, (kind, year, amount) in enumerate(E2E_SAVINGS, 1):
        FinancialLine.objects.create(
            function=function,
            business_case=case if kind == "forecast_saving" else None,
            description=f"E2E test: drone unit {kind.replace('_', ' ')}",
            kind=kind,
            financial_year=year,
            amount=amount,
            recurrence=FinancialLine.Recurrence.RECURRENT,
            position=position,
        )
    for position, (year, amount) in enumerate(E2E_BUDGETS, 1):
        FinancialLine.objects.create(
            function=function,
            area=area,
            description="E2E test: drone unit budget",
            kind=FinancialLine.Kind.BUDGET,
            financial_year=year,
            amount=amount,
            source_table="E2E test table: drone unit budget (made up)",
            in_thousands=True,
            position=position,
        )
    return MoneyRecords.from_db()


@dataclass
class MoneyRecords:
    """Handles on the made-up money and collaboration records."""

    paper: Paper
    function: CollaboratedFunction
    agreement: CollaborationAgreement
    notice: DecisionNotice

    @classmethod
    def from_db(cls) -> "MoneyRecords":
        return cls(
            paper=Paper.objects.get(title=MONEY_PAPER_TITLE),
            function=CollaboratedFunction.objects.get(slug=E2E_FUNCTION_SLUG),
            agreement=CollaborationAgreement.objects.get(title=E2E_AGREEMENT_TITLE),
            notice=DecisionNotice.objects.get(reference=E2E_NOTICE_REFERENCE),
        )

    def lines_of_year(self, year: str):
        """Every line of ``year`` in the records (seeds and made-up alike)."""
        return FinancialLine.objects.filter(financial_year=year)
