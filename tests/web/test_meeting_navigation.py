"""Finding one's way round a meeting's page: the contents list and its links, each agenda
item's stable anchor (``#item-6``), "Back to contents", every link from another record landing
on the item concerned, and exempt items listed by number and paragraph of Schedule 12A to a
reader who may not open them ("Sign in to view" when not signed in)."""

import datetime

import pytest

from decisions.services import publish_notice, sign_notice
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    RecommendationFactory,
    approve,
)
from tests.pages import get, parse, table_with_caption, text

pytestmark = pytest.mark.django_db

MEETING = "/boards/bcb/2015-11-26/"


def contents_links(html: str) -> list[tuple[str, str]]:
    """The contents list's agenda entries: (the words of the link, its href)."""
    nav = parse(html).find(".//nav[@id='contents']")
    assert nav is not None, "the page has no contents"
    return [(text(a), a.get("href")) for a in nav.find("ol").iter("a")]


def element_by_id(html: str, anchor: str):
    return next((e for e in parse(html).iter() if e.get("id") == anchor), None)


def test_the_contents_list_links_to_each_agenda_item_by_its_printed_number(client, records):
    html = get(client, MEETING)
    assert contents_links(html) == [
        ("6 Restorative Justice", "#item-6"),
        ("Item 7 – exempt (paragraph of Schedule 12A not recorded)", "#item-7"),
    ]
    item = element_by_id(html, "item-6")
    assert item is not None and "The Board approved the extension." in text(item)


def test_each_agenda_item_links_back_to_the_contents(client, records):
    html = get(client, MEETING)
    for anchor in ("item-6", "item-7"):
        back = [a for a in element_by_id(html, anchor).iter("a") if text(a) == "Back to contents"]
        assert [a.get("href") for a in back] == ["#contents"]
    assert element_by_id(html, "contents") is not None


def test_an_item_printed_without_a_number_or_with_one_no_address_holds_gets_a_fallback_anchor(
    client, db
):
    meeting = MeetingFactory(board=BoardFactory(slug="bcb"), date=datetime.date(2015, 11, 26))
    odd = AgendaItemFactory(meeting=meeting, number="4 (a)", title="Estates update")
    # Not numbered automatically: the agenda is not numbered 1, 2, 3.
    unnumbered = AgendaItemFactory(meeting=meeting, number="", title="Any other business")
    plain = AgendaItemFactory(meeting=meeting, number="14.2", title="Date of next meeting")
    html = get(client, MEETING)
    assert contents_links(html) == [
        ("4 (a) Estates update", f"#agenda-item-{odd.pk}"),
        ("Any other business", f"#agenda-item-{unnumbered.pk}"),
        ("14.2 Date of next meeting", "#item-14.2"),
    ]
    for _, href in contents_links(html):
        assert element_by_id(html, href[1:]) is not None
    assert plain.get_absolute_url() == f"{MEETING}#item-14.2"


def test_a_papers_considered_at_link_lands_on_the_item_that_took_it(client, records):
    html = get(client, records["public_paper"].get_absolute_url())
    assert f'href="{MEETING}#item-6"' in html


def test_the_action_logs_raised_at_link_lands_on_the_item_the_action_was_raised_under(
    client, records
):
    html = get(client, "/actions/")
    assert f'href="{MEETING}#item-6"' in html


def test_an_action_raised_under_no_item_lands_on_its_own_row(client, db):
    meeting = MeetingFactory(board=BoardFactory(slug="bcb"), date=datetime.date(2015, 11, 26))
    action = ActionFactory(meeting=meeting, text="Circulate the terms of reference")
    approve(meeting)
    assert action.get_absolute_url() == f"{MEETING}#action-{action.pk}"
    assert element_by_id(get(client, MEETING), f"action-{action.pk}") is not None


@pytest.fixture
def decided(signatory):
    """A paper taken at item 5 of 26 November 2015, whose recommendation was decided there and
    followed by a published notice taken at that meeting; the paper went to a later meeting
    too (item 3), which decided nothing."""
    board = BoardFactory(slug="bcb", name="Business Coordination Board")
    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    later = MeetingFactory(board=board, date=datetime.date(2016, 1, 28))
    paper = PaperFactory(board=board, meeting=meeting, title="Restorative Justice Provision")
    AgendaItemFactory(meeting=meeting, number="4", title="Minutes of the last meeting")
    AgendaItemFactory(meeting=meeting, number="5", title="Restorative Justice", paper=paper)
    AgendaItemFactory(meeting=later, number="3", title="Matters arising", paper=paper)
    notice = DecisionNoticeFactory(title="Restorative Justice extension", meeting=meeting)
    notice.papers.add(paper)
    RecommendationFactory(
        paper=paper, outcome="approved", decided_at=meeting, decision_notice=notice
    )
    sign_notice(notice=notice, user=signatory, signed_on=meeting.date)
    publish_notice(notice=notice, user=signatory, published_on=meeting.date)
    approve(meeting)
    approve(later)
    return {"notice": notice, "paper": paper, "later": later}


