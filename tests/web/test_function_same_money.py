"""A collaborated function's page says where else its money is reported (a line of another
record that is ``same_as`` one of its lines), as a paper's page does, and names a line it
repeats only when the reader may see that one."""

from decimal import Decimal

import pytest

from boards.models import Paper
from finance.models import FinancialLine
from tests.factories import PaperFactory
from tests.finance.factories import CollaboratedFunctionFactory, FinancialLineFactory
from tests.pages import get, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def function():
    """Major Crime with a £1.2m forecast saving of its own, repeated by a published paper's
    line (£1.25m: the figures disagree) and by an exempt paper's line."""
    function = CollaboratedFunctionFactory(name="Major Crime", slug="major-crime")
    own = FinancialLineFactory(
        function=function,
        description="Major Crime saving",
        amount=Decimal("1200000"),
        kind=FinancialLine.Kind.FORECAST_SAVING,
        financial_year="2016/17",
    )
    for title, amount, access in (
        ("Collaboration savings report", "1250000", Paper.Access.PUBLIC),
        ("Confidential restructure", "1200000", Paper.Access.EXEMPT),
    ):
        paper = PaperFactory(
            title=title, access=access, exemption_reason="Paragraph 3" if access != "public" else ""
        )
        FinancialLineFactory(
            paper=paper,
            description=f"Saving in {title}",
            amount=Decimal(amount),
            kind=FinancialLine.Kind.FORECAST_SAVING,
            financial_year="2016/17",
            same_as=own,
            counted=False,
        )
    return function


def test_the_function_page_says_where_else_its_money_is_reported(client, function):
    page = text(get(client, "/collaboration/functions/major-crime/"))
    assert "Money reported twice, counted once" in page
    assert "“Saving in Collaboration savings report” (£1.25m" in page
    assert "reports the same money as “Major Crime saving” here" in page
    assert "The two figures disagree by £50k" in page
    assert "Confidential restructure" not in page


def test_staff_see_the_exempt_papers_repeat_too(staff_client, function):
    page = text(get(staff_client, "/collaboration/functions/major-crime/"))
    assert "Saving in Confidential restructure" in page
    assert "Saving in Collaboration savings report" in page


def test_a_function_line_repeating_a_hidden_line_does_not_name_it(client, db):
    paper = PaperFactory(title="Exempt estates", access="exempt", exemption_reason="Para 3")
    hidden = FinancialLineFactory(paper=paper, description="Exempt estates saving")
    function = CollaboratedFunctionFactory(name="Estates", slug="estates")
    FinancialLineFactory(
        function=function, description="Estates saving", same_as=hidden, counted=False
    )
    page = text(get(client, "/collaboration/functions/estates/"))
    assert "“Estates saving” (£197k) is the same money as a line of a record that is not" in page
    assert "Exempt estates" not in page
