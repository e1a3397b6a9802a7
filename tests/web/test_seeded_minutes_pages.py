"""The seeded minutes as a reader sees them: the meeting pages, the minutes PDF and the action
log say only what the minutes print (issue 11). No action claims a status, a month stays a
month, no meeting names a chair the minutes do not name, and the actions arising are as the
minutes record them."""

import pytest
from django.test import Client

from tests.pages import get, parse, rows, table_with_caption, text

pytestmark = pytest.mark.django_db

BCB = "/boards/business-coordination-board"
FSG = "/boards/finance-sub-group"


def test_the_action_log_lists_only_the_three_marked_actions_with_no_status_claimed(seeded):
    log = rows(table_with_caption(get(Client(), "/actions/"), "Actions"))
    assert [(row[0], row[3], row[4]) for row in log] == [
        (
            "Item 13: Equality and Diversity update paper to Board in May 2016.",
            "May 2016",
            "not recorded",
        ),
        (
            "Item 3: NH would look into the numbers and reasons for the reduction of new "
            "officers joining the Police Pension Scheme.",
            "not recorded",
            "not recorded",
        ),
        (
            "Item 7: JG would share the draft Home Office response with NH and the DPCC.",
            "not recorded",
            "not recorded",
        ),
    ]
    page = text(get(Client(), "/actions/"))
    for narrative in ("JG offered to write up", "Alec Wood agreed", "The Commissioner is to meet"):
        assert narrative not in page


def test_the_action_log_filters_the_actions_whose_status_is_not_recorded(seeded):
    not_recorded = get(Client(), "/actions/?status=not-recorded")
    assert len(rows(table_with_caption(not_recorded, "Actions"))) == 3
    assert table_with_caption(get(Client(), "/actions/?status=open"), "Actions") is None
    assert "No actions match these filters." in get(Client(), "/actions/?status=open")


def test_the_30_sep_2015_page_says_there_were_no_outstanding_actions_and_marks_none(seeded):
    page = text(get(Client(), f"{BCB}/2015-09-30/"))
    assert (
        "The minutes record that there were no outstanding actions from the last meeting." in page
    )
    assert "The minutes mark no actions at this meeting." in page
    assert "No open actions were carried forward" not in page


def test_the_26_nov_2015_page_lists_no_open_action_carried_forward_and_its_one_action(seeded):
    html = get(Client(), f"{BCB}/2015-11-26/")
    assert table_with_caption(html, "Actions arising") is None
    assert "The minutes record that there were no outstanding actions" in text(html)
    (raised,) = rows(table_with_caption(html, "Actions raised"))
    assert raised == [
        "Item 13: Equality and Diversity update paper to Board in May 2016.",
        "not recorded",
        "May 2016",
        "not recorded",
    ]


def test_the_fsg_page_says_which_actions_were_carried_forward_is_not_recorded(seeded):
    page = text(get(Client(), f"{FSG}/2015-08-27/"))
    assert (
        "The minutes discuss the actions arising in their own words (see the agenda above). "
        "Which actions were carried forward is not recorded."
    ) in page
    assert "No open actions were carried forward" not in page


def test_a_meeting_known_only_from_a_paper_says_its_actions_arising_are_not_recorded(seeded):
    page = text(get(Client(), f"{BCB}/2016-02-25/"))
    assert "Which actions were carried forward to this meeting is not recorded." in page
    assert "Meeting not recorded" in page


def test_the_16_dec_2015_page_shows_its_time_and_place_as_announced_at_minute_19_1(seeded):
    html = get(Client(), f"{BCB}/2015-12-16/")
    page = text(html)
    assert "Time 14:30" in page and "Location Cambourne" in page
    assert (
        "Announced Time and place as announced at minute 19.1 of the meeting of 26 November 2015"
    ) in page
    assert f"{BCB}/2015-11-26/#minute-31901" in html
    assert "Meeting not recorded" in page


def summary(html: str) -> dict[str, str]:
    """The meeting's summary list: {label: value}."""
    (dl,) = [dl for dl in parse(html).iter("dl") if "summary" in dl.get("class", "")]
    return {text(div.find("dt")): text(div.find("dd")) for div in dl.findall("div")}


def test_no_seeded_minutes_page_names_a_chair_and_the_signature_is_shown_as_signed(seeded):
    for url, signer in (
        (f"{FSG}/2015-08-27/", "Brian Ashton"),
        (f"{BCB}/2015-09-30/", "Sir Graham Bright"),
        (f"{BCB}/2015-11-26/", "Sir Graham Bright"),
    ):
        fields = summary(get(Client(), url))
        assert "Chair" not in fields
        assert (fields["Meeting"], fields["Signed"]) == ("Held", signer)
