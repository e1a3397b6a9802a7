"""A decision notice's page (/decisions/<pk>/): its meeting, papers and recommendations, and the
money it commits."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from boards.models import Paper
from decisions.services import publish_notice, sign_notice
from tests.factories import (
    EARLY_MEETING,
    AgendaItemFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    RecommendationFactory,
    approve,
)
from tests.pages import get, text
from tests.web.money import Kind, line, money_totals, publish

pytestmark = pytest.mark.django_db


def test_a_notice_links_to_its_meeting_papers_and_recommendations(client, register):
    html = get(client, register["published"].get_absolute_url())
    assert "/boards/bcb/2015-11-26/" in html
    assert register["paper"].get_absolute_url() in html
    assert "Approve the 12-month extension." in html and "Approved" in html


def test_the_notice_page_shows_the_money_it_commits_and_its_recommendations_money(
    client, signatory
):
    meeting = MeetingFactory(date=EARLY_MEETING)
    notice = DecisionNoticeFactory(meeting=meeting, title="ICT contract")
    paper = PaperFactory(board=meeting.board, meeting=meeting)
    recommendation = RecommendationFactory(paper=paper, decision_notice=notice)
    line("1200000", year="2016/17", decision_notice=notice)
    line("40000", Kind.GRANT, "2016/17", decision_notice=notice)
    line("5000", year="2016/17", recommendation=recommendation)
    publish(notice, signatory)
    html = get(client, notice.get_absolute_url())
    assert money_totals(html, "Money this decision commits") == {
        "Cost": (Decimal("1205000.00"), "(2 lines)"),
        "Grant": (Decimal("40000.00"), "(1 line)"),
    }


@pytest.mark.parametrize("first", ["public", "staff"])
def test_the_public_and_staff_never_share_a_notices_cached_money(
    client, staff_client, signatory, first
):
    """A recommendation of a draft paper led to the notice: its line is the staff's, not the
    public's, whichever reader asks first while the money section is in the cache; a line
    paper published after shows its line to the public at once."""
    meeting = MeetingFactory(date=EARLY_MEETING)
    notice = DecisionNoticeFactory(meeting=meeting, title="ICT contract")
    draft = PaperFactory(board=meeting.board, meeting=meeting, status="draft")
    recommendation = RecommendationFactory(paper=draft, decision_notice=notice)
    line("1200000", year="2016/17", decision_notice=notice)
    line("5000", year="2016/17", recommendation=recommendation)
    publish(notice, signatory)
    expected = {
        "public": (client, (Decimal("1200000.00"), "(1 line)")),
        "staff": (staff_client, (Decimal("1205000.00"), "(2 lines)")),
    }
    order = [first, *(name for name in expected if name != first)]
    for name in [*order, *order]:
        reader, cost = expected[name]
        html = get(reader, notice.get_absolute_url())
        assert money_totals(html, "Money this decision commits")["Cost"] == cost, name
    Paper.objects.filter(pk=draft.pk).update(status=Paper.Status.PUBLISHED)
    assert money_totals(get(client, notice.get_absolute_url()), "Money this decision commits")[
        "Cost"
    ] == (Decimal("1205000.00"), "(2 lines)")


def test_a_notice_taken_outside_a_meeting_says_so(client, signatory):
    notice = DecisionNoticeFactory(
        title="Urgent decision", meeting=None, taken_outside_meeting=True
    )
    publish(notice, signatory)
    page = text(get(client, notice.get_absolute_url()))
    assert "Taken at Outside a meeting" in page


# -- signing as the records say (issue 11) ------------------------------------------------------


def test_a_historic_notice_whose_signing_is_not_recorded_says_so_and_never_draft(
    client, staff_client, db
):
    notice = DecisionNoticeFactory(
        title="Vehicle Workshop", status="not_recorded", decision="", reasons=""
    )
    get(client, notice.get_absolute_url(), 404)
    html = get(staff_client, notice.get_absolute_url())
    words = text(html)
    assert "Signing not recorded The documents name this decision notice" in words
    assert "Signed not recorded" in words
    assert "has not been signed" not in html and "Draft" not in words
    response = staff_client.get(f"/decisions/{notice.pk}.pdf")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "SIGNING NOT RECORDED" in pdf and "DRAFT" not in pdf


def test_a_signed_notice_links_the_minute_that_records_its_signing(client, signatory):
    meeting = MeetingFactory(date=EARLY_MEETING)
    item = AgendaItemFactory(meeting=meeting, number="4", title="Restorative justice")
    minute = MinuteParagraphFactory(
        item=item,
        number="4.4",
        text="The Board agreed and the Commissioner signed the Decision Notice.",
    )
    notice = DecisionNoticeFactory(title="RJ extension", meeting=meeting, signing_minute=minute)
    sign_notice(notice=notice, user=signatory, signed_on=EARLY_MEETING)
    publish_notice(notice=notice, user=signatory)
    approve(meeting)
    words = text(get(client, notice.get_absolute_url()))
    assert (
        f"Signed 1 December 2014 Signing recorded in minute 4.4 of the {meeting.board.name}"
        in words
    )


def historic_correction(original, reference: str):
    """A correction of ``original`` entered as published (a historic record), not through the
    service that would withdraw, and so publish, the original."""
    return DecisionNoticeFactory(
        title="Lease, corrected",
        supersedes=original,
        status="published",
        reference=reference,
        signed_on=EARLY_MEETING,
        published_on=EARLY_MEETING,
    )


def test_a_correction_names_the_notice_it_supersedes_only_to_readers_who_may_see_it(
    client, staff_client, signatory
):
    """Signing a correction withdraws (and so publishes) its original. A historic correction
    entered published over an original the public may not read says only that it corrects one;
    staff read which, with its link."""
    original = sign_notice(
        notice=DecisionNoticeFactory(title="Lease of the Melbourn office"),
        user=signatory,
        signed_on=EARLY_MEETING,
    )
    correction = historic_correction(original, "CPCC 2014-099")
    assert original.status == "signed"  # not published: the public may not read it
    page = text(get(client, correction.get_absolute_url()))
    assert "Supersedes a notice that is not published" in page
    assert original.reference not in page
    pdf = client.get(f"/decisions/{correction.pk}.pdf")
    content = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "a notice that is not published" in content and original.reference not in content
    staff = get(staff_client, correction.get_absolute_url())
    assert original.get_absolute_url() in staff and f"Supersedes {original}" in text(staff)


def test_a_correction_names_an_original_the_public_knows_of_from_the_minutes_unlinked(
    client, signatory
):
    """Public minutes that record the original's signing make its existence public, as in the
    register: the correction names it, "(not published)", without a link to open it."""
    meeting = MeetingFactory(date=EARLY_MEETING)
    minute = MinuteParagraphFactory(
        item=AgendaItemFactory(meeting=meeting, number="4"),
        number="4.4",
        text="The Commissioner signed the Decision Notice.",
    )
    original = sign_notice(
        notice=DecisionNoticeFactory(title="Lease", meeting=meeting, signing_minute=minute),
        user=signatory,
        signed_on=EARLY_MEETING,
    )
    approve(meeting)
    correction = historic_correction(original, "CPCC 2014-098")
    html = get(client, correction.get_absolute_url())
    assert f"Supersedes {original} (not published)" in text(html)
    assert original.get_absolute_url() not in html
