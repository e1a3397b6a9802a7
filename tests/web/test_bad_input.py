"""No query parameter of any list, filter or export answers 500 (issue 9, "Availability and bad
input").

Every parameter a page reads is a field of its FilterSet (plus ``page``), parsed by the bounded
fields of ``minutebook.filtering``, so whatever a reader, a crawler or a fuzzer sends (text in
any script, digits other than 0-9, huge or negative numbers, impossible dates, empty values,
whitespace, NUL) the answer is 200, 400 naming the field, or 404 for a record not found. The
parameter names are read from the FilterSet classes, so a new filter is fuzzed without editing
this file.

Django's test client raises a view's exception instead of answering 500: each request is made
in a ``try`` that fails the test with the URL. Streamed downloads are read to their end, so an
exception raised while streaming fails it too. ``test_no_parameter_answers_500`` prints how many
requests it made ("N requests, 0 answered 500").
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boards.filters import ActionFilter, MeetingYearFilter, PaperFilter
from decisions.filters import DecisionNoticeFilter
from finance.filters import FinancialLineFilter
from search.filters import SearchFilter
from tests.factories import ActionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def names(filterset_class) -> list[str]:
    """The parameters a page reads: its FilterSet's fields and ``page``."""
    return [*filterset_class.base_filters, "page"]


# Every list, filter and export, with the parameters it reads. The collaboration pages and the
# boards list read none but ``page`` (and ignore the rest): they get junk all the same.
URLS: dict[str, list[str]] = {
    "/papers/": names(PaperFilter),
    "/actions/": names(ActionFilter),
    "/decisions/": names(DecisionNoticeFilter),
    "/decisions/export.csv": names(DecisionNoticeFilter),
    "/finance/": names(FinancialLineFilter),
    "/finance/lines/": names(FinancialLineFilter),
    "/finance/lines.csv": names(FinancialLineFilter),
    "/finance/lines.xlsx": names(FinancialLineFilter),
    "/boards/": ["page"],
    "/boards/bcb/": names(MeetingYearFilter),
    "/boards/no-such-board/": names(MeetingYearFilter),
    "/collaboration/": ["page", "year"],
    "/collaboration/agreements/": ["page", "year"],
    "/search/": names(SearchFilter),
}

# The values that answered 500 before issue 9, and their neighbours.
NASTY = [
    "",
    " ",
    "\x00",
    "²",
    "٣",
    "２０１５",
    "٢٠١٥/١٦",
    "２０１５/１６",
    "0",
    "-1",
    "1.5",
    "1e5",
    "NaN",
    "inf",
    "99999999999999999999",
    str(2**63),
    str(2**63 - 1),
    "9" * 5000,
    "0000-01-01",
    "0001-01-01",
    "2015-02-30",
    "٢٠١٥-١١-٢٦",
    "26/11/2015",
    "0000/01",
    "9999/00",
    "2015/16",
    "bcb",
    "x" * 300,
]
# Values some filter reads as good, so requests get past the first field to the queries.
GOOD = ["2015", "2016", "2015-11-26", "2015/16", "bcb", "jcob", "cost", "paper", "open", "1", "2"]

values = st.one_of(
    st.sampled_from(NASTY + GOOD),
    st.text(max_size=20),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Zs", "Cc"]), max_size=8),
    st.integers().map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(datetime.date.isoformat),
    st.integers(min_value=0, max_value=9999).map(lambda y: f"{y:04d}/{(y + 1) % 100:02d}"),
)


@st.composite
def requests(draw) -> tuple[str, dict[str, str]]:
    """A URL and one to three of its parameters with values."""
    url = draw(st.sampled_from(sorted(URLS)))
    chosen = draw(st.lists(st.sampled_from(URLS[url]), min_size=1, max_size=3, unique=True))
    return url, {name: draw(values) for name in chosen}


class Asker:
    """Sends requests as one reader, counts them, and fails with the URL on a 500, on an
    exception the test client raised instead of a 500, or on any status but 200, 400 and 404."""

    count = 0

    def __init__(self, client: Client, who: str) -> None:
        self.client, self.who = client, who

    def ask(self, url: str, params: dict[str, str]) -> int:
        address = f"{url}?{urlencode(params)}"
        Asker.count += 1
        try:
            response = self.client.get(url, params)
            if response.streaming:  # read a download to its end: a failure there is a 500 too
                b"".join(response.streaming_content)
        except Exception as exc:  # the test client's stand-in for a 500
            pytest.fail(f"{address} as {self.who} raised {type(exc).__name__}: {exc}")
        assert response.status_code in (200, 400, 404), (address, self.who, response.status_code)
        return response.status_code


@pytest.fixture
def askers(money, staff_client):
    """The anonymous reader and staff, over the ``money`` records (boards, a meeting, papers
    of every access, notices, lines of every kind), with an action and its owner."""
    owner = PersonFactory(full_name="Josie Gowler")
    ActionFactory(meeting=money["published"].meeting, owner=owner, text="Write it up")
    return [Asker(Client(), "the public"), Asker(staff_client, "staff")]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests())
def test_no_parameter_of_any_list_or_export_answers_500(askers, request):
    url, params = request
    for asker in askers:
        asker.ask(url, params)


EXPORTS = {"/decisions/export.csv", "/finance/lines.csv", "/finance/lines.xlsx"}


