"""The site-wide search page (/search/): who finds what, facets, the empty states, hostile
queries, and its query count.

Every record of the world below holds the word "zebra" and a marker word of its own, so one
search for "zebra" lists, for each role, exactly the records that role may read.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client

from boards.models import Board
from decisions.services import publish_notice, sign_notice
from search import backends
from search.models import SearchEntry
from search.results import _Tally
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MembershipFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
    approve,
)
from tests.pages import count_queries, get, text

from .results import facets, search

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 11, 26)
DRAFT_DAY = datetime.date(2016, 1, 14)

PUBLIC = {"mkpubpaper", "mkpubitem", "mkdraftagenda", "mkpubminute", "mkpubaction", "mkpubnotice"}
BCB_RESTRICTED = {
    "mkdraftpaper",
    "mkexpaper",
    "mkexitem",
    "mkexminute",
    "mkexaction",
    "mkdraftminute",
    "mkdraftaction",
    "mkdraftnotice",
}
PRIVATE = {"mkprivpaper"}
EVERY = PUBLIC | BCB_RESTRICTED | PRIVATE


@pytest.fixture
def world(signatory):
    bcb = BoardFactory(name="Business Coordination Board", slug="bcb", short_name="BCB")
    private = BoardFactory(name="Chiefs Group", slug="chiefs", is_public=False)
    BoardFactory(name="Joint Chief Officer Board", slug="jcob")

    PaperFactory(board=bcb, title="Zebra crossings mkpubpaper", date=DAY)
    PaperFactory(board=bcb, title="Zebra draft mkdraftpaper", status="draft", date=DAY)
    PaperFactory(
        board=bcb,
        title="Estates mkexpaper",
        body="1.1 The zebra price.",
        access="exempt",
        exemption_reason="Paragraph 3",
        date=DAY,
    )
    PaperFactory(board=private, title="Zebra pay mkprivpaper", date=DAY)

    m1 = MeetingFactory(board=bcb, date=DAY)
    item = AgendaItemFactory(meeting=m1, number="4", title="Zebra item mkpubitem")
    MinuteParagraphFactory(item=item, text="The zebra was discussed mkpubminute.")
    ActionFactory(meeting=m1, item=item, text="Paint the zebra mkpubaction")
    exempt = AgendaItemFactory(
        meeting=m1,
        number="5",
        title="Zebra mkexitem",
        is_exempt=True,
        exemption_reason="Paragraph 3",
    )
    MinuteParagraphFactory(item=exempt, text="The zebra price mkexminute.")
    ActionFactory(meeting=m1, item=exempt, text="Negotiate the zebra mkexaction")
    approve(m1)

    m2 = MeetingFactory(board=bcb, date=DRAFT_DAY)
    draft_item = AgendaItemFactory(meeting=m2, number="1", title="Zebra bids mkdraftagenda")
    MinuteParagraphFactory(item=draft_item, text="Zebra not yet approved mkdraftminute.")
    ActionFactory(meeting=m2, item=draft_item, text="Review the zebra mkdraftaction")

    published = DecisionNoticeFactory(meeting=m1, title="Zebra extension mkpubnotice")
    sign_notice(notice=published, user=signatory, signed_on=DAY)
    publish_notice(notice=published, user=signatory, published_on=DAY)
    DecisionNoticeFactory(
        meeting=m1, title="Unsigned mkdraftnotice", decision="The zebra would be approved."
    )
    return {"bcb": bcb, "private": private, "m1": m1}


def login(username: str, *boards) -> Client:
    user = UserFactory(username=username)
    person = PersonFactory(full_name=username.title(), user=user)
    for board in boards:
        MembershipFactory(board=board, person=person)
    client = Client()
    client.force_login(user)
    return client


def markers(found) -> set[str]:
    """The marker words of the results listed (in their titles and snippets)."""
    words = " ".join(f"{r.title} {r.snippet}" for r in found).lower().split()
    return {word.strip(".,") for word in words if word.startswith("mk")}


def roles(world, staff_client) -> dict[str, tuple[Client, set[str]]]:
    """Each role's client and the markers it may read."""
    jcob = Board.objects.get(slug="jcob")
    return {
        "anonymous": (Client(), PUBLIC),
        "member of another board": (login("other", jcob), PUBLIC),
        "board member": (login("member", world["bcb"]), PUBLIC | BCB_RESTRICTED),
        "staff": (staff_client, EVERY),
    }


