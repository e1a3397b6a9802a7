"""The seed recommendations and decision notices carry over the OPCC documents exactly.

Recommendations are those the nine papers print, numbered and worded as printed; outcomes only
where the minutes of the Business Coordination Board of 26 November 2015 record them. Decision
notices are those the seeds say were signed or asked to be signed; the only printed reference is
CPCC 2015-025, so every other notice shows its reference as not recorded.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from boards.models import Meeting, Paper, Person
from decisions.models import DecisionNotice, Recommendation
from decisions.services import draft_correction, sign_notice
from minutebook.records import LockedRecordError
from tests.factories import DecisionNoticeFactory, RecommendationFactory

NOV_26 = datetime.date(2015, 11, 26)


@pytest.fixture
def seeded(db):
    call_command("seed", stdout=io.StringIO(), stderr=io.StringIO())


def paper(title_start):
    return Paper.objects.get(title__startswith=title_start)


def bcb(iso_date):
    return Meeting.objects.get(board__short_name="BCB", date=datetime.date.fromisoformat(iso_date))


def notice(title_start):
    return DecisionNotice.objects.get(title__startswith=title_start)


def recommendations(title_start):
    return list(paper(title_start).recommendations.order_by("position"))


# --------------------------------------------------------------------------- recommendations


PRINTED_NUMBERS = {
    "Melbourn Police Office and Bretton Police Station": ["2.1", "2.2", "5.1", "5.2"],
    # 2.1 and 6.1 each hold three bulleted recommendations: one record per bullet.
    "Restorative Justice Provision in Cambridgeshire": ["2.1"] * 3 + ["6.1"] * 3,
    "Section 22A Collaboration Agreements for:": [
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "9.1",
        "9.2",
        "9.3",
        "9.4",
        "9.5",
    ],
    "Operation of the Road Casualty Reduction and Support Fund": ["2.1", "9.1"],
    "Appointment of Legally Qualified Chairs": ["2.1"] * 3 + ["2.2"] + ["7.1"] * 3 + ["7.2"],
    "Innovation Fund Bids Review": ["2.1", "2.2", "9.1", "9.2"],
    "Section 22A Collaboration Agreement for Information": ["2.1", "2.2", "5.1", "5.2"],
    "Monitoring the Delivery of the Police and Crime Commissioner": ["2.1"],
    "Bedfordshire, Cambridgeshire and Hertfordshire Collaboration": ["2.1", "11.1"],
}


def test_each_paper_lists_its_recommendation_numbers_in_printed_order(seeded):
    assert Paper.objects.count() == len(PRINTED_NUMBERS)
    for title, numbers in PRINTED_NUMBERS.items():
        recs = recommendations(title)
        assert [r.number for r in recs] == numbers, title
        assert [r.position for r in recs] == list(range(1, len(numbers) + 1)), title


def test_every_recommendation_is_worded_exactly_as_its_paper_prints_it(seeded):
    for rec in Recommendation.objects.select_related("paper"):
        body = rec.paper.body
        assert f"{rec.number} {rec.text}" in body or f"- {rec.text}" in body, (rec.pk, rec.text)


def test_printed_slips_in_recommendations_are_kept(seeded):
    melbourn = recommendations("Melbourn Police Office")
    assert melbourn[1].text.endswith(
        "Peterborough City Council and the Police and the Commissioner signs the Decision Notice."
    )
    ict = recommendations("Section 22A Collaboration Agreement for Information")
    assert "signed by the six corporation’s sole at the" in ict[2].text
    assert ict[3].text == (
        "A Decision making notice is signed by the Police and Crime Commissioner (“the Commissioner”)"
    )


def test_the_restorative_justice_extension_was_approved_on_26_nov_2015_and_its_notice_signed(
    seeded,
):
    recs = recommendations("Restorative Justice Provision")
    extension = [r for r in recs if r.text.startswith("Approve the 12-month extension")]
    assert [r.number for r in extension] == ["2.1", "6.1"]
    rj = notice("12-month extension of the delivery partnership")
    for rec in extension:
        assert rec.outcome == Recommendation.Outcome.APPROVED
        assert rec.decided_at == bcb("2015-11-26")
        assert rec.outcome_note == "Minute 4.4"
        assert rec.decision_notice == rj
    assert rj.status == DecisionNotice.Status.SIGNED and rj.signed_on == NOV_26
    assert rj.meeting == bcb("2015-11-26")
    assert list(rj.papers.all()) == [paper("Restorative Justice Provision")]
    assert rj.decision_maker == Person.objects.get(full_name="Sir Graham Bright")
    assert rj.decision_maker_title == "Cambridgeshire Police and Crime Commissioner"
    assert rj.background.startswith("3.1 Restorative Justice (RJ) is a process which")


def test_the_minutes_do_not_record_the_other_restorative_justice_points_so_they_are_not_recorded(
    seeded,
):
    others = [
        r
        for r in recommendations("Restorative Justice Provision")
        if not r.text.startswith("Approve the 12-month extension")
    ]
    # As printed: 2.1 ends its first point with a full stop, 6.1 does not.
    assert [r.text[:30] for r in others] == [
        "Note the contents of the paper",
        "Approve the proposed direction",
        "Note the contents of the paper",
        "Approve the proposed direction",
    ]
    assert [others[0].text, others[2].text] == [
        "Note the contents of the paper.",
        "Note the contents of the paper",
    ]
    assert {(r.outcome, r.decided_at_id, r.decision_notice_id) for r in others} == {
        ("not_recorded", None, None)
    }


def test_melbourn_and_bretton_each_have_a_notice_signed_at_the_26_nov_2015_board(seeded):
    melbourn = notice("Termination of the lease of Melbourn Police Office")
    bretton = notice("Surrender of the lease of Bretton Police Station")
    lease_paper = paper("Melbourn Police Office and Bretton Police Station")
    for n in (melbourn, bretton):
        assert n.status == DecisionNotice.Status.SIGNED and n.signed_on == NOV_26
        assert n.meeting == bcb("2015-11-26") and list(n.papers.all()) == [lease_paper]
        assert n.reference is None
    recs = {r.number: r for r in recommendations("Melbourn Police Office")}
    assert {recs["2.1"].decision_notice, recs["5.1"].decision_notice} == {melbourn}
    assert {recs["2.2"].decision_notice, recs["5.2"].decision_notice} == {bretton}
    assert {(r.outcome, r.outcome_note) for r in recs.values()} == {("approved", "Minute 14.3")}
    assert melbourn.background.startswith("3.1 Melbourn Police Office is held")
    assert "Bretton" not in melbourn.background
    assert bretton.background.startswith("3.5 Bretton Police station is held")
    assert bretton.background.endswith("approximately £12,000.")


def test_the_road_casualty_fund_notice_carries_the_printed_reference_cpcc_2015_025(seeded):
    road_paper = paper("Operation of the Road Casualty Reduction and Support Fund")
    (fund,) = road_paper.decision_notices.all()
    assert (fund.reference, fund.reference_year, fund.reference_number) == (
        "CPCC 2015-025",
        2015,
        25,
    )
    assert fund.status == DecisionNotice.Status.SIGNED
    # Approved by the Board in August 2015, a meeting with no record in the seeds.
    assert fund.meeting is None and fund.signed_on is None
    assert fund.forum == "Business Coordination Board, 27 August 2015"
    assert fund.decision.endswith("signed decision notice CPCC 2015-025.")
    # The 26 Nov 2015 Board only noted the report on the Fund's future operation.
    for rec in road_paper.recommendations.all():
        assert (rec.outcome, rec.decided_at, rec.outcome_note) == (
            "noted",
            bcb("2015-11-26"),
            "Minute 12.5",
        )
        assert rec.decision_notice is None


def test_the_section_22a_agreements_were_approved_for_signing_but_no_signing_is_recorded(seeded):
    s22a = notice("Signing of the Section 22A Collaboration Agreements")
    # Minute 9.6 gives approval to sign, subject to the Alliance meeting: whether the
    # Commissioner then signed is not recorded (never "draft, not signed").
    assert s22a.status == DecisionNotice.Status.NOT_RECORDED and s22a.signed_on is None
    assert s22a.meeting == bcb("2015-11-26")
    recs = {r.number: r for r in recommendations("Section 22A Collaboration Agreements for:")}
    for number in ("2.1", "2.2", "2.3", "2.4", "9.1", "9.2", "9.3", "9.4"):
        assert recs[number].outcome == "approved" and recs[number].decision_notice == s22a
    for number in ("2.5", "9.5"):
        assert recs[number].outcome == "noted" and recs[number].decision_notice is None
    assert {r.outcome_note for r in recs.values()} == {"Minute 9.6"}


def test_outcomes_are_not_recorded_where_no_minutes_record_them(seeded):
    # No document says a recommendation is "pending": none is.
    assert not Recommendation.objects.filter(outcome="pending").exists()
    decided = Recommendation.objects.exclude(outcome="not_recorded")
    assert set(decided.values_list("decided_at__date", flat=True)) == {NOV_26}
    for title in (
        "Appointment of Legally Qualified Chairs",
        "Innovation Fund Bids Review",
        "Section 22A Collaboration Agreement for Information",
        "Monitoring the Delivery of the Police and Crime Commissioner",
        "Bedfordshire, Cambridgeshire and Hertfordshire Collaboration",
    ):
        for rec in recommendations(title):
            assert (rec.outcome, rec.decided_at, rec.outcome_note) == ("not_recorded", None, ""), (
                title
            )
    assert not Recommendation.objects.filter(
        outcome="not_recorded", decided_at__isnull=False
    ).exists()


def test_notices_asked_for_in_papers_without_minutes_carry_signing_not_recorded(seeded):
    expected = {
        "Appointment of 17 Legally Qualified Chairs": "2015-12-16",
        "Signing of the Innovation Fund bids": "2015-12-16",
        "Section 22A Collaboration Agreement for Information": "2016-02-25",
    }
    for title, iso in expected.items():
        n = notice(title)
        assert n.status == DecisionNotice.Status.NOT_RECORDED and n.signed_on is None, title
        assert n.meeting == bcb(iso), title
        assert n.decision_maker_title == "Police and Crime Commissioner"
        assert n.recommendations.exists(), title


# --------------------------------------------------------------------------- notices


def test_the_seeds_name_fifteen_notices_and_forty_one_recommendations(seeded):
    assert DecisionNotice.objects.count() == 15
    assert Recommendation.objects.count() == 41
    statuses = list(DecisionNotice.objects.values_list("status", flat=True))
    assert {s: statuses.count(s) for s in set(statuses)} == {"not_recorded": 7, "signed": 8}


def test_only_the_printed_reference_is_recorded(seeded):
    assert list(
        DecisionNotice.objects.exclude(reference=None).values_list(
            "reference", "reference_year", "reference_number"
        )
    ) == [("CPCC 2015-025", 2015, 25)]
    assert not DecisionNotice.objects.filter(reference=None, reference_number__isnull=False)


def test_nothing_unprinted_is_filled_in(seeded):
    for n in DecisionNotice.objects.all():
        assert n.published_on is None and n.significant_public_interest is None, n.title
        assert n.financial_implications == n.legal_implications == n.other_implications == ""
        assert n.reasons == n.consultation == n.contact_officer == n.background_papers == ""
        if n.decision_maker_id:
            assert n.decision_maker.full_name == "Sir Graham Bright"
    # Who signs the estates notices named in the Finance Sub-Group minutes is not printed.
    for title in ("Vehicle Workshop", "Yaxley Police Station"):
        n = DecisionNotice.objects.get(title=title)
        assert n.decision_maker is None and n.decision == "" and n.status == "not_recorded"


def test_signed_on_is_a_meeting_date_only_where_the_minutes_record_the_signing_there(seeded):
    signed_at_meetings = DecisionNotice.objects.filter(signed_on__isnull=False)
    assert sorted(signed_at_meetings.values_list("title", "signed_on")) == sorted(
        [
            ("Funding for Tuserv and Metis Developments", datetime.date(2015, 9, 30)),
            (
                "12-month extension of the delivery partnership with Community Interest "
                "Company Restorative Solutions until December 2016",
                NOV_26,
            ),
            ("Termination of the lease of Melbourn Police Office", NOV_26),
            ("Surrender of the lease of Bretton Police Station", NOV_26),
            (
                "Extension of the appointment of Hannah Watson as Eastern Region Director on "
                "the Independent Custody Visiting Association (ICVA) Management Board for 2015/16",
                NOV_26,
            ),
        ]
    )
    for n in signed_at_meetings:
        assert n.meeting.date == n.signed_on
    # "A Decision Notice has been signed by the Commissioner": signed, date not printed.
    fleet = notice("Vehicle Procurement Consortium Collaboration Agreement")
    assert fleet.status == "signed" and fleet.signed_on is None and fleet.meeting is None


def test_decision_text_is_rendered_after_seeding(seeded):
    for n in DecisionNotice.objects.exclude(decision=""):
        assert n.decision_html.strip(), n.title
    assert not Recommendation.objects.filter(text_html="").exists()


def test_a_signed_notice_without_a_printed_reference_shows_not_recorded_to_staff(
    seeded, client, staff_client
):
    bretton = notice("Surrender of the lease of Bretton Police Station")
    # Signed but not published: not on the public register.
    assert client.get(bretton.get_absolute_url()).status_code == 404
    html = staff_client.get(bretton.get_absolute_url()).content.decode()
    reference_row = html[html.index("<dt>Reference</dt>") :][:120]
    assert "not recorded" in reference_row
    assert "26 November 2015" in html
    assert "Approved" in html and "2.2 The Board is recommended to approve the surrender" in html
    fund = notice("Cambridgeshire Constabulary’s 2014/15 Cameras")
    html = staff_client.get(fund.get_absolute_url()).content.decode()
    assert "CPCC 2015-025" in html
    assert "Business Coordination Board, 27 August 2015" in html


def test_the_26_nov_2015_meeting_page_links_recommendations_to_their_notices_for_staff(
    seeded, staff_client
):
    html = staff_client.get("/boards/business-coordination-board/2015-11-26/").content.decode()
    assert "Minute 4.4" in html and "Minute 14.3" in html and "Minute 12.5" in html
    rj = notice("12-month extension of the delivery partnership")
    assert f"/decisions/{rj.pk}/" in html


def test_signing_a_new_notice_in_2015_gives_the_number_after_cpcc_2015_025(seeded, signatory):
    new = DecisionNoticeFactory(title="A decision signed after seeding")
    signed = sign_notice(notice=new, user=signatory, signed_on=datetime.date(2015, 12, 16))
    assert signed.reference == "CPCC 2015-026"
    # The seeded notices whose signing is not recorded are never signed now (see below): a
    # second new notice takes the next number.
    second = DecisionNoticeFactory(title="A second decision signed after seeding")
    signed = sign_notice(notice=second, user=signatory, signed_on=datetime.date(2015, 12, 16))
    assert (signed.reference, signed.reference_year, signed.reference_number) == (
        "CPCC 2015-027",
        2015,
        27,
    )


# ------------------------------------------------------------------ signing as the records say


SIGNING_MINUTES = {
    # notice title (start): (meeting, minute number as printed)
    "Appointment of Alec Wood": ("2015-09-30", "4.1"),
    "Vehicle Procurement Consortium": ("2015-09-30", "8.3"),
    "Funding for Tuserv and Metis": ("2015-09-30", "9.2"),
    "12-month extension of the delivery partnership": ("2015-11-26", "4.4"),
    "Termination of the lease of Melbourn": ("2015-11-26", "14.3"),
    "Surrender of the lease of Bretton": ("2015-11-26", "14.3"),
    "Extension of the appointment of Hannah Watson": ("2015-11-26", "18.2"),
}


def test_each_notice_the_minutes_record_as_signed_is_signed_and_names_that_minute(seeded):
    for title, (iso, number) in SIGNING_MINUTES.items():
        n = notice(title)
        assert n.status == DecisionNotice.Status.SIGNED, title
        minute = n.signing_minute
        assert (minute.item.meeting, minute.number) == (bcb(iso), number), title
        assert "signed" in minute.text, title
    fund = notice("Cambridgeshire Constabulary’s 2014/15 Cameras")
    assert fund.signing_minute is None
    assert fund.signing_paper == paper("Operation of the Road Casualty Reduction and Support Fund")
    assert "signed decision notice CPCC 2015-025" in fund.signing_paper.body


def test_every_other_notice_carries_signing_not_recorded_and_no_signing_record(seeded):
    signed = DecisionNotice.objects.filter(status="signed")
    assert set(signed.values_list("pk", flat=True)) == set(
        DecisionNotice.objects.exclude(signing_minute=None, signing_paper=None).values_list(
            "pk", flat=True
        )
    )
    for n in DecisionNotice.objects.exclude(status="signed"):
        assert n.status == DecisionNotice.Status.NOT_RECORDED, n.title
        assert n.signing_minute is None and n.signing_paper is None and n.signed_on is None
        assert n.reference is None, n.title


def test_a_historic_notice_whose_signing_is_not_recorded_is_never_signed_now(seeded, signatory):
    workshop = notice("Vehicle Workshop")
    with pytest.raises(ValueError, match="do not record"):
        sign_notice(notice=workshop, user=signatory)
    workshop.refresh_from_db()
    assert workshop.status == "not_recorded" and workshop.reference is None
    workshop.title = "Vehicle Workshop (edited)"
    with pytest.raises(LockedRecordError, match="do not record"):
        workshop.save()
    # Nor is it superseded: withdrawing it would claim it was signed.
    with pytest.raises(ValueError, match="corrections are for signed notices"):
        draft_correction(notice=workshop, user=signatory)
    correction = DecisionNoticeFactory(supersedes=notice("Yaxley Police Station"))
    with pytest.raises(ValidationError, match="signing not recorded"):
        correction.full_clean()


def test_new_records_keep_their_defaults_pending_and_draft(db):
    rec = RecommendationFactory()
    assert rec.outcome == Recommendation.Outcome.PENDING
    assert DecisionNoticeFactory().status == DecisionNotice.Status.DRAFT


def test_every_seeded_notice_with_text_names_the_minutes_or_paper_it_is_taken_from(seeded):
    """No notice's own wording is in the seeds: the text entered is the minutes' or the
    paper's, and the notice says whose."""
    for n in DecisionNotice.objects.all():
        if n.decision or n.background:
            assert n.text_taken_from, n.title
        else:
            assert n.text_taken_from == "", n.title
    tuserv = notice("Funding for Tuserv")
    assert tuserv.text_taken_from == (
        "minutes 9.1 and 9.2 of the Business Coordination Board, 30 September 2015"
    )
    assert tuserv.decision.startswith("9.1 ") and "\n\n9.2 " in tuserv.decision
    for n in DecisionNotice.objects.exclude(papers=None):
        (paper,) = n.papers.all()
        assert f"“{paper.title}”" in n.text_taken_from, n.title
