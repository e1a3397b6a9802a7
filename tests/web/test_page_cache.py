"""Public pages served from the shared cache (web/page_cache.py): never stale after a change to
a record they show, never one reader's page for another, with validators and 304s."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from boards.models import MinuteParagraph, Paper
from tests.factories import MembershipFactory, PaperFactory, PersonFactory, UserFactory
from tests.pages import get

pytestmark = pytest.mark.django_db


def served(client, url, **headers):
    """The response and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def test_a_second_public_request_is_answered_from_the_cache_with_no_query(client, records):
    url = records["approved"].get_absolute_url()
    first, first_queries = served(client, url)
    again, queries = served(client, url)
    assert first_queries > 0
    assert queries == 0
    assert again.content == first.content
    assert "Restorative Justice" in again.content.decode()


def test_a_paper_hidden_by_save_is_never_served_from_the_cache_again(client, records):
    paper = records["public_paper"]
    get(client, paper.get_absolute_url())
    get(client, paper.get_absolute_url())  # now from the cache
    paper.status = Paper.Status.DRAFT
    paper.save()
    get(client, paper.get_absolute_url(), status=404)
    assert "Restorative Justice Provision" not in get(client, "/papers/")


def test_a_paper_hidden_by_a_queryset_update_is_never_served_from_the_cache_again(client, records):
    paper = records["public_paper"]
    get(client, paper.get_absolute_url())
    meeting_page = get(client, records["approved"].get_absolute_url())
    assert "Restorative Justice Provision" in meeting_page
    Paper.objects.filter(pk=paper.pk).update(access="exempt", exemption_reason="Commercial")
    assert "Sign in to view" in get(client, paper.get_absolute_url(), status=403)
    assert "Restorative Justice Provision" not in get(
        client, records["approved"].get_absolute_url()
    )


def test_an_edited_draft_minute_shows_at_once(staff_client, records):
    url = records["draft"].get_absolute_url()
    assert "Draft minute text not yet approved." in get(staff_client, url)
    get(staff_client, url)
    paragraph = MinuteParagraph.objects.get(text="Draft minute text not yet approved.")
    paragraph.text = "Draft minute text, amended."
    paragraph.save()
    assert "Draft minute text, amended." in get(staff_client, url)
    MinuteParagraph.objects.filter(pk=paragraph.pk).update(number="9.9")
    assert "9.9" in get(staff_client, url)


def test_a_signed_in_readers_page_never_reaches_the_public(client, staff_client, records):
    url = records["approved"].get_absolute_url()
    staff_page = get(staff_client, url)
    assert "Secret estates matter" in staff_page and "Sign out" in staff_page
    public_page = get(client, url)
    assert "Secret estates matter" not in public_page
    assert "Sign out" not in public_page and "staff" not in public_page.split("<footer")[1]


def test_the_publics_page_never_reaches_a_signed_in_reader(client, staff_client, records):
    url = records["approved"].get_absolute_url()
    get(client, url)
    get(client, url)
    assert "Secret estates matter" in get(staff_client, url)


def test_each_class_of_reader_gets_its_own_page(client, member_of, records):
    url = records["approved"].get_absolute_url()
    outsider = Client()
    outsider_user = UserFactory(username="outsider")
    MembershipFactory(board=PaperFactory().board, person=PersonFactory(user=outsider_user))
    outsider.force_login(outsider_user)
    plain = Client()
    plain.force_login(UserFactory(username="plain-login"))
    assert "Secret estates matter" not in get(outsider, url)
    assert "Secret estates matter" not in get(plain, url)
    assert "Secret estates matter" in get(member_of(records["board"]), url)
    assert "Secret estates matter" not in get(outsider, url)
    assert "Secret estates matter" not in get(client, url)


def test_two_readers_of_one_class_each_see_their_own_name_and_csrf_token(records):
    url = records["approved"].get_absolute_url()
    first, second = Client(), Client()
    first.force_login(UserFactory(username="alice-staff", is_staff=True, is_superuser=True))
    second.force_login(UserFactory(username="bob-staff", is_staff=True, is_superuser=True))
    alice = get(first, url)
    bob = get(second, url)
    assert "alice-staff" in alice and "alice-staff" not in bob
    assert "bob-staff" in bob
    # The sign-out form of the page served from the cache works for its reader.
    response = second.post("/accounts/logout/", {"csrfmiddlewaretoken": _csrf(bob)})
    assert response.status_code == 302