def test_each_role_finds_exactly_the_records_it_may_read(world, staff_client):
    for role, (client, expected) in roles(world, staff_client).items():
        html, found = search(client, "/search/?q=zebra")
        assert markers(found) == expected, role
        page = text(html).lower()
        for hidden in EVERY - expected:  # not in a title, a snippet, a facet or anywhere else
            assert hidden not in page, (role, hidden)
        counts = facets(html)["Kind of record"]
        assert sum(count for count, _ in counts.values()) == len(expected) == len(found), role


def test_the_public_is_told_nothing_of_a_hidden_record_searched_by_its_own_word(
    world, staff_client
):
    html, found = search(Client(), "/search/?q=mkexminute")
    assert found == [] and facets(html) == {}
    assert "No records match “mkexminute”" in text(html)
    # Its twin: staff find it, as a minute linked to its paragraph on the meeting's page.
    _, found = search(staff_client, "/search/?q=mkexminute")
    assert [r.kind for r in found] == ["Minute"]
    assert found[0].link.startswith("/boards/bcb/2015-11-26/#minute-")
    assert found[0].title == "Minute 5.1: Zebra mkexitem"


def test_facet_counts_are_the_readers_own_and_each_links_to_its_results(world):
    client = Client()
    html = get(client, "/search/?q=zebra")
    kinds = facets(html)["Kind of record"]
    assert {label: count for label, (count, _) in kinds.items()} == {
        "Paper": 1,
        "Minute": 1,
        "Agenda item": 2,
        "Decision notice": 1,
        "Action": 1,
    }
    assert facets(html)["Board"]["Business Coordination Board"][0] == 6
    assert {label: c for label, (c, _) in facets(html)["Year"].items()} == {"2016": 1, "2015": 5}
    narrowed, found = search(client, "/search/" + kinds["Agenda item"][1])
    assert [r.kind for r in found] == ["Agenda item", "Agenda item"]
    # The other facets count within the kind chosen; the kinds still count every kind.
    assert {label: c for label, (c, _) in facets(narrowed)["Year"].items()} == {
        "2016": 1,
        "2015": 1,
    }
    assert facets(narrowed)["Kind of record"]["Paper"][0] == 1
    assert "Filtered by: Kind of record: Agenda item" in text(narrowed)


def test_results_show_kind_board_date_and_a_highlighted_snippet(world):
    html, found = search(Client(), "/search/?q=discussed")
    assert len(found) == 1
    minute = found[0]
    assert minute.kind == "Minute"
    assert minute.meta == "Minute Business Coordination Board · Item 4 · 26 November 2015"
    assert "<mark>discussed</mark>" in html
    assert "zebra was discussed mkpubminute" in minute.snippet


def test_an_empty_search_says_what_to_do(world):
    assert "Enter one or more words" in text(get(Client(), "/search/"))
    assert "Enter one or more words" in text(get(Client(), "/search/?q="))
    assert "has no words to look for" in text(get(Client(), "/search/?q=the+of"))
    assert "has no words to look for" in text(get(Client(), "/search/?q=-zebra"))


def test_no_results_with_filters_suggests_removing_them(world):
    html, found = search(Client(), "/search/?q=zebra&kind=action&year=2016")
    assert found == []
    words = text(html)
    assert "No records with these filters match “zebra”" in words
    assert "Remove kind of record: Action" in words and "Remove year: 2016" in words


def test_results_are_paginated(world, settings):
    settings.PAGE_SIZE = 4
    client = Client()
    html, first = search(client, "/search/?q=zebra")
    assert len(first) == 4 and "6 results for “zebra”, page 1 of 2" in text(html)
    _, second = search(client, "/search/?q=zebra&page=2")
    assert len(second) == 2 and not {r.link for r in first} & {r.link for r in second}
    get(client, "/search/?q=zebra&page=x", status=400)


def test_a_board_the_reader_may_not_see_is_a_bad_filter(world, staff_client):
    html = get(Client(), "/search/?q=zebra&board=chiefs", status=400)
    assert "Board: Select a board from the list." in text(html) and "mkprivpaper" not in html
    assert "Kind of record: Select a kind" in text(
        get(Client(), "/search/?q=zebra&kind=x", status=400)
    )
    _, found = search(staff_client, "/search/?q=zebra&board=chiefs")
    assert [r.title for r in found] == ["Zebra pay mkprivpaper"]


@pytest.mark.parametrize(
    "words",
    [
        '"',
        '""',
        "*",
        "zebra*",
        "NEAR(",
        "NEAR(zebra item, 2)",
        "col:",
        "title:zebra",
        "text:zebra",
        "zebra OR",
        "OR zebra",
        "AND",
        "-",
        "--zebra",
        "zebra -",
        "(zebra",
        "zebra)",
        "^zebra",
        "'; DROP TABLE search_searchentry; --",
        "\\",
        "%",
        "_",
        "zebra & !item | crossing",
        "zebra <-> item",
        "zébra",
        "zebra 🦓",
        "a" * 200,
    ],
)
def test_hostile_queries_answer_a_page_never_an_error(world, words):
    response = Client().get("/search/", {"q": words})
    assert response.status_code == 200, words