def test_each_parameter_refuses_the_values_that_used_to_answer_500(askers):
    """Each parameter of each page alone, with each value of NASTY, as the public (staff runs
    the same parsing, and the hypothesis test sends these as staff too). An export reads the
    same FilterSet as its page, so it gets each value in every parameter at once."""
    public = askers[0]
    for url, parameters in URLS.items():
        for value in NASTY:
            if url in EXPORTS:
                public.ask(url, dict.fromkeys(parameters, value))
            else:
                for name in parameters:
                    public.ask(url, {name: value})


def test_no_parameter_answers_500(askers, capsys):
    """Runs after the two above (file order): reports how many requests this module made."""
    with capsys.disabled():
        print(f"\ntests/web/test_bad_input.py: {Asker.count} requests, 0 answered 500")
    assert Asker.count > 0


# -- what the reader is told ---------------------------------------------------------------------

PAGES_400 = [
    # (url, message on the page: the field's label, then why)
    ("/papers/?year=0", "Year: Enter a number from 1990 to 2100."),
    ("/papers/?year=-1", "Year: Enter a number from 1990 to 2100."),
    ("/papers/?year=99999999999999999999", "Year: Enter a number from 1990 to 2100."),
    ("/papers/?year=%C2%B2", "Year: Enter a number. Use the digits 0 to 9 only."),  # "²"
    ("/papers/?year=%D9%A3", "Year: Enter a number. Use the digits 0 to 9 only."),  # "٣"
    ("/papers/?date_from=0000-01-01", "From: Enter a valid date"),
    ("/papers/?date_from=0001-01-01", "From: Enter a date from 1990 to 2100."),
    ("/papers/?date_to=%D9%A2%D9%A0%D9%A1%D9%A5-11-26", "To: Enter a valid date"),
    ("/papers/?q=%00", "Words in the title or text: Null characters are not allowed."),
    ("/decisions/?q=" + "x" * 201, "Words in the reference, title or decision: Ensure this"),
    ("/decisions/?year=99999999999999999999", "Year signed: Enter a number from 1990 to 2100."),
    ("/decisions/?year=0", "Year signed: Enter a number from 1990 to 2100."),
    ("/decisions/?decision_maker=%D9%A3", "Select a valid choice"),
    ("/actions/?owner=%D9%A3", "Select a valid choice"),
    ("/finance/lines/?line=%C2%B2", "Line: Enter a number. Use the digits 0 to 9 only."),
    ("/finance/lines/?line=99999999999999999999999", "Line: Enter a number from 1 to"),
    ("/finance/lines/?line=0", "Line: Enter a number from 1 to"),
    ("/finance/lines/?no_year=perhaps", "No year recorded: Enter 1 (yes) or 0 (no)."),
    ("/finance/?year_from=0000/01", "Select a valid choice"),
    ("/finance/?year_to=9999/00", "Select a valid choice"),
    ("/finance/?year_from=%D9%A2%D9%A0%D9%A1%D9%A5/%D9%A1%D9%A6", "Select a valid choice"),
]
for _url in ["/papers/", "/decisions/", "/finance/lines/", "/actions/"]:
    for _page in ["x", "0", "-1", "%C2%B2", "%D9%A3", "1.5", "%00", "99999999999999999999"]:
        PAGES_400.append((f"{_url}?page={_page}", "Page: Enter a"))


def test_a_bad_number_date_choice_or_page_answers_400_with_a_message_naming_the_field(
    client, money
):
    for url, message in PAGES_400:
        response = client.get(url)
        assert response.status_code == 400, url
        assert message in response.content.decode(), url


def test_an_export_answers_a_bad_parameter_in_plain_text_naming_it(client, money):
    for url, message in [
        ("/decisions/export.csv?year=0", "year: Year signed: Enter a number from 1990 to 2100."),
        ("/finance/lines.csv?line=%D9%A3", "line: Line: Enter a number. Use the digits 0 to 9"),
        ("/finance/lines.xlsx?line=-1", "line: Line: Enter a number from 1 to"),
        ("/finance/lines.csv?page=x", "Bad filter: Page: Enter a number. Use the digits 0 to 9"),
        ("/finance/lines.csv?no_year=2", "no_year: No year recorded: Enter 1 (yes) or 0 (no)."),
        ("/finance/lines.xlsx?year_from=9999/00", "year_from: Select a valid choice"),
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        body = response.content.decode()
        assert message in body, (url, body)
        assert body.count("Line: Enter") <= 1  # a hidden field's message is written once


def test_a_page_past_the_last_gives_the_last_page_and_the_boards_list_refuses_a_bad_one(
    client, money
):
    assert client.get("/papers/?page=999").status_code == 200
    assert client.get("/boards/?page=999").status_code == 200
    response = client.get("/boards/?page=%D9%A3")
    assert response.status_code == 400 and b"page: Page: Enter a number" in response.content


def test_a_year_the_board_page_refuses_shows_the_latest_year_the_board_met(client, money):
    """The board page reads ``?year=`` with the same field; a value it refuses ("٢٠١٥", 0)
    shows the latest year the board met (tests/web/test_board_pages.py) rather than 400."""
    for year in ["%D9%A2%D9%A0%D9%A1%D9%A5", "0", "99999999999999999999"]:
        assert client.get(f"/boards/bcb/?year={year}").status_code == 200
