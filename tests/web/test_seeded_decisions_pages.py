"""The seeded decisions as readers see them: a decision whose signing approved public minutes
record is public (title, meeting, reference where printed) while its notice is not; a notice
whose signing no document records says so; a recommendation whose outcome no minutes print
says "Not recorded"; an agreement whose documents state no review term is never overdue."""

import csv
import io

import pytest

from boards.models import Meeting, Paper
from collaboration.models import CollaborationAgreement
from decisions.models import DecisionNotice
from tests.pages import get, parse, table_with_caption, text

pytestmark = pytest.mark.django_db

# Signed notices the approved public minutes (or, for CPCC 2015-025, a published paper) record.
ANNOUNCED = [
    "Funding for Tuserv and Metis Developments",
    "Termination of the lease of Melbourn Police Office",
    "Surrender of the lease of Bretton Police Station",
    "Vehicle Procurement Consortium Collaboration Agreement",
    "Appointment of Alec Wood",
]
NOT_RECORDED = ["Vehicle Workshop", "Yaxley Police Station", "Signing of the Innovation Fund bids"]


def notice(title_start):
    return DecisionNotice.objects.get(title__startswith=title_start)


def register_rows(html):
    table = table_with_caption(parse(html), "Decision notices")
    return {text(row.findall("td")[2]): row for row in table.iter("tr") if row.findall("td")}


def row_for(rows, title_start):
    (row,) = [row for title, row in rows.items() if title.startswith(title_start)]
    return row


def test_the_public_register_lists_decisions_whose_signing_public_minutes_record(seeded, client):
    rows = register_rows(get(client, "/decisions/?per_page=100"))
    for title in ANNOUNCED:
        row = row_for(rows, title)
        assert "The notice itself is not published here." in text(row), title
        # No link to the notice; a link to the minute recording the signing.
        links = [a.get("href") for a in row.iter("a")]
        assert notice(title).get_absolute_url() not in links, title
        assert any("#minute-" in href for href in links), title
        assert text(row.findall("td")[4]) == "not published", title
        get(client, notice(title).get_absolute_url(), 404)
    tuserv = text(row_for(rows, "Funding for Tuserv"))
    assert (
        "Signing recorded in minute 9.2 of the Business Coordination Board, 30 September 2015"
        in tuserv
    )
    fund = row_for(rows, "Cambridgeshire Constabulary’s 2014/15 Cameras")
    assert text(fund.findall("td")[0]) == "CPCC 2015-025"
    assert "Signing recorded in the paper Operation of the Road Casualty" in text(fund)


def test_staff_see_the_full_notice_of_each_decision_the_public_knows_from_the_minutes(
    seeded, staff_client
):
    rows = register_rows(get(staff_client, "/decisions/?per_page=100"))
    for title in ANNOUNCED:
        row = row_for(rows, title)
        assert "not published here" not in text(row), title
        assert notice(title).get_absolute_url() in [a.get("href") for a in row.iter("a")]
    html = get(staff_client, notice("Funding for Tuserv").get_absolute_url())
    assert "phone cradles and in-vehicle chargers" in html
    assert (
        "The notice's own wording is not recorded: the text below is taken from minutes 9.1 "
        "and 9.2 of the Business Coordination Board, 30 September 2015." in text(html)
    )
    signed = text(parse(html).find(".//dl"))
    assert "Signing recorded in minute 9.2 of the Business Coordination Board" in signed


def test_the_public_cannot_find_an_unpublished_notice_by_its_text_and_staff_can(
    seeded, client, staff_client
):
    # "cradles" is in the decision's wording only, not in its title.
    assert "Tuserv" not in get(client, "/decisions/?q=cradles")
    assert "Tuserv" in get(staff_client, "/decisions/?q=cradles")
    assert "Tuserv" in get(client, "/decisions/?q=tuserv")


def test_the_public_csv_names_the_minute_not_the_unpublished_notice(seeded, client, staff_client):
    tuserv = notice("Funding for Tuserv")
    rows = {
        r["title"]: r for r in csv.DictReader(io.StringIO(get(client, "/decisions/export.csv")))
    }
    row = rows[tuserv.title]
    assert row["status"] == "Signed (notice not published)"
    assert row["url"].endswith(f"#minute-{tuserv.signing_minute_id}")
    assert row["decision_maker"] == ""
    staff = {
        r["title"]: r
        for r in csv.DictReader(io.StringIO(get(staff_client, "/decisions/export.csv")))
    }
    assert staff[tuserv.title]["url"].endswith(tuserv.get_absolute_url())
    assert staff[tuserv.title]["decision_maker"] == "Sir Graham Bright"


