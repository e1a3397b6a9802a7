"""The seed collaboration records carry the seeds' facts exactly (fixtures/seed/06_collaboration.yaml).

Areas and their lead forces, the collaborated functions with status and go-live only where the
seeds state them, business cases with the dates printed (full dates from the 2015/2016 papers,
the 2018 paper's months as printed), and the agreements with their signing, parties, notice and
paper. Where the seeds disagree the records keep both versions and the test says so
("DISAGREEMENT").

Seed files: 001 = Nov/Dec 2015 bundle, 002 = BCB paper 19 July 2018 (paper 9), 003 = Police and
Crime Panel report 14 March 2018 (paper 8), 004 = BCB paper 25 February 2016 (paper 7).
"""

import datetime

import pytest

from boards.models import Organisation
from collaboration.models import (
    BusinessCase,
    CollaboratedFunction,
    CollaborationAgreement,
    CollaborationArea,
)

pytestmark = pytest.mark.django_db

BEDS, CAMBS, HERTS = (
    "Bedfordshire Police",
    "Cambridgeshire Constabulary",
    "Hertfordshire Constabulary",
)
BCH = {BEDS, CAMBS, HERTS}
SIX_CORPORATIONS_SOLE = BCH | {
    "Office of the Cambridgeshire Police and Crime Commissioner",
    "Office of the Bedfordshire Police and Crime Commissioner",
    "Office of the Hertfordshire Police and Crime Commissioner",
}


def area(slug) -> CollaborationArea:
    return CollaborationArea.objects.get(slug=slug)


def function(name) -> CollaboratedFunction:
    return CollaboratedFunction.objects.get(name=name)


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def case(function_name, stage) -> BusinessCase:
    return BusinessCase.objects.get(function__name=function_name, stage=stage)


# ------------------------------------------------------------------------------------ areas


def test_the_five_areas_in_order_with_the_leads_the_seeds_name(seeded):
    areas = list(CollaborationArea.objects.all())
    assert [(a.name, a.lead_organisation and a.lead_organisation.name) for a in areas] == [
        # 002 l.63 'The "lead force" for JPS is Bedfordshire'; 003 l.63 'led by Bedfordshire Police'
        ("Joint Protective Services", BEDS),
        # 002 §4.7 (l.70) and 003 §6.6 (l.66) 'led by the Constabulary'
        ("Organisational Support", CAMBS),
        # 002 §4.7 (printed "Organisational Support" twice: a slip) and 003 §6.7 (l.67)
        ("Operational Support", HERTS),
        ("Eastern Region Specialist Operations Unit", None),  # no lead printed
        ("Seven Force Strategic Collaboration Programme", None),  # chaired, not led (003 l.104)
    ]
    assert [a.position for a in areas] == [1, 2, 3, 4, 5]


def test_the_2018_paper_slip_in_4_7_is_kept_out_of_the_records_but_described(seeded):
    """002 l.70 names "Organisational Support" for both lists; the second list (Criminal Justice,
    Custody, Firearms and Explosives Licensing, Public Contact) is Operational Support."""
    operational = area("operational-support")
    assert {
        "Criminal Justice",
        "Custody",
        "Firearms and Explosives Licensing",
        "Public Contact",
    } <= (names(operational.functions))
    assert "Organisational Support" in operational.description  # the slip, quoted
    assert not names(area("organisational-support").functions) & names(operational.functions)


# -------------------------------------------------------------------------------- functions


FUNCTIONS_BY_AREA = {
    "joint-protective-services": {
        # 002 §4.4 (l.55-62) and 003 §6.5 (l.63)
        "Armed Policing Unit",
        "Cameras, Tickets and Collisions",
        "Civil Contingencies Unit",
        "Dogs Unit",
        "Major Crime Unit",
        "Operational Planning and Support Unit",
        "Roads Policing Unit",
        "Scientific Services Unit",
        "Automatic Number Plate Recognition",
        "Forensic Collision Investigation Unit",
    },
    "organisational-support": {
        "Human Resources and Learning and Development",
        "ICT",
        "Information Management",
        "Professional Standards Department",
        "Procurement",
    },
    "operational-support": {
        "Criminal Justice",
        "Custody",
        "Firearms and Explosives Licensing",
        "Public Contact",
        "Digital Contact and Mobilisation",
    },
    "ersou": {"Eastern Region Specialist Operations Unit"},
    "seven-force-programme": set(),
}


