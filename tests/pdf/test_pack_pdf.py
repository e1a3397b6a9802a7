"""The pack: agenda and every paper the reader may see, one bookmark per agenda item."""

import datetime

import pytest
from django.test import Client

from boards.models import Paper
from tests.factories import AgendaItemFactory, BoardFactory, MeetingFactory, PaperFactory, approve

from .conftest import in_order, outline_titles, text

pytestmark = pytest.mark.django_db


def pack_url(meeting) -> str:
    return f"/boards/{meeting.board.slug}/{meeting.date.isoformat()}/pack.pdf"


@pytest.fixture
def meeting():
    """Approved minutes; items with a public paper, an exempt paper, a draft paper, an exempt
    item, and a paper to the meeting that is on no item."""
    board = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))

    def paper(title, body, **kwargs):
        return PaperFactory(board=board, meeting=meeting, title=title, body=body, **kwargs)

    AgendaItemFactory(meeting=meeting, number="1", title="Welcome and apologies")
    AgendaItemFactory(
        meeting=meeting,
        number="2",
        title="Estates",
        paper=paper("Melbourn Police Office", "1.1 Terminate the lease at **Melbourn**."),
    )
    AgendaItemFactory(
        meeting=meeting,
        number="3",
        title="Insurance",
        paper=paper(
            "Insurance renewal terms",
            "1.1 The insurer quoted a confidential premium.",
            access=Paper.Access.EXEMPT,
            exemption_reason="Commercial interests",
        ),
    )
    AgendaItemFactory(
        meeting=meeting,
        number="4",
        title="Budget",
        paper=paper("Budget draft 2016/17", "1.1 Unpublished draft figures.", status="draft"),
    )
    AgendaItemFactory(
        meeting=meeting,
        number="5",
        title="Staffing matter",
        is_exempt=True,
        exemption_reason="Information about an individual",
        exemption_paragraph="1",
    )
    AgendaItemFactory(meeting=meeting, number="6", title="Any other business")
    paper("Forward plan", "1.1 The plan for 2016.")
    approve(meeting)
    return meeting


def test_the_public_pack_leaves_out_exempt_and_draft_papers_and_exempt_items(meeting):
    response = Client().get(pack_url(meeting))
    assert response.status_code == 200
    content = text(response)
    assert in_order(
        content,
        [
            "Agenda",
            "1 Welcome and apologies",
            "2 Estates",
            "3 Insurance",
            "4 Budget",
            # Listed in its place, as on the meeting's page and in the minutes.
            "Item 5 – exempt (paragraph 1 of Schedule 12A)",
            "6 Any other business",
            "2 Estates",
            "Melbourn Police Office",
            "1.1 Terminate the lease at Melbourn.",
            "Forward plan",
        ],
    )
    for hidden in ("Insurance renewal terms", "confidential premium", "Budget draft", "Staffing"):
        assert hidden not in content
    assert outline_titles(response)[:8] == [
        "Agenda",
        "1 Welcome and apologies",
        "2 Estates",
        "3 Insurance",
        "4 Budget",
        "Item 5 – exempt",
        "6 Any other business",
        "Paper: Forward plan",
    ]


def test_the_staff_pack_has_every_item_and_paper_marked_for_what_it_is(staff_client, meeting):
    response = staff_client.get(pack_url(meeting))
    content = text(response)
    assert in_order(
        content,
        [
            "2 Estates",
            "Melbourn Police Office",
            "3 Insurance",
            "EXEMPT: Commercial interests",
            "Insurance renewal terms",
            "1.1 The insurer quoted a confidential premium.",
            "4 Budget",
            "DRAFT: this paper is not published.",
            "Budget draft 2016/17",
            "5 Staffing matter",
            "Exempt: Information about an individual",
            "Forward plan",
        ],
    )
    top_level = [t for t in outline_titles(response) if isinstance(t, str)]
    assert top_level == [
        "Agenda",
        "1 Welcome and apologies",
        "2 Estates",
        "3 Insurance",
        "4 Budget",
        "5 Staffing matter",
        "6 Any other business",
        "Paper: Forward plan",
    ]


def test_a_member_of_the_board_sees_its_exempt_papers_in_the_pack(member_of, meeting):
    content = text(member_of(meeting.board).get(pack_url(meeting)))
    assert "Insurance renewal terms" in content
    assert "5 Staffing matter" in content
    assert "Item 5 – exempt" not in content


def test_the_public_pack_prints_nothing_of_a_withheld_item_but_its_number(meeting):
    content = text(Client().get(pack_url(meeting)))
    assert "Item 5 – exempt" in content
    assert "Information about an individual" not in content


def test_the_pack_of_a_private_board_is_not_found_for_the_public(meeting):
    meeting.board.is_public = False
    meeting.board.save()
    assert Client().get(pack_url(meeting)).status_code == 404


def test_the_pack_of_a_private_board_is_shown_to_staff_and_the_boards_members(
    staff_client, member_of, meeting
):
    meeting.board.is_public = False
    meeting.board.save()
    for client in (staff_client, member_of(meeting.board)):
        response = client.get(pack_url(meeting))
        assert response.status_code == 200
        assert "Insurance renewal terms" in text(response)


def test_a_pack_for_an_unknown_meeting_is_not_found(meeting):
    assert Client().get(f"/boards/{meeting.board.slug}/2015-11-27/pack.pdf").status_code == 404
