"""A member of the public reads the records, finding their way by roles and labels only."""

import re
from html import unescape

from django.conf import settings
from django.utils.html import strip_tags
from playwright.sync_api import Page, expect

from boards.models import Action, MinuteParagraph


def visible_text(html: str) -> str:
    """The words a reader sees for stored HTML, whitespace collapsed."""
    return " ".join(unescape(strip_tags(html)).split())


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
    # Sub-groups name the BCB too (under "Reports to"): take the row whose short name is BCB.
    bcb_row = (
        page.get_by_role("table", name="Boards")
        .get_by_role("row")
        .filter(has=page.get_by_role("cell", name=bcb.short_name, exact=True))
    )
    bcb_row.get_by_role("link", name=bcb.name, exact=True).first.click()
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
    summary = page.locator("dl.summary")
    expect(summary).to_contain_text(nov.start_time.strftime("%H:%M"))
    expect(summary).to_contain_text(nov.location)
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("26 November 2015")
    attendance = page.get_by_role("region", name="Attendance")
    apologies = attendance.get_by_role("heading", name="Apologies").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(apologies.get_by_role("listitem").filter(has_text="Alec Wood")).to_have_count(1)
    for group in ("Member present", "In attendance"):
        heading = attendance.get_by_role("heading", name=group, exact=True)
        if heading.count():
            expect(heading.locator("xpath=following-sibling::ul[1]")).not_to_contain_text(
                "Alec Wood"
            )

    agenda = page.get_by_role("region", name="Agenda and minutes")
    items = list(nov.items.filter(is_exempt=False).order_by("position"))
    assert items, "the meeting of 26 November 2015 has no public agenda items"
    expect(agenda.get_by_role("list").first.locator(":scope > li")).to_have_count(len(items))
    for item in items:
        expect(agenda.get_by_role("heading", level=3, name=str(item), exact=True)).to_be_visible()
    paragraphs = MinuteParagraph.objects.filter(item__in=items).order_by(
        "item__position", "position"
    )
    assert paragraphs.exists(), "the meeting of 26 November 2015 has no minutes"
    for paragraph in (paragraphs.first(), paragraphs.last()):
        expect(agenda.locator(f"#minute-{paragraph.pk}")).to_contain_text(
            visible_text(paragraph.text_html)[:80]
        )
    expect(page.get_by_role("term").filter(has_text="Minutes")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Approved")).to_be_visible()

    # A paper linked from its agenda item, and back through the paper's meeting link.
    with_paper = next(
        (i for i in items if i.paper_id and i.paper in seeded.public_papers_of(nov)), None
    )
    assert with_paper is not None, "no agenda item of 26 November 2015 links a published paper"
    paper = with_paper.paper
    entry = agenda.get_by_role("listitem").filter(
        has=page.get_by_role("heading", level=3, name=str(with_paper), exact=True)
    )
    expect(entry).to_contain_text(f"Paper: {paper.title}")
    entry.get_by_role("link", name=paper.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/papers/{paper.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(paper.title)
    expect(page.get_by_role("region", name="The paper")).to_be_visible()
    page.get_by_role("link", name=f"{bcb.name}, 26 November 2015", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/boards/{bcb.slug}/2015-11-26/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("26 November 2015")

    # The action log, filtered by status.
    main_nav.get_by_role("link", name="Actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action log")
    public = seeded.public_actions().order_by("-meeting__date", "pk")
    assert public.exists(), "the records have no published actions"
    listed = page.get_by_role("table", name="Actions").locator("tbody").get_by_role("row")
    expect(listed).to_have_count(min(public.count(), settings.PAGE_SIZE))

    filters = page.get_by_role("form", name="Filter actions")
    for status in (Action.Status.DONE, Action.Status.OPEN):
        filters.get_by_label("Status").select_option(label=status.label)
        filters.get_by_role("button", name="Apply filters").click()

        expect(page).to_have_url(re.compile(rf"/actions/\?(.*&)?status={status.value}(&|$)"))
        expect(filters.get_by_label("Status")).to_have_value(status.value)
        expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
        matching = public.filter(status=status)
        if not matching.exists():
            expect(page.get_by_text("No actions match these filters.")).to_be_visible()
            expect(page.get_by_role("table", name="Actions")).to_have_count(0)
            continue
        rows = page.get_by_role("table", name="Actions").locator("tbody").get_by_role("row")
        expect(rows).to_have_count(min(matching.count(), settings.PAGE_SIZE))
        expect(rows.locator("td:last-child")).to_have_text(
            [re.compile(rf"^{status.label}\b")] * rows.count()
        )
        expect(rows.first).to_contain_text(" ".join(matching.first().text.split())[:80])
        other = public.exclude(status=status).first()
        if other is not None:
            expect(rows.filter(has_text=" ".join(other.text.split())[:80])).to_have_count(0)
