"""OPCC staff enter a meeting, its agenda and minutes in the admin, and read the result."""

import datetime
import re

from playwright.sync_api import Page, expect

from boards.models import Action, AgendaItem, Meeting, MinuteParagraph, Person
from tests.e2e.helpers import admin_sign_in, choose_autocomplete, fill_inline, inline_row, submit


def free_date(board, start=datetime.date(2016, 2, 3)) -> datetime.date:
    """A Wednesday on which ``board`` has no meeting in the records (one meeting per board per day)."""
    taken = set(Meeting.objects.filter(board=board).values_list("date", flat=True))
    day = start
    while day in taken:
        day += datetime.timedelta(days=7)
    return day


def test_staff_enter_a_meeting_agenda_minutes_and_an_action(page: Page, seeded, staff_login):
    bcb = seeded.bcb
    day = free_date(bcb)
    owner = Person.objects.filter(memberships__board=bcb).order_by("full_name").first() or (
        Person.objects.order_by("full_name").first()
    )
    admin_sign_in(page, *staff_login)

    # A new meeting, with two agenda items entered on the meeting's own screen.
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Add meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add meeting")
    choose_autocomplete(page, "id_board", bcb.short_name or bcb.name, bcb.name)
    page.get_by_label("Date:", exact=True).fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Start time:").fill("10:00")
    page.get_by_label("Location:").fill("Swansley B Room, Cambourne")
    page.get_by_label("Status:", exact=True).select_option(label="Held")
    expect(page.get_by_role("heading", name="Agenda items")).to_be_visible()
    fill_inline(page, "items", 0, number="1", title="Apologies and introductions")
    fill_inline(page, "items", 1, number="2", title="Estates strategy: disposals")
    submit(page, "Save and continue editing")

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    meeting = Meeting.objects.get(board=bcb, date=day)
    assert meeting.start_time == datetime.time(10, 0)
    assert meeting.location == "Swansley B Room, Cambourne"
    assert [(i.position, i.number, i.title) for i in meeting.items.order_by("position")] == [
        (1, "1", "Apologies and introductions"),
        (2, "2", "Estates strategy: disposals"),
    ]

    # The second item's own screen: three minute paragraphs, numbers left blank, and an action.
    items_group = page.locator("#items-group")
    items_group.get_by_role("row").filter(has_text="Estates strategy: disposals").get_by_role(
        "link", name="Change"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change agenda item")
    expect(page.get_by_role("heading", name="Minute paragraphs")).to_be_visible()
    paragraphs = [
        "The Chief Finance Officer introduced the list of sites proposed for disposal.",
        "The Commissioner asked that **local members** be consulted before any sale.",
        "Resolved: that the disposals list be approved, subject to consultation.",
    ]
    for n, text in enumerate(paragraphs):
        fill_inline(page, "paragraphs", n, text=text)
        expect(
            inline_row(page, "paragraphs", n).locator(f'[name="paragraphs-{n}-number"]')
        ).to_have_value("")
    inline_row(page, "paragraphs", 2).locator('[name="paragraphs-2-kind"]').select_option(
        label="Resolution"
    )

    expect(page.get_by_role("heading", name="Actions")).to_be_visible()
    fill_inline(page, "actions", 0, text="Consult local members on the disposals list")
    choose_autocomplete(page, "id_actions-0-owner", owner.full_name, owner.full_name)
    submit(page, "Save and continue editing")

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    item = AgendaItem.objects.get(meeting=meeting, number="2")
    assert list(item.paragraphs.order_by("position").values_list("number", "text")) == [
        ("2.1", paragraphs[0]),
        ("2.2", paragraphs[1]),
        ("2.3", paragraphs[2]),
    ]
    action = Action.objects.get(item=item)
    assert (action.owner, action.meeting, action.status) == (owner, meeting, Action.Status.OPEN)
    # The admin shows the numbers it gave the paragraphs.
    for n, number in enumerate(["2.1", "2.2", "2.3"]):
        expect(
            inline_row(page, "paragraphs", n).locator(f'[name="paragraphs-{n}-number"]')
        ).to_have_value(number)

    # Back to the meeting, and out to its public page.
    page.get_by_role("link", name="↑ the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change meeting")
    page.locator(".object-tools").get_by_role("link", name="View on site").click()

    expect(page).to_have_url(re.compile(rf"/boards/{bcb.slug}/{day.isoformat()}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(day.strftime("%-d %B %Y"))
    expect(
        page.get_by_role("definition").filter(has_text="Swansley B Room, Cambourne")
    ).to_be_visible()
    agenda = page.get_by_role("region", name="Agenda and minutes")
    entry = agenda.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="2 Estates strategy: disposals")
    )
    minutes = entry.locator(".minute")
    expect(minutes).to_have_count(3)
    for n, (number, text) in enumerate(zip(["2.1", "2.2", "2.3"], paragraphs, strict=True)):
        expect(minutes.nth(n).locator(".minute-number")).to_have_text(number)
        expect(minutes.nth(n)).to_contain_text(text.replace("**", ""))
    expect(minutes.nth(1).locator("strong")).to_have_text("local members")
    expect(minutes.nth(2)).to_contain_text("(Resolution)")
    raised = page.get_by_role("region", name="Actions raised at this meeting")
    row = raised.get_by_role("row").filter(has_text="Consult local members on the disposals list")
    expect(row).to_contain_text(owner.full_name)
    expect(row).to_contain_text("Open")


def test_an_exempt_item_without_a_reason_is_refused(page: Page, seeded, staff_login):
    bcb = seeded.bcb
    day = free_date(bcb)
    meetings_before, items_before = Meeting.objects.count(), AgendaItem.objects.count()
    paragraphs_before = MinuteParagraph.objects.count()
    admin_sign_in(page, *staff_login)

    page.goto("/admin/boards/meeting/add/")
    choose_autocomplete(page, "id_board", bcb.short_name or bcb.name, bcb.name)
    page.get_by_label("Date:", exact=True).fill(day.strftime("%d/%m/%Y"))
    fill_inline(page, "items", 0, number="1", title="Apologies")
    fill_inline(page, "items", 1, number="2", title="Custody suite contract")
    inline_row(page, "items", 1).locator('[name="items-1-is_exempt"]').check()
    submit(page, "Save")

    expect(page.locator(".errornote")).to_have_text(
        re.compile(r"Please correct the errors? below\.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Add meeting")
    row = inline_row(page, "items", 1)
    error = row.locator("td.field-exemption_reason .errorlist")
    expect(error).to_have_text("Give the reason this item is exempt.")
    # The cell's column is headed by the field's name.
    expect(page.locator("#items-group th.column-exemption_reason")).to_have_text("Exemption reason")
    # What was typed is kept for correction; nothing reached the database.
    expect(row.locator('[name="items-1-title"]')).to_have_value("Custody suite contract")
    expect(row.locator('[name="items-1-is_exempt"]')).to_be_checked()
    assert not Meeting.objects.filter(board=bcb, date=day).exists()
    assert (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        MinuteParagraph.objects.count(),
    ) == (
        meetings_before,
        items_before,
        paragraphs_before,
    )
