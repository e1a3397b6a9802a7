"""The papers list (/papers/): its filters, their errors, and pagination."""

import datetime

import pytest

from tests.factories import BoardFactory, PaperFactory
from tests.pages import get

pytestmark = pytest.mark.django_db


def test_the_papers_list_filters_by_board_year_dates_and_words(client, records):
    other = PaperFactory(
        board=BoardFactory(slug="fsg"), title="Capital Programme", date=datetime.date(2016, 3, 1)
    )
    assert other.title not in get(client, "/papers/?board=bcb")
    assert "Restorative Justice Provision" not in get(client, "/papers/?year=2016")
    assert other.title in get(client, "/papers/?date_from=2016-01-01&date_to=2016-12-31")
    assert other.title not in get(client, "/papers/?q=restorative")


def test_bad_paper_filters_answer_400_with_a_message_naming_the_field(client, records):
    html = get(client, "/papers/?date_from=not-a-date", status=400)
    assert "Enter a valid date" in html
    html = get(client, "/papers/?date_from=2016-01-01&date_to=2015-01-01", status=400)
    assert "must not be before" in html
    get(client, "/papers/?board=no-such-board", status=400)


def test_lists_are_paginated(client, settings):
    settings.PAGE_SIZE = 2
    board = BoardFactory(slug="bcb")
    for day in range(5):
        PaperFactory(board=board, title=f"Paper number {day}", date=datetime.date(2015, 1, day + 1))
    first = get(client, "/papers/")
    assert "Page 1 of 3" in first and "Paper number 4" in first and "Paper number 2" not in first
    assert "Paper number 0" in get(client, "/papers/?page=3")
    assert "Page 3 of 3" in get(client, "/papers/?page=999")
