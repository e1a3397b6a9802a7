"""The seed records carry over the OPCC documents exactly: numbering, names, titles and wording as printed.

Every fact asserted here is read off the source documents (minutes of the Finance Sub-Group of
27 August 2015 and of the Business Coordination Board of 30 September and 26 November 2015, and the
nine agenda papers), including the printed slips the records must keep.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from boards.models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    Declaration,
    Meeting,
    Membership,
    MinuteParagraph,
    Paper,
    Person,
)


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())


def meeting(short_name, iso_date):
    return Meeting.objects.get(
        board__short_name=short_name, date=datetime.date.fromisoformat(iso_date)
    )


def item(short_name, iso_date, number):
    return AgendaItem.objects.get(meeting=meeting(short_name, iso_date), number=number)


def paragraphs(short_name, iso_date, item_number):
    return list(item(short_name, iso_date, item_number).paragraphs.order_by("position"))


def attendance(short_name, iso_date, capacity):
    return [
        (a.person.full_name, a.title)
        for a in meeting(short_name, iso_date)
        .attendance.filter(capacity=capacity)
        .select_related("person")
        .order_by("position")
    ]


# --------------------------------------------------------------------------- agenda numbering


def test_the_26_nov_2015_board_has_19_items_numbered_as_printed(seeded):
    items = meeting("BCB", "2015-11-26").items.order_by("position")
    assert [i.number for i in items] == [str(n) for n in range(1, 20)]
    assert [i.position for i in items] == list(range(1, 20))
    assert items.get(number="9").title == (
        "Section 22A Collaboration Agreements under the Police Act 1996 for Firearms and Explosive "
        "Licensing, Public Contact, and Human Resources and Learning and Development."
    )
    assert items.get(number="19").title == "Date of Next Meeting"


def test_the_30_sep_2015_board_skips_items_14_and_16_as_printed(seeded):
    items = meeting("BCB", "2015-09-30").items.order_by("position")
    assert [i.number for i in items] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
        "12",
        "13",
        "15",
        "17",
    ]
    assert items.get(number="15").title == "AOB"


def test_the_30_sep_2015_board_keeps_14_2_after_13_1(seeded):
    item_13 = paragraphs("BCB", "2015-09-30", "13")
    assert [p.number for p in item_13] == ["13.1", "14.2", "14.3", "14.3"]
    assert item_13[1].text.startswith("Attention was drawn to the Public Misconduct Hearings")
    assert item_13[3].text == "The minutes were approved by the Board."


def test_the_30_sep_2015_minutes_end_with_item_17_paragraph_16_1_after_the_interleaved_paper(
    seeded,
):
    (last,) = paragraphs("BCB", "2015-09-30", "17")
    assert last.number == "16.1"
    assert last.text == (
        "The next meeting will be held on 27th October 2015 at 14.00 in the Monkfield Room Cambourne."
    )
    board_meeting = meeting("BCB", "2015-09-30")
    assert board_meeting.minutes_signed_by.full_name == "Sir Graham Bright"
    assert not board_meeting.items.filter(title__icontains="Melbourn").exists()


def test_paragraph_13_2_appears_twice_on_26_nov_2015_in_printed_order(seeded):
    item_13 = paragraphs("BCB", "2015-11-26", "13")
    assert [p.number for p in item_13] == ["13.1", "13.2", "13.2", "13.3", "13.4", ""]
    assert item_13[1].text == (
        "The Board's attention was drawn to the Positive Action Steering Group which had been created "
        "to help with the Constabulary's delivery equality actions."
    )
    assert item_13[2].text.startswith(
        "The Commissioner questioned the Constabulary on what was being done to improve the ethnic mix"
    )
    assert item_13[1].position < item_13[2].position
    assert item_13[5].text == "Action: Equality and Diversity update paper to Board in May 2016."
    assert item_13[5].kind == MinuteParagraph.Kind.ACTION


def test_the_fsg_27_aug_2015_goes_from_item_9_to_item_11_as_printed(seeded):
    items = meeting("FSG", "2015-08-27").items.order_by("position")
    assert [i.number for i in items] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "11"]
    assert items.get(number="11").title == "Date of next meeting"
    assert paragraphs("FSG", "2015-08-27", "11")[0].text == (
        "Wednesday 30th September 2015 at 10:00am, OPCC Cambourne."
    )


def test_fsg_paragraphs_keep_roman_numbers_and_blank_numbers_as_printed(seeded):
    item_3 = paragraphs("FSG", "2015-08-27", "3")
    assert [p.number for p in item_3] == ["", "", "", "", "", "", "", "(i)", "(ii)"]
    assert [p.kind for p in item_3[-2:]] == ["action", "noted"]
    assert item_3[-1].text == "The group noted the report."


# --------------------------------------------------------------------------- attendance


def test_fsg_27_aug_2015_attendance_by_capacity_with_titles_as_printed(seeded):
    assert attendance("FSG", "2015-08-27", "member") == [
        ("Brian Ashton", "Deputy Police and Crime Commissioner"),
        ("Niki Howard", "Director of Finance & Resources"),
        ("Josie Gowler", "Director of Finance for OPCC"),
        ("Mark Hopkins", "T/Deputy Chief Constable"),
    ]
    assert attendance("FSG", "2015-08-27", "in_attendance") == [
        ("Tanya Little", "Senior Admin Officer")
    ]
    assert attendance("FSG", "2015-08-27", "apologies") == [
        ("Dorothy Gregson", "Chief Executive OPCC"),
        ("Nancy Leversha", "Strategic Accountant OPCC"),
    ]
    positions = list(
        meeting("FSG", "2015-08-27")
        .attendance.order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == [1, 2, 3, 4, 5, 6, 7]


def test_the_26_nov_2015_board_records_alec_wood_under_apologies(seeded):
    assert attendance("BCB", "2015-11-26", "apologies") == [
        ("Alec Wood", "Chief Constable Cambridgeshire Constabulary")
    ]
    members = attendance("BCB", "2015-11-26", "member")
    assert [name for name, _ in members] == [
        "Sir Graham Bright",
        "Brian Ashton",
        "Dorothy Gregson",
        "Josie Gowler",
        "Mark Hopkins",
        "Niki Howard",
    ]
    # The printed double comma is kept.
    assert (
        "Niki Howard",
        "Director of Finance and Resources, , Cambridgeshire Constabulary",
    ) in members
    in_attendance = attendance("BCB", "2015-11-26", "in_attendance")
    assert len(in_attendance) == 10
    assert in_attendance[-1] == (
        "Howard Thackray",
        "Business Manager, Office of the Police and Crime Commissioner",
    )


def test_the_30_sep_2015_board_lists_three_apologies_in_printed_order(seeded):
    assert attendance("BCB", "2015-09-30", "apologies") == [
        ("Andy Hebb", "Temporary Assistant Chief Constable, Cambridgeshire Constabulary"),
        (
            "Charles Kitchin",
            "Director of Public Engagement and Communication, Office of Police and Crime Commissioner",
        ),
        (
            "Cristina Strood",
            "Head of Policy and Performance, Office of Police and Crime Commissioner",
        ),
    ]
    assert len(attendance("BCB", "2015-09-30", "member")) == 7
    assert len(attendance("BCB", "2015-09-30", "in_attendance")) == 7


def test_each_person_attends_a_meeting_once(seeded):
    for m in Meeting.objects.all():
        people = list(m.attendance.values_list("person", flat=True))
        assert len(people) == len(set(people))


# --------------------------------------------------------------------------- declarations, actions


def test_none_declared_is_recorded_where_the_minutes_say_so(seeded):
    for iso in ("2015-09-30", "2015-11-26"):
        (declaration,) = Declaration.objects.filter(meeting=meeting("BCB", iso))
        assert declaration.none_declared is True
        assert declaration.person is None
        assert declaration.item.number == "2"
    # The Finance Sub-Group minutes print nothing about declarations: nothing is recorded.
    assert not Declaration.objects.filter(meeting=meeting("FSG", "2015-08-27")).exists()
    assert Declaration.objects.count() == 2


def test_actions_exist_only_where_the_minutes_mark_one(seeded):
    fsg = Action.objects.filter(meeting=meeting("FSG", "2015-08-27")).order_by("pk")
    # The outcomes listed as tasks under items 3 and 7, not item 2's "JG offered to write up..."
    # nor item 4's "NH would add a notes column...", which are narrative.
    assert [(a.item.number, a.paragraph.number, a.owner.initials) for a in fsg] == [
        ("3", "(i)", "NH"),
        ("7", "(i)", "JG"),
    ]
    assert fsg[0].text == (
        "NH would look into the numbers and reasons for the reduction of new officers joining the "
        "Police Pension Scheme."
    )
    # 30 September 2015 marks no action: 5.5 ("Alec Wood agreed to work with partners") is narrative.
    assert not Action.objects.filter(meeting=meeting("BCB", "2015-09-30")).exists()
    # 26 November 2015 marks one, "Action:" under item 13; 5.2 and 8.5 are narrative.
    (equality,) = Action.objects.filter(meeting=meeting("BCB", "2015-11-26"))
    assert equality.text == "Equality and Diversity update paper to Board in May 2016."
    assert equality.owner is None
    assert equality.item.number == "13"
    assert Action.objects.count() == 3


def test_narrative_sentences_that_sound_like_actions_stay_narrative_paragraphs(seeded):
    narrative = [
        ("FSG", "2015-08-27", "2", "JG offered to write up the key principles and methodology."),
        ("FSG", "2015-08-27", "4", "NH would add a notes column to provide further detail."),
        ("BCB", "2015-09-30", "5", "Alec Wood agreed to work with partners to reinforce this."),
        ("BCB", "2015-11-26", "5", "The Constabulary would be producing a full report"),
        ("BCB", "2015-11-26", "8", "The Commissioner is to meet the Head of the Constabulary"),
    ]
    for board, iso, number, words in narrative:
        (p,) = [p for p in paragraphs(board, iso, number) if words in p.text]
        assert p.kind == MinuteParagraph.Kind.NARRATIVE, words
        assert not p.actions.exists()


def test_no_seeded_action_claims_a_status_the_minutes_do_not_print(seeded):
    assert set(Action.objects.values_list("status", flat=True)) == {Action.Status.NOT_RECORDED}
    assert not Action.objects.filter(closed_at__isnull=False).exists()
    # The carry-forward lists open actions only: none of the seeded ones is known to be open.
    for m in Meeting.objects.all():
        assert not Action.objects.arising_at(m).exists()


def test_a_due_date_printed_as_a_month_is_kept_as_the_month(seeded):
    equality = Action.objects.get(text="Equality and Diversity update paper to Board in May 2016.")
    assert equality.due_precision == Action.DuePrecision.MONTH
    assert equality.due_date == datetime.date(2016, 5, 1)
    assert equality.due_as_printed == "May 2016"
    assert equality.due_meeting is None
    others = Action.objects.exclude(pk=equality.pk)
    assert list(others.values_list("due_date", "due_meeting")) == [(None, None), (None, None)]


def test_every_action_points_at_a_paragraph_of_kind_action_in_its_own_meeting(seeded):
    for action in Action.objects.select_related("item", "paragraph"):
        assert action.paragraph.kind == MinuteParagraph.Kind.ACTION
        assert action.paragraph.item_id == action.item_id
        assert action.item.meeting_id == action.meeting_id


def test_decisions_are_resolutions_and_noted_reports_are_noted(seeded):
    (approved,) = [p for p in paragraphs("BCB", "2015-11-26", "14") if p.number == "14.3"]
    assert approved.kind == "resolution"
    assert approved.text == (
        "The Board approved the action regarding the two leases and the Commissioner signed the Decision Notices."
    )
    assert paragraphs("BCB", "2015-11-26", "7")[-1].kind == "noted"
    assert (
        paragraphs("FSG", "2015-08-27", "4")[-1].text
        == "The group approved the recommendations and noted the report."
    )
    assert paragraphs("FSG", "2015-08-27", "4")[-1].kind == "resolution"


# --------------------------------------------------------------------------- meetings, boards, people


def test_minuted_meetings_record_time_place_status_and_signature_as_printed(seeded):
    expected = {
        ("FSG", "2015-08-27"): (datetime.time(10, 0), "OPCC Office at Cambourne", "Brian Ashton"),
        ("BCB", "2015-09-30"): (
            datetime.time(13, 15),
            "Swansley A Room, Cambourne",
            "Sir Graham Bright",
        ),
        ("BCB", "2015-11-26"): (
            datetime.time(14, 30),
            "Swansley A Room, Cambourne",
            "Sir Graham Bright",
        ),
    }
    for (board, iso), (start, place, signer) in expected.items():
        m = meeting(board, iso)
        assert (m.start_time, m.location, m.minutes_signed_by.full_name) == (start, place, signer)
        assert m.status == Meeting.Status.HELD
        assert m.minutes_status == Meeting.MinutesStatus.APPROVED
        # Neither the signing date nor the approving meeting is printed.
        assert m.minutes_signed_on is None
        assert m.minutes_approved_at is None
        # The name at the end is the signature: no set of minutes names its chair.
        assert m.chair is None


def test_the_actions_arising_are_as_the_minutes_record_them(seeded):
    # 30 Sep and 26 Nov 2015, 3.1: "There were no outstanding actions from the last meeting".
    for iso in ("2015-09-30", "2015-11-26"):
        assert meeting("BCB", iso).actions_arising == Meeting.ActionsArising.NONE_OUTSTANDING
    # The Finance Sub-Group's item 2 discusses the actions arising in its own words.
    fsg = meeting("FSG", "2015-08-27")
    assert fsg.actions_arising == Meeting.ActionsArising.IN_MINUTES
    assert (
        fsg.items.get(number="2").title == "Actions arising from minutes of meeting 30th July 2015"
    )
    # Meetings known only from papers: nothing recorded.
    unminuted = Meeting.objects.filter(minutes_status=Meeting.MinutesStatus.NONE)
    assert unminuted.count() == 4
    assert set(unminuted.values_list("actions_arising", flat=True)) == {""}
    assert not any(m.carries_actions_forward for m in Meeting.objects.all())


def test_the_16_dec_2015_time_and_place_are_those_announced_at_minute_19_1(seeded):
    december = meeting("BCB", "2015-12-16")
    assert (december.start_time, december.location) == (datetime.time(14, 30), "Cambourne")
    announced = december.announced_in
    assert (announced.item.meeting, announced.number) == (meeting("BCB", "2015-11-26"), "19.1")
    assert announced.text == (
        "The next meeting will be held on 16th December 2015 at 14.30 at Cambourne."
    )
    assert Meeting.objects.exclude(announced_in=None).count() == 1


def test_meetings_known_only_from_papers_leave_their_status_unrecorded(seeded):
    for board, iso in (("BCB", "2015-12-16"), ("BCB", "2016-02-25"), ("BCB", "2018-07-19")):
        m = meeting(board, iso)
        assert m.status == Meeting.Status.NOT_RECORDED
        assert m.minutes_status == Meeting.MinutesStatus.NONE
        assert not m.items.exists()
    panel = Meeting.objects.get(board__name="Cambridgeshire Police and Crime Panel")
    assert panel.date == datetime.date(2018, 3, 14)
    assert panel.status == ""
    assert panel.start_time is None and panel.location == ""
    assert Meeting.objects.count() == 7


def test_the_finance_sub_group_reports_to_the_business_coordination_board(seeded):
    fsg = Board.objects.get(short_name="FSG")
    assert fsg.name == "Finance Sub-Group"
    assert fsg.parent.name == "Business Coordination Board"
    assert fsg.parent.short_name == "BCB"
    assert Board.objects.filter(name="Cambridgeshire Police and Crime Panel").exists()


def test_memberships_come_from_the_members_lists_with_no_dates_and_no_chair(seeded):
    bcb = Membership.objects.filter(board__short_name="BCB")
    assert sorted(bcb.values_list("person__full_name", flat=True)) == sorted(
        [
            "Sir Graham Bright",
            "Alec Wood",
            "Brian Ashton",
            "Dorothy Gregson",
            "Josie Gowler",
            "Mark Hopkins",
            "Niki Howard",
        ]
    )
    assert sorted(
        Membership.objects.filter(board__short_name="FSG").values_list(
            "person__full_name", flat=True
        )
    ) == [
        "Brian Ashton",
        "Josie Gowler",
        "Mark Hopkins",
        "Niki Howard",
    ]
    assert set(Membership.objects.values_list("role", flat=True)) == {"member"}
    assert not Membership.objects.filter(start__isnull=False).exists()
    assert not Membership.objects.filter(end__isnull=False).exists()
    assert Membership.objects.get(
        board__short_name="FSG", person__full_name="Mark Hopkins"
    ).title == ("T/Deputy Chief Constable")


def test_initials_are_kept_only_where_the_minutes_use_them(seeded):
    assert dict(Person.objects.exclude(initials="").values_list("initials", "full_name")) == {
        "NH": "Niki Howard",
        "JG": "Josie Gowler",
    }


def test_people_named_in_the_papers_are_records(seeded):
    for name in (
        "Elly McKee",
        "Dominic Human",
        "Gavin Miles",
        "Carolyn Dhanraj",
        "Jo Walker",
        "Hannah Watson",
        "Monica Daley-Campbell",
        "Peter Nicholls",
    ):
        assert Person.objects.filter(full_name=name).count() == 1
    assert Person.objects.get(full_name="Colin Luscombe").organisation.short_name == "OPCC"
    assert (
        Person.objects.get(full_name="Alec Wood").organisation.name == "Cambridgeshire Constabulary"
    )


# --------------------------------------------------------------------------- papers

PAPERS = [
    # title, date printed on the paper, "From" line, date of the meeting it went to
    (
        "Melbourn Police Office and Bretton Police Station",
        "2015-11-26",
        "Chief Executive",
        "2015-11-26",
    ),
    (
        "Restorative Justice Provision in Cambridgeshire",
        "2015-11-26",
        "Chief Executive and Chief Constable",
        "2015-11-26",
    ),
    (
        "Section 22A Collaboration Agreements for: Firearms and Explosive Licensing; Public Contact; and Human "
        "Resources and Learning and Development",
        "2015-11-26",
        "Chief Executive",
        "2015-11-26",
    ),
    (
        "Operation of the Road Casualty Reduction and Support Fund",
        "2015-11-26",
        "Chief Executive",
        "2015-11-26",
    ),
    (
        "Appointment of Legally Qualified Chairs for Police Misconduct Hearings",
        "2015-12-16",
        "Chief Executive",
        "2015-12-16",
    ),
    ("Innovation Fund Bids Review", "2015-12-16", "Chief Executive Officer", "2015-12-16"),
    (
        "Section 22A Collaboration Agreement for Information and Communications Technology",
        "2016-02-25",
        "Chief Executive",
        "2016-02-25",
    ),
    (
        "Monitoring the Delivery of the Police and Crime Commissioner’s Police and Crime Plan – Transformation Theme",
        "2018-03-14",
        "Cambridgeshire Police and Crime Commissioner",
        "2018-03-14",
    ),
    (
        "Bedfordshire, Cambridgeshire and Hertfordshire Collaboration",
        "2018-07-19",
        "Chief Executive",
        "2018-07-19",
    ),
]


@pytest.mark.parametrize(
    "title, iso_date, author_line, meeting_date", PAPERS, ids=[p[0][:40] for p in PAPERS]
)
def test_each_paper_exists_with_its_date_author_and_meeting(
    seeded, title, iso_date, author_line, meeting_date
):
    paper = Paper.objects.get(title=title)
    assert paper.date == datetime.date.fromisoformat(iso_date)
    assert paper.author_line == author_line
    assert paper.meeting.date == datetime.date.fromisoformat(meeting_date)
    assert paper.meeting.board_id == paper.board_id
    assert paper.status == Paper.Status.PUBLISHED
    assert paper.access == Paper.Access.PUBLIC
    assert paper.body.strip()
    assert paper.body_html.strip()


def test_there_are_nine_papers_and_the_innovation_fund_review_is_one_record(seeded):
    assert Paper.objects.count() == 9
    review = Paper.objects.get(title="Innovation Fund Bids Review")
    assert review.to_line == "Business Co-ordination Board"
    assert (
        review.contact_officers
        == "Josie Gowler Chief Finance Officer, Office of the Police and Crime Commissioner"
    )
    assert (
        review.source_documents == "Finance Sub-Group Minutes 29 October 2015 and 26 November 2015"
    )


def test_the_police_and_crime_panel_report_keeps_agenda_item_6(seeded):
    report = Paper.objects.get(agenda_reference="6")
    assert report.board.name == "Cambridgeshire Police and Crime Panel"
    assert report.to_line == ""
    assert "Contact Officer – Dorothy Gregson" in report.contact_officers
    assert "intentionally left blank" not in report.body


def test_the_26_nov_2015_items_link_to_the_papers_they_took(seeded):
    linked = {
        i.number: i.paper.title
        for i in meeting("BCB", "2015-11-26")
        .items.filter(paper__isnull=False)
        .select_related("paper")
    }
    assert linked == {
        "4": "Restorative Justice Provision in Cambridgeshire",
        "9": "Section 22A Collaboration Agreements for: Firearms and Explosive Licensing; Public Contact; and "
        "Human Resources and Learning and Development",
        "12": "Operation of the Road Casualty Reduction and Support Fund",
        "14": "Melbourn Police Office and Bretton Police Station",
    }


def test_paper_tables_render_as_html_tables_after_seeding(seeded):
    s22a = Paper.objects.get(title__startswith="Section 22A Collaboration Agreements for:")
    assert s22a.body_html.count("<table>") == 3
    assert "<th>Work Completed (Firearms Licensing)</th>" in s22a.body_html
    assert "<td>Risk Management</td>" in s22a.body_html
    bch = Paper.objects.get(title="Bedfordshire, Cambridgeshire and Hertfordshire Collaboration")
    assert "<table>" in bch.body_html
    assert "£21,716" in bch.body_html and "-£6,348" in bch.body_html
    panel = Paper.objects.get(agenda_reference="6")
    assert panel.body_html.count("<table>") == 2
    assert "37,802" in panel.body_html
    lqc = Paper.objects.get(title__startswith="Appointment of Legally Qualified Chairs")
    assert "<td>Monica Daley-Campbell</td>" in lqc.body_html


def test_printed_paragraph_numbers_never_become_renumbered_lists(seeded):
    for paper in Paper.objects.all():
        for name in Paper.rendered_fields:
            assert "<ol" not in getattr(paper, f"{name}_html"), (paper.title, name)
    assert not MinuteParagraph.objects.filter(text_html__contains="<ol").exists()
    ict = Paper.objects.get(title__startswith="Section 22A Collaboration Agreement for Information")
    assert "<p>1) A consistent approach to ICT service delivery" in ict.body_html
    assert "<h2>2. Recommendation</h2>" in ict.body_html


def test_every_rendered_field_is_filled_in_after_seeding(seeded):
    assert not MinuteParagraph.objects.filter(text_html="").exists()
    for paper in Paper.objects.all():
        for name in Paper.rendered_fields:
            assert bool(getattr(paper, name).strip()) == bool(
                getattr(paper, f"{name}_html").strip()
            )


def test_papers_keep_their_text_as_printed(seeded):
    melbourn = Paper.objects.get(title="Melbourn Police Office and Bretton Police Station")
    assert "3.8 This will make an annual revenue saving of approximately £12,000." in melbourn.body
    # The printed slip stays.
    assert (
        "Peterborough City Council and the Police and the Commissioner signs the Decision Notice."
        in melbourn.body
    )
    assert melbourn.contact_officers.split("\n\n") == [
        "Elly McKee Estates Management Surveyor, Cambridgeshire Constabulary",
        "Colin Luscombe, Director of Estates, Office of the Police and Crime Commissioner",
    ]
    road = Paper.objects.get(title="Operation of the Road Casualty Reduction and Support Fund")
    # Section 4 is missing in print: the headings go from 3 to 5.
    assert "## 3. Background" in road.body and "## 5. Strategies Driving the Fund" in road.body
    assert "## 4." not in road.body
    assert "signed decision notice CPCC 2015-025" in road.body
    assert road.appendices.startswith("## APPENDIX 1")
    s22a = Paper.objects.get(title__startswith="Section 22A Collaboration Agreements for:")
    assert "BCB 26th November" not in s22a.body and "BCB 26th November" not in s22a.appendices
    assert "Thus provided baseline data against which to design the Operating Model." in s22a.body
    bch = Paper.objects.get(title="Bedfordshire, Cambridgeshire and Hertfordshire Collaboration")
    assert (
        "6.8 Human Resources (May 15) – forecast savings for Cambridgeshire was £.99m." in bch.body
    )
    assert bch.source_documents == ""
    assert bch.contact_officers == (
        "Jim Haylett, Head of Business Development, Office of the Police and Crime Commissioner"
    )


# --------------------------------------------------------------------------- minute wording


def test_minute_paragraphs_keep_the_printed_wording(seeded):
    (p_5_4,) = [p for p in paragraphs("BCB", "2015-09-30", "5") if p.number == "5.4"]
    assert p_5_4.text == (
        "A discussion was had with regards to the 20mph speeding zones and bespoke 20mph speeding courses that "
        "will be available from the 1st September 2015 as an educational options to receiving points on the "
        "licence, where appropriate. The Board felt that 20mph zones needed more than road signs to distinguish "
        "them from 30 mph zones and noted that Local Authorities had a role to play in this."
    )
    (p_9_4,) = [p for p in paragraphs("BCB", "2015-11-26", "9") if p.number == "9.4"]
    assert p_9_4.text == (
        "By collaborating these functions will enable the Constabulary to save over £3.2 million over the "
        "period to 2019/20."
    )
    (p_1_1,) = paragraphs("BCB", "2015-09-30", "1")
    assert p_1_1.text.startswith(
        "Apologies were received from, Andy Hebb Temporary Assistant Chief Constable,"
    )
    (p_9_1, _) = paragraphs("BCB", "2015-09-30", "9")
    assert p_9_1.text.endswith(
        "as follows:\n\n- £197k for tuServ development work\n- £599k for further Metis Mobile Devices\n"
        "- £15k for a vehicle-based solution for Metis"
    )
    assert "<li>£599k for further Metis Mobile Devices</li>" in p_9_1.text_html
    fsg_2 = paragraphs("FSG", "2015-08-27", "2")
    assert fsg_2[-1].text == "The minutes were agreed and signed by the DPCC."
    assert fsg_2[-1].kind == "resolution"
    (p_6_2,) = [p for p in paragraphs("BCB", "2015-11-26", "6") if p.number == "6.2"]
    assert p_6_2.text.endswith(
        "levels of recorded crime, prosecution possible outcomes, burglary, Cyber-crime and domestic abuse "
        "response times."
    )


def test_counts_of_the_seed_records(seeded):
    assert AgendaItem.objects.count() == 44
    assert MinuteParagraph.objects.count() == 145
    assert Attendance.objects.count() == 41
    assert Board.objects.get(short_name="BCB").meetings.count() == 5


# --------------------------------------------------------------------------- idempotence


def test_running_seed_twice_changes_nothing(seeded):
    models = [m for m in apps.get_app_config("boards").get_models()]
    before = {m._meta.label: m.objects.count() for m in models}
    paper_bodies = dict(Paper.objects.values_list("pk", "body_html"))
    out = io.StringIO()
    call_command("seed", stdout=out, stderr=io.StringIO())
    assert "Nothing changed" in out.getvalue()
    assert {m._meta.label: m.objects.count() for m in models} == before
    assert dict(Paper.objects.values_list("pk", "body_html")) == paper_bodies


def test_a_name_spelled_differently_in_one_set_of_minutes_is_shown_as_printed(seeded, client):
    html = client.get("/boards/business-coordination-board/2015-11-26/").content.decode()
    assert "Charles Kitchen" in html
    html = client.get("/boards/business-coordination-board/2015-09-30/").content.decode()
    assert "Charles Kitchin" in html
