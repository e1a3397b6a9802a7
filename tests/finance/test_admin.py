"""The finance admin: the list of lines with the totals of what its filters select, amounts
typed as the papers print them, and finance officers who edit lines but never the records
they belong to or the minutes."""

import datetime
from decimal import Decimal

import pytest
import tinyhtml5
from django.test import Client
from django.urls import reverse

from boards.models import Paper
from decisions.services import sign_notice
from finance.groups import finance_officers_group
from finance.models import FinancialLine
from tests.factories import (
    AgendaItemFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    UserFactory,
)
from tests.finance.factories import FinancialLineFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 11, 26)
Kind = FinancialLine.Kind
CHANGELIST = "admin:finance_financialline_changelist"


def line(amount, kind=Kind.COST, year="", **owner) -> FinancialLine:
    return FinancialLineFactory(amount=Decimal(amount), kind=kind, financial_year=year, **owner)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def line_totals(html: str) -> dict[str, tuple[str, str]]:
    """{kind: (as shown, exact)} from the changelist's totals table; {} when there is none."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    for div in root.iter("div"):
        if div.get("id") == "line-totals":
            return {
                text(tr.find("th")): tuple(text(td) for td in tr.findall("td"))
                for tr in div.find(".//tbody").findall("tr")
            }
    return {}


def caption_of_totals(html: str) -> str:
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    return next(
        text(div.find(".//caption")) for div in root.iter("div") if div.get("id") == "line-totals"
    )


# -- the list of lines and its totals --------------------------------------------------------------


@pytest.fixture
def admin_lines(db):
    paper = PaperFactory()
    line("197000", year="2015/16", paper=paper)
    line("1200000.50", year="2015/16", paper=paper)
    line("40000", Kind.GRANT, "2015/16", paper=paper)
    line("86000", year="2016/17", paper=paper)
    line("3000", Kind.GRANT, paper=paper)


def test_the_changelist_totals_every_line_by_kind(staff_client, admin_lines):
    html = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert line_totals(html) == {
        "Cost": ("£1,483,000.50", "£1,483,000.50"),
        "Grant": ("£43k", "£43,000.00"),
    }
    assert caption_of_totals(html) == "Totals of the 5 lines these filters select"


def test_the_changelist_totals_only_the_lines_of_the_chosen_year(staff_client, admin_lines):
    response = staff_client.get(reverse(CHANGELIST), {"year": "2015/16"})
    assert response.context["cl"].result_count == 3
    assert line_totals(response.content.decode()) == {
        "Cost": ("£1,397,000.50", "£1,397,000.50"),
        "Grant": ("£40k", "£40,000.00"),
    }


def test_the_changelist_totals_only_the_lines_of_the_chosen_kind(staff_client, admin_lines):
    html = staff_client.get(reverse(CHANGELIST), {"kind__exact": "cost"}).content.decode()
    assert line_totals(html) == {"Cost": ("£1,483,000.50", "£1,483,000.50")}
    html = staff_client.get(
        reverse(CHANGELIST), {"kind__exact": "cost", "year": "2016/17"}
    ).content.decode()
    assert line_totals(html) == {"Cost": ("£86k", "£86,000.00")}


def test_the_changelist_totals_the_lines_of_no_recorded_year(staff_client, admin_lines):
    html = staff_client.get(reverse(CHANGELIST), {"year": "none"}).content.decode()
    assert line_totals(html) == {"Grant": ("£3k", "£3,000.00")}


def test_a_search_narrows_the_totals_too(staff_client, admin_lines):
    line("5", paper=PaperFactory(), description="Postage stamps")
    html = staff_client.get(reverse(CHANGELIST), {"q": "Postage"}).content.decode()
    assert line_totals(html) == {"Cost": ("£5", "£5.00")}


def test_a_line_that_is_part_of_another_is_listed_but_not_totalled(staff_client, admin_lines):
    whole = FinancialLine.objects.get(amount=Decimal("197000"))
    line("97000", year="2015/16", paper=whole.paper, part_of=whole)
    response = staff_client.get(reverse(CHANGELIST), {"year": "2015/16"})
    assert response.context["cl"].result_count == 4
    assert line_totals(response.content.decode())["Cost"] == ("£1,397,000.50", "£1,397,000.50")


# -- typing amounts --------------------------------------------------------------------------------


def add_form(paper, **overrides) -> dict:
    data = {
        "description": "ICT set-up",
        "amount": "197000",
        "kind": "cost",
        "financial_year": "2015/16",
        "on_date": "",
        "recurrence": "",
        "scope": "",
        "as_printed": "",
        "source_table": "",
        "position": "0",
        "note": "",
        "paper": str(paper.pk),
        "recommendation": "",
        "decision_notice": "",
        "function": "",
        "area": "",
        "business_case": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("12kk", "is not an amount"),
        ("£", "Enter an amount"),
        ("1.2.3", "is not an amount"),
        ("-5", "cannot be negative"),
    ],
)
def test_an_unreadable_amount_is_refused_naming_amount_and_nothing_is_saved(
    staff_client, typed, why
):
    paper = PaperFactory()
    response = staff_client.post(
        reverse("admin:finance_financialline_add"), add_form(paper, amount=typed)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["amount"]
    (message,) = errors["amount"]
    assert message.startswith("Amount:") and why in message
    html = response.content.decode()
    assert "Amount:" in html and why in html
    assert not FinancialLine.objects.exists()


def test_an_amount_typed_as_the_papers_print_it_is_saved_exactly(staff_client):
    paper = PaperFactory()
    response = staff_client.post(
        reverse("admin:finance_financialline_add"), add_form(paper, amount="£1.2m")
    )
    assert response.status_code == 302
    saved = FinancialLine.objects.get()
    assert saved.amount == Decimal("1200000.00")
    assert (saved.paper, saved.financial_year) == (paper, "2015/16")


# -- finance officers ------------------------------------------------------------------------------


@pytest.fixture
def officer(db):
    user = UserFactory(username="officer", is_staff=True)
    user.groups.add(finance_officers_group())
    client = Client()
    client.force_login(user)
    return client


def management_forms(response, **totals) -> dict:
    """The management form of every inline on an admin change page, with no new rows unless
    ``totals`` gives a prefix a number of rows."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(initial + totals.get(formset.prefix, 0)),
                f"{formset.prefix}-INITIAL_FORMS": str(initial),
                f"{formset.prefix}-MIN_NUM_FORMS": "0",
                f"{formset.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def prefixes(response) -> list[str]:
    return [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]


