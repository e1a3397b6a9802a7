"""The secretary's minutes screens: take a whole meeting's minutes on one page, approve them
with the facts typed kept, reopen them with a reason; and the meeting form no longer edits the
minutes' status."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from boards.models import Action, AgendaItem, Declaration, Meeting, MinuteParagraph
from tests.admin_forms import change_url, form_of
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteParagraphFactory,
    PersonFactory,
    UserFactory,
    approve,
)
from tests.pages import count_queries, parse, text

pytestmark = pytest.mark.django_db


def minutes_url(meeting) -> str:
    return reverse("admin:boards_meeting_minutes", args=[meeting.pk])


def approve_url(meeting) -> str:
    return reverse("admin:boards_meeting_approve", args=[meeting.pk])


def reopen_url(meeting) -> str:
    return reverse("admin:boards_meeting_reopen", args=[meeting.pk])


def a_meeting(items: int = 3, *, minutes_status="none", **kwargs) -> Meeting:
    meeting = MeetingFactory(minutes_status=minutes_status, **kwargs)
    for n in range(1, items + 1):
        AgendaItemFactory(meeting=meeting, number=str(n), title=f"Item {n} title", position=n)
    return meeting


def login(*codenames: str) -> Client:
    """A staff login holding exactly the boards permissions named."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="boards", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


def rows_of(data: dict, prefix: str) -> list[int]:
    """The row indexes of a formset in the posted data."""
    return sorted(
        {int(k.split("-")[1]) for k in data if k.startswith(f"{prefix}-") and k[2].isdigit()}
    )


def blank_row(data: dict, prefix: str, item: AgendaItem) -> int:
    """The index of the blank row the page offers under ``item``."""
    for index in rows_of(data, prefix):
        if data.get(f"{prefix}-{index}-item") == str(item.pk) and not data.get(
            f"{prefix}-{index}-id"
        ):
            return index
    raise AssertionError(f"no blank {prefix} row under {item}")


# -- the screen -----------------------------------------------------------------------------------


def test_the_screen_shows_every_item_in_agenda_order_with_a_blank_paragraph_each(staff_client):
    meeting = a_meeting(3)
    MinuteParagraphFactory(item=meeting.items.get(number="2"), number="2.1", text="Noted the risk.")
    response = staff_client.get(minutes_url(meeting))
    assert response.status_code == 200
    root = parse(response.content.decode())
    headings = [text(h) for h in root.iter("h2") if (h.get("id") or "").startswith("item-")]
    assert headings[1:] == ["1 Item 1 title", "2 Item 2 title", "3 Item 3 title"]
    page = response.content.decode()
    assert "Noted the risk." in page
    data = form_of(staff_client, minutes_url(meeting))
    for item in meeting.items.all():
        blank_row(data, "p", item)


def test_the_meeting_screen_links_to_it(staff_client):
    meeting = a_meeting(1)
    page = staff_client.get(change_url(meeting)).content.decode()
    assert minutes_url(meeting) in page
    assert "Take minutes" in page


def test_typing_a_whole_meeting_saves_it_at_once_numbered_from_the_items(staff_client):
    meeting = a_meeting(3)
    chair = AttendanceFactory(meeting=meeting, person=PersonFactory(full_name="Brian Ashton"))
    data = form_of(staff_client, minutes_url(meeting))
    one, two, three = meeting.items.order_by("position")
    data[f"p-{blank_row(data, 'p', one)}-text"] = "Apologies were received from Ms Jones."
    data[f"p-{blank_row(data, 'p', three)}-text"] = "The board noted the finance report."
    data[f"p-{blank_row(data, 'p', three)}-kind"] = "noted"
    action = blank_row(data, "a", two)
    data[f"a-{action}-text"] = "Circulate the revised budget."
    data[f"a-{action}-owner"] = str(chair.person_id)
    data[f"a-{action}-due_date"] = "2016-03-01"
    declaration = blank_row(data, "d", two)
    data[f"d-{declaration}-person"] = str(chair.person_id)
    data[f"d-{declaration}-nature"] = "A family member works for the supplier."
    response = staff_client.post(minutes_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].startswith(minutes_url(meeting))
    assert [
        (p.item.number, p.number, p.kind)
        for p in MinuteParagraph.objects.order_by("item__position")
    ] == [
        ("1", "1.1", "narrative"),
        ("3", "3.1", "noted"),
    ]
    saved = Action.objects.get()
    assert (saved.item, saved.meeting, saved.owner) == (two, meeting, chair.person)
    assert saved.due_date == datetime.date(2016, 3, 1)
    assert Declaration.objects.get().item == two
    meeting.refresh_from_db()
    assert meeting.minutes_status == "draft"  # minutes not recorded before: now a draft


