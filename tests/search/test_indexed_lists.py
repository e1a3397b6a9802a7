"""The papers list's and the register's words (``q=``) read through the search index."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from decisions.services import publish_notice, sign_notice
from tests.factories import (
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    RecommendationFactory,
    approve,
)
from tests.pages import get

pytestmark = pytest.mark.django_db


def test_the_papers_words_find_stems_phrases_and_recommendations_and_exclude(client):
    board = BoardFactory(slug="bcb")
    rj = PaperFactory(board=board, title="Restorative Justice Provision", body="Victim support.")
    RecommendationFactory(paper=rj, text="Extend the delivery partnership.")
    other = PaperFactory(board=board, title="Road Casualty Fund", body="Support for victims.")
    assert rj.title in get(client, "/papers/?q=victims") and other.title in get(
        client, "/papers/?q=victims"
    )
    assert rj.title in get(client, "/papers/?q=partnership")  # its recommendation's words
    assert other.title not in get(client, "/papers/?q=%22delivery+partnership%22")
    html = get(client, "/papers/?q=victims+-casualty")
    assert rj.title in html and other.title not in html


def test_the_papers_words_find_no_hidden_paper(client, staff_client):
    PaperFactory(title="Unfinished estates review", status="draft")
    assert "Unfinished estates review" not in get(client, "/papers/?q=estates")
    assert "Unfinished estates review" in get(staff_client, "/papers/?q=estates")


def test_the_registers_words_read_every_field_of_a_notice_the_reader_may_open(client, signatory):
    meeting = MeetingFactory(date=datetime.date(2015, 11, 26))
    approve(meeting)
    notice = DecisionNoticeFactory(
        meeting=meeting,
        title="Restorative Justice extension",
        consultation="The Victims' Hub was consulted.",
    )
    sign_notice(notice=notice, user=signatory, signed_on=datetime.date(2015, 11, 26))
    assert "Restorative Justice extension" not in get(client, "/decisions/?q=hub")
    publish_notice(notice=notice, user=signatory, published_on=datetime.date(2015, 11, 27))
    assert "Restorative Justice extension" in get(client, "/decisions/?q=hub")
    assert "Restorative Justice extension" in get(Client(), "/decisions/export.csv?q=victim")
