"""The PDFs of the seeded Business Coordination Board meeting of 26 November 2015, as the public
gets them: its approved minutes (19 agenda items) and its pack (agenda and four papers).

Rendering a pack takes seconds, so the seed is loaded and each PDF rendered once for the module
(inside a transaction rolled back at the end of the fixture); the tests read the same responses.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from .conftest import in_order, joined, outline_titles, pages_text, reader

# Marks every test as using the database, so pytest-django sets up the test database before the
# module fixture below runs (without a marked test it would reach the development database).
pytestmark = pytest.mark.django_db

MINUTES = "/boards/business-coordination-board/2015-11-26/minutes.pdf"
PACK = "/boards/business-coordination-board/2015-11-26/pack.pdf"

ITEM_TITLES = [
    "Welcome and Apologies",
    "Declarations of Interest",
    "Approval of the minutes from the last meeting held",
    "Restorative Justice Provision in Cambridgeshire",
    "Operational Update",
    "Performance Working Group",
    "Performance Update",
    "Domestic Abuse Update",
    "Section 22A Collaboration Agreements under the Pol",
    "Medium Term Financial Plan 2016/17 Budget Update",
    "Strategic Risk Management",
    "Operation of the Road Casualty Reduction and Suppo",
    "Annual Equality and Diversity Update",
    "Melbourn and Bretton Police Stations",
    "Police and Crime Commissioners Decisions and Forwa",
    "Finance Sub-Group",
    "Force Executive Board minutes",
    "Any Other Business",
    "Date of Next Meeting",
]


@pytest.fixture(scope="module")
def bcb(django_db_setup, django_db_blocker):
    """The responses, their pages' text, and the seeded items and papers in agenda order."""
    from boards.models import AgendaItem

    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        call_command("seed", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        items = list(
            AgendaItem.objects.filter(
                meeting__board__slug="business-coordination-board", meeting__date="2015-11-26"
            )
            .select_related("paper")
            .order_by("position")
        )
        client = Client()
        minutes, pack = client.get(MINUTES), client.get(PACK)
        result = {
            "minutes": minutes,
            "pack": pack,
            # Text extraction takes seconds for a pack: done once here.
            "minutes_pages": pages_text(minutes),
            "pack_pages": pages_text(pack),
            "items": [(i.number, i.title) for i in items],
            "papers": [(i.number, i.paper.title) for i in items if i.paper],
        }
        transaction.set_rollback(True)
    return result


def test_the_seed_has_the_nineteen_items_these_tests_expect(bcb):
    assert [n for n, _ in bcb["items"]] == [str(n) for n in range(1, 20)]
    assert all(
        title.startswith(expected[:40])
        for (_, title), expected in zip(bcb["items"], ITEM_TITLES, strict=True)
    )


def test_the_minutes_hold_every_agenda_item_from_1_to_19_in_order(bcb):
    response = bcb["minutes"]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = joined(bcb["minutes_pages"])
    assert in_order(content, [f"{n} {title[:30]}" for n, title in bcb["items"]])


def test_the_minutes_hold_attendance_paragraph_numbers_and_the_signature_line(bcb):
    content = joined(bcb["minutes_pages"])
    assert in_order(
        content,
        [
            "Member present",
            "Sir Graham Bright, Cambridgeshire Police and Crime Commissioner",
            "In attendance",
            "Charles Kitchen",
            "Apologies",
            "Alec Wood",
            "1 Welcome and Apologies",
            "1.1 Apologies were received",
            "2.1 There were no declarations of interest",
            "19 Date of Next Meeting",
            "Signed as a correct record",
            "Signed Sir Graham Bright",
        ],
    )
    assert "DRAFT" not in content
    # The minutes name no chair: the name at their end is the signature.
    assert "Chair" not in content


def test_the_minutes_are_named_by_board_date_and_kind(bcb):
    assert bcb["minutes"]["Content-Disposition"] == 'inline; filename="BCB-2015-11-26-minutes.pdf"'
    assert bcb["pack"]["Content-Disposition"] == 'inline; filename="BCB-2015-11-26-pack.pdf"'


def test_the_minutes_carry_title_author_subject_and_date_as_metadata(bcb):
    metadata = reader(bcb["minutes"]).metadata
    assert metadata.title == "Minutes of the Business Coordination Board, 26 November 2015"
    assert metadata.author == "Business Coordination Board"
    assert metadata.subject.startswith("Minutes of the meeting of the Business Coordination Board")
    assert metadata["/CreationDate"].startswith("D:20151126")
    assert metadata["/Creator"] == "Minutebook"


@pytest.mark.parametrize("document", ["minutes", "pack"])
def test_the_pdf_is_tagged_for_accessibility(bcb, document):
    catalog = reader(bcb[document]).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True


@pytest.mark.parametrize("document", ["minutes", "pack"])
def test_every_page_is_numbered_and_headed_with_the_board_and_date(bcb, document):
    pages = bcb[f"{document}_pages"]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Business Coordination Board · 26 November 2015" in page


def test_the_minutes_have_a_bookmark_per_agenda_item(bcb):
    titles = outline_titles(bcb["minutes"])
    assert titles == [f"{n} {t}" for n, t in bcb["items"]]


def test_the_pack_has_a_bookmark_for_the_agenda_then_one_per_agenda_item_in_order(bcb):
    titles = outline_titles(bcb["pack"])
    top_level = [t for t in titles if isinstance(t, str)]
    assert top_level == ["Agenda"] + [f"{n} {t}" for n, t in bcb["items"]]
    # A paper's own sections nest under its item: item 4's paper follows its bookmark.
    after_item_4 = titles[titles.index(top_level[4]) + 1]
    assert isinstance(after_item_4, list) and after_item_4[0] == "1. Purpose"


def test_the_pack_is_the_agenda_followed_by_each_paper_in_agenda_order(bcb):
    content = joined(bcb["pack_pages"])
    assert in_order(content, ["Agenda"] + [f"{n} {t[:30]}" for n, t in bcb["items"]])
    agenda_end = content.index("19 Date of Next Meeting")
    assert in_order(content[agenda_end:], [title[:40] for _, title in bcb["papers"]])
    assert len(bcb["papers"]) == 4


def test_the_pack_numbers_its_pages_continuously_through_every_paper(bcb):
    pages = bcb["pack_pages"]
    assert len(pages) > 20
    numbers = [int(re.search(r"Page (\d+) of (\d+)", page).group(1)) for page in pages]
    assert numbers == list(range(1, len(pages) + 1))