def test_html_in_the_query_is_escaped(world):
    html = get(Client(), "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E+zebra")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; zebra" in html


def test_markup_in_a_records_text_reaches_the_snippet_only_as_text(world):
    PaperFactory(
        board=world["bcb"],
        title="Markup test",
        body="1.1 The <b>okapi</b> report <script>alert(1)</script>.",
    )
    html, found = search(Client(), "/search/?q=okapi")
    assert "<b>" not in html and "<script>alert" not in html
    assert "<mark>okapi</mark>" in html
    # SQLite's snippet keeps the typed tags, escaped: the reader sees them as text. PostgreSQL's
    # ts_headline leaves tags out of the snippet altogether.
    assert "<b>okapi</b>" in found[0].snippet or "<" not in found[0].snippet
    assert "okapi" in found[0].snippet


def test_a_query_too_long_is_refused_with_a_message_naming_the_field(world):
    html = get(Client(), "/search/?q=" + "a" * 201, status=400)
    assert "Search for: Ensure this value has at most 200 characters" in text(html)
    get(Client(), "/search/?q=zebra%00", status=400)


def test_the_site_header_has_a_search_box():
    html = get(Client(), "/")
    assert 'action="/search/"' in html and 'id="site-search-q"' in html


def build(word: str, size: int, board) -> None:
    """``size`` records of each kind holding ``word``."""
    meeting = MeetingFactory(board=board)
    for n in range(size):
        PaperFactory(board=board, title=f"{word} paper {n}")
        item = AgendaItemFactory(meeting=meeting, title=f"{word} item {n}")
        MinuteParagraphFactory(item=item, text=f"The {word} minute {n}.")
        ActionFactory(meeting=meeting, item=item, text=f"The {word} action {n}")
    approve(meeting)


def test_the_page_runs_the_same_queries_whatever_the_number_of_results(staff_client):
    board = BoardFactory(slug="bcb")
    build("giraffe", 1, board)
    build("elephant", 6, board)
    member = login("member", board)
    # Anonymous: the window of matching rows (ranking, count and facets come from it) and the
    # visibility of its records, one query per kind found (papers, items, minutes, actions: 4),
    # the boards the reader may see (the board facet's and the results' boards) and the
    # page's rows with their snippets (7). A member adds the session, the user and their
    # memberships; staff the session and the user.
    for client, expected in ((Client(), 7), (member, 10), (staff_client, 9)):
        small = count_queries(client, "/search/?q=giraffe")
        large = count_queries(client, "/search/?q=elephant")
        assert small == large == expected


def test_a_search_that_finds_nothing_costs_the_public_one_query():
    build("giraffe", 2, BoardFactory(slug="bcb"))
    # The window's first batch, empty: no visibility, no boards, no rows to read.
    assert count_queries(Client(), "/search/?q=okapi") == 1


def test_a_filter_chosen_costs_one_query_more_for_its_own_facet(staff_client):
    board = BoardFactory(slug="bcb")
    build("giraffe", 2, board)
    # The results' window with the kind filter (and its minutes' visibility: 2), the kind
    # facet's window without it (and the visibility of its 4 kinds: 5), the boards, the rows.
    assert count_queries(Client(), "/search/?q=giraffe&kind=minute") == 9


def test_more_matches_than_the_window_are_said_so_and_the_most_recent_ranked(monkeypatch):
    monkeypatch.setattr("search.results.WINDOW", 4)
    board = BoardFactory(slug="bcb")
    old = MeetingFactory(board=board, date=datetime.date(2014, 3, 1))
    new = MeetingFactory(board=board, date=datetime.date(2016, 3, 1))
    for meeting, word, items in ((old, "older", 2), (new, "newer", 3)):
        for n in range(items):
            item = AgendaItemFactory(meeting=meeting, title=f"Okapi {word} item {n}")
            MinuteParagraphFactory(item=item, text=f"The okapi {word} minute {n}.")
        approve(meeting)
    html, found = search(Client(), "/search/?q=okapi")
    assert "More than 4 results for “okapi”: the 4 most recent are ranked here" in text(html)
    assert len(found) == 4 and all("newer" in r.title or "newer" in r.snippet for r in found)
    # The facets count the window the page ranks: 4 rows of 2016, none of 2014.
    assert facets(html)["Year"] == {"2016": (4, "?q=okapi&year=2016")}
    # Narrowed to 2014, the older records (2 items and their 2 minutes) are the window.
    html, found = search(Client(), "/search/?q=okapi&year=2014")
    assert "More than" not in text(html) and len(found) == 4
    assert all("older" in r.title or "older" in r.snippet for r in found)


