"""A member of the public reads the records, finding their way by roles and labels only."""

import re

from django.conf import settings
from playwright.sync_api import Page, expect

from boards.models import Action


def test_reader_follows_a_meeting_its_paper_and_the_action_log(page: Page, seeded):
    bcb, nov = seeded.bcb, seeded.nov_2015
    main_nav = page.get_by_role("navigation", name="Main")

    # Home → Boards.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance records")
    main_nav.get_by_role("link", name="Boards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boards")
    expect(main_nav.get_by_role("link", name="Boards")).to_have_attribute("aria-current", "page")

    # Boards → the Business Coordination Board.
    page.get_by_role("table", name="Boards").get_by_role("link", name=bcb.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(bcb.name)
    expect(page).to_have_url(re.compile(rf"/boards/{bcb.slug}/$"))

    # The board shows one year of meetings; 2015 may not be the latest.
    years = page.get_by_role("navigation", name="Meetings by year")
    if years.count():
        years.get_by_role("link", name="2015", exact=True).click()
    meetings = page.get_by_role("region", name="Meetings in 2015")
    expect(meetings.get_by_role("link", name="30 September 2015")).to_be_visible()
    meetings.get_by_role("link", name="26 November 2015").click()

    # The meeting of 26 November 2015: agenda, minutes, and Alec Wood's apologies.
    expect(page).to_have_url(re.compile(rf"/boards/{bcb.slug}/2015-11-26/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thursday 26 November 2015")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("26 November 2015")
    attendance = page.get_by_role("region", name="Attendance")
    apologies = attendance.get_by_role("heading", name="Apologies").locator("xpath=following-sibling::ul[1]")
    expect(apologies.get_by_role("listitem").filter(has_text="Alec Wood")).to_have_count(1)
    for group in ("Member present", "In attendance"):
        heading = attendance.get_by_role("heading", name=group, exact=True)
        if heading.count():
            expect(heading.locator("xpath=following-sibling::ul[1]")).not_to_contain_text("Alec Wood")

    agenda = page.get_by_role("region", name="Agenda and minutes")
    items = list(nov.items.filter(is_exempt=False).order_by("position"))
    assert items, "the meeting of 26 November 2015 has no public agenda items"
    expect(agenda.get_by_role("list").first.locator(":scope > li")).to_have_count(len(items))
    for item in items:
        expect(agenda.get_by_role("heading", level=3, name=str(item))).to_be_visible()
    first_paragraph = items[0].paragraphs.order_by("position").first() or next(
        (i.paragraphs.order_by("position").first() for i in items if i.paragraphs.exists()), None
    )
    assert first_paragraph is not None, "the meeting of 26 November 2015 has no minutes"
    expect(agenda.get_by_text(first_paragraph.text.splitlines()[0][:60], exact=False).first).to_be_visible()
    expect(page.get_by_role("term").filter(has_text="Minutes")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Approved")).to_be_visible()

    # A paper linked from the meeting, and back through the paper's meeting link.
    paper = seeded.public_papers_of(nov).order_by("agenda_reference", "title").first()
    assert paper is not None, "no public paper went to the meeting of 26 November 2015"
    page.get_by_role("link", name=paper.title, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/papers/{paper.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(paper.title)
    expect(page.get_by_role("region", name="The paper")).to_be_visible()
    page.get_by_role("link", name=f"{bcb.name}, 26 November 2015").click()
    expect(page).to_have_url(re.compile(rf"/boards/{bcb.slug}/2015-11-26/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("26 November 2015")

    # The action log, filtered by status.
    main_nav.get_by_role("link", name="Actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action log")
    done = seeded.public_actions().filter(status=Action.Status.DONE).order_by("-meeting__date", "pk")
    still_open = seeded.public_actions().filter(status=Action.Status.OPEN).order_by("-meeting__date", "pk")
    assert done.exists() and still_open.exists(), "the records need both open and done actions"
    rows = page.get_by_role("table", name="Actions").get_by_role("row")
    expect(rows.filter(has_text=still_open.first().text[:60]).first).to_be_visible()

    filters = page.get_by_role("form", name="Filter actions")
    filters.get_by_label("Status").select_option(label="Done")
    filters.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"/actions/\?.*status=done"))
    expect(page.get_by_label("Status")).to_have_value("done")
    data_rows = page.get_by_role("table", name="Actions").locator("tbody").get_by_role("row")
    expect(data_rows).to_have_count(min(done.count(), settings.PAGE_SIZE))
    for status_cell in data_rows.locator("td:last-child").all():
        expect(status_cell).to_have_text(re.compile(r"^Done\b"))
    expect(data_rows.filter(has_text=done.first().text[:60]).first).to_be_visible()
    expect(data_rows.filter(has_text=still_open.first().text[:60])).to_have_count(0)
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
