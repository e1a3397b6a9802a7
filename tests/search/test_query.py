"""Reading the websearch syntax: what reaches each database is built of words only."""

import pytest

from search.query import MAX_TERMS, parse


def test_words_are_all_required_and_stop_words_are_left_out():
    query = parse("the Restorative JUSTICE of")
    assert query.fts5() == '("restorative" AND "justice")'
    assert query.websearch() == "restorative justice"


def test_a_quoted_phrase_stays_one_term_with_its_stop_words():
    query = parse('"victims of crime" funding')
    assert query.fts5() == '("victims of crime" AND "funding")'
    assert query.websearch() == '"victims of crime" funding'


def test_a_minus_excludes_a_word_or_a_phrase():
    query = parse('justice -youth -"drink driving"')
    assert query.fts5() == '((("justice") NOT "youth") NOT "drink driving")'
    assert query.websearch() == 'justice -youth -"drink driving"'


def test_or_accepts_either_side_and_binds_loosest_as_in_postgresql():
    query = parse("vehicle workshop or yaxley -station")
    assert query.fts5() == '("vehicle" AND "workshop") OR (("yaxley") NOT "station")'
    assert query.websearch() == "vehicle workshop or yaxley -station"
    # A side of exclusions only finds nothing, so it is left out on both databases.
    assert parse("workshop or -station").websearch() == "workshop"


@pytest.mark.parametrize("text", ["", "   ", "the of and", "-justice", '-"a phrase"', '"', "or"])
def test_nothing_to_look_for_is_no_query(text):
    assert not parse(text)


@pytest.mark.parametrize(
    "text, fts5",
    [
        ('"unbalanced', '("unbalanced")'),
        ("NEAR(victim crime, 3)", '("near victim" AND "crime" AND "3")'),
        ("title:victim", '("title victim")'),
        ("victim*", '("victim")'),
        ("^victim", '("victim")'),
        ("victim AND crime", '("victim" AND "crime")'),
        ("victim NOT crime", '("victim" AND "crime")'),
        ("victim OR", '("victim")'),
        ("<script>alert(1)</script>", '("script alert 1 script")'),
        ("road_casualty", '("road casualty")'),
    ],
)
def test_operators_of_either_database_are_only_words(text, fts5):
    query = parse(text)
    written = query.fts5()
    assert written == fts5
    # Whatever was typed, the query is quoted words joined by the operators this module writes.
    for part in written.replace("(", " ").replace(")", " ").split('"')[::2]:
        assert set(part.split()) <= {"AND", "OR", "NOT"}


def test_at_most_a_few_terms_are_read():
    query = parse(" ".join(f"word{n}" for n in range(100)))
    assert len(query.terms) == MAX_TERMS
