"""The admin's search (issue 10, item 5): dates in the forms people type find meetings, papers
and notices, in the change list and in the autocomplete pickers, and results come by relevance
before date (``minutebook.admin.DateAwareSearchMixin``)."""

import datetime

import pytest
from django.urls import reverse

from boards.models import Meeting
from decisions.models import DecisionNotice
from minutebook.admin import dates_in
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 11, 26)
THE_DAY = ["26/11/2015", "26/11/15", "26.11.2015", "2015-11-26", "26 November 2015", "26 Nov 2015"]
THE_MONTH = ["November 2015", "Nov 2015", "nov. 2015"]


@pytest.fixture
def meetings():
    """The BCB meeting of 26 November 2015, and others the day, month and year either side."""
    bcb = BoardFactory(name="Business Co-ordination Board", short_name="BCB")
    fsg = BoardFactory(name="Finance Sub-Group", short_name="FSG")
    return {
        "day": MeetingFactory(board=bcb, date=DAY),
        "day before": MeetingFactory(board=fsg, date=datetime.date(2015, 11, 25)),
        "next month": MeetingFactory(board=bcb, date=datetime.date(2015, 12, 1)),
        "last year": MeetingFactory(board=bcb, date=datetime.date(2014, 11, 26)),
    }


def changelist(client, model: str, q: str, **params) -> list:
    response = client.get(reverse(f"admin:{model}_changelist"), {"q": q, **params})
    assert response.status_code == 200, (q, response.status_code)
    return list(response.context["cl"].result_list)


def picker(client, q: str, model_name="paper", field_name="meeting") -> list[str]:
    """What the meeting picker on the paper screen offers for ``q`` (the autocomplete view)."""
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "boards", "model_name": model_name, "field_name": field_name, "term": q},
    )
    assert response.status_code == 200, (q, response.status_code)
    return [result["text"] for result in response.json()["results"]]


# -- reading the dates --------------------------------------------------------------------------


@pytest.mark.parametrize("term", THE_DAY + ["26th November 2015", "November 26, 2015"])
def test_each_way_of_typing_a_day_reads_as_that_day(term):
    assert dates_in(term) == ([(DAY, DAY + datetime.timedelta(days=1))], "")


@pytest.mark.parametrize("term", THE_MONTH)
def test_a_month_and_year_read_as_the_month(term):
    assert dates_in(term) == ([(datetime.date(2015, 11, 1), datetime.date(2015, 12, 1))], "")


def test_the_words_around_a_date_are_kept_for_the_text_search():
    assert dates_in("BCB 26 Nov 2015, estates") == (
        [(DAY, DAY + datetime.timedelta(days=1))],
        "BCB estates",
    )


@pytest.mark.parametrize(
    "term", ["31/02/2015", "31 February 2015", "29/02/2015", "2016/17", "2011-12", "1066", "26 Nov"]
)
def test_what_is_no_date_stays_words(term):
    assert dates_in(term) == ([], term)


# -- meetings: the change list and the picker ---------------------------------------------------


@pytest.mark.parametrize("term", THE_DAY)
def test_each_form_of_a_day_finds_the_meeting_in_the_list_and_in_the_picker(
    staff_client, meetings, term
):
    assert changelist(staff_client, "boards_meeting", term) == [meetings["day"]]
    assert picker(staff_client, term) == ["BCB 26 November 2015"]


@pytest.mark.parametrize("term", THE_MONTH)
def test_a_month_finds_that_months_meetings_newest_first(staff_client, meetings, term):
    assert changelist(staff_client, "boards_meeting", term) == [
        meetings["day"],
        meetings["day before"],
    ]
    assert picker(staff_client, term) == ["BCB 26 November 2015", "FSG 25 November 2015"]


def test_a_year_finds_that_years_meetings(staff_client, meetings):
    assert len(changelist(staff_client, "boards_meeting", "2015")) == 3
    assert picker(staff_client, "2014") == ["BCB 26 November 2014"]


def test_a_date_and_a_word_find_the_boards_meeting_of_that_month(staff_client, meetings):
    assert picker(staff_client, "FSG Nov 2015") == ["FSG 25 November 2015"]
    assert changelist(staff_client, "boards_meeting", "business 26/11/2015") == [meetings["day"]]


