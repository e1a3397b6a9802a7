"""Every kind of public page on a 320 px wide screen (WCAG 2.2 1.4.10 reflow): the page never
scrolls sideways (a wide table scrolls inside its own region), and axe-core still finds no
serious or critical violation at that width."""

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import sign_in
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


# 200 % zoom of a 1280 px window: the page lays out in 640 CSS px, each drawn twice as large.
ZOOMED = {
    "meeting": (lambda r: r.nov_2015.get_absolute_url(), None),
    "paper with a table": (lambda r: r.paper_with_table().get_absolute_url(), None),
    "decision notice (staff)": (lambda r: r.signed_notice().get_absolute_url(), "staff"),
}


@pytest.mark.parametrize("name", list(ZOOMED))
def test_record_pages_read_at_200_percent_zoom(
    browser, browser_context_args, seeded, request, name
):
    url_of, reader = ZOOMED[name]
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 640, "height": 400}},
        device_scale_factor=2,
    )
    page = context.new_page()
    try:
        url = url_of(seeded)
        if reader == "staff":
            sign_in(page, *request.getfixturevalue("staff_login"), next_path=url)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert page.evaluate("document.documentElement.scrollWidth") <= 640, f"{name} scrolls sideways"
        # The heading and the text are on the screen, not cut off or hidden behind another.
        heading = page.locator("main h1").first.bounding_box()
        assert heading is not None and heading["x"] >= 0 and heading["x"] + heading["width"] <= 640
        text_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
        )
        assert text_size >= 16, f"{name}: body text {text_size} px"
        lines = page.evaluate(
            """() => [...document.querySelectorAll('main p')].filter(p => {
                   const s = getComputedStyle(p);
                   return s.overflow === 'hidden' && p.scrollWidth > p.clientWidth;
               }).length"""
        )
        assert lines == 0, f"{name}: {lines} paragraphs cut off"
        page.screenshot(path=f"test-results/zoom-200-{name.split()[0]}.png", full_page=False)
    finally:
        context.close()
