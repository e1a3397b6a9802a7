"""Rules the boards models keep whatever screen is used."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from boards.models import Action, AgendaItem, Declaration, Meeting, MinuteParagraph
from boards.services import approve_minutes, reopen_minutes
from minutebook.records import LockedRecordError
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteParagraphFactory,
    PersonFactory,
    minutes_approver,
)

pytestmark = pytest.mark.django_db


def test_a_board_meets_at_most_once_a_day():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(board=meeting.board, date=meeting.date)


def test_two_agenda_items_of_one_meeting_cannot_share_a_printed_number():
    item = AgendaItemFactory(number="4")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(meeting=item.meeting, number="4")


def test_the_admin_form_names_the_clashing_item_number():
    item = AgendaItemFactory(number="4")
    clash = AgendaItem(meeting=item.meeting, number="4", title="Another")
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "already has an item 4" in str(error.value.message_dict["number"])


def test_printed_numbers_may_skip_and_repeat_in_minutes():
    item = AgendaItemFactory(number="13")
    MinuteParagraphFactory(item=item, number="13.2", position=1)
    MinuteParagraphFactory(item=item, number="13.2", position=2)
    assert list(item.paragraphs.values_list("number", flat=True)) == ["13.2", "13.2"]


def test_an_exempt_item_needs_a_reason_in_the_form_and_in_the_database():
    item = AgendaItemFactory.build(meeting=MeetingFactory(), is_exempt=True, exemption_reason="")
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "exemption_reason" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_new_minute_paragraphs_are_numbered_after_their_item():
    item = AgendaItemFactory(number="5")
    first = MinuteParagraph.objects.create(item=item, text="First.")
    second = MinuteParagraph.objects.create(item=item, text="Second.")
    assert (first.number, second.number) == ("5.1", "5.2")
    assert (first.position, second.position) == (1, 2)


def test_a_typed_paragraph_number_is_kept_as_printed():
    item = AgendaItemFactory(number="14.2")
    paragraph = MinuteParagraph.objects.create(item=item, number="(i)", text="Resolved.")
    assert paragraph.number == "(i)"


def test_minute_text_is_rendered_once_on_save_with_html_escaped():
    paragraph = MinuteParagraphFactory(text="Noted <script>alert(1)</script>\n\n- one\n- two")
    assert "<script>" not in paragraph.text_html
    assert "&lt;script&gt;" in paragraph.text_html
    assert "<li>one</li>" in paragraph.text_html


def test_a_membership_cannot_end_before_it_starts():
    membership = MembershipFactory.build(
        board=BoardFactory(),
        person=PersonFactory(),
        start=datetime.date(2016, 1, 1),
        end=datetime.date(2015, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "end" in error.value.message_dict


def test_minutes_are_approved_at_a_later_meeting():
    meeting = MeetingFactory(date=datetime.date(2015, 11, 26))
    earlier = MeetingFactory(board=meeting.board, date=datetime.date(2015, 9, 30))
    meeting.minutes_approved_at = earlier
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "minutes_approved_at" in error.value.message_dict


def test_a_declaration_names_a_person_or_records_none_declared():
    meeting = MeetingFactory()
    with pytest.raises(ValidationError):
        Declaration(meeting=meeting, none_declared=False).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Declaration.objects.create(meeting=meeting, none_declared=False)
    assert str(Declaration.objects.create(meeting=meeting, none_declared=True)) == "None declared"


class TestApprovedMinutesAreLocked:
    @pytest.fixture
    def approved(self):
        meeting = MeetingFactory()
        item = AgendaItemFactory(meeting=meeting, number="1")
        MinuteParagraphFactory(item=item)
        AttendanceFactory(meeting=meeting)
        approve_minutes(meeting=meeting, by=minutes_approver())
        return Meeting.objects.get(pk=meeting.pk)

    def test_a_paragraph_of_approved_minutes_refuses_changes(self, approved):
        paragraph = MinuteParagraph.objects.get(item__meeting=approved)
        paragraph.text = "Rewritten after approval"
        with pytest.raises(LockedRecordError):
            paragraph.save()
        assert MinuteParagraph.objects.get(pk=paragraph.pk).text != "Rewritten after approval"

    def test_no_paragraph_can_be_added_or_deleted(self, approved):
        item = approved.items.get()
        with pytest.raises(LockedRecordError):
            MinuteParagraph.objects.create(item=item, text="Added later")
        with pytest.raises(LockedRecordError):
            item.paragraphs.get().delete()

    def test_items_attendance_and_the_meeting_refuse_changes(self, approved):
        item = approved.items.get()
        item.title = "Changed"
        with pytest.raises(LockedRecordError):
            item.save()
        with pytest.raises(LockedRecordError):
            approved.attendance.get().delete()
        approved.location = "Elsewhere"
        with pytest.raises(LockedRecordError):
            approved.save()

    def test_actions_can_still_be_closed_at_a_later_meeting(self, approved):
        action = ActionFactory(meeting=approved)
        later = MeetingFactory(
            board=approved.board, date=approved.date + datetime.timedelta(days=30)
        )
        action.status = "done"
        action.closed_at = later
        action.save()
        assert action.closed_at == later

    def test_reopening_needs_a_reason_and_keeps_it_in_the_history(self, approved):
        with pytest.raises(ValueError):
            reopen_minutes(meeting=approved, reason=" ")
        reopened = reopen_minutes(meeting=approved, reason="Typo in item 1 minuted at next meeting")
        assert reopened.minutes_status == Meeting.MinutesStatus.DRAFT
        assert reopened.history.first().history_change_reason.endswith(
            "Typo in item 1 minuted at next meeting"
        )
        paragraph = MinuteParagraph.objects.get(item__meeting=reopened)
        paragraph.text = "Corrected"
        paragraph.save()


def test_every_change_to_a_paragraph_is_kept_in_its_history():
    paragraph = MinuteParagraphFactory(text="First draft")
    paragraph.text = "Second draft"
    paragraph.save()
    assert [h.text for h in paragraph.history.order_by("history_date")] == [
        "First draft",
        "Second draft",
    ]


def test_open_actions_carry_forward_to_the_next_meetings_of_the_board():
    first = MeetingFactory(date=datetime.date(2015, 9, 30))
    second = MeetingFactory(board=first.board, date=datetime.date(2015, 11, 26))
    third = MeetingFactory(board=first.board, date=datetime.date(2016, 1, 28))
    still_open = ActionFactory(meeting=first)
    closed_at_second = ActionFactory(meeting=first, status="done", closed_at=second)
    assert set(Action.objects.arising_at(second)) == {still_open, closed_at_second}
    assert set(Action.objects.arising_at(third)) == {still_open}


def test_a_new_action_is_open_and_a_new_meeting_carries_open_actions_forward():
    action = Action.objects.create(meeting=MeetingFactory(), text="Report back")
    assert action.status == Action.Status.OPEN
    assert action.meeting.actions_arising == Meeting.ActionsArising.CARRIED_FORWARD
    assert action.meeting.carries_actions_forward


def test_an_action_whose_status_is_not_recorded_is_not_carried_forward():
    first = MeetingFactory(date=datetime.date(2015, 9, 30))
    second = MeetingFactory(board=first.board, date=datetime.date(2015, 11, 26))
    ActionFactory(meeting=first, status=Action.Status.NOT_RECORDED).full_clean()
    open_action = ActionFactory(meeting=first)
    assert list(Action.objects.arising_at(second)) == [open_action]


def test_a_due_month_is_stored_as_its_first_day_and_shown_as_the_month():
    action = ActionFactory(
        due_date=datetime.date(2016, 5, 17), due_precision=Action.DuePrecision.MONTH
    )
    action.refresh_from_db()
    assert action.due_date == datetime.date(2016, 5, 1)
    assert action.due_as_printed == "May 2016"
    day = ActionFactory(due_date=datetime.date(2016, 5, 17))
    assert day.due_as_printed == "17 May 2016"
    assert ActionFactory().due_as_printed == ""


def test_a_due_month_needs_a_date_in_that_month():
    action = ActionFactory.build(meeting=MeetingFactory(), due_precision=Action.DuePrecision.MONTH)
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert refused.value.message_dict["due_date"] == [
        "Give the month the action is due, as any day in that month."
    ]


def test_a_meeting_is_announced_in_the_minutes_of_an_earlier_meeting():
    earlier = MeetingFactory(date=datetime.date(2015, 11, 26))
    announcement = MinuteParagraphFactory(
        item=AgendaItemFactory(meeting=earlier, number="19"),
        text="The next meeting will be held on 16th December 2015 at 14.30 at Cambourne.",
    )
    later = MeetingFactory(board=earlier.board, date=datetime.date(2015, 12, 16))
    later.announced_in = announcement
    later.full_clean()
    earlier.announced_in = announcement
    with pytest.raises(ValidationError) as refused:
        earlier.full_clean()
    assert refused.value.message_dict["announced_in"] == [
        "The announcement is in the minutes of an earlier meeting."
    ]