def test_hidden_records_take_no_place_in_the_window(monkeypatch):
    monkeypatch.setattr("search.results.WINDOW", 4)
    board = BoardFactory(slug="bcb")
    published = MeetingFactory(board=board, date=datetime.date(2014, 3, 1))
    for n in range(2):
        item = AgendaItemFactory(meeting=published, title=f"Tapir item {n}")
        MinuteParagraphFactory(item=item, text=f"The tapir minute {n}.")
    approve(published)
    # Newer, but papers in draft: the public may not see them, so they neither fill the
    # window nor make it say "more than".
    for n in range(3):
        PaperFactory(board=board, title=f"Tapir draft {n}", date=datetime.date(2016, 1, 1),
                     status="draft")  # fmt: skip
    html, found = search(Client(), "/search/?q=tapir")
    assert "More than" not in text(html)
    assert "4 results for “tapir”" in text(html)  # 2 items and their 2 minutes
    assert all("draft" not in r.title for r in found)


def test_a_window_read_in_batches_holds_every_match_newest_first_undated_last(monkeypatch):
    monkeypatch.setattr("search.results.BATCH", 2)
    board = BoardFactory(slug="bcb")
    for year in (2013, 2015, 2014, 2016):
        PaperFactory(board=board, title=f"Quagga dated {year}", date=datetime.date(year, 5, 1))
    for n in range(3):
        PaperFactory(board=board, title=f"Quagga undated {n}", date=None)
    for n in range(3):  # hidden among them: never listed nor counted, whatever the batches
        PaperFactory(board=board, title=f"Quagga draft {n}", status="draft",
                     date=datetime.date(2016, 6, 1) if n else None)  # fmt: skip
    html, found = search(Client(), "/search/?q=quagga")
    assert "7 results for “quagga”" in text(html)
    assert {r.title for r in found} == {
        *(f"Quagga dated {y}" for y in (2013, 2014, 2015, 2016)),
        *(f"Quagga undated {n}" for n in range(3)),
    }
    assert facets(html)["Year"]["Date not recorded"][0] == 3
    monkeypatch.setattr("search.results.WINDOW", 3)
    html, found = search(Client(), "/search/?q=quagga")
    assert "More than 3 results" in text(html)
    assert {r.title for r in found} == {f"Quagga dated {y}" for y in (2014, 2015, 2016)}


def quaggas() -> None:
    """Papers holding "striped quagga": four dated (2013 to 2016), three undated, and three drafts
    among them (two dated 2016, one undated) that the public may not see."""
    board = BoardFactory(slug="bcb")
    for year in (2013, 2015, 2014, 2016):
        PaperFactory(
            board=board, title=f"Striped quagga dated {year}", date=datetime.date(year, 5, 1)
        )
    for n in range(3):
        PaperFactory(board=board, title=f"Striped quagga undated {n}", date=None)
    for n in range(3):
        PaperFactory(board=board, title=f"Striped quagga draft {n}", status="draft",
                     date=datetime.date(2016, 6, 1) if n else None)  # fmt: skip


@pytest.mark.parametrize("batch", [2, 750])
def test_a_phrase_read_from_the_recent_rows_first_finds_the_same_records(monkeypatch, batch):
    # On PostgreSQL at scale a phrase's matches are read from the rows dated from a recent
    # floor, then the older, then the undated: the same records, counted the same, in order.
    monkeypatch.setattr("search.results.BATCH", batch)
    monkeypatch.setattr("search.results.MIN_BATCH", 1)
    quaggas()
    PaperFactory(title="Quagga, striped", date=datetime.date(2016, 7, 1))  # not the phrase
    address = '/search/?q="striped+quagga"'
    plain, found = search(Client(), address)
    monkeypatch.setattr("search.backends.recent_floor", lambda: datetime.date(2015, 1, 1))
    html, floored = search(Client(), address)
    assert '7 results for “"striped quagga"”' in text(html)
    assert [r.title for r in floored] == [r.title for r in found]
    assert facets(html) == facets(plain)
    monkeypatch.setattr("search.results.WINDOW", 3)
    html, found = search(Client(), address)
    assert "More than 3 results" in text(html)
    assert {r.title for r in found} == {f"Striped quagga dated {y}" for y in (2014, 2015, 2016)}
    monkeypatch.setattr("search.results.WINDOW", 5)  # the older rows and an undated one
    html, found = search(Client(), address)
    assert "More than 5 results" in text(html)
    assert facets(html)["Year"]["Date not recorded"][0] == 1


