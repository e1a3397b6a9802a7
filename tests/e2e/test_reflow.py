"""Every kind of public page on a 320 px wide screen (WCAG 2.2 1.4.10 reflow): the page never
scrolls sideways (a wide table scrolls inside its own region), and axe-core still finds no
serious or critical violation at that width."""

import pytest
from playwright.sync_api import Page

from tests.e2e.test_accessibility import AXE_OPTIONS, FAILING_IMPACTS, PAGES, _axe, describe

WIDTH = 320

# The public's pages of tests/e2e/test_accessibility.py, and the pages added with them here.
PUBLIC_PAGES = {
    name: (url_of, status)
    for name, (url_of, status, reader, _width) in PAGES.items()
    if reader is None
}
PUBLIC_PAGES.update(
    {
        "accessibility statement": (lambda r: "/accessibility/", 200),
        "page not found": (lambda r: "/no-such-page/", 404),
    }
)


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_a_public_page_does_not_scroll_sideways_at_320_px(page: Page, seeded, name):
    url_of, status = PUBLIC_PAGES[name]
    url = url_of(seeded)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    response = page.goto(url)
    assert response is not None and response.status == status, url
    width = page.evaluate("document.documentElement.scrollWidth")
    # What sticks out beyond the screen outside a scroll region, to name in the failure.
    wide = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 0.5
                         && !e.parentElement.closest('.table-scroll, .chart__table-wrap'))
            .slice(0, 5).map(e => e.outerHTML.slice(0, 160))""",
        WIDTH,
    )
    assert width <= WIDTH, f"{name} ({url}) is {width} px wide: {wide}"
    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"axe at {WIDTH} px on {name} ({url}):\n{describe(failing)}"