@pytest.mark.parametrize("term", ["31/02/2015", "31 February 2015", "99/99/9999", "Nov 0000"])
def test_a_date_that_does_not_exist_is_searched_as_words_and_finds_nothing(
    staff_client, meetings, term
):
    assert changelist(staff_client, "boards_meeting", term) == []
    assert picker(staff_client, term) == []


def test_a_meeting_found_through_two_of_its_items_is_listed_once(staff_client, meetings):
    AgendaItemFactory(meeting=meetings["day"], title="Budget 2016/17")
    AgendaItemFactory(meeting=meetings["day"], title="Budget monitoring")

    assert changelist(staff_client, "boards_meeting", "budget Nov 2015") == [meetings["day"]]
    assert picker(staff_client, "budget") == ["BCB 26 November 2015"]


def test_the_boards_short_name_ranks_its_meetings_first(staff_client, meetings):
    # "FSG" names the Finance Sub-Group; BCB's December meeting only has an item about it.
    AgendaItemFactory(meeting=meetings["next month"], title="Report of the FSG")

    assert picker(staff_client, "FSG") == ["FSG 25 November 2015", "BCB 1 December 2015"]


# -- papers: relevance before date --------------------------------------------------------------


@pytest.fixture
def papers():
    return {
        "all words, older": PaperFactory(
            title="Estates strategy update", date=datetime.date(2014, 5, 1)
        ),
        "one word, newer": PaperFactory(
            title="Estates annual report", date=datetime.date(2016, 5, 1)
        ),
        "exact, oldest": PaperFactory(title="Estates Strategy", date=datetime.date(2013, 5, 1)),
        "body only, newest": PaperFactory(
            title="Annual report",
            body="The estates strategy is reviewed yearly.",
            date=datetime.date(2017, 5, 1),
        ),
    }


def test_the_title_equal_to_the_words_then_holding_them_all_then_matches_elsewhere(
    staff_client, papers
):
    assert changelist(staff_client, "boards_paper", "estates strategy") == [
        papers["exact, oldest"],
        papers["all words, older"],
        papers["body only, newest"],  # newest, but the words are only in its body
    ]


def test_a_paper_whose_title_has_every_word_comes_before_a_newer_one_with_one(staff_client, papers):
    assert changelist(staff_client, "boards_paper", "estates report") == [
        papers["one word, newer"],  # "Estates annual report": both words, 2016
        papers["body only, newest"],  # "Annual report": one word in the title, 2017
    ]


def test_papers_ranked_alike_keep_the_lists_order_newest_first(staff_client, papers):
    assert changelist(staff_client, "boards_paper", "estates") == [
        papers["one word, newer"],
        papers["all words, older"],
        papers["exact, oldest"],
        papers["body only, newest"],
    ]


def test_the_paper_picker_ranks_the_same_way(staff_client, papers):
    assert picker(staff_client, "estates strategy", "agendaitem", "paper") == [
        "Estates Strategy",
        "Estates strategy update",
        "Annual report",
    ]


def test_a_column_the_user_sorts_by_keeps_their_order(staff_client, papers):
    found = changelist(staff_client, "boards_paper", "estates strategy", o="3")  # by date
    assert [paper.date for paper in found] == sorted(paper.date for paper in found)


def test_a_paper_is_found_by_its_date_and_a_word(staff_client, papers):
    assert changelist(staff_client, "boards_paper", "strategy May 2014") == [
        papers["all words, older"]
    ]
    assert changelist(staff_client, "boards_paper", "1 May 2013") == [papers["exact, oldest"]]


# -- notices: by the day they were signed -------------------------------------------------------


def test_a_notice_is_found_by_the_day_it_was_signed(staff_client):
    signed = DecisionNoticeFactory(
        title="Estates disposal", status=DecisionNotice.Status.SIGNED, signed_on=DAY
    )
    DecisionNoticeFactory(
        title="Estates purchase",
        status=DecisionNotice.Status.SIGNED,
        signed_on=datetime.date(2015, 11, 27),
    )

    for term in THE_DAY:
        assert changelist(staff_client, "decisions_decisionnotice", term) == [signed]
    assert len(changelist(staff_client, "decisions_decisionnotice", "estates Nov 2015")) == 2


def test_without_a_date_or_words_the_list_is_as_before(staff_client, meetings):
    assert changelist(staff_client, "boards_meeting", "") == list(Meeting.objects.all())
    assert len(changelist(staff_client, "boards_meeting", "business")) == 3
