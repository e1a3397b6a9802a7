"""Every figure of the totals grids on /finance/ links to exactly the lines it adds up: same
scope (a named partner's own), same year (or none recorded), same kind, direction and nature,
and their counted amounts sum to the figure. Checked on every cell of the seeded records'
grids, for the public and for staff (who see more lines), and with a page filter carried into
the links; the lines a link lists are read from the lines page, their columns from the
database."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import tinyhtml5
from django.test import Client

from finance.models import FinancialLine
from finance.models.totals import scope_key
from tests.factories import UserFactory
from tests.web.money import listed_on_every_page

pytestmark = pytest.mark.django_db


def words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def cells(client, url: str) -> list[tuple[str, str, str, Decimal, str]]:
    """(scope key, year header, column header, exact figure, link) of every linked figure."""
    response = client.get(url)
    assert response.status_code == 200
    root = tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)
    found = []
    for table in root.iter("table"):
        if "table--money" not in (table.get("class") or ""):
            continue
        scope = table.get("data-scope")
        columns = [words(th) for th in table.find("thead").iter("th")][1:]
        for tr in [*table.find("tbody").findall("tr"), *table.find("tfoot").findall("tr")]:
            year = words(tr.find("th"))
            for column, td in zip(columns, tr.findall("td"), strict=True):
                link, data = td.find("a"), td.find(".//data")
                if link is not None:
                    found.append(
                        (scope, year, column, Decimal(data.get("value")), link.get("href"))
                    )
    return found


def check_grid(client, url: str) -> int:
    checked = 0
    scopes = set()
    for scope, year, column, figure, link in cells(client, url):
        listed = listed_on_every_page(client, link)
        assert listed, (scope, year, column, link)
        lines = list(FinancialLine.objects.filter(pk__in=listed))
        assert {scope_key(line.scope_code, line.scope) for line in lines} == {scope}, link
        assert len({(line.kind, line.direction, line.nature) for line in lines}) == 1, link
        assert {line.nature for line in lines} <= {"amount", "baseline"}, link
        if year == "Year not recorded":
            assert {line.financial_year for line in lines} == {""}, link
        elif year != "All years":
            assert {line.financial_year for line in lines} == {year}, link
        counted = sum(line.amount for line in lines if line.in_totals)
        assert counted == figure, (scope, year, column, link)
        scopes.add(scope)
        checked += 1
    return checked


def test_every_cell_of_the_public_grid_opens_exactly_its_lines(seeded):
    client = Client()
    assert check_grid(client, "/finance/") > 20


def test_every_cell_of_the_staff_grid_opens_exactly_its_lines(seeded):
    client = Client()
    client.force_login(UserFactory(username="cells-staff", is_staff=True, is_superuser=True))
    assert check_grid(client, "/finance/") > 20


def test_the_year_not_recorded_cell_links_its_lines_with_the_page_filters(seeded):
    client = Client()
    no_year = [
        c for c in cells(client, "/finance/?record_type=paper") if c[1] == "Year not recorded"
    ]
    assert no_year
    for *_rest, link in no_year:
        params = parse_qs(urlsplit(link).query)
        assert params["no_year"] == ["1"] and params["record_type"] == ["paper"]
    assert check_grid(client, "/finance/?record_type=paper") > 5