def test_an_action_due_in_a_month_is_typed_as_a_month_and_a_new_action_is_open(staff_client):
    meeting = a_meeting(1)
    data = form_of(staff_client, minutes_url(meeting))
    (item,) = meeting.items.all()
    action = blank_row(data, "a", item)
    data[f"a-{action}-text"] = "Equality and Diversity update paper to Board."
    data[f"a-{action}-due_date"] = "2016-05-17"
    data[f"a-{action}-due_precision"] = "month"
    response = staff_client.post(minutes_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Action.objects.get()
    assert (saved.due_date, saved.due_as_printed) == (datetime.date(2016, 5, 1), "May 2016")
    assert saved.status == Action.Status.OPEN


def test_a_second_paragraph_is_numbered_after_the_first_and_typed_numbers_are_kept(staff_client):
    meeting = a_meeting(1)
    item = meeting.items.get()
    MinuteParagraphFactory(item=item, number="1.1", position=1)
    data = form_of(staff_client, minutes_url(meeting))
    data[f"p-{blank_row(data, 'p', item)}-text"] = "Second paragraph."
    assert staff_client.post(minutes_url(meeting), data).status_code == 302
    assert list(item.paragraphs.values_list("number", flat=True)) == ["1.1", "1.2"]
    data = form_of(staff_client, minutes_url(meeting))
    row = blank_row(data, "p", item)
    data[f"p-{row}-text"] = "A historic paragraph."
    data[f"p-{row}-number"] = "1.7"
    assert staff_client.post(minutes_url(meeting), data).status_code == 302
    assert list(item.paragraphs.values_list("number", flat=True)) == ["1.1", "1.2", "1.7"]


def test_rows_added_beyond_the_blank_ones_are_saved_under_their_item(staff_client):
    """What the page's "Add a paragraph" does: a new row with the next index and its item."""
    meeting = a_meeting(2)
    one, two = meeting.items.order_by("position")
    data = form_of(staff_client, minutes_url(meeting))
    total = int(data["p-TOTAL_FORMS"])
    data.update(
        {
            f"p-{total}-item": str(one.pk),
            f"p-{total}-kind": "resolution",
            f"p-{total}-text": "Agreed.",
        }
    )
    data["p-TOTAL_FORMS"] = str(total + 1)
    data[f"p-{blank_row(data, 'p', one)}-text"] = "Discussed."
    assert staff_client.post(minutes_url(meeting), data).status_code == 302
    assert list(one.paragraphs.values_list("number", "text")) == [
        ("1.1", "Discussed."),
        ("1.2", "Agreed."),
    ]
    assert not two.paragraphs.exists()


def test_removing_a_paragraph(staff_client):
    meeting = a_meeting(1)
    paragraph = MinuteParagraphFactory(item=meeting.items.get(), number="1.1")
    data = form_of(staff_client, minutes_url(meeting))
    row = next(i for i in rows_of(data, "p") if data.get(f"p-{i}-id") == str(paragraph.pk))
    data[f"p-{row}-DELETE"] = "on"
    assert staff_client.post(minutes_url(meeting), data).status_code == 302
    assert not MinuteParagraph.objects.exists()


def test_an_error_is_listed_at_the_top_linked_to_its_field_and_nothing_is_saved(staff_client):
    meeting = a_meeting(2)
    one, two = meeting.items.order_by("position")
    data = form_of(staff_client, minutes_url(meeting))
    data[f"p-{blank_row(data, 'p', one)}-text"] = "A paragraph typed before the mistake."
    action = blank_row(data, "a", two)
    data[f"a-{action}-due_date"] = "not a date"
    data[f"a-{action}-text"] = "Report back."
    response = staff_client.post(minutes_url(meeting), data)
    assert response.status_code == 200
    root = parse(response.content.decode())
    summary = next(e for e in root.iter("div") if e.get("id") == "error-summary")
    links = [(a.get("href"), text(a)) for a in summary.iter("a")]
    assert links == [
        (f"#id_a-{action}-due_date", "Item 2 Item 2 title, action: Due date: Enter a valid date.")
    ]
    assert f'id="id_a-{action}-due_date"' in response.content.decode()
    assert "A paragraph typed before the mistake." in response.content.decode()  # kept
    assert not MinuteParagraph.objects.exists() and not Action.objects.exists()


def test_a_save_by_someone_else_meanwhile_is_refused_and_what_was_typed_is_kept(staff_client):
    meeting = a_meeting(1)
    data = form_of(staff_client, minutes_url(meeting))
    data[f"p-{blank_row(data, 'p', meeting.items.get())}-text"] = "Typed while someone else saved."
    Meeting.objects.get(pk=meeting.pk).save()  # someone else saves the meeting
    response = staff_client.post(minutes_url(meeting), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this record" in page
    assert "Typed while someone else saved." in page
    assert not MinuteParagraph.objects.exists()


def test_approved_minutes_cannot_be_taken_again(staff_client):
    meeting = a_meeting(1, minutes_status="draft")
    data = form_of(staff_client, minutes_url(meeting))
    data[f"p-{blank_row(data, 'p', meeting.items.get())}-text"] = "Too late."
    approve(meeting)
    for response in (
        staff_client.get(minutes_url(meeting)),
        staff_client.post(minutes_url(meeting), data),
    ):
        assert response.status_code == 302
        assert response["Location"] == change_url(meeting)
    assert not MinuteParagraph.objects.exists()
    page = staff_client.get(change_url(meeting), follow=True).content.decode()
    assert "approved and locked" in page
    assert minutes_url(meeting) not in page


def test_a_login_that_may_not_change_meetings_cannot_take_minutes():
    meeting = a_meeting(1)
    assert login("view_meeting").get(minutes_url(meeting)).status_code == 403


def test_a_login_that_may_change_meetings_can_take_minutes():
    meeting = a_meeting(1)
    assert login("view_meeting", "change_meeting").get(minutes_url(meeting)).status_code == 200


def test_the_screen_costs_the_same_queries_for_5_and_20_items(staff_client):
    small, large = a_meeting(5), a_meeting(20)
    for meeting in (small, large):
        for item in meeting.items.all():
            MinuteParagraphFactory(item=item)
        AttendanceFactory(meeting=meeting)
    staff_client.get(minutes_url(small))  # warm the session and permission caches
    assert count_queries(staff_client, minutes_url(small)) == count_queries(
        staff_client, minutes_url(large)
    )


# -- the meeting form ----------------------------------------------------------------------------


def test_the_meeting_form_does_not_edit_the_minutes_status(staff_client):
    meeting = a_meeting(1, minutes_status="draft")
    data = form_of(staff_client, change_url(meeting))
    assert "minutes_status" not in data
    data["minutes_status"] = "approved"
    response = staff_client.post(change_url(meeting), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == "draft"


def test_save_and_take_minutes_keeps_what_was_typed_on_the_meeting_screen(staff_client):
    meeting = a_meeting(1, minutes_status="draft")
    data = form_of(staff_client, change_url(meeting))
    data["location"] = "Cambourne"
    data["_take_minutes"] = "Save and take minutes"
    response = staff_client.post(change_url(meeting), data)
    assert response["Location"] == minutes_url(meeting)
    meeting.refresh_from_db()
    assert meeting.location == "Cambourne"


def test_new_items_left_unnumbered_are_numbered_after_the_agenda(staff_client):
    meeting = a_meeting(2, minutes_status="draft")
    data = form_of(staff_client, change_url(meeting))
    total = int(data["items-TOTAL_FORMS"])
    blanks = [i for i in range(total) if not data.get(f"items-{i}-id")]
    data[f"items-{blanks[0]}-title"] = "Risk register"
    data[f"items-{blanks[1]}-title"] = "Typed as four"
    data[f"items-{blanks[1]}-number"] = "4"
    data[f"items-{blanks[2]}-title"] = "Any other business"
    response = staff_client.post(change_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(meeting.items.order_by("position").values_list("number", "title"))[2:] == [
        ("3", "Risk register"),
        ("4", "Typed as four"),
        ("5", "Any other business"),
    ]


def test_a_historic_unnumbered_agenda_stays_unnumbered():
    meeting = MeetingFactory()
    # Loaded as printed, without a number (as ``loaddata`` does, past ``save()``).
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, title="Earlier", position=1)])
    assert AgendaItem.objects.create(meeting=meeting, title="Later").number == ""


# -- approve ------------------------------------------------------------------------------------


def test_approving_keeps_the_signatory_and_date_typed_on_the_meeting(staff_client):
    meeting = a_meeting(2, minutes_status="draft", date=datetime.date(2015, 11, 26))
    brian = PersonFactory(full_name="Brian Ashton")
    AttendanceFactory(meeting=meeting, person=brian)
    later = MeetingFactory(board=meeting.board, date=datetime.date(2016, 1, 28))
    data = form_of(staff_client, change_url(meeting))
    data.update({"minutes_signed_by": str(brian.pk), "minutes_signed_on": "2016-01-28"})
    data["_approve"] = "Save and approve the minutes"
    response = staff_client.post(change_url(meeting), data)
    assert response["Location"] == approve_url(meeting)
    confirm = form_of_page(staff_client, approve_url(meeting))
    assert confirm == {"approved_at": "", "signed_by": str(brian.pk), "signed_on": "2016-01-28"}
    page = staff_client.get(approve_url(meeting)).content.decode()
    assert "2 agenda items" in page  # what will be locked
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "draft"  # GET changes nothing
    confirm["approved_at"] = str(later.pk)
    response = staff_client.post(approve_url(meeting), confirm)
    assert response["Location"] == change_url(meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_status == "approved"
    assert (meeting.minutes_signed_by, meeting.minutes_signed_on, meeting.minutes_approved_at) == (
        brian,
        datetime.date(2016, 1, 28),
        later,
    )
    assert meeting.history.first().history_change_reason == "Minutes approved"


def form_of_page(client, url) -> dict:
    """The values of a confirmation page's form (it has no admin form id)."""
    root = parse(client.get(url).content.decode())
    values = {}
    for element in root.iter():
        if element.tag not in ("input", "select"):
            continue
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken" or element.get("type") == "submit":
            continue
        if element.tag == "select":
            chosen = [
                o.get("value") for o in element.iter("option") if o.get("selected") is not None
            ]
            values[name] = chosen[0] if chosen else ""
        else:
            values[name] = element.get("value", "")
    return values


@pytest.mark.parametrize(
    "facts, field, message",
    [
        (
            {"signed_on": "2015-11-01"},
            "signed_on",
            "Minutes cannot be signed before the meeting was held.",
        ),
        ({"signed_on": "26/11/2015x"}, "signed_on", "Enter a valid date."),
        ({"signed_by": "999999"}, "signed_by", "Select a valid choice."),
    ],
)
def test_approval_facts_that_do_not_fit_are_refused_naming_the_field(
    staff_client, facts, field, message
):
    meeting = a_meeting(1, minutes_status="draft", date=datetime.date(2015, 11, 26))
    response = staff_client.post(approve_url(meeting), facts)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "draft"


def test_approving_every_combination_of_the_facts_keeps_exactly_those_given(staff_client):
    board = BoardFactory()
    later = MeetingFactory(board=board, date=datetime.date(2016, 1, 28))
    signer = PersonFactory()
    for n, (at, by, on) in enumerate(
        [
            (a, b, c)
            for a in (None, later)
            for b in (None, signer)
            for c in (None, datetime.date(2016, 2, 1))
        ]
    ):
        meeting = a_meeting(
            1, minutes_status="draft", board=board, date=datetime.date(2015, 1, 1 + n)
        )
        AttendanceFactory(meeting=meeting, person=signer)
        staff_client.post(
            approve_url(meeting),
            {
                "approved_at": at.pk if at else "",
                "signed_by": by.pk if by else "",
                "signed_on": on.isoformat() if on else "",
            },
        )
        meeting.refresh_from_db()
        assert meeting.minutes_status == "approved"
        assert (
            meeting.minutes_approved_at,
            meeting.minutes_signed_by,
            meeting.minutes_signed_on,
        ) == (at, by, on)


def test_a_login_without_the_approve_permission_cannot_approve():
    meeting = a_meeting(1, minutes_status="draft")
    client = login("view_meeting", "change_meeting")
    assert client.get(approve_url(meeting)).status_code == 403
    assert client.post(approve_url(meeting), {}).status_code == 403
    assert approve_url(meeting) not in client.get(change_url(meeting)).content.decode()
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "draft"


def test_a_login_with_the_approve_permission_can_approve():
    meeting = a_meeting(1, minutes_status="draft")
    client = login("view_meeting", "change_meeting", "approve_minutes")
    assert approve_url(meeting) in client.get(change_url(meeting)).content.decode()
    assert client.post(approve_url(meeting), {}).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "approved"


def test_the_list_action_leads_to_the_confirmation_for_one_meeting(staff_client):
    meeting = a_meeting(1, minutes_status="draft")
    response = staff_client.post(
        reverse("admin:boards_meeting_changelist"),
        {"action": "approve_minutes", "_selected_action": [meeting.pk]},
    )
    assert response["Location"] == approve_url(meeting)
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "draft"


def test_the_list_action_refuses_several_meetings_at_once(staff_client):
    meetings = [a_meeting(1, minutes_status="draft") for _ in range(2)]
    response = staff_client.post(
        reverse("admin:boards_meeting_changelist"),
        {"action": "approve_minutes", "_selected_action": [m.pk for m in meetings]},
        follow=True,
    )
    assert "Approve one meeting's minutes at a time" in text(response.content.decode())
    assert not Meeting.objects.filter(minutes_status="approved").exists()


def test_approving_minutes_that_are_not_draft_says_so(staff_client):
    meeting = a_meeting(1, minutes_status="none")
    response = staff_client.post(approve_url(meeting), {}, follow=True)
    assert "only draft minutes can be approved" in text(response.content.decode())


# -- reopen ---------------------------------------------------------------------------------------


def test_reopening_asks_the_reason_and_keeps_it_in_the_history():
    meeting = approve(a_meeting(1, minutes_status="draft"))
    client = login("view_meeting", "change_meeting", "reopen_minutes")
    assert reopen_url(meeting) in client.get(change_url(meeting)).content.decode()
    response = client.post(reopen_url(meeting), {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "approved"
    response = client.post(reopen_url(meeting), {"reason": "Item 4 minuted wrongly"})
    assert response["Location"] == change_url(meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_status == "draft"
    assert (
        meeting.history.first().history_change_reason == "Minutes reopened: Item 4 minuted wrongly"
    )


def test_a_login_without_the_reopen_permission_cannot_reopen():
    meeting = approve(a_meeting(1, minutes_status="draft"))
    client = login("view_meeting", "change_meeting", "approve_minutes")
    assert reopen_url(meeting) not in client.get(change_url(meeting)).content.decode()
    assert client.post(reopen_url(meeting), {"reason": "Wrong"}).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "approved"


def test_unknown_meetings_are_not_found(staff_client):
    for url in (
        "/admin/boards/meeting/999999/minutes/",
        "/admin/boards/meeting/99999999999999999999/approve/",
    ):
        assert staff_client.get(url).status_code == 404


def test_plain_save_on_an_agenda_item_goes_back_to_its_meeting(staff_client):
    meeting = a_meeting(1, minutes_status="draft")
    item = meeting.items.get()
    data = form_of(staff_client, change_url(item))
    data["title"] = "Corrected title"
    response = staff_client.post(change_url(item), data)
    assert response["Location"] == change_url(meeting)


def test_an_attendee_without_a_title_gets_their_membership_title(staff_client):
    meeting = a_meeting(1, minutes_status="draft", date=datetime.date(2015, 11, 26))
    chair = MembershipFactory(
        board=meeting.board,
        title="Police and Crime Commissioner",
        start=datetime.date(2012, 11, 22),
    ).person
    former = MembershipFactory(
        board=meeting.board, title="Former member", end=datetime.date(2014, 1, 1)
    ).person
    typed = MembershipFactory(board=meeting.board, title="Chief Constable").person
    data = form_of(staff_client, change_url(meeting))
    for n, (person, title) in enumerate(
        [(chair, ""), (former, ""), (typed, "Acting Chief Constable")]
    ):
        data.update(
            {
                f"attendance-{n}-person": str(person.pk),
                f"attendance-{n}-capacity": "member",
                f"attendance-{n}-title": title,
                f"attendance-{n}-position": str(n),
            }
        )
    data["attendance-TOTAL_FORMS"] = str(max(3, int(data["attendance-TOTAL_FORMS"])))
    response = staff_client.post(change_url(meeting), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert dict(meeting.attendance.values_list("person_id", "title")) == {
        chair.pk: "Police and Crime Commissioner",
        former.pk: "",  # no membership in force that day: not recorded
        typed.pk: "Acting Chief Constable",  # typed: kept
    }
