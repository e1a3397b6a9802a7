"""A board secretary takes a whole meeting's minutes on one screen, in a browser: rows added by
button and by shortcut, a closed tab that loses nothing, an error listed at the top and linked
to its field, the screen at a desk and on a phone, and the approval that keeps what was typed."""

import datetime
import re

from playwright.sync_api import Page, expect

from boards.models import Action, Declaration, Meeting, MinuteParagraph, Person
from tests.e2e.helpers import admin_sign_in, choose_autocomplete, fill_inline, submit
from tests.e2e.test_staff_admin import free_date


def new_meeting(page: Page, board, day: datetime.date, titles: list[str], attendee: Person) -> None:
    """The meeting's own screen: board, date, one attendee, items left unnumbered; then
    "Save and take minutes"."""
    page.goto("/admin/boards/meeting/add/")
    choose_autocomplete(page, "id_board", board.short_name or board.name, board.name)
    page.get_by_label("Date:", exact=True).fill(day.strftime("%d/%m/%Y"))
    choose_autocomplete(page, "id_attendance-0-person", attendee.full_name, attendee.full_name)
    page.locator('[name="attendance-0-capacity"]').select_option(label="Member present")
    for n, title in enumerate(titles):
        fill_inline(page, "items", n, title=title)
    submit(page, "Save and take minutes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Take minutes")


def item_section(page: Page, title: str):
    return page.get_by_role("region", name=re.compile(re.escape(title)))


def test_a_secretary_takes_the_minutes_of_a_meeting_on_one_screen(page: Page, seeded, staff_login):
    bcb = seeded.bcb
    day = free_date(bcb, datetime.date(2016, 3, 2))
    attendee = Person.objects.filter(memberships__board=bcb).order_by("full_name").first()
    admin_sign_in(page, *staff_login)
    new_meeting(page, bcb, day, ["Apologies", "Estates strategy", "Any other business"], attendee)
    meeting = Meeting.objects.get(board=bcb, date=day)
    # Items left unnumbered were numbered in order.
    assert list(meeting.items.order_by("position").values_list("number", flat=True)) == [
        "1",
        "2",
        "3",
    ]

    apologies, estates = item_section(page, "1 Apologies"), item_section(page, "2 Estates strategy")
    expect(estates.get_by_label("Number")).to_have_attribute("placeholder", "auto: 2.1")
    apologies.get_by_label("Text").fill("Apologies were received from the Chief Constable.")
    first = estates.get_by_label("Text")
    first.fill("The Chief Finance Officer introduced the disposals list.")
    # The shortcut adds a paragraph to the item being typed in, and puts the cursor in it.
    first.press("Alt+Shift+P")
    expect(estates.get_by_role("group", name="New paragraph")).to_have_count(2)
    page.keyboard.type("Resolved: that the list be approved.")
    estates.get_by_role("group", name="New paragraph").nth(1).get_by_label("Kind").select_option(
        label="Resolution"
    )
    # An action waits behind its button.
    expect(estates.get_by_role("group", name="New action")).to_be_hidden()
    estates.get_by_role("button", name=re.compile("^Add an action")).click()
    action = estates.get_by_role("group", name="New action")
    expect(action.get_by_label("Action")).to_be_focused()
    page.keyboard.type("Consult local members on the list.")
    action.get_by_label("Owner").select_option(label=attendee.full_name)

    # The tab closes before saving: the browser kept it all.
    page.wait_for_timeout(600)  # the draft is written 0.4 s after the last keystroke
    page.reload()
    draft = page.locator("#tm-draft")
    expect(draft).to_contain_text("were not saved")
    draft.get_by_role("button", name="Restore what was typed").click()
    expect(apologies.get_by_label("Text")).to_have_value(
        "Apologies were received from the Chief Constable."
    )
    expect(estates.get_by_role("group", name="New paragraph")).to_have_count(2)
    expect(action.get_by_label("Owner")).to_have_value(str(attendee.pk))

    # A declaration without who declared: listed at the top, linked to its field, nothing saved.
    aob = item_section(page, "3 Any other business")
    aob.get_by_role("button", name=re.compile("^Add a declaration")).click()
    aob.get_by_label("Interest declared").fill("A relative works for the buyer.")
    submit(page, "Save the minutes")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("nothing has been saved")
    assert not MinuteParagraph.objects.filter(item__meeting=meeting).exists()
    summary.get_by_role("link").first.click()
    expect(aob.get_by_label("Who declared")).to_be_focused()
    expect(apologies.get_by_label("Text")).to_have_value(
        "Apologies were received from the Chief Constable."
    )
    aob.get_by_label("Who declared").select_option(label=attendee.full_name)
    submit(page, "Save the minutes")
    expect(page.locator(".messagelist")).to_contain_text("Saved the minutes of")

    assert list(
        MinuteParagraph.objects.filter(item__meeting=meeting)
        .order_by("item__position", "position")
        .values_list("number", "kind")
    ) == [("1.1", "narrative"), ("2.1", "narrative"), ("2.2", "resolution")]
    assert Action.objects.get(meeting=meeting).owner == attendee
    assert Declaration.objects.get(meeting=meeting).item.number == "3"
    meeting.refresh_from_db()
    assert meeting.minutes_status == "draft"
    # Saved: the browser forgets its draft.
    page.reload()
    expect(page.locator("#tm-draft")).to_be_hidden()
    expect(page.get_by_role("group", name="Paragraph 2.2")).to_be_visible()

    # Approve, with the facts of the signing; they are kept.
    page.get_by_role("button", name="Save and approve the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the minutes")
    expect(page.locator("#content-main")).to_contain_text("3 agenda items and 3 minute paragraphs")
    page.get_by_label("Signed by:").select_option(label=attendee.full_name)
    page.get_by_label("Signed on:").fill(day.isoformat())
    page.get_by_role("button", name="Approve and lock the minutes").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved and locked the minutes")
    meeting.refresh_from_db()
    assert (meeting.minutes_status, meeting.minutes_signed_by, meeting.minutes_signed_on) == (
        "approved",
        attendee,
        day,
    )
    expect(page.locator(".object-tools")).not_to_contain_text("Take minutes")


def test_the_screen_fits_a_desk_and_a_phone_without_sideways_scrolling(
    page: Page, seeded, staff_login
):
    meeting = Meeting.objects.filter(items__isnull=False).order_by("-date").first()
    # A draft copy of its agenda on a free date, so the screen opens (approved minutes do not).
    day = free_date(meeting.board, datetime.date(2016, 4, 6))
    draft = Meeting.objects.create(board=meeting.board, date=day)
    for item in meeting.items.order_by("position"):
        draft.items.create(number=item.number, title=item.title, position=item.position)
    admin_sign_in(page, *staff_login)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/admin/boards/meeting/{draft.pk}/minutes/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Take minutes")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
