"""The admin where OPCC staff enter meetings, agendas, minutes and papers."""

import datetime

import pytest
from django.urls import reverse

from boards.models import Action, AgendaItem, Meeting, MinuteParagraph, Paper
from tests.admin_forms import change_url, form_of
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    approve,
)
from tests.pages import parse, rows

pytestmark = pytest.mark.django_db

MODELS = [
    "organisation",
    "person",
    "board",
    "meeting",
    "agendaitem",
    "minuteparagraph",
    "action",
    "paper",
]


@pytest.mark.parametrize("model", MODELS)
def test_staff_can_open_every_list_and_add_screen(staff_client, model):
    AgendaItemFactory()
    assert staff_client.get(reverse(f"admin:boards_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:boards_{model}_add")).status_code == 200


def test_list_filters_by_board_year_and_status_work(staff_client):
    meeting = MeetingFactory(date=datetime.date(2015, 11, 26))
    url = reverse("admin:boards_meeting_changelist")
    response = staff_client.get(
        url, {"board__id__exact": meeting.board_id, "year": "2015", "minutes_status": "draft"}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert staff_client.get(url, {"year": "2014"}).context["cl"].result_count == 0


def test_the_meeting_screen_holds_attendance_declarations_and_items_inline(staff_client):
    meeting = MeetingFactory()
    html = staff_client.get(
        reverse("admin:boards_meeting_change", args=[meeting.pk])
    ).content.decode()
    for prefix in ["attendance-TOTAL_FORMS", "declarations-TOTAL_FORMS", "items-TOTAL_FORMS"]:
        assert prefix in html
    assert meeting.get_absolute_url() in html  # link to its public page


def inline_management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def meeting_post(board, **extra) -> dict:
    data = {
        "board": board.pk,
        "date": "2016-02-25",
        "start_time": "10:00",
        "location": "Cambourne",
        "status": "held",
        "minutes_status": "draft",
        **inline_management("attendance", 0),
        **inline_management("declarations", 0),
        **inline_management("items", 2),
        "items-0-number": "1",
        "items-0-title": "Welcome and apologies",
        "items-1-number": "2",
        "items-1-title": "Section 22A Collaboration Agreement for ICT",
    }
    data.update(extra)
    return data


def test_staff_create_a_meeting_with_its_agenda_in_one_save(staff_client):
    board = BoardFactory()
    response = staff_client.post(reverse("admin:boards_meeting_add"), meeting_post(board))
    assert response.status_code == 302
    meeting = Meeting.objects.get(board=board)
    assert list(meeting.items.values_list("position", "number", "title")) == [
        (1, "1", "Welcome and apologies"),
        (2, "2", "Section 22A Collaboration Agreement for ICT"),
    ]


def test_an_exempt_item_without_a_reason_is_refused_naming_the_field_and_nothing_is_saved(
    staff_client,
):
    board = BoardFactory()
    response = staff_client.post(
        reverse("admin:boards_meeting_add"), meeting_post(board, **{"items-1-is_exempt": "on"})
    )
    assert response.status_code == 200
    assert "Give the reason this item is exempt." in response.content.decode()
    assert not Meeting.objects.filter(board=board).exists()
    assert not AgendaItem.objects.exists()


def test_a_duplicate_item_number_is_refused_with_a_message(staff_client):
    board = BoardFactory()
    response = staff_client.post(
        reverse("admin:boards_meeting_add"), meeting_post(board, **{"items-1-number": "1"})
    )
    assert response.status_code == 200
    assert not Meeting.objects.filter(board=board).exists()
    assert "Item 1 appears twice on this agenda" in response.content.decode()


def test_a_second_meeting_of_a_board_on_the_same_day_is_refused(staff_client):
    meeting = MeetingFactory(date=datetime.date(2016, 2, 25))
    response = staff_client.post(reverse("admin:boards_meeting_add"), meeting_post(meeting.board))
    assert response.status_code == 200
    assert "Meeting with this Board and Date already exists" in response.content.decode()
    assert Meeting.objects.filter(board=meeting.board).count() == 1


def test_staff_type_minutes_on_the_item_screen_and_new_paragraphs_are_numbered(staff_client):
    item = AgendaItemFactory(number="4", title="Appointment of Chief Constable")
    data = {
        "meeting": item.meeting_id,
        "position": item.position,
        "number": "4",
        "title": item.title,
        "version": item.version,
        **inline_management("paragraphs", 3),
        **inline_management("actions", 0),
        **inline_management("attachments", 0),
        "paragraphs-0-kind": "narrative",
        "paragraphs-0-text": "Dorothy Gregson provided an update.",
        "paragraphs-1-kind": "narrative",
        "paragraphs-1-text": "The Board discussed the process.",
        "paragraphs-2-kind": "resolution",
        "paragraphs-2-text": "The Board noted the appointment.",
    }
    response = staff_client.post(reverse("admin:boards_agendaitem_change", args=[item.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(item.paragraphs.values_list("number", "kind")) == [
        ("4.1", "narrative"),
        ("4.2", "narrative"),
        ("4.3", "resolution"),
    ]


def test_the_item_screen_links_to_the_items_either_side(staff_client):
    meeting = MeetingFactory()
    first, second, third = (AgendaItemFactory(meeting=meeting, number=str(n)) for n in (1, 2, 3))
    html = staff_client.get(
        reverse("admin:boards_agendaitem_change", args=[second.pk])
    ).content.decode()
    assert reverse("admin:boards_agendaitem_change", args=[first.pk]) in html
    assert reverse("admin:boards_agendaitem_change", args=[third.pk]) in html


def test_approved_minutes_are_shown_read_only_and_a_post_changes_nothing(staff_client):
    item = AgendaItemFactory(number="1")
    paragraph = MinuteParagraphFactory(item=item, text="As approved")
    approve(item.meeting)
    url = reverse("admin:boards_agendaitem_change", args=[item.pk])
    html = staff_client.get(url).content.decode()
    assert "paragraphs-0-text" not in html  # no editable field
    staff_client.post(
        url,
        {
            "title": "Changed",
            **inline_management("paragraphs", 0),
            **inline_management("actions", 0),
            **inline_management("attachments", 0),
        },
    )
    assert MinuteParagraph.objects.get(pk=paragraph.pk).text == "As approved"
    assert AgendaItem.objects.get(pk=item.pk).title == item.title
    meeting_html = staff_client.get(
        reverse("admin:boards_meeting_change", args=[item.meeting_id])
    ).content.decode()
    assert "approved and locked" in meeting_html


def test_the_approve_action_locks_draft_minutes_after_its_confirmation(staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("admin:boards_meeting_changelist"),
        {"action": "approve_minutes", "_selected_action": [meeting.pk]},
        follow=True,
    )
    assert "What will be locked" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "draft"
    response = staff_client.post(
        reverse("admin:boards_meeting_approve", args=[meeting.pk]), {}, follow=True
    )
    assert "Approved and locked the minutes of" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "approved"


def test_an_exempt_paper_needs_a_reason(staff_client):
    board = BoardFactory()
    response = staff_client.post(
        reverse("admin:boards_paper_add"),
        {
            "title": "Estates",
            "board": board.pk,
            "status": "published",
            "access": "exempt",
            "exemption_reason": "",
        },
    )
    assert response.status_code == 200
    assert "Give the reason this paper is exempt." in response.content.decode()
    assert not Paper.objects.exists()


def test_paper_autocomplete_finds_papers_by_title(staff_client):
    PaperFactory(title="Innovation Fund Bids Review")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Innovation",
            "app_label": "boards",
            "model_name": "agendaitem",
            "field_name": "paper",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Innovation Fund Bids Review"]


def test_a_form_submitted_after_someone_else_saved_is_refused_and_changes_nothing(staff_client):
    paper = PaperFactory(title="Original title")
    url = reverse("admin:boards_paper_change", args=[paper.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(inline_management("recommendations", 0))
    data.update(inline_management("financial_lines", 0))
    data.update(inline_management("attachments", 0))
    # Someone else saves first.
    other = Paper.objects.get(pk=paper.pk)
    other.title = "Their title"
    other.save()
    data["title"] = "My title"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this record while you were editing it" in response.content.decode()
    assert Paper.objects.get(pk=paper.pk).title == "Their title"
    # Reloaded, the same edit goes through.
    data["version"] = Paper.objects.get(pk=paper.pk).version
    assert staff_client.post(url, data).status_code == 302
    assert Paper.objects.get(pk=paper.pk).title == "My title"


def test_an_action_typed_under_an_item_is_raised_at_its_meeting(staff_client):
    item = AgendaItemFactory(number="7", title="Funding Formula Consultation Update")
    owner = PersonFactory(full_name="Josie Gowler", initials="JG")
    data = {
        "meeting": item.meeting_id,
        "position": item.position,
        "number": "7",
        "title": item.title,
        "version": item.version,
        **inline_management("paragraphs", 0),
        **inline_management("actions", 1),
        **inline_management("attachments", 0),
        "actions-0-text": "JG would share the draft Home Office response",
        "actions-0-owner": owner.pk,
        "actions-0-status": "open",
    }
    response = staff_client.post(reverse("admin:boards_agendaitem_change", args=[item.pk]), data)
    assert response.status_code == 302
    action = item.actions.get()
    assert (action.meeting_id, action.owner) == (item.meeting_id, owner)


def test_the_action_list_shows_a_due_month_as_printed_and_an_unrecorded_due_date_says_so(
    staff_client,
):
    ActionFactory(
        text="Equality and Diversity update paper to Board",
        due_date=datetime.date(2016, 5, 1),
        due_precision=Action.DuePrecision.MONTH,
        status=Action.Status.NOT_RECORDED,
    )
    ActionFactory(text="Circulate the revised budget")
    page = parse(staff_client.get(reverse("admin:boards_action_changelist")).content.decode())
    (table,) = [t for t in page.iter("table") if t.get("id") == "result_list"]
    due = {row[1]: row[4] for row in rows(table)}
    assert due == {
        "Equality and Diversity update paper to Board": "May 2016",
        "Circulate the revised budget": "not recorded",
    }


def test_the_meeting_screen_records_the_chair_and_what_the_minutes_say_of_actions_arising(
    staff_client,
):
    meeting = MeetingFactory()
    chair = PersonFactory(full_name="Sir Graham Bright")
    data = form_of(staff_client, change_url(meeting))
    assert data["actions_arising"] == Meeting.ActionsArising.CARRIED_FORWARD
    data.update(chair=str(chair.pk), actions_arising=Meeting.ActionsArising.NONE_OUTSTANDING)
    assert staff_client.post(change_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.actions_arising) == (chair, "none_outstanding")


# -- concurrent edits through inlines ------------------------------------------------------------


def test_an_item_saved_on_its_own_screen_is_not_overwritten_by_a_stale_meeting_form(
    staff_client,
):
    item = AgendaItemFactory(number="5", title="Estates strategy")
    stale_meeting_form = form_of(staff_client, change_url(item.meeting))
    item_form = form_of(staff_client, change_url(item))
    saved = staff_client.post(change_url(item), {**item_form, "title": "Estates strategy 2016"})
    assert saved.status_code == 302
    row = next(k for k, v in stale_meeting_form.items() if k.endswith("-id") and v == str(item.pk))
    prefix = row.removesuffix("-id")
    response = staff_client.post(
        change_url(item.meeting), {**stale_meeting_form, f"{prefix}-title": "Estates"}
    )
    assert response.status_code == 200
    assert "Someone else saved this row" in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).title == "Estates strategy 2016"


def test_a_fresh_meeting_form_saves_the_item_row(staff_client):
    item = AgendaItemFactory(number="5", title="Estates strategy")
    form = form_of(staff_client, change_url(item.meeting))
    row = next(k for k, v in form.items() if k.endswith("-id") and v == str(item.pk))
    response = staff_client.post(
        change_url(item.meeting), {**form, f"{row.removesuffix('-id')}-title": "Estates"}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).title == "Estates"