def new_line(prefix: str, index: int, **fields) -> dict:
    row = {
        "description": "Collaborated ICT",
        "amount": "£1.2m",
        "kind": "cost",
        "financial_year": "2016/17",
        "on_date": "",
        "recurrence": "",
        "scope": "",
        "as_printed": "",
        "source_table": "",
        "position": "0",
        "function": "",
        "area": "",
        "business_case": "",
        "id": "",
        **fields,
    }
    return {f"{prefix}-{index}-{name}": value for name, value in row.items()}


def test_a_finance_officer_adds_a_line_on_a_paper_without_changing_the_paper(officer):
    paper = PaperFactory(title="ICT collaboration")
    history_before = paper.history.count()
    url = reverse("admin:boards_paper_change", args=[paper.pk])
    page = officer.get(url)
    assert page.status_code == 200
    assert "financial_lines" in prefixes(page)
    data = {
        "title": "A title the officer may not set",
        **management_forms(page, financial_lines=1),
        **new_line("financial_lines", 0),
    }
    response = officer.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = FinancialLine.objects.get()
    assert (saved.paper, saved.amount, saved.financial_year) == (
        paper,
        Decimal("1200000.00"),
        "2016/17",
    )
    stored = Paper.objects.get(pk=paper.pk)
    assert stored.title == "ICT collaboration"
    assert stored.version == paper.version
    assert paper.history.count() == history_before


def test_a_finance_officer_sees_the_paper_read_only_and_cannot_change_its_title(officer):
    paper = PaperFactory(title="ICT collaboration")
    url = reverse("admin:boards_paper_change", args=[paper.pk])
    page = officer.get(url)
    html = page.content.decode()
    assert 'name="title"' not in html
    assert "ICT collaboration" in html
    officer.post(url, {"title": "Changed", **management_forms(page)})
    stored = Paper.objects.get(pk=paper.pk)
    assert (stored.title, stored.version) == ("ICT collaboration", paper.version)


def test_a_finance_officer_cannot_add_a_paper(officer):
    assert officer.get(reverse("admin:boards_paper_add")).status_code == 403


def test_a_finance_officer_cannot_open_the_minutes(officer):
    paragraph = MinuteParagraphFactory()
    assert (
        officer.get(reverse("admin:boards_minuteparagraph_change", args=[paragraph.pk])).status_code
        == 403
    )
    assert (
        officer.get(reverse("admin:boards_agendaitem_change", args=[paragraph.item_id])).status_code
        == 403
    )
    assert officer.get(reverse("admin:boards_minuteparagraph_changelist")).status_code == 403


def test_a_finance_officer_cannot_change_a_meeting(officer):
    meeting = MeetingFactory(location="Cambourne")
    AgendaItemFactory(meeting=meeting)
    url = reverse("admin:boards_meeting_change", args=[meeting.pk])
    response = officer.post(url, {"location": "Elsewhere"})
    assert response.status_code == 403
    assert type(meeting).objects.get(pk=meeting.pk).location == "Cambourne"


def test_a_finance_officer_may_add_lines_on_a_draft_notice(officer):
    notice = DecisionNoticeFactory(title="Draft decision")
    page = officer.get(reverse("admin:decisions_decisionnotice_change", args=[notice.pk]))
    assert page.status_code == 200
    assert "financial_lines" in prefixes(page)
    assert "financial_lines-__prefix__-amount" in page.content.decode()


def test_lines_on_a_signed_notice_are_read_only_for_a_finance_officer(officer, signatory):
    notice = DecisionNoticeFactory(title="Signed decision")
    kept = line("1200000", year="2016/17", decision_notice=notice)
    sign_notice(notice=notice, user=signatory, signed_on=DAY)
    url = reverse("admin:decisions_decisionnotice_change", args=[notice.pk])
    page = officer.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "financial_lines-__prefix__-amount" not in html  # no form to add a line
    assert 'name="financial_lines-0-amount"' not in html  # the line is not editable
    (inline,) = [
        i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "financial_lines"
    ]
    assert not inline.has_add_permission and not inline.has_change_permission
    data = {
        **management_forms(page, financial_lines=1),
        **new_line("financial_lines", 1),
    }
    assert officer.post(url, data).status_code == 403
    assert list(FinancialLine.objects.all()) == [kept]
