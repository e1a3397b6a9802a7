"""/search/ against the seed records: words, stems, phrases, exclusions, facets and pages.

The facts are those of the seed documents (seeds/001: the Finance Sub-Group minutes of
27 August 2015, the Business Coordination Board minutes of 30 September and 26 November 2015,
and the paper "Restorative Justice Provision in Cambridgeshire" of 26 November 2015).
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from boards.models import MinuteParagraph
from tests.pages import get, text

from .results import facets, result_count, search

pytestmark = pytest.mark.django_db

RJ_PAPER = "Restorative Justice Provision in Cambridgeshire"


def minute(day: datetime.date, number: str) -> MinuteParagraph:
    return MinuteParagraph.objects.get(item__meeting__date=day, number=number)


def anchor(paragraph: MinuteParagraph) -> str:
    return f"/boards/{paragraph.item.meeting.board.slug}/{paragraph.item.meeting.date}/#minute-{paragraph.pk}"


def links(client, words: str) -> list[str]:
    return [r.link for r in search(client, f"/search/?q={words}")[1]]


def test_a_word_finds_the_minute_that_holds_it(seeded):
    # FSG 27 Aug 2015: "JG noted that Decision Notices regarding the Vehicle Workshop and
    # Yaxley Police Station ... would go to the Business Co-Ordination Board later the same day."
    html, found = search(Client(), "/search/?q=yaxley")
    assert [r.kind for r in found] == ["Minute"]
    assert "Yaxley" in found[0].snippet and "<mark>Yaxley</mark>" in html
    assert found[0].link.startswith("/boards/") and "#minute-" in found[0].link


def test_the_notice_whose_signing_is_not_recorded_is_found_only_by_those_entitled(
    seeded, staff_client
):
    # The notice "Yaxley Police Station" (status: signing not recorded) is not public.
    _, public = search(Client(), "/search/?q=yaxley")
    assert "Yaxley Police Station" not in [r.title for r in public]
    _, staff = search(staff_client, "/search/?q=yaxley")
    assert "Yaxley Police Station" in [r.title for r in staff]
    assert {r.kind for r in staff} == {"Minute", "Decision notice"}


def test_a_stem_finds_the_other_forms_of_a_word(seeded):
    # BCB 30 Sep 2015, minute 6.2: "victim satisfaction remained high" (no "victims" in it).
    paragraph = minute(datetime.date(2015, 9, 30), "6.2")
    assert "victim satisfaction" in paragraph.text and "victims" not in paragraph.text.lower()
    assert anchor(paragraph) in links(Client(), "victims")


def test_a_quoted_phrase_is_found_only_as_written(seeded):
    # BCB 26 Nov 2015, minutes 4.1, 4.3 and 4.4 name "Restorative Solutions", as does the paper.
    day = datetime.date(2015, 11, 26)
    html, found = search(Client(), "/search/?q=%22restorative+solutions%22")
    minutes = {anchor(minute(day, n)) for n in ("4.1", "4.3", "4.4")}
    assert minutes <= {r.link for r in found}
    assert RJ_PAPER in [r.title for r in found]
    assert "No records match" in text(get(Client(), "/search/?q=%22solutions+restorative%22"))
    assert search(Client(), "/search/?q=solutions+restorative")[1]  # the words, not the phrase


def test_a_minus_leaves_out_the_records_holding_a_word(seeded):
    # Minute 4.3 (26 Nov 2015) and the paper's §5.5 speak of "offenders"; 4.1 and 4.4 do not.
    day = datetime.date(2015, 11, 26)
    found = links(Client(), "%22restorative+solutions%22+-offenders")
    assert anchor(minute(day, "4.1")) in found and anchor(minute(day, "4.4")) in found
    assert anchor(minute(day, "4.3")) not in found
    titles = [
        r.title for r in search(Client(), "/search/?q=%22restorative+solutions%22+-offenders")[1]
    ]
    assert RJ_PAPER not in titles


def test_the_facets_count_the_results_and_each_link_lists_as_many(seeded, settings):
    settings.PAGE_SIZE = 100
    client = Client()
    html, found = search(client, "/search/?q=restorative")
    for heading in ("Kind of record", "Board", "Year"):
        buckets = facets(html)[heading]
        assert sum(count for count, _ in buckets.values()) == len(found), heading
        for label, (count, link) in buckets.items():
            if link:
                _, narrowed = search(client, "/search/" + link)
                assert len(narrowed) == count, (heading, label)


def test_the_results_are_paged(seeded, settings):
    settings.PAGE_SIZE = 3
    client = Client()
    html, first = search(client, "/search/?q=victims")
    total = result_count(html)
    assert total > 3 and len(first) == 3
    pages = -(-total // 3)
    seen = [
        r.link
        for n in range(1, pages + 1)
        for r in search(client, f"/search/?q=victims&page={n}")[1]
    ]
    assert len(seen) == len(set(seen)) == total