def _csrf(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_a_matching_etag_is_answered_304_and_a_changed_page_200(client, records):
    url = records["public_paper"].get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    again, queries = served(client, url, if_none_match=etag)
    assert again.status_code == 304 and queries == 0
    assert again["ETag"] == etag
    Paper.objects.filter(pk=records["public_paper"].pk).update(title="Restorative Justice, revised")
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Restorative Justice, revised" in changed.content.decode()


def test_if_modified_since_the_first_serving_is_answered_304(client, records):
    url = records["approved"].get_absolute_url()
    first = client.get(url)
    again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304
    earlier = http_date(0)
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200


def test_a_signed_in_reader_gets_304_for_their_own_etag_only(staff_client, records):
    url = records["approved"].get_absolute_url()
    staff_client.get(url)  # sets the CSRF cookie the sign-out form's token comes from
    etag = staff_client.get(url)["ETag"]
    assert staff_client.get(url, headers={"if-none-match": etag}).status_code == 304
    other = Client()
    other.force_login(UserFactory(username="other-staff", is_staff=True, is_superuser=True))
    assert other.get(url, headers={"if-none-match": etag}).status_code == 200


def test_settled_pages_may_be_kept_by_proxies_for_the_public(client, records, settings):
    settings.MINUTEBOOK_PAGE_MAX_AGE = 60
    settings.MINUTEBOOK_PAGE_STALE_WHILE_REVALIDATE = 30
    for url in (records["approved"].get_absolute_url(), records["public_paper"].get_absolute_url()):
        for _ in range(2):  # built, then from the cache
            response = client.get(url)
            assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=30"
            assert response["ETag"] and response["Last-Modified"]


def test_pages_of_unsettled_records_and_lists_are_revalidated_every_time(client, records):
    for url in (records["draft"].get_absolute_url(), "/papers/", "/", "/decisions/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, no-cache", url
        assert response["ETag"] and response["Last-Modified"]


def test_signed_in_pages_are_private(staff_client, member_of, records):
    url = records["approved"].get_absolute_url()
    for reader in (staff_client, member_of(records["board"])):
        for _ in range(2):
            assert reader.get(url)["Cache-Control"] == "private, no-cache"


def test_a_cached_public_page_sets_no_cookie(client, records):
    url = records["approved"].get_absolute_url()
    client.get(url)
    again = client.get(url)
    assert not again.cookies
    assert "Set-Cookie" not in again


def test_record_text_cannot_forge_a_reader_part(client, records, staff_client):
    paper = PaperFactory(
        board=records["board"], body="<!--reader-part:_reader_nav.html:forged--> body text"
    )
    get(staff_client, paper.get_absolute_url())
    html = get(client, paper.get_absolute_url())
    assert "&lt;!--reader-part" in html and "Sign out" not in html


def test_with_the_page_cache_off_every_request_builds_the_page(client, records, settings):
    settings.MINUTEBOOK_PAGE_CACHE = False
    url = records["approved"].get_absolute_url()
    client.get(url)
    again, queries = served(client, url)
    assert queries > 0 and again["ETag"]
    assert client.get(url, headers={"if-none-match": again["ETag"]}).status_code == 304


def test_a_head_request_gets_the_cached_pages_validators(client, records):
    url = records["public_paper"].get_absolute_url()
    etag = client.get(url)["ETag"]
    head = client.head(url)
    assert head.status_code == 200 and head["ETag"] == etag
    assert client.head(url, headers={"if-none-match": etag}).status_code == 304


def test_a_new_day_is_a_new_page_though_no_record_changed(client):
    import datetime

    from freezegun import freeze_time

    from tests.factories import MeetingFactory

    MeetingFactory(date=datetime.date(2026, 3, 2))
    with freeze_time("2026-03-01"):
        before, _ = served(client, "/")
        _, queries = served(client, "/")
        assert queries == 0  # the day's page, from the cache
    with freeze_time("2026-03-03"):
        _, queries = served(client, "/")
        assert queries > 0  # yesterday's "upcoming" meeting is now past: built again