def test_each_area_holds_the_functions_the_seeds_name(seeded):
    for slug, expected in FUNCTIONS_BY_AREA.items():
        assert names(area(slug).functions) == expected, slug
    assert CollaboratedFunction.objects.count() == 21


def test_statuses_only_where_the_seeds_state_them(seeded):
    statuses = dict(CollaboratedFunction.objects.values_list("name", "status"))
    # 002 §6.7 'were not implemented', §7.2 'implementation would not proceed'.
    assert statuses.pop("Public Contact") == CollaboratedFunction.Status.NOT_PROCEEDING
    # 003 §6.7 names it and says nothing more.
    assert statuses.pop("Digital Contact and Mobilisation") == ""
    # Every other function is described as collaborated (002 §4.4-4.7, §6; 003 §6.5-6.6).
    assert set(statuses.values()) == {CollaboratedFunction.Status.LIVE}


def test_go_live_only_where_a_full_date_is_printed(seeded):
    # 001 l.648 and l.677: "will 'go live' on 1 December 2015".
    assert function("Firearms and Explosives Licensing").go_live == datetime.date(2015, 12, 1)
    assert function("Human Resources and Learning and Development").go_live == datetime.date(
        2015, 12, 1
    )
    # 004 l.111: "fully operational from late 2016" - only a partial date.
    ict = function("ICT")
    assert (ict.go_live, ict.go_live_as_printed) == (None, "late 2016")
    dated = CollaboratedFunction.objects.exclude(go_live=None).values_list("name", flat=True)
    assert set(dated) == {
        "Firearms and Explosives Licensing",
        "Human Resources and Learning and Development",
    }
    assert set(
        CollaboratedFunction.objects.exclude(go_live_as_printed="").values_list("name", flat=True)
    ) == {"ICT"}


def test_partners_are_the_forces_the_seeds_name(seeded):
    for fn in CollaboratedFunction.objects.exclude(area__slug="ersou"):
        assert names(fn.partners) == BCH, fn.name
    # 002 §4.6: BCH, Norfolk, Suffolk, some aspects Essex, more recently Kent; embedded HMRC,
    # UK Border Force and the NCA.
    assert names(function("Eastern Region Specialist Operations Unit").partners) == BCH | {
        "Norfolk Constabulary",
        "Suffolk Constabulary",
        "Essex Police",
        "Kent Police",
        "Her Majesty's Revenue and Customs",
        "UK Border Force",
        "National Crime Agency",
    }
    # The seeds name leads of areas, not of single functions.
    assert not CollaboratedFunction.objects.exclude(lead_force=None).exists()


# --------------------------------------------------------------------------- business cases


def test_ict_business_cases_dates_approver_and_assurance_review(seeded):
    """004 l.49: 'OBC ... approved at the Strategic Alliance Summit on 14th August 2014 with the
    Full Business Case (FBC) approved on 13th October 2015'; l.102: Concerto LLP, 'between the
    21st and 24th September 2015'."""
    obc = case("ICT", BusinessCase.Stage.OUTLINE)
    fbc = case("ICT", BusinessCase.Stage.FULL)
    assert obc.approved_on == datetime.date(2014, 8, 14)
    assert fbc.approved_on == datetime.date(2015, 10, 13)
    assert obc.approved_by == fbc.approved_by == "Strategic Alliance Summit"
    assert "Concerto LLP" in fbc.assurance_review
    assert "between the 21st and 24th September 2015" in fbc.assurance_review
    assert (
        obc.paper.title
        == fbc.paper.title
        == ("Section 22A Collaboration Agreement for Information and Communications Technology")
    )
    assert fbc.approval_text == "13 October 2015"