def test_a_notices_taken_at_link_lands_on_the_item_that_took_its_paper(client, decided):
    html = get(client, decided["notice"].get_absolute_url())
    assert f'href="{MEETING}#item-5"' in html


def test_a_recommendations_outcome_links_to_the_item_that_decided_it(client, decided):
    html = get(client, decided["paper"].get_absolute_url())
    table = table_with_caption(html, "Recommendations of this paper")
    assert [a.get("href") for a in table.iter("a")][0] == f"{MEETING}#item-5"


def test_a_notice_whose_meeting_took_none_of_its_papers_links_to_the_meeting(client, signatory):
    meeting = MeetingFactory(board=BoardFactory(slug="bcb"), date=datetime.date(2015, 11, 26))
    AgendaItemFactory(meeting=meeting, number="1", title="Apologies")
    notice = DecisionNoticeFactory(meeting=meeting)
    sign_notice(notice=notice, user=signatory, signed_on=meeting.date)
    publish_notice(notice=notice, user=signatory, published_on=meeting.date)
    html = get(client, notice.get_absolute_url())
    assert f'href="{MEETING}"' in html and "#item-" not in html


# -- exempt items ------------------------------------------------------------------------------


@pytest.fixture
def exempt(records):
    """A later meeting of the records' board with an exempt item whose paragraph is recorded."""
    board = records["board"]
    held = MeetingFactory(board=board, date=datetime.date(2016, 3, 3))
    AgendaItemFactory(meeting=held, number="3", title="Budget monitoring")
    AgendaItemFactory(
        meeting=held,
        number="4",
        title="Disposal of the Bretton site",
        is_exempt=True,
        exemption_reason="Commercial negotiations",
        exemption_paragraph="3",
    )
    approve(held)
    return {"held": held, "board": board}


def test_the_public_sees_an_exempt_item_listed_by_number_and_paragraph_and_nothing_else(
    client, exempt
):
    html = get(client, exempt["held"].get_absolute_url())
    assert "Item 4 – exempt (paragraph 3 of Schedule 12A)" in text(html)
    assert "Disposal of the Bretton site" not in html
    assert "Commercial negotiations" not in html
    item = element_by_id(html, "item-4")
    sign_in = [a for a in item.iter("a") if text(a) == "Sign in to view"]
    assert len(sign_in) == 1 and sign_in[0].get("href").startswith("/accounts/login/?next=")


def test_a_signed_in_reader_not_on_the_board_sees_the_listing_without_the_item(member_of, exempt):
    reader = member_of(BoardFactory(slug="other"))
    html = get(reader, exempt["held"].get_absolute_url())
    assert "Item 4 – exempt (paragraph 3 of Schedule 12A)" in text(html)
    assert "Disposal of the Bretton site" not in html
    assert "Sign in to view" not in html


def test_the_boards_members_and_staff_see_the_exempt_item_itself(staff_client, member_of, exempt):
    for reader in (staff_client, member_of(exempt["board"])):
        html = get(reader, exempt["held"].get_absolute_url())
        assert contents_links(html)[1] == ("4 Disposal of the Bretton site Exempt", "#item-4")
        assert "Commercial negotiations (paragraph 3 of Schedule 12A)" in text(html)
        assert "Item 4 – exempt" not in text(html)


def test_an_exempt_papers_address_asks_the_public_to_sign_in(client, records):
    for url in (
        records["exempt_paper"].get_absolute_url(),
        f"/papers/{records['exempt_paper'].pk}.pdf",
    ):
        html = get(client, url, status=403)
        assert "Sign in to view" in text(html)
        assert "Estates disposal" not in html


def test_an_exempt_papers_address_is_not_found_for_a_signed_in_reader_not_entitled(
    member_of, records
):
    reader = member_of(BoardFactory(slug="other"))
    get(reader, records["exempt_paper"].get_absolute_url(), status=404)


def test_the_boards_members_open_the_exempt_paper(member_of, records):
    html = get(member_of(records["board"]), records["exempt_paper"].get_absolute_url())
    assert "Estates disposal" in html


def test_a_draft_or_private_boards_exempt_paper_is_not_found_rather_than_announced(client, db):
    draft = PaperFactory(status="draft", access="exempt", exemption_reason="Commercial")
    private = PaperFactory(
        board=BoardFactory(is_public=False), access="exempt", exemption_reason="Commercial"
    )
    for paper in (draft, private):
        html = get(client, paper.get_absolute_url(), status=404)
        assert "Sign in to view" not in html
