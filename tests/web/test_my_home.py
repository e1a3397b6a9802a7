"""A signed-in reader's home (/my/): their boards' next meetings with their papers' state, and
what changed on those boards since their last visit, only as far as they may read it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from boards.models import Meeting, Paper, ReaderVisit
from boards.services import approve_minutes
from decisions.services import sign_notice
from minutebook.changes import records_token
from tests.factories import (
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
    minutes_approver,
)
from tests.pages import count_queries, get, text

pytestmark = pytest.mark.django_db

SOON = datetime.date.today() + datetime.timedelta(days=10)


def _visited(user, ago: datetime.timedelta = datetime.timedelta(days=1)) -> None:
    ReaderVisit.objects.create(user=user, seen_at=timezone.now() - ago)


@pytest.fixture
def two_boards():
    """The member's board with a meeting soon (one paper published, one draft, one exempt), and
    another board with a meeting and an exempt paper the member may not read."""
    mine = BoardFactory(name="Business Coordination Board")
    other = BoardFactory(name="Estates Group")
    meeting = MeetingFactory(board=mine, date=SOON, status=Meeting.Status.SCHEDULED)
    meeting.minutes_status = Meeting.MinutesStatus.NONE
    meeting.save()
    PaperFactory(board=mine, meeting=meeting, title="Budget report")
    PaperFactory(board=mine, meeting=meeting, title="Draft estates plan", status="draft")
    other_meeting = MeetingFactory(board=other, date=SOON, status=Meeting.Status.SCHEDULED)
    return {"mine": mine, "other": other, "meeting": meeting, "other_meeting": other_meeting}


def test_the_public_is_asked_to_sign_in(client):
    for url in ("/my/", "/my/changes/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_signing_in_leads_to_the_readers_home(member_user):
    response = Client().post("/accounts/login/", {"username": "member", "password": "password"})
    assert response.status_code == 302 and response["Location"] == "/my/"


def test_a_member_sees_their_boards_next_meetings_with_their_papers_state(member_of, two_boards):
    reader = member_of(two_boards["mine"])
    page = text(get(reader, "/my/"))
    assert "Business Coordination Board" in page
    assert "1 paper published, 1 not yet published" in page
    assert two_boards["meeting"].get_absolute_url() in get(reader, "/my/")
    assert "Estates Group" not in page


def test_the_page_is_private_and_not_stored(member_of, two_boards):
    response = member_of(two_boards["mine"]).get("/my/")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_header_links_a_signed_in_reader_to_their_home(member_of, client, two_boards):
    assert 'href="/my/"' in get(member_of(two_boards["mine"]), "/")
    assert 'href="/my/"' not in get(client, "/")


def test_staff_on_no_board_are_told_so(staff_client):
    page = text(get(staff_client, "/my/"))
    assert "You are not a member of any board" in page
    assert "As OPCC staff you read every record" in page


def test_a_finance_officer_on_no_board_is_not_told_they_read_everything(finance_client):
    page = text(get(finance_client, "/my/"))
    assert "You are not a member of any board" in page
    assert "read every record" not in page


def test_a_member_whose_membership_ended_has_no_boards(member_user, two_boards):
    MembershipFactory(
        board=two_boards["mine"],
        person=member_user.person,
        end=datetime.date.today() - datetime.timedelta(days=1),
    )
    reader = Client()
    reader.force_login(member_user)
    page = text(get(reader, "/my/"))
    assert "You are not a member of any board" in page
    assert "Business Coordination Board" not in page


def test_the_first_visit_says_so_instead_of_listing_everything(member_of, two_boards):
    page = text(get(member_of(two_boards["mine"]), "/my/"))
    assert "This is your first visit" in page
    assert "Budget report" not in page


def test_the_second_visit_lists_only_what_changed_in_between(member_user, member_of, two_boards):
    reader = member_of(two_boards["mine"])
    get(reader, "/my/")  # the first visit
    draft = Paper.objects.get(title="Draft estates plan")
    draft.status = Paper.Status.PUBLISHED
    draft.save()
    page = text(get(reader, "/my/"))
    assert "Since your last visit (" in page
    assert "Paper published Draft estates plan" in page
    assert "Budget report" not in page.split("Since your last visit")[1]
    third = text(get(reader, "/my/"))
    assert "Nothing has changed on your boards since your last visit" in third


def test_a_head_request_or_a_prefetch_does_not_move_the_last_visit(
    member_user, member_of, two_boards
):
    reader = member_of(two_boards["mine"])
    reader.head("/my/")
    reader.get("/my/", headers={"Sec-Purpose": "prefetch"})
    assert not ReaderVisit.objects.filter(user=member_user).exists()
    reader.get("/my/")
    assert ReaderVisit.objects.filter(user=member_user).exists()


def test_changes_on_another_board_and_hidden_papers_are_not_listed(
    member_user, member_of, two_boards
):
    reader = member_of(two_boards["mine"])
    _visited(member_user)
    PaperFactory(
        board=two_boards["other"],
        title="Other board's exempt paper",
        access="exempt",
        exemption_reason="Paragraph 3",
    )
    PaperFactory(board=two_boards["other"], title="Other board's public paper")
    MeetingFactory(board=two_boards["other"], date=SOON + datetime.timedelta(days=30))
    page = text(get(reader, "/my/"))
    assert "Other board's" not in page
    assert "Estates Group" not in page


def test_what_the_member_may_read_on_their_board_is_listed(member_user, member_of, two_boards):
    """The twin: an exempt paper published to their own board, a meeting added and one moved,
    minutes approved and a notice signed, all listed, newest first."""
    reader = member_of(two_boards["mine"])
    _visited(member_user)
    PaperFactory(
        board=two_boards["mine"],
        title="Exempt disposal",
        access="exempt",
        exemption_reason="Paragraph 3",
    )
    added = MeetingFactory(board=two_boards["mine"], date=SOON + datetime.timedelta(days=40))
    moved = two_boards["meeting"]
    moved.date = SOON + datetime.timedelta(days=1)
    moved.save()
    held = MeetingFactory(board=two_boards["mine"], date=datetime.date(2015, 3, 1))
    approve_minutes(meeting=held, by=minutes_approver())
    notice = DecisionNoticeFactory(meeting=held, title="Sale of the old station")
    sign_notice(notice=notice, user=minutes_approver(), signed_on=datetime.date(2015, 3, 2))
    page = text(get(reader, "/my/"))
    changes = page.split("Since your last visit")[1]
    assert "Paper published Exempt disposal" in changes
    assert (
        f"Meeting added Business Coordination Board, {added.date:%d %B %Y}".replace(" 0", " ")
        in changes
    )
    assert "Meeting moved" in changes
    assert "Minutes approved Business Coordination Board, 1 March 2015" in changes
    assert "Decision notice signed Sale of the old station" in changes
    assert changes.index("Decision notice signed") < changes.index("Paper published")


def test_the_list_is_capped_with_a_link_to_all_changes(member_user, member_of, two_boards):
    reader = member_of(two_boards["mine"])
    _visited(member_user)
    for n in range(12):
        PaperFactory(board=two_boards["mine"], title=f"Report {n:02}")
    html = get(reader, "/my/")
    assert "Report 11" in html and "Report 01" not in html
    assert 'href="/my/changes/"' in html
    everything = text(get(reader, "/my/changes/"))
    assert "Report 01" in everything and "Report 11" in everything


def _member_with(boards: int, changes: int) -> Client:
    """A member of ``boards`` boards who visited yesterday, each board with a meeting soon and
    ``changes`` papers published to it since."""
    user = UserFactory(username=f"reader-{boards}-{changes}")
    _visited(user)
    person = PersonFactory(user=user)
    for _ in range(boards):
        board = BoardFactory()
        MembershipFactory(board=board, person=person)
        meeting = MeetingFactory(board=board, date=SOON)
        PaperFactory.create_batch(changes, board=board, meeting=meeting)
    reader = Client()
    reader.force_login(user)
    return reader


def test_the_query_count_does_not_grow_with_boards_or_changes(db):
    # session, user, last visit, memberships, papers published, minutes approved, meetings
    # added or moved, notices signed or published, boards, next meetings with their paper
    # counts, and the visit's upsert (savepoint, select, update, release)
    small = count_queries(_member_with(boards=1, changes=1), "/my/")
    large = count_queries(_member_with(boards=4, changes=5), "/my/")
    assert small == large == 14


def test_a_visit_does_not_drop_the_records_token(member_of, two_boards):
    """The last visit is not a record: moving it leaves every cached public page in place."""
    reader = member_of(two_boards["mine"])
    before = records_token()
    get(reader, "/my/")
    get(reader, "/my/")
    assert records_token() == before


def test_an_edit_of_a_record_without_earlier_history_is_not_taken_for_its_publication(
    member_user, member_of, two_boards
):
    reader = member_of(two_boards["mine"])
    paper = Paper.objects.get(title="Budget report")
    paper.history.all().delete()  # as a record loaded before its history was kept
    _visited(member_user)
    paper.title = "Budget report (corrected)"
    paper.save()
    assert "Paper published" not in text(get(reader, "/my/"))
