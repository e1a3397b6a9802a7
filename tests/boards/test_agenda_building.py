"""Building an agenda faster (issue 10, item 2): copying an earlier meeting's agenda or the
board's standing items, and filling in the attendance from the board's memberships; the
services in ``boards.agenda`` and their confirmation pages in the admin."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from boards import agenda
from boards.models import AgendaItem, Attendance, Membership, StandingItem
from tests.admin_forms import change_url, form_of
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
    approve,
)
from tests.pages import parse

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2015, 10, 29)
NOVEMBER = datetime.date(2015, 11, 26)


@pytest.fixture
def board():
    return BoardFactory(short_name="BCB")


@pytest.fixture
def october(board):
    """An earlier meeting with a three-item agenda: a presenter, a paper, an exempt item."""
    meeting = MeetingFactory(board=board, date=OCTOBER)
    presenter = PersonFactory(full_name="Chief Executive")
    AgendaItemFactory(meeting=meeting, position=1, number="1", title="Apologies")
    AgendaItemFactory(
        meeting=meeting,
        position=2,
        number="2",
        title="Finance report",
        presenter=presenter,
        paper=PaperFactory(board=board, meeting=meeting),
    )
    AgendaItemFactory(
        meeting=meeting,
        position=3,
        number="3",
        title="Estates contract",
        is_exempt=True,
        exemption_reason="Commercially sensitive",
    )
    return meeting


@pytest.fixture
def november(board):
    return MeetingFactory(board=board, date=NOVEMBER, minutes_status="none")


def agenda_of(meeting) -> list[tuple]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("number", "title", "presenter__full_name", "paper", "is_exempt")
    )


def copy_url(meeting) -> str:
    return reverse("admin:boards_meeting_copy_agenda", args=[meeting.pk])


def attendance_url(meeting) -> str:
    return reverse("admin:boards_meeting_fill_attendance", args=[meeting.pk])


# -- copying an earlier meeting's agenda ----------------------------------------------------------


def test_copying_the_previous_agenda_copies_numbers_titles_order_and_presenters_not_papers(
    october, november, staff_user
):
    plan = agenda.copy_agenda(meeting=november, source=october, user=staff_user)

    assert len(plan.add) == 3
    assert plan.source == "BCB 29 October 2015"
    assert agenda_of(november) == [
        ("1", "Apologies", None, None, False),
        ("2", "Finance report", "Chief Executive", None, False),
        ("3", "Estates contract", None, None, True),
    ]


def test_an_exempt_item_stays_exempt_with_its_reason_so_no_hidden_title_goes_public(
    october, november
):
    agenda.copy_agenda(meeting=november, source=october)

    item = AgendaItem.objects.get(meeting=november, number="3")
    assert item.is_exempt and item.exemption_reason == "Commercially sensitive"


def test_copied_items_go_after_the_items_already_on_the_agenda_in_the_source_order(
    october, november
):
    AgendaItemFactory(meeting=november, position=1, number="A", title="Welcome")

    agenda.copy_agenda(meeting=november, source=october)

    titles = list(
        AgendaItem.objects.filter(meeting=november).order_by("position").values_list("title")
    )
    assert titles == [("Welcome",), ("Apologies",), ("Finance report",), ("Estates contract",)]


def test_an_unnumbered_item_is_copied_after_the_numbered_ones_took_their_numbers(board, november):
    # A historic agenda with an unnumbered item first, as printed.
    source = MeetingFactory(board=board, date=OCTOBER)
    AgendaItemFactory(meeting=source, position=2, number="1", title="Apologies")
    welcome = AgendaItemFactory(meeting=source, position=1, number="W", title="Welcome")
    AgendaItem.objects.filter(pk=welcome.pk).update(number="")

    agenda.copy_agenda(meeting=november, source=source)

    assert list(
        AgendaItem.objects.filter(meeting=november).order_by("position").values_list("title")
    ) == [("Welcome",), ("Apologies",)]
    assert AgendaItem.objects.get(meeting=november, title="Apologies").number == "1"


def test_items_whose_number_or_title_is_on_the_agenda_already_are_left_out_not_doubled(
    october, november
):
    AgendaItemFactory(meeting=november, position=1, number="1", title="Chair's welcome")
    AgendaItemFactory(meeting=november, position=2, number="", title="FINANCE REPORT")

    plan = agenda.copy_agenda(meeting=november, source=october)

    assert [item.title for item in plan.add] == ["Estates contract"]
    assert len(plan.skipped) == 2
    assert AgendaItem.objects.filter(meeting=november).count() == 3
    # Copying again adds nothing.
    assert agenda.copy_agenda(meeting=november, source=october).add == ()
    assert AgendaItem.objects.filter(meeting=november).count() == 3


def test_only_an_earlier_meeting_of_the_same_board_can_be_copied(october, november):
    other_board = MeetingFactory(date=datetime.date(2015, 10, 1))
    AgendaItemFactory(meeting=other_board)
    later = MeetingFactory(board=november.board, date=datetime.date(2015, 12, 17))
    AgendaItemFactory(meeting=later)

    for source in (other_board, later, november):
        with pytest.raises(ValueError):
            agenda.copy_agenda(meeting=november, source=source)
    assert not AgendaItem.objects.filter(meeting=november).exists()


def test_the_copy_is_in_each_items_history_with_who_and_where_from(october, november, staff_user):
    agenda.copy_agenda(meeting=november, source=october, user=staff_user)

    entry = AgendaItem.objects.get(meeting=november, number="1").history.get()
    assert entry.history_user == staff_user
    assert entry.history_change_reason == "Copied from the agenda of BCB 29 October 2015"


# -- the board's standing items -------------------------------------------------------------------


def test_the_standing_items_are_copied_in_their_order(board, november):
    chair = PersonFactory(full_name="The Chair")
    StandingItem.objects.create(board=board, position=2, number="2", title="Minutes")
    StandingItem.objects.create(
        board=board, position=1, number="1", title="Apologies", presenter=chair
    )
    StandingItem.objects.create(board=board, number="3", title="Any other business")  # goes last

    plan = agenda.copy_standing_items(meeting=november)

    assert plan.source == "the standing items of BCB"
    assert agenda_of(november) == [
        ("1", "Apologies", "The Chair", None, False),
        ("2", "Minutes", None, None, False),
        ("3", "Any other business", None, None, False),
    ]


def test_standing_items_on_the_agenda_already_are_left_out(board, november):
    StandingItem.objects.create(board=board, number="1", title="Apologies")
    StandingItem.objects.create(board=board, number="2", title="Minutes")
    agenda.copy_standing_items(meeting=november)

    plan = agenda.copy_standing_items(meeting=november)

    assert plan.add == () and len(plan.skipped) == 2
    assert AgendaItem.objects.filter(meeting=november).count() == 2


def test_standing_items_are_entered_inline_on_the_boards_screen(staff_client, board):
    url = change_url(board)
    data = form_of(staff_client, url)
    data.update(
        {
            "standing_items-0-number": "1",
            "standing_items-0-title": "Apologies for absence",
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(board.standing_items.values_list("position", "number", "title")) == [
        (1, "1", "Apologies for absence")
    ]


# -- attendance from the memberships -------------------------------------------------------------


def test_the_attendance_is_filled_in_from_current_memberships_with_their_titles(
    board, november, staff_user
):
    chair = MembershipFactory(
        board=board,
        person=PersonFactory(full_name="Jason Ablewhite"),
        role=Membership.Role.CHAIR,
        title="Police and Crime Commissioner",
        start=datetime.date(2012, 11, 22),
    )
    member = MembershipFactory(
        board=board,
        person=PersonFactory(full_name="Alec Wood"),
        title="Chief Constable",
        start=None,
    )

    plan = agenda.fill_attendance(meeting=november, user=staff_user)

    assert plan.source == "the memberships of BCB on 26 November 2015"
    rows = list(
        Attendance.objects.filter(meeting=november)
        .order_by("position")
        .values_list("person", "title", "capacity")
    )
    assert rows == [
        (chair.person_id, "Police and Crime Commissioner", Attendance.Capacity.MEMBER),
        (member.person_id, "Chief Constable", Attendance.Capacity.MEMBER),
    ]


def test_memberships_ended_before_or_starting_after_the_meeting_are_not_in_its_attendance(
    board, november
):
    MembershipFactory(board=board, end=datetime.date(2015, 11, 25))
    MembershipFactory(board=board, start=datetime.date(2015, 11, 27))
    MembershipFactory(board=board, end=NOVEMBER)  # ends on the day: still sits
    MembershipFactory(person=PersonFactory())  # another board

    plan = agenda.fill_attendance(meeting=november)

    assert len(plan.add) == 1
    assert Attendance.objects.filter(meeting=november).count() == 1


def test_people_in_the_attendance_already_are_left_out_and_nobody_is_added_twice(board, november):
    there = MembershipFactory(board=board)
    AttendanceFactory(
        meeting=november, person=there.person, capacity=Attendance.Capacity.APOLOGIES, position=1
    )
    both = PersonFactory()
    MembershipFactory(board=board, person=both, role=Membership.Role.CHAIR, title="Chair")
    MembershipFactory(board=board, person=both, role=Membership.Role.MEMBER)

    plan = agenda.fill_attendance(meeting=november)

    assert [(row.person_id, row.title, row.position) for row in plan.add] == [(both.pk, "Chair", 2)]
    assert len(plan.skipped) == 1
    # The apologies recorded are kept.
    assert Attendance.objects.get(meeting=november, person=there.person).capacity == "apologies"


# -- approved minutes -----------------------------------------------------------------------------


@pytest.fixture
def approved(board, october):
    """A meeting whose minutes are approved, its board with a standing item and a member."""
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 12, 17))
    StandingItem.objects.create(board=board, number="1", title="Apologies")
    MembershipFactory(board=board)
    return approve(meeting)


def test_approved_minutes_are_refused_by_every_service_with_a_message(approved, october):
    calls = [
        lambda: agenda.copy_agenda(meeting=approved, source=october),
        lambda: agenda.copy_standing_items(meeting=approved),
        lambda: agenda.fill_attendance(meeting=approved),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="approved and locked"):
            call()
    assert not AgendaItem.objects.filter(meeting=approved).exists()
    assert not Attendance.objects.filter(meeting=approved).exists()


@pytest.mark.parametrize("url", [copy_url, attendance_url])
def test_approved_minutes_are_refused_by_the_admin_with_a_message_not_an_error(
    staff_client, approved, url
):
    for method in (staff_client.get, staff_client.post):
        response = method(url(approved), {"source": "standing"}, follow=True)

        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == change_url(approved)
        assert "approved and locked" in response.content.decode()
    assert not AgendaItem.objects.filter(meeting=approved).exists()
    assert not Attendance.objects.filter(meeting=approved).exists()


def test_the_meeting_screen_offers_the_tools_until_the_minutes_are_approved(
    staff_client, november, approved
):
    draft = staff_client.get(change_url(november)).content.decode()
    assert copy_url(november) in draft and attendance_url(november) in draft

    locked = staff_client.get(change_url(approved)).content.decode()
    assert copy_url(approved) not in locked and attendance_url(approved) not in locked


# -- the confirmation pages -----------------------------------------------------------------------


def test_the_copy_page_offers_the_previous_agenda_first_and_changes_nothing(
    staff_client, board, october, november
):
    MeetingFactory(board=board, date=datetime.date(2015, 11, 1))  # no agenda: not offered
    StandingItem.objects.create(board=board, number="1", title="Apologies")

    response = staff_client.get(copy_url(november))

    assert response.status_code == 200
    assert response.context["source"] == str(october.pk)
    assert [item.title for item in response.context["plan"].add] == [
        "Apologies",
        "Finance report",
        "Estates contract",
    ]
    html = response.content.decode()
    assert "BCB 29 October 2015 (3 items)" in html
    assert "The standing items of BCB (1 item)" in html
    assert "BCB 1 November 2015" not in html
    assert not AgendaItem.objects.filter(meeting=november).exists()


def test_choosing_the_standing_items_shows_them_and_still_changes_nothing(
    staff_client, board, october, november
):
    StandingItem.objects.create(board=board, number="9", title="Date of next meeting")

    response = staff_client.get(copy_url(november), {"source": "standing"})

    assert [item.title for item in response.context["plan"].add] == ["Date of next meeting"]
    assert not AgendaItem.objects.filter(meeting=november).exists()


def test_posting_the_copy_page_copies_and_says_what_it_did(staff_client, october, november):
    AgendaItemFactory(meeting=november, position=1, number="1", title="Apologies")

    response = staff_client.post(copy_url(november), {"source": str(october.pk)}, follow=True)

    assert response.redirect_chain == [(change_url(november), 302)]
    assert AgendaItem.objects.filter(meeting=november).count() == 3
    assert (
        "Copied 2 items from BCB 29 October 2015; left out 1 already on the agenda."
        in response.content.decode()
    )


@pytest.mark.parametrize("source", ["abc", "99999999999999999999999", "standing", ""])
def test_a_source_not_offered_is_an_error_on_the_page_not_a_500(
    staff_client, october, november, source
):
    # No standing items: "standing" is not offered either.
    for response in (
        staff_client.get(copy_url(november), {"source": source}),
        staff_client.post(copy_url(november), {"source": source}),
    ):
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode() or source == ""
    assert not AgendaItem.objects.filter(meeting=november).exists()


def test_a_meeting_without_anything_to_copy_says_so(staff_client, november):
    response = staff_client.get(copy_url(november))

    assert response.status_code == 200
    assert "There is nothing to copy" in response.content.decode()


def test_the_attendance_page_shows_who_would_be_added_and_changes_nothing(
    staff_client, board, november
):
    MembershipFactory(
        board=board, person=PersonFactory(full_name="Dorothy Gregson"), title="Chief Executive"
    )

    response = staff_client.get(attendance_url(november))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Dorothy Gregson" in html and "Chief Executive" in html
    assert "“Member present”" in html  # says how they are added, to be corrected
    assert not Attendance.objects.filter(meeting=november).exists()


def test_posting_the_attendance_page_adds_them_and_says_so(staff_client, board, november):
    MembershipFactory(board=board)
    MembershipFactory(board=board)

    response = staff_client.post(attendance_url(november), follow=True)

    assert response.redirect_chain == [(change_url(november), 302)]
    assert Attendance.objects.filter(meeting=november).count() == 2
    assert (
        "Added 2 people from the memberships of BCB on 26 November 2015."
        in response.content.decode()
    )


def test_an_unknown_meeting_is_not_found_not_an_error(staff_client):
    for name in ("copy_agenda", "fill_attendance"):
        for pk in ("424242", "99999999999999999999999"):
            url = reverse(f"admin:boards_meeting_{name}", args=[pk])
            response = staff_client.get(url)
            assert response.status_code == 302  # Django's "does not exist" message and redirect
            assert response.url == reverse("admin:index")


# -- who may build an agenda ----------------------------------------------------------------------


def client_with(*codenames) -> Client:
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="boards", codename__in=codenames)
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", [copy_url, attendance_url])
def test_a_user_who_may_only_view_meetings_is_refused_403(october, november, url):
    client = client_with("view_meeting", "view_board")
    MembershipFactory(board=november.board)

    assert client.get(url(november)).status_code == 403
    assert client.post(url(november), {"source": str(october.pk)}).status_code == 403
    assert not AgendaItem.objects.filter(meeting=november).exists()
    assert not Attendance.objects.filter(meeting=november).exists()
    assert url(november) not in client.get(change_url(november)).content.decode()


@pytest.mark.parametrize("url", [copy_url, attendance_url])
def test_a_user_who_may_change_meetings_may_build_the_agenda(october, november, url):
    client = client_with("view_meeting", "change_meeting")
    MembershipFactory(board=november.board)

    assert client.get(url(november)).status_code == 200
    assert client.post(url(november), {"source": str(october.pk)}).status_code == 302
    assert (
        AgendaItem.objects.filter(meeting=november).exists()
        or Attendance.objects.filter(meeting=november).exists()
    )


def test_the_pages_label_each_input_once(staff_client, board, october, november):
    StandingItem.objects.create(board=board, number="1", title="Apologies")
    root = parse(staff_client.get(copy_url(november)).content.decode())
    labels = [label.get("for") for label in root.iter("label")]
    for element in root.iter("select"):
        assert labels.count(element.get("id")) == 1
