"""What every public page owes its reader: branded error pages (400, 403, 404, 500), error
messages tied to their fields, "Error:" in the title of a page whose form has errors, the
organisation's name from settings, the footer's links (hidden when unset) and the
accessibility statement."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from minutebook.settings import env_address
from tests.pages import get, parse, text

pytestmark = pytest.mark.django_db

DEFAULT_ORGANISATION = "Cambridgeshire Office of the Police and Crime Commissioner"


def title(html: str) -> str:
    return text(parse(html).find(".//head/title"))


def header_organisation(html: str) -> str:
    return text(parse(html).find(".//*[@class='site-header__org']"))


def footer_links(html: str) -> dict[str, str]:
    footer = parse(html).find(".//footer")
    return {text(a): a.get("href") for a in footer.iter("a")}


# -- error pages -------------------------------------------------------------------------------


def test_an_unknown_address_answers_the_branded_not_found_page(client):
    html = get(client, "/no-such-page/", status=404)
    assert title(html) == "Page not found – Minutebook"
    assert "There is no page at this address" in text(html)
    assert header_organisation(html) == DEFAULT_ORGANISATION
    assert "Accessibility statement" in footer_links(html)


@pytest.mark.urls("tests.web.error_urls")
def test_a_refused_page_answers_the_branded_403_page_asking_the_public_to_sign_in(client):
    html = get(client, "/test/403/", status=403)
    assert title(html) == "You may not open this page – Minutebook"
    assert "open only to signed-in board members and OPCC staff" in text(html)
    assert header_organisation(html) == DEFAULT_ORGANISATION


@pytest.mark.urls("tests.web.error_urls")
def test_a_signed_in_reader_refused_a_page_is_not_asked_to_sign_in(member_user):
    reader = Client()
    reader.force_login(member_user)
    html = get(reader, "/test/403/", status=403)
    assert "You are signed in as member" in text(html)
    assert "open only to signed-in" not in text(html)


@pytest.mark.urls("tests.web.error_urls")
def test_a_request_no_page_can_read_answers_the_branded_400_page(client):
    html = get(client, "/test/400/", status=400)
    assert title(html) == "Bad request – Minutebook"
    assert "Sorry, this address could not be read" in text(html)
    assert header_organisation(html) == DEFAULT_ORGANISATION


@pytest.mark.urls("tests.web.error_urls")
def test_a_fault_answers_the_branded_500_page_without_asking_the_database(
    django_assert_num_queries,
):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert title(html) == "Something went wrong – Minutebook"
    assert header_organisation(html) == DEFAULT_ORGANISATION
    assert "a fault in a view" not in html


@pytest.mark.urls("tests.web.error_urls")
def test_the_500_page_still_answers_when_its_template_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("the template cannot be read")

    monkeypatch.setattr("web.views.errors.loader.get_template", broken)
    response = Client(raise_request_exception=False).get("/test/500/")
    assert response.status_code == 500
    assert "Something went wrong" in text(response.content.decode())


# -- forms: errors tied to their fields, "Error:" in the title ------------------------------------


def test_each_error_message_is_the_element_its_fields_aria_describedby_names(client):
    html = get(client, "/papers/?date_from=not-a-date&year=1", status=400)
    root = parse(html)
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    described = [e for e in root.iter() if e.get("aria-describedby")]
    assert {e.get("id") for e in described} >= {"id_date_from", "id_year"}
    for control in described:
        for ref in control.get("aria-describedby").split():
            assert ref in ids, f"{control.get('id')} points at {ref}, which is not on the page"
    assert "Enter a valid date" in text(ids["id_date_from_error"])
    assert text(ids["id_date_from_error"]).startswith("Error:")


def test_a_page_whose_form_has_errors_says_error_first_in_its_title(client):
    assert title(get(client, "/papers/?date_from=not-a-date", status=400)).startswith("Error: ")
    assert title(get(client, "/decisions/?year=nonsense", status=400)).startswith("Error: ")


def test_a_page_whose_form_has_no_errors_does_not(client):
    assert not title(get(client, "/papers/")).startswith("Error")
    assert not title(get(client, "/papers/?date_from=2015-01-01")).startswith("Error")


def test_a_failed_sign_in_says_error_in_the_title(client, member_user):
    response = client.post("/accounts/login/", {"username": "member", "password": "wrong"})
    assert title(response.content.decode()) == "Error: Sign in – Minutebook"


# -- the organisation, the footer, the accessibility statement -------------------------------------


def test_the_header_names_the_organisation_from_the_setting(client):
    assert header_organisation(get(client, "/")) == DEFAULT_ORGANISATION
    with override_settings(MINUTEBOOK_ORGANISATION="Hertfordshire OPCC"):
        html = get(client, "/")
    assert header_organisation(html) == "Hertfordshire OPCC"
    assert "Governance records of the Hertfordshire OPCC" in text(html)


@override_settings(MINUTEBOOK_CONTACT_URL="", MINUTEBOOK_PRIVACY_URL="", MINUTEBOOK_FOI_URL="")
def test_the_footer_links_only_the_accessibility_statement_when_no_address_is_set(client):
    assert footer_links(get(client, "/")) == {"Accessibility statement": "/accessibility/"}


@override_settings(
    MINUTEBOOK_CONTACT_URL="https://example.org/contact",
    MINUTEBOOK_PRIVACY_URL="/privacy/",
    MINUTEBOOK_FOI_URL="https://example.org/foi",
)
def test_the_footer_links_contact_privacy_and_freedom_of_information_where_set(client):
    assert footer_links(get(client, "/")) == {
        "Accessibility statement": "/accessibility/",
        "Contact": "https://example.org/contact",
        "Privacy": "/privacy/",
        "Freedom of information": "https://example.org/foi",
    }


def test_a_footer_address_that_is_not_a_link_is_refused_naming_its_setting(monkeypatch):
    monkeypatch.setenv("MINUTEBOOK_FOI_URL", "javascript:alert(1)")
    with pytest.raises(ImproperlyConfigured, match="MINUTEBOOK_FOI_URL"):
        env_address("MINUTEBOOK_FOI_URL")


@override_settings(MINUTEBOOK_ACCESSIBILITY_CONTACT="")
def test_the_accessibility_statement_says_where_to_report_a_problem_is_not_recorded(client):
    html = get(client, "/accessibility/")
    assert title(html) == "Accessibility statement – Minutebook"
    words = text(html)
    assert f"contact the {DEFAULT_ORGANISATION}: not recorded." in words
    assert "What has been tested" in words and "Enforcement procedure" in words


@override_settings(MINUTEBOOK_ACCESSIBILITY_CONTACT="accessibility@example.org")
def test_the_accessibility_statement_links_the_contact_set(client):
    html = get(client, "/accessibility/")
    links = {text(a): a.get("href") for a in parse(html).iter("a")}
    assert links["accessibility@example.org"] == "mailto:accessibility@example.org"


def test_an_empty_money_cell_says_none_in_text_a_screen_reader_announces(client, money):
    root = parse(get(client, "/finance/"))
    empty = [td for td in root.iter("td") if td.find("span[@class='nil']") is not None]
    assert empty, "the totals have no empty cell to read"
    for cell in empty:
        assert text(cell.find(".//span[@class='visually-hidden']")) == "none"
        assert cell.find(".//span[@aria-hidden='true']") is not None  # the dash is not read
    assert not [span for span in root.iter("span") if span.get("aria-label")]
