"""The minutes PDF: who may have it, and what it says, on small test meetings."""

import datetime

import pytest
from django.test import Client

from boards.models import Attendance
from boards.services import approve_minutes
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PersonFactory,
    approve,
    minutes_approver,
)

from .conftest import in_order, reader, text

pytestmark = pytest.mark.django_db


def minutes_url(meeting) -> str:
    return f"/boards/{meeting.board.slug}/{meeting.date.isoformat()}/minutes.pdf"


@pytest.fixture
def meeting():
    """A held meeting with draft minutes: attendance, an open item and an exempt item."""
    board = BoardFactory(name="Finance Sub-Group", slug="finance-sub-group", short_name="FSG")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 8, 27))
    chair = PersonFactory(full_name="Josie Gowler")
    AttendanceFactory(meeting=meeting, person=chair, title="Director of Finance", position=1)
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(full_name="Charles Kitchin"),
        name_as_recorded="Charles Kitchen",
        capacity=Attendance.Capacity.IN_ATTENDANCE,
        title="Director of Public Engagement",
        position=2,
    )
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(full_name="Alec Wood"),
        capacity=Attendance.Capacity.APOLOGIES,
        title="Chief Constable",
        position=3,
    )
    budget = AgendaItemFactory(meeting=meeting, number="1", title="Budget monitoring")
    MinuteParagraphFactory(item=budget, text="The sub-group noted the **revenue** position.")
    MinuteParagraphFactory(item=budget, text="Resolved: to report to the Board.", kind="resolution")
    secret = AgendaItemFactory(
        meeting=meeting,
        number="2",
        title="Insurance claim settlement",
        is_exempt=True,
        exemption_reason="Commercially sensitive",
    )
    MinuteParagraphFactory(item=secret, text="The claim was settled for an undisclosed sum.")
    meeting.chair = chair  # the minutes name their chair
    meeting.save()
    return meeting


def test_draft_minutes_are_not_found_for_the_public(meeting):
    assert Client().get(minutes_url(meeting)).status_code == 404


def test_draft_minutes_are_watermarked_draft_for_staff(staff_client, meeting):
    response = staff_client.get(minutes_url(meeting))
    assert response.status_code == 200
    content = text(response)
    assert "DRAFT minutes: not yet approved" in content
    assert reader(response).metadata.title.endswith("(draft)")


def test_draft_minutes_are_shown_to_a_member_of_the_board(member_of, meeting):
    response = member_of(meeting.board).get(minutes_url(meeting))
    assert response.status_code == 200
    assert "DRAFT" in text(response)


def test_a_member_of_another_board_may_not_read_the_draft(member_of, meeting):
    assert member_of(BoardFactory()).get(minutes_url(meeting)).status_code == 404


def test_a_meeting_without_minutes_has_no_minutes_pdf(staff_client):
    meeting = MeetingFactory(minutes_status="none")
    assert staff_client.get(minutes_url(meeting)).status_code == 404


def test_minutes_of_a_private_board_are_not_found_for_the_public(meeting):
    meeting.board.is_public = False
    meeting.board.save()
    approve(meeting)
    assert Client().get(minutes_url(meeting)).status_code == 404


def test_minutes_of_a_private_board_are_shown_to_staff_and_the_boards_members(
    staff_client, member_of, meeting
):
    meeting.board.is_public = False
    meeting.board.save()
    approve(meeting)
    for client in (staff_client, member_of(meeting.board)):
        response = client.get(minutes_url(meeting))
        assert response.status_code == 200
        assert "Minutes" in text(response)


def test_approved_minutes_list_attendance_items_paragraphs_and_the_chair_who_signed(meeting):
    approve_minutes(
        meeting=meeting,
        by=minutes_approver(),
        signed_by=meeting.chair,
        signed_on=datetime.date(2015, 9, 30),
    )
    response = Client().get(minutes_url(meeting))
    assert response.status_code == 200
    content = text(response)
    assert in_order(
        content,
        [
            "Finance Sub-Group · 27 August 2015",
            "Chair Josie Gowler",
            "Member present",
            "Josie Gowler, Director of Finance",
            "In attendance",
            "Charles Kitchen, Director of Public Engagement",
            "Apologies",
            "Alec Wood, Chief Constable",
            "1 Budget monitoring",
            "1.1 The sub-group noted the revenue position.",
            "1.2 Resolved: to report to the Board.",
            "Signed Josie Gowler",
            "Date 30 September 2015",
            "Page 1 of",
        ],
    )
    assert "DRAFT" not in content
    assert "Kitchin" not in content
    assert response["Content-Disposition"] == 'inline; filename="FSG-2015-08-27-minutes.pdf"'


def test_minutes_that_name_no_chair_print_no_chair_only_who_signed(meeting):
    signer = meeting.chair
    meeting.chair = None
    meeting.save()
    approve_minutes(
        meeting=meeting,
        by=minutes_approver(),
        signed_by=signer,
        signed_on=datetime.date(2015, 9, 30),
    )
    content = text(Client().get(minutes_url(meeting)))
    assert "Chair" not in content
    assert "Signed Josie Gowler" in content


def test_exempt_items_are_left_out_of_the_public_minutes_but_shown_to_staff(staff_client, meeting):
    approve(meeting)
    public = text(Client().get(minutes_url(meeting)))
    assert "Budget monitoring" in public
    assert "Insurance claim" not in public
    assert "undisclosed sum" not in public
    # Listed in its place, as on the meeting's page: its number and (not recorded) paragraph.
    assert "2 – exempt (paragraph of Schedule 12A not recorded)" in public

    staff = text(staff_client.get(minutes_url(meeting)))
    assert in_order(staff, ["2 Insurance claim settlement", "Exempt: Commercially sensitive"])
    assert "2.1 The claim was settled for an undisclosed sum." in staff
