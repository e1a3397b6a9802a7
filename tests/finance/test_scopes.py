"""Money has a scope (whose money), a direction (which way it goes for the OPCC) and a nature
(an amount, a rate, a baseline cost, a target), and no total ever adds two scopes, two
directions or a rate: on /finance/, in the admin's totals and on a record's page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.models import FinancialLine
from finance.models.totals import LineTotal
from tests.factories import PaperFactory
from tests.pages import get, parse, text
from tests.web.money import Kind, line, money_totals

pytestmark = pytest.mark.django_db

Scope, Direction, Nature = FinancialLine.Scope, FinancialLine.Direction, FinancialLine.Nature


def grids(html: str) -> dict[str, dict[tuple[str, str], Decimal]]:
    """{caption after "Totals by financial year and kind: ": {(year, column): figure}}."""
    found = {}
    for table in parse(html).iter("table"):
        caption = table.find("caption")
        if caption is None or not text(caption).startswith("Totals by financial year and kind"):
            continue
        scope = text(caption).removeprefix("Totals by financial year and kind: ")
        scope = scope.rsplit(" (", 1)[0]
        columns = [text(th) for th in table.find("thead").iter("th")][1:]
        cells = {}
        for tr in [*table.find("tbody").findall("tr"), *table.find("tfoot").findall("tr")]:
            for column, td in zip(columns, tr.findall("td"), strict=True):
                data = td.find(".//data")
                if data is not None:
                    cells[(text(tr.find("th")), column)] = Decimal(data.get("value"))
        found[scope] = cells
    return found


@pytest.fixture
def paper():
    return PaperFactory()


def test_two_scopes_are_never_added_and_each_total_names_its_scope(client, paper):
    line("100000", year="2015/16", paper=paper, scope_code=Scope.CAMBRIDGESHIRE)
    line("30000", year="2015/16", paper=paper, scope_code=Scope.CAMBRIDGESHIRE)
    line("900000", year="2015/16", paper=paper, scope_code=Scope.ALLIANCE)
    line("7000", year="2015/16", paper=paper)
    found = grids(get(client, "/finance/"))
    assert list(found) == [
        "Cambridgeshire",
        "BCH Alliance (Bedfordshire, Cambridgeshire and Hertfordshire)",
        "Scope not recorded",
    ]
    assert found["Cambridgeshire"][("All years", "Cost")] == Decimal("130000.00")
    assert found["Scope not recorded"][("All years", "Cost")] == Decimal("7000.00")
    everything = [figure for cells in found.values() for figure in cells.values()]
    assert Decimal("1037000.00") not in everything  # no sum across scopes, anywhere


def test_each_named_partner_is_totalled_apart(client, paper):
    line("1000", Kind.GRANT, paper=paper, scope_code=Scope.PARTNER, scope="Brake")
    line("41000", Kind.GRANT, paper=paper, scope_code=Scope.PARTNER, scope="Road Victims' Trust")
    found = grids(get(client, "/finance/"))
    assert found["Brake (a named partner)"][("All years", "Grant")] == Decimal("1000.00")
    assert found["Road Victims' Trust (a named partner)"][("All years", "Grant")] == Decimal(
        "41000.00"
    )


def test_a_partner_scope_must_name_the_partner(paper):
    unnamed = FinancialLine(
        description="A grant", amount=Decimal(5), kind=Kind.GRANT, paper=paper,
        scope_code=Scope.PARTNER,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="name the partner"):
        unnamed.full_clean()


def test_a_grant_received_and_a_grant_paid_out_are_two_columns(client, paper):
    scope = {"paper": paper, "scope_code": Scope.CAMBRIDGESHIRE}
    line("52000", Kind.GRANT, "2015/16", direction=Direction.RECEIVES, **scope)
    line("20000", Kind.GRANT, "2015/16", direction=Direction.PAYS, **scope)
    cells = grids(get(client, "/finance/"))["Cambridgeshire"]
    assert cells[("2015/16", "Grant (received)")] == Decimal("52000.00")
    assert cells[("2015/16", "Grant (paid out)")] == Decimal("20000.00")
    assert Decimal("72000.00") not in cells.values()


def test_a_rate_or_a_target_is_listed_but_never_summed_and_an_amount_is(client, paper):
    amount = line("5000", paper=paper, scope_code=Scope.CAMBRIDGESHIRE)
    rate = line("52.50", Kind.FEE, paper=paper, nature=Nature.RATE)
    target = line("220000000", Kind.FORECAST_SAVING, paper=paper, nature=Nature.TARGET)
    assert amount.in_totals and not rate.in_totals and not target.in_totals
    assert set(LineTotal.objects.values_list("kind", flat=True)) == {"cost"}
    found = grids(get(client, "/finance/"))
    assert found == {"Cambridgeshire": {("Year not recorded", "Cost"): Decimal("5000.00"),
                                        ("All years", "Cost"): Decimal("5000.00")}}  # fmt: skip
    page = get(client, paper.get_absolute_url())
    assert "£52.50" in page and "220000000" in page  # shown with the paper's money
    assert "2 figures here are rates, targets or printed totals" in page
    assert set(money_totals(page, "Money in this paper")) == {"Cost"}


def test_a_record_page_totals_each_scope_under_its_own_heading(client, paper):
    line("100000", paper=paper, scope_code=Scope.CAMBRIDGESHIRE)
    line("900000", paper=paper, scope_code=Scope.SEVEN_FORCES)
    html = get(client, paper.get_absolute_url())
    headings = [text(h) for h in parse(html).iter("h3") if "money-scope" in (h.get("class") or "")]
    assert headings == ["Totals: Cambridgeshire", "Totals: The seven forces"]
    assert "£1m" not in html and "£1.00m" not in html  # the two are never added


def test_the_admin_totals_name_the_scope_and_direction(staff_client, paper):
    line("52000", Kind.GRANT, paper=paper, scope_code=Scope.CAMBRIDGESHIRE,
         direction=Direction.RECEIVES)  # fmt: skip
    line("20000", Kind.GRANT, paper=paper, scope_code=Scope.CAMBRIDGESHIRE,
         direction=Direction.PAYS)  # fmt: skip
    html = get(staff_client, "/admin/finance/financialline/")
    assert "Grant (received): Cambridgeshire" in html
    assert "Grant (paid out): Cambridgeshire" in html
