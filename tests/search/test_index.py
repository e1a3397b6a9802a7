"""The search index follows the records: a save, a deletion, a change of visibility (by save
and by queryset update), and the rebuild command after what it cannot see."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from boards.models import Paper
from boards.services import reopen_minutes
from search.models import SearchEntry
from tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    RecommendationFactory,
    approve,
)
from tests.pages import get

from .results import facets, search

pytestmark = pytest.mark.django_db


def titles(client, words: str) -> list[str]:
    return [r.title for r in search(client, f"/search/?q={words}")[1]]


def test_a_saved_change_is_found_at_once_and_the_old_words_are_not():
    paper = PaperFactory(title="Melbourn Police Office")
    assert titles(Client(), "melbourn") == ["Melbourn Police Office"]
    paper.title = "Bretton Police Station"
    paper.save()
    assert titles(Client(), "melbourn") == []
    assert titles(Client(), "bretton") == ["Bretton Police Station"]


def test_a_recommendation_is_searched_as_part_of_its_paper():
    paper = PaperFactory(title="Restorative Justice Provision")
    recommendation = RecommendationFactory(
        paper=paper, text="Approve the extension with Solutions."
    )
    assert titles(Client(), "extension") == ["Restorative Justice Provision"]
    recommendation.delete()
    assert titles(Client(), "extension") == []


def test_a_recommendation_moved_to_a_draft_paper_leaves_the_public_paper(staff_client):
    public = PaperFactory(title="Road Casualty Reduction and Support Fund")
    draft = PaperFactory(title="Unpublished fund review", status="draft")
    recommendation = RecommendationFactory(paper=public, text="Approve the hardship grants.")
    assert titles(Client(), "hardship") == ["Road Casualty Reduction and Support Fund"]
    recommendation.paper = draft
    recommendation.save()
    html, found = search(Client(), "/search/?q=hardship")
    assert found == [] and "hardship grants" not in html.lower()
    assert titles(staff_client, "hardship") == ["Unpublished fund review"]


def test_a_deleted_record_is_no_longer_found():
    paper = PaperFactory(title="Vehicle Workshop")
    assert titles(Client(), "workshop") == ["Vehicle Workshop"]
    paper.delete()
    assert titles(Client(), "workshop") == []
    assert not SearchEntry.objects.filter(kind="paper", object_id=paper.pk).exists()


def test_a_paper_made_draft_leaves_the_publics_results_on_the_next_request(staff_client):
    paper = PaperFactory(title="Yaxley Police Station")
    assert titles(Client(), "yaxley") == ["Yaxley Police Station"]
    paper.status = Paper.Status.DRAFT
    paper.save()
    assert titles(Client(), "yaxley") == []
    assert titles(staff_client, "yaxley") == ["Yaxley Police Station"]  # those entitled do


def test_a_visibility_change_by_queryset_update_is_followed_too(staff_client):
    paper = PaperFactory(title="Bottisham Police Station")
    Paper.objects.filter(pk=paper.pk).update(status="draft")
    assert titles(Client(), "bottisham") == []
    assert titles(staff_client, "bottisham") == ["Bottisham Police Station"]
    # A move to another board moves its row to that board's facet.
    other = BoardFactory(name="Finance Sub-Group")
    Paper.objects.filter(pk=paper.pk).update(board=other, status="published")
    html = get(Client(), "/search/?q=bottisham")
    assert list(facets(html)["Board"]) == ["Finance Sub-Group"]


def test_minutes_reopened_to_draft_leave_the_publics_results(staff_client):
    meeting = MeetingFactory()
    MinuteParagraphFactory(
        item=AgendaItemFactory(meeting=meeting), text="Papworth disposal agreed."
    )
    approve(meeting)
    assert len(titles(Client(), "papworth")) == 1
    reopen_minutes(meeting=meeting, reason="A correction")
    assert titles(Client(), "papworth") == []
    assert len(titles(staff_client, "papworth")) == 1


def test_an_agenda_item_retitled_retitles_its_minutes(staff_client):
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, number="4", title="Estates")
    MinuteParagraphFactory(item=item, text="The Board noted the update.")
    assert titles(staff_client, "noted") == ["Minute 4.1: Estates"]
    item.title = "Estates Strategy"
    item.save()
    assert titles(staff_client, "noted") == ["Minute 4.1: Estates Strategy"]


def test_the_rebuild_command_restores_what_raw_writes_left_out():
    PaperFactory(title="Innovation Fund Bids Review")
    SearchEntry.objects.all().delete()  # as raw SQL or loaddata would leave it
    assert titles(Client(), "innovation") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "papers: 1 indexed" in out.getvalue()
    assert "Search index rebuilt: 1 records." in out.getvalue()
    assert titles(Client(), "innovation") == ["Innovation Fund Bids Review"]