def test_notices_whose_signing_no_document_records_are_not_public_and_say_so_to_staff(
    seeded, client, staff_client
):
    public = get(client, "/decisions/?per_page=100")
    staff = get(staff_client, "/decisions/?per_page=100")
    for title in NOT_RECORDED:
        assert title not in public
        assert title in staff
        row = row_for(register_rows(staff), title)
        assert "Signing not recorded" in text(row)
        get(client, notice(title).get_absolute_url(), 404)
        html = get(staff_client, notice(title).get_absolute_url())
        assert "has not been signed" not in html
        assert "do not record whether it was signed" in html
    # The home page's latest decisions are decisions taken: none of these.
    home = get(staff_client, "/")
    assert not any(title in home for title in NOT_RECORDED)


def test_the_meeting_page_lists_the_decisions_its_minutes_record_as_signed(seeded, client):
    html = get(
        client, Meeting.objects.get(board__short_name="BCB", date="2015-09-30").get_absolute_url()
    )
    section = text(parse(html).find(".//section[@aria-labelledby='decisions-heading']"))
    assert "No decision notices from this meeting have been published" not in section
    assert "Funding for Tuserv and Metis Developments" in section
    # Signed before the meeting and reported to it (minute 8.3).
    assert "Vehicle Procurement Consortium" in section
    assert "The notice itself is not published here." in section
    # The Finance Sub-Group's minutes record no signing: nothing is known of a decision there.
    fsg = get(client, Meeting.objects.get(board__short_name="FSG").get_absolute_url())
    assert "No decision notices from this meeting have been published" in fsg


def test_a_paper_page_lists_the_decisions_public_minutes_record_as_signed_and_staff_open_them(
    seeded, client, staff_client
):
    """The Melbourn and Bretton paper's two notices are signed (BCB 26 November 2015 minutes)
    but not published: the public learns of them from the paper's page, without a link."""
    paper = Paper.objects.get(title__startswith="Melbourn Police Office")
    html = get(client, paper.get_absolute_url())
    section = text(parse(html).find(".//section[@aria-labelledby='notices-heading']"))
    for title in ("Termination of the lease of Melbourn", "Surrender of the lease of Bretton"):
        assert title in section
        assert f'href="{notice(title).get_absolute_url()}"' not in html
    assert section.count("The notice itself is not published here.") == 2
    html = get(staff_client, paper.get_absolute_url())
    for title in ("Termination of the lease of Melbourn", "Surrender of the lease of Bretton"):
        assert f'href="{notice(title).get_absolute_url()}"' in html
    assert "The notice itself is not published here." not in html


def test_a_paper_page_never_lists_a_notice_whose_signing_no_public_record_states(seeded, client):
    paper = Paper.objects.get(title__startswith="Innovation Fund Bids Review")
    html = get(client, paper.get_absolute_url())
    assert "Signing of the Innovation Fund bids" not in html


def test_recommendations_whose_outcome_no_minutes_print_say_not_recorded(seeded, client):
    lqc = Paper.objects.get(title__startswith="Appointment of Legally Qualified Chairs")
    table = table_with_caption(parse(get(client, lqc.get_absolute_url())), "Recommendations")
    outcomes = [text(row.findall("td")[2]) for row in table.iter("tr") if row.findall("td")]
    assert outcomes and set(outcomes) == {"Not recorded"}
    assert "Pending" not in text(table)


def test_an_agreement_whose_documents_state_no_review_term_is_never_overdue(seeded, client):
    ict = CollaborationAgreement.objects.get(title__contains="Information and Communications")
    assert ict.signed_on is not None and ict.review_term_months is None
    html = get(client, ict.get_absolute_url())
    assert "Review overdue" not in html
    summary = text(parse(html).find(".//dl"))
    assert "Review term not recorded" in summary and "Review due not recorded" in summary
    listing = get(client, "/collaboration/agreements/")
    assert "No agreement is overdue for review." in listing


def test_the_s22a_agreements_of_november_2015_carry_their_printed_annual_review(seeded, client):
    for title in ("Firearms", "Human Resources", "Public Contact"):
        agreement = CollaborationAgreement.objects.get(title__contains=title)
        assert agreement.review_term_months == 12
        summary = text(parse(get(client, agreement.get_absolute_url())).find(".//dl"))
        # Unsigned in the records, so no due date is computed from the term.
        assert "every 12 months (at least annually)" in summary
        assert "Review due not recorded" in summary


def test_collaboration_pages_cite_the_papers_by_title_never_by_seed_file_number(seeded, client):
    jps = Paper.objects.get(title="Bedfordshire, Cambridgeshire and Hertfordshire Collaboration")
    index = parse(get(client, "/collaboration/"))
    cited = {a.get("href") for c in index.iter("cite") for a in c.iter("a")}
    assert jps.get_absolute_url() in cited
    words = text(index)
    assert "Bedfordshire, Cambridgeshire and Hertfordshire Collaboration, paragraph 4.4" in words
    for page in [words] + [
        text(get(client, a.get_absolute_url())) for a in CollaborationAgreement.objects.all()
    ]:
        assert "§" not in page and "(002" not in page and "[[paper" not in page