FULL_DATES = {  # 001 l.628, l.652, l.681 and 004 l.49
    ("Firearms and Explosives Licensing", "full"): datetime.date(2015, 2, 19),
    ("Human Resources and Learning and Development", "outline"): datetime.date(2015, 2, 19),
    ("Human Resources and Learning and Development", "full"): datetime.date(2015, 5, 14),
    ("Public Contact", "outline"): datetime.date(2015, 1, 22),
    ("Public Contact", "full"): datetime.date(2015, 7, 9),
    ("ICT", "outline"): datetime.date(2014, 8, 14),
    ("ICT", "full"): datetime.date(2015, 10, 13),
}
MONTHS_2018 = {  # 002 §6.2-6.8 (l.102-111), as printed
    "Firearms and Explosives Licensing": ["February 2015"],
    "Information Management": ["May 16"],
    "ICT": ["October 15"],
    "Custody": ["October 15"],
    "Criminal Justice": ["October 15"],  # "CJ phase 1 (October 15)"
    "Public Contact": ["July 15"],
    "Human Resources and Learning and Development": ["May 15"],
}


def parse_printed_month(text) -> tuple[int, int]:
    """ "February 2015" / "May 16" -> (year, month)."""
    month, year = text.split()
    year = int(year) if len(year) == 4 else 2000 + int(year)
    return year, datetime.datetime.strptime(month[:3], "%b").month


def test_business_case_full_dates_and_the_2018_months_as_printed(seeded):
    assert BusinessCase.objects.count() == 11
    for (name, stage), day in FULL_DATES.items():
        assert case(name, stage).approved_on == day, (name, stage)
    assert set(
        BusinessCase.objects.exclude(approved_on=None).values_list("function__name", "stage")
    ) == set(FULL_DATES)
    printed = {}
    for bc in BusinessCase.objects.exclude(approved_as_printed=""):
        printed.setdefault(bc.function.name, []).append(bc.approved_as_printed)
    assert printed == MONTHS_2018
    # No day is invented: where only a month is printed there is no date.
    for bc in BusinessCase.objects.filter(approved_on=None).exclude(approved_as_printed=""):
        assert bc.approval_text == bc.approved_as_printed


def test_the_2018_months_agree_with_the_earlier_full_dates(seeded):
    """Where a 2015/2016 paper prints the full date and the 2018 paper the month, they agree."""
    both = BusinessCase.objects.exclude(approved_on=None).exclude(approved_as_printed="")
    assert both.count() == 4  # Firearms FBC, HR FBC, Public Contact FBC, ICT FBC
    for bc in both:
        assert parse_printed_month(bc.approved_as_printed) == (
            bc.approved_on.year,
            bc.approved_on.month,
        ), bc


def test_information_management_business_case_dates_disagree(seeded):
    """DISAGREEMENT: 001 l.729-734 (26 Nov 2015) lists Information Management among 'Four other
    Full Business Cases [that] have been signed-off by the Strategic Alliance Summit' (and 001
    l.608, 004 l.39 count it among the business cases agreed), while 002 l.101/103 says its
    business case was approved in 2016, 'May 16'. Both are kept, each as printed."""
    cases = list(
        BusinessCase.objects.filter(function__name="Information Management").order_by("pk")
    )
    assert [(c.stage, c.approved_on, c.approved_as_printed, c.paper_id) for c in cases] == [
        ("full", None, "", 3),
        ("", None, "May 16", 9),
    ]
    signed_off_by = datetime.date(2015, 11, 26)  # the date of the 2015 paper
    assert parse_printed_month("May 16") > (signed_off_by.year, signed_off_by.month)


def test_public_contact_outline_case_review_is_dated_after_its_approval(seeded):
    """As printed (001 l.681, l.706): the OBC was approved on 22 January 2015 and Concerto LLP's
    Assurance Review of the OBC is dated April 2015."""
    obc = case("Public Contact", BusinessCase.Stage.OUTLINE)
    assert obc.approved_on == datetime.date(2015, 1, 22)
    assert "OBC (April 2015)" in obc.assurance_review


# ------------------------------------------------------------------------------- agreements


def agreement(title_start) -> CollaborationAgreement:
    return CollaborationAgreement.objects.get(title__startswith=title_start)