def test_a_later_batch_reads_what_the_window_still_needs_at_the_share_kept(monkeypatch):
    monkeypatch.setattr("search.results.WINDOW", 500)
    monkeypatch.setattr("search.results.BATCH", 750)
    monkeypatch.setattr("search.results.MIN_BATCH", 50)
    tally = _Tally()
    assert tally.next_size() == 750
    tally.read, tally.kept = 750, 450  # the public sees 3 in 5: 51 more wanted, 85 to read
    assert tally.next_size() == 128  # with half again as margin
    tally.read, tally.kept = 750, 498
    assert tally.next_size() == 50
    tally.read, tally.kept = 750, 0  # none of the reader's yet: as many as a batch holds
    assert tally.next_size() == 750


def test_hidden_records_never_fill_the_window_whatever_the_batch_sizes(monkeypatch):
    monkeypatch.setattr("search.results.BATCH", 3)
    monkeypatch.setattr("search.results.MIN_BATCH", 1)
    monkeypatch.setattr("search.results.WINDOW", 3)
    quaggas()
    # The first batch (2 drafts of 2016 and the 2016 paper) keeps 1 in 3: the next reads 9.
    html, found = search(Client(), "/search/?q=quagga")
    assert "More than 3 results" in text(html)
    assert {r.title for r in found} == {f"Striped quagga dated {y}" for y in (2014, 2015, 2016)}
    monkeypatch.setattr("search.results.WINDOW", 7)
    html, found = search(Client(), "/search/?q=quagga")
    assert "7 results for “quagga”" in text(html) and "More than" not in text(html)
    assert not any("draft" in r.title for r in found)


def test_minutes_asked_in_parts_are_each_the_readers_own(monkeypatch):
    monkeypatch.setattr("search.models.MINUTE_KEYS", 2)
    board = BoardFactory(slug="bcb")
    approved = MeetingFactory(board=board, date=datetime.date(2014, 3, 1))
    draft = MeetingFactory(board=board, date=datetime.date(2016, 3, 1))
    for meeting, word in ((approved, "approved"), (draft, "draft")):
        item = AgendaItemFactory(meeting=meeting, title="Estates")
        for n in range(3):
            MinuteParagraphFactory(item=item, text=f"The dingo {word} minute {n}.")
    approve(approved)
    html, found = search(Client(), "/search/?q=dingo")
    assert "3 results for “dingo”" in text(html)
    assert all("approved" in r.snippet for r in found)
    member = login("member", board)  # entitled to the board's draft minutes
    html, found = search(member, "/search/?q=dingo")
    assert "6 results for “dingo”" in text(html)


def test_a_published_notice_of_a_private_boards_meeting_names_no_board_to_the_public(
    signatory, staff_client
):
    private = BoardFactory(name="Chiefs Group", slug="chiefs", is_public=False)
    meeting = MeetingFactory(board=private, date=DAY)
    notice = DecisionNoticeFactory(meeting=meeting, title="Wombat fleet")
    sign_notice(notice=notice, user=signatory, signed_on=DAY)
    publish_notice(notice=notice, user=signatory, published_on=DAY)
    html, found = search(Client(), "/search/?q=wombat")
    assert len(found) == 1 and found[0].title.endswith("Wombat fleet")
    assert "Chiefs Group" not in found[0].meta
    assert facets(html)["Board"] == {"No board": (1, "")}
    html, found = search(staff_client, "/search/?q=wombat")
    assert "Chiefs Group" in found[0].meta
    assert facets(html)["Board"] == {"Chiefs Group": (1, "?q=wombat&board=chiefs")}


def test_the_recent_rows_start_where_the_statistics_of_the_dates_say(monkeypatch):
    # On PostgreSQL, the date from which about RECENT_ROWS of the index's rows are dated, as
    # ANALYZE last found the dates; on SQLite none (every search reads its rows as one span).
    board = BoardFactory(slug="bcb")
    first = datetime.date(2014, 1, 1)
    for n in range(100):
        PaperFactory(board=board, title=f"Numbat {n}", date=first + datetime.timedelta(days=n))
    monkeypatch.setattr("search.backends.RECENT_ROWS", 20)
    if connection.vendor != "postgresql":
        assert backends.recent_floor() is None
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    floor = backends.recent_floor()
    recent = SearchEntry.objects.filter(date__gte=floor).count()
    assert 15 <= recent <= 25
