"""axe-core on every kind of public page: no serious or critical WCAG 2.x A/AA violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.helpers import sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
FAILING_IMPACTS = {"serious", "critical"}

_axe = Axe()


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


# Each page: how to reach it from the records, the status it answers with, and who reads it.
PAGES = {
    "home": (lambda r: "/", 200, None),
    "boards list": (lambda r: "/boards/", 200, None),
    "board": (lambda r: r.bcb.get_absolute_url(), 200, None),
    "meeting (anonymous)": (lambda r: r.nov_2015.get_absolute_url(), 200, None),
    "meeting (staff)": (lambda r: r.nov_2015.get_absolute_url(), 200, "staff"),
    "papers list": (lambda r: "/papers/", 200, None),
    "papers list, filter error": (lambda r: "/papers/?date_from=not-a-date", 400, None),
    "paper with a table": (lambda r: r.paper_with_table().get_absolute_url(), 200, None),
    "actions list": (lambda r: "/actions/", 200, None),
    "login": (lambda r: "/accounts/login/", 200, None),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(page: Page, seeded, request, name):
    url_of, status, reader = PAGES[name]
    url = url_of(seeded)
    if reader == "staff":
        sign_in(page, *request.getfixturevalue("staff_login"), next_path=url)
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url} answered {response and response.status}"
    page.wait_for_load_state("load")

    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if others:
        print(f"Minor/moderate axe findings on {name} ({url}):\n{describe(others)}")
    assert not failing, f"axe found serious/critical violations on {name} ({url}):\n{describe(failing)}"