def test_ict_agreement_signed_at_the_alliance_summit_by_the_six_corporations_sole(seeded):
    """004 l.21 and l.115: 'signed by the six corporations sole at the Bedfordshire,
    Cambridgeshire & Hertfordshire Alliance Summit on the 28th January 2016'."""
    ict = agreement("Section 22A Collaboration Agreement for Information")
    assert ict.legal_basis == CollaborationAgreement.LegalBasis.S22A
    assert ict.signed_on == datetime.date(2016, 1, 28)
    assert ict.signed_at == "Bedfordshire, Cambridgeshire & Hertfordshire Alliance Summit"
    assert names(ict.parties) == SIX_CORPORATIONS_SOLE
    assert ict.parties_as_printed.startswith("the six corporations sole (the Chief Constables")
    assert names(ict.functions) == {"ICT"}
    assert ict.decision_notice.title == (
        "Section 22A Collaboration Agreement for Information and Communications Technology"
    )
    assert ict.paper_id == 7
    # Neither a review date nor a review term is printed (004 states none): its review is not
    # computed, so it is never shown as overdue.
    assert ict.review_due_on is None and ict.review_term_months is None
    assert ict.review_due is None and not ict.review_overdue()


def test_the_three_2015_agreements_await_the_alliance_summit(seeded):
    """001 l.563-795 (paper 3) and minute 9.6: to be signed at the Strategic Alliance Summit on
    27 November 2015; no seed records the signing."""
    expected = {
        "Section 22A Collaboration Agreement for Firearms and Explosives Licensing": "Firearms and Explosives Licensing",
        "Section 22A Collaboration Agreement for Human Resources and Learning and Development": "Human Resources and Learning and Development",
        "Section 22A Collaboration Agreement for Public Contact": "Public Contact",
    }
    for title, fn in expected.items():
        a = CollaborationAgreement.objects.get(title=title)
        assert names(a.functions) == {fn}
        assert (a.signed_on, a.signed_at, a.review_due) == (None, "", None)
        assert a.paper_id == 3
        assert a.decision_notice.pk == 9
        assert names(a.parties) == SIX_CORPORATIONS_SOLE
        assert "27 November 2015" in a.notes


def test_memoranda_of_understanding_keep_their_printed_months_in_notes(seeded):
    mou_2013 = agreement("Memorandum of Understanding for Organisational and Operational")
    assert mou_2013.legal_basis == CollaborationAgreement.LegalBasis.MOU
    assert mou_2013.signed_on is None  # "In December 2013": no day printed
    assert "December 2013" in mou_2013.notes
    assert names(mou_2013.parties) == SIX_CORPORATIONS_SOLE
    emergency = agreement("Memorandum of Understanding between Police, Fire and Ambulance")
    assert emergency.signed_on is None and "December 2017" in emergency.notes
    assert names(emergency.parties) == {
        CAMBS,
        "Cambridgeshire Fire and Rescue Service",
        "East of England Ambulance Service",
    }


def test_agreements_from_the_september_2015_minutes(seeded):
    """001 l.195-197 (minutes 8.1-8.3) and l.232 (minute 15.1)."""
    vehicles = agreement("Vehicle Procurement Consortium")
    assert vehicles.legal_basis == CollaborationAgreement.LegalBasis.S22A
    assert vehicles.decision_notice.pk == 6
    assert vehicles.signed_on is None
    nuclear = agreement("Civil Nuclear")
    assert (nuclear.signed_on, nuclear.parties.count()) == (None, 0)


def test_no_review_date_is_invented_and_every_notice_and_paper_link_exists(seeded):
    assert CollaborationAgreement.objects.count() == 8
    assert not CollaborationAgreement.objects.exclude(review_due_on=None).exists()
    assert not CollaborationAgreement.objects.exclude(last_reviewed_on=None).exists()
    # Only the ICT agreement has a printed signing date.
    assert list(
        CollaborationAgreement.objects.exclude(signed_on=None).values_list("pk", flat=True)
    ) == [1]
    assert (
        Organisation.objects.filter(collaboration_agreements__isnull=False).distinct().count() == 8
    )


def test_review_terms_are_recorded_only_where_a_document_states_one(seeded):
    """001 l.622 (the S22A paper) and minute 9.5 of BCB 26 Nov 2015 (l.485): the Section 22A
    Agreements 'will be continually reviewed and at least annually'. No other document states
    a review term."""
    terms = dict(CollaborationAgreement.objects.values_list("title", "review_term_months"))
    annual = {
        "Section 22A Collaboration Agreement for Firearms and Explosives Licensing",
        "Section 22A Collaboration Agreement for Human Resources and Learning and Development",
        "Section 22A Collaboration Agreement for Public Contact",
    }
    assert {title for title, term in terms.items() if term is not None} == annual
    assert {terms[title] for title in annual} == {12}
