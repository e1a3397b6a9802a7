"""Every figure of the totals grid on /finance/ links to exactly the lines it adds up, and the
CSV of that list holds exactly those lines: same year (or none recorded), same kind, and their
counted amounts sum to the figure. Checked on every cell of the seeded records' grid, for the
public and for staff (who see more lines), and with a page filter carried into the links."""

import csv
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import tinyhtml5
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def cells(client, url: str) -> list[tuple[str, str, Decimal, str]]:
    """(year header, kind header, exact figure, link) of every linked figure of the grid."""
    response = client.get(url)
    assert response.status_code == 200
    root = tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)
    table = next(t for t in root.iter("table") if "table--money" in (t.get("class") or ""))

    def words(element) -> str:
        return " ".join("".join(element.itertext()).split())

    kinds = [words(th) for th in table.find("thead").iter("th")][1:]
    found = []
    for tr in [*table.find("tbody").findall("tr"), *table.find("tfoot").findall("tr")]:
        year = words(tr.find("th"))
        for kind, td in zip(kinds, tr.findall("td"), strict=True):
            link, data = td.find("a"), td.find(".//data")
            if link is not None:
                found.append((year, kind, Decimal(data.get("value")), link.get("href")))
    return found


def exported(client, lines_url: str) -> list[dict]:
    query = urlsplit(lines_url).query
    response = client.get("/finance/lines.csv" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def check_grid(client, url: str) -> int:
    checked = 0
    for year, kind, figure, link in cells(client, url):
        rows = exported(client, link)
        assert rows, (year, kind, link)
        assert {r["kind"] for r in rows} == {kind}, (year, kind, link)
        if year == "Year not recorded":
            assert {r["financial_year"] for r in rows} == {""}, (kind, link)
        elif year != "All years":
            assert {r["financial_year"] for r in rows} == {year}, (year, kind, link)
        counted = sum(Decimal(r["amount"]) for r in rows if r["counted_in_totals"] == "yes")
        assert counted == figure, (year, kind, link)
        checked += 1
    return checked


def test_every_cell_of_the_public_grid_exports_exactly_its_lines(seeded):
    client = Client()
    assert check_grid(client, "/finance/") > 20


def test_every_cell_of_the_staff_grid_exports_exactly_its_lines(seeded):
    client = Client()
    client.force_login(UserFactory(username="cells-staff", is_staff=True, is_superuser=True))
    assert check_grid(client, "/finance/") > 20


def test_the_year_not_recorded_cell_links_its_lines_with_the_page_filters(seeded):
    client = Client()
    no_year = [
        c for c in cells(client, "/finance/?record_type=paper") if c[0] == "Year not recorded"
    ]
    assert no_year
    for _year, _kind, _figure, link in no_year:
        params = parse_qs(urlsplit(link).query)
        assert params["no_year"] == ["1"] and params["record_type"] == ["paper"]
    assert check_grid(client, "/finance/?record_type=paper") > 5
