"""A total printed in a record's text beside no table is set beside what the record's other
amounts going the same way add up to, in words, naming which: the ICT paper's "approximately
£4.6m" against the seven savings it itemises, £4.438m."""

from decimal import Decimal

import pytest

from finance.models import FinancialLine
from tests.factories import PaperFactory
from tests.finance.factories import FinancialLineFactory
from tests.pages import get, parse, text
from tests.pdf.conftest import text as pdf_text

pytestmark = pytest.mark.django_db

ICT_PAPER = 7
Kind = FinancialLine.Kind


def checks(html: str) -> str:
    return " ".join(
        text(ul) for ul in parse(html).iter("ul") if ul.get("class") == "printed-totals"
    )


def test_the_ict_papers_4_6m_is_set_beside_the_savings_it_itemises(seeded, client):
    words = checks(get(client, f"/papers/{ICT_PAPER}/"))
    assert "“Cost savings: a total of approximately £4.6m" in words
    assert "printed approximately £4.6m, beside no table" in words
    assert "The 7 amounts listed here saved (realised saving, forecast saving)" in words
    assert "add up to £4.44m (£4,438,000.00)" in words and "they differ by £162k" in words


def test_the_ict_papers_pdf_says_the_same(seeded, client):
    printed = pdf_text(client.get(f"/papers/{ICT_PAPER}.pdf"))
    assert "printed approximately £4.6m, beside no table" in printed
    assert "they differ by £162k" in printed


def _saving(paper, amount, **fields):
    return FinancialLineFactory(
        paper=paper,
        amount=Decimal(amount),
        kind=fields.pop("kind", Kind.FORECAST_SAVING),
        direction="saves",
        **fields,
    )


def test_a_printed_total_that_agrees_says_so_and_leaves_out_other_directions(client):
    paper = PaperFactory(title="Savings plan")
    _saving(paper, "100000", description="Saving one", financial_year="2016/17")
    _saving(paper, "200000", description="Saving two", financial_year="2017/18")
    FinancialLineFactory(paper=paper, amount=Decimal("50000"), description="A cost")
    _saving(
        paper,
        "300000",
        description="Savings in all",
        nature="printed_total",
        counted=False,
        as_printed="£0.3m",
    )
    words = checks(get(client, paper.get_absolute_url()))
    assert "“Savings in all”: printed £0.3m, beside no table." in words
    assert "The 2 amounts listed here saved (forecast saving)" in words
    assert "add up to £300k" in words and "they agree" in words


def test_a_paper_without_a_printed_total_has_no_check(client):
    paper = PaperFactory(title="Plain costs")
    FinancialLineFactory(paper=paper, description="A cost")
    assert "beside no table" not in get(client, paper.get_absolute_url())
