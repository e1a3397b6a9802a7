"""axe-core on every kind of public page: no serious or critical WCAG 2.x A/AA violation."""

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e import data
from tests.e2e.helpers import sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()
YEAR = quote(data.MONEY_YEAR, safe="")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"    html:   {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"    why:    {summary[:300]}")
    return "\n".join(lines)


# Each page: how to reach it from the records, the status it answers with, who reads it, and
# (when not the usual desktop window) the width of the screen it is read on.
PAGES = {
    "home": (lambda r: "/", 200, None, None),
    "boards list": (lambda r: "/boards/", 200, None, None),
    "board": (lambda r: r.bcb.get_absolute_url(), 200, None, None),
    "meeting (anonymous)": (lambda r: r.nov_2015.get_absolute_url(), 200, None, None),
    "meeting (staff)": (lambda r: r.nov_2015.get_absolute_url(), 200, "staff", None),
    "papers list": (lambda r: "/papers/", 200, None, None),
    "papers list, filter error": (lambda r: "/papers/?date_from=not-a-date", 400, None, None),
    "paper with a table": (lambda r: r.paper_with_table().get_absolute_url(), 200, None, None),
    # A phone-sized screen (WCAG 1.4.10 reflow width): the paper's table no longer fits.
    "paper with a table, 320 px wide": (
        lambda r: r.paper_with_table().get_absolute_url(),
        200,
        None,
        320,
    ),
    "search results": (lambda r: "/search/?q=restorative", 200, None, None),
    "search results, one kind (staff)": (
        lambda r: "/search/?q=restorative&kind=notice",
        200,
        "staff",
        None,
    ),
    "search results, 320 px wide": (lambda r: "/search/?q=victims", 200, None, 320),
    "search, no words": (lambda r: "/search/", 200, None, None),
    "search, filter error": (lambda r: "/search/?q=victims&year=1", 400, None, None),
    "actions list": (lambda r: "/actions/", 200, None, None),
    "decisions register (anonymous)": (lambda r: "/decisions/", 200, None, None),
    "decisions register (staff)": (lambda r: "/decisions/", 200, "staff", None),
    "decision notice (staff)": (lambda r: r.signed_notice().get_absolute_url(), 200, "staff", None),
    "login": (lambda r: "/accounts/login/", 200, None, None),
    # Money and collaboration (the made-up records of tests/e2e/data.py with the seeds').
    "finance totals": (lambda r: "/finance/", 200, None, None),
    "finance totals, one year": (
        lambda r: f"/finance/?year_from={YEAR}&year_to={YEAR}",
        200,
        None,
        None,
    ),
    "finance totals, filter error": (
        lambda r: f"/finance/?year_from={quote(data.OTHER_YEAR, safe='')}&year_to={YEAR}",
        400,
        None,
        None,
    ),
    "finance lines": (lambda r: "/finance/lines/", 200, None, None),
    "finance lines (staff)": (lambda r: "/finance/lines/", 200, "staff", None),
    "collaboration, with the budgets chart": (lambda r: "/collaboration/", 200, None, None),
    "collaborated function, with its savings chart": (
        lambda r: r.money.function.get_absolute_url(),
        200,
        None,
        None,
    ),
    "collaboration agreements": (lambda r: "/collaboration/agreements/", 200, None, None),
    "collaboration agreement": (lambda r: r.money.agreement.get_absolute_url(), 200, None, None),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(page: Page, seeded, request, name):
    url_of, status, reader, width = PAGES[name]
    url = url_of(seeded)
    if reader == "staff":
        sign_in(page, *request.getfixturevalue("staff_login"), next_path=url)
    if width:
        page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(url)
    assert response is not None and response.status == status, (
        f"{url} answered {response and response.status}"
    )

    results = _axe.run(page, options=AXE_OPTIONS).response
    assert results["passes"], "axe checked nothing: are the WCAG tags in AXE_OPTIONS right?"
    violations = results["violations"]
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if others:
        print(f"Minor/moderate axe findings on {name} ({url}):\n{describe(others)}")
    assert not failing, (
        f"axe found serious/critical violations on {name} ({url}):\n{describe(failing)}"
    )
