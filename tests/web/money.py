"""Money in the page tests: a line of a given amount, publishing a notice, and reading the
totals grid of /finance/, the lines it links to, and the money sections of a paper or notice.

Also the figures of the ``money`` fixture (tests/web/conftest.py): which of its lines are
hidden from the public, and the totals the public and the entitled see."""

import csv
import datetime
import io
import re
from decimal import Decimal

from decisions.services import publish_notice, sign_notice
from finance.models import FinancialLine
from tests.finance.factories import FinancialLineFactory
from tests.pages import get, parse, table_with_caption, text

DAY = datetime.date(2015, 11, 26)
Kind = FinancialLine.Kind
KIND_LABELS = dict(Kind.choices)
NO_YEAR = "Year not recorded"


# -- helpers --------------------------------------------------------------------------------------


def csv_parts(body: str) -> tuple[list[str], list[list[str]]]:
    """(notes, table) of a lines CSV: the notes are the rows its first note counts, each one
    cell starting "# " on a line of its own; the table is the header row and the lines."""
    rows = list(csv.reader(io.StringIO(body)))
    count = int(re.match(r"# Notes: the first (\d+) rows;", rows[0][0])[1])
    assert all(len(row) == 1 and row[0].startswith("# ") for row in rows[:count]), rows[:count]
    assert len(body.splitlines()[count].split(",")) > 1, "the header is not on its stated row"
    return [row[0][2:] for row in rows[:count]], rows[count:]


def csv_table(body: str) -> list[dict[str, str]]:
    """The lines of a lines CSV as {heading: cell}, its notes skipped."""
    _notes, (header, *rows) = csv_parts(body)
    return [dict(zip(header, row, strict=True)) for row in rows]


def line(amount, kind=Kind.COST, year="", **owner) -> FinancialLine:
    return FinancialLineFactory(amount=Decimal(amount), kind=kind, financial_year=year, **owner)


def publish(notice, signatory):
    sign_notice(notice=notice, user=signatory, signed_on=DAY)
    publish_notice(notice=notice, user=signatory, published_on=DAY)


def totals(html: str) -> dict[tuple[str, str], tuple[Decimal, str]]:
    """The totals table: {(year, kind label): (exact amount, link)}, "All years" included."""
    table = table_with_caption(parse(html), "Totals by financial year and kind")
    assert table is not None, "no totals table"
    kinds = [text(th) for th in table.find("thead").iter("th")][1:]
    cells = {}
    for tr in [*table.find("tbody").findall("tr"), *table.find("tfoot").findall("tr")]:
        year = text(tr.find("th"))
        for kind, td in zip(kinds, tr.findall("td"), strict=True):
            data = td.find(".//data")
            if data is not None:
                cells[(year, kind)] = (Decimal(data.get("value")), td.find("a").get("href"))
    return cells


def figures(html: str) -> dict[tuple[str, str], Decimal]:
    return {key: value for key, (value, _url) in totals(html).items()}


def listed(html: str) -> set[int]:
    """The pks of the lines a lines page lists."""
    return {
        int(tr.get("id").removeprefix("line-"))
        for tr in parse(html).iter("tr")
        if (tr.get("id") or "").startswith("line-")
    }


def listed_on_every_page(client, url: str) -> set[int]:
    pks: set[int] = set()
    page = 1
    while True:
        html = get(client, f"{url}{'&' if '?' in url else '?'}page={page}")
        pks |= listed(html)
        if 'rel="next"' not in html:
            return pks
        page += 1


def field_errors(html: str) -> dict[str, str]:
    """{field label: its error messages} of the filter form."""
    errors = {}
    for div in parse(html).iter("div"):
        if "field--error" in (div.get("class") or ""):
            label = text(div.find("label"))
            errors[label] = " ".join(text(p) for p in div.iter("p"))
    return errors


def money_totals(html: str, heading: str) -> dict[str, tuple[Decimal, str]]:
    """{kind label: (exact total, "(n lines)")} of the money section headed ``heading``."""
    for section in parse(html).iter("section"):
        h2 = section.find("h2")
        if h2 is not None and text(h2) == heading:
            result = {}
            for div in section.find("dl").findall("div"):
                dd = div.find("dd")
                count = text(dd.find("span"))
                result[text(div.find("dt"))] = (Decimal(dd.find("data").get("value")), count)
            return result
    raise AssertionError(f"no section headed {heading!r}")


# -- the money fixture's lines and totals ---------------------------------------------------------


HIDDEN = {"exempt paper", "recommendation of the exempt paper", "draft paper", "draft notice"}


def pks(money, *names) -> set[int]:
    return {money["lines"][name].pk for name in names}


def visible_pks(money, *, hidden=HIDDEN) -> set[int]:
    return {item.pk for name, item in money["lines"].items() if name not in hidden}


PUBLIC_TOTALS = {
    ("2015/16", "Cost"): Decimal("108000.00"),  # 100000 + 5000 + 3000
    ("2015/16", "Grant"): Decimal("40000.00"),
    ("2016/17", "Cost"): Decimal("20000.00"),
    ("2016/17", "Forecast saving"): Decimal("250000.00"),
    (NO_YEAR, "Budget"): Decimal("12345.67"),
    ("All years", "Cost"): Decimal("128000.00"),
    ("All years", "Grant"): Decimal("40000.00"),
    ("All years", "Budget"): Decimal("12345.67"),
    ("All years", "Forecast saving"): Decimal("250000.00"),
}
# The hidden records add 1,000,000 + 300,000 + 70,000 + 9,000 of cost in 2015/16.
FULL_TOTALS = {
    **PUBLIC_TOTALS,
    ("2015/16", "Cost"): Decimal("1487000.00"),
    ("All years", "Cost"): Decimal("1507000.00"),
}
