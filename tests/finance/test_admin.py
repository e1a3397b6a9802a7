"""The finance admin: the list of lines with the totals of what its filters select, amounts
typed as the papers print them, and finance officers who edit lines but never the minutes or
a meeting. (A finance officer on the paper and notice screens, which show this app's lines
inline, is tested in tests/web/test_admin_screens.py.)"""

from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import FinancialLine
from tests.admin_forms import change_url, form_of
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
)
from tests.finance.factories import FinancialLineFactory
from tests.pages import parse, text

pytestmark = pytest.mark.django_db

Kind = FinancialLine.Kind
CHANGELIST = "admin:finance_financialline_changelist"


def line(amount, kind=Kind.COST, year="", **owner) -> FinancialLine:
    return FinancialLineFactory(amount=Decimal(amount), kind=kind, financial_year=year, **owner)


def line_totals(html: str) -> dict[str, tuple[str, str]]:
    """{kind: (as shown, exact)} from the changelist's totals table; {} when there is none."""
    root = parse(html)
    for div in root.iter("div"):
        if div.get("id") == "line-totals":
            return {
                text(tr.find("th")): tuple(text(td) for td in tr.findall("td"))
                for tr in div.find(".//tbody").findall("tr")
            }
    return {}


def caption_of_totals(html: str) -> str:
    root = parse(html)
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
        "Cost: Scope not recorded": ("£1.48m", "£1,483,000.50"),
        "Grant: Scope not recorded": ("£43k", "£43,000.00"),
    }
    assert caption_of_totals(html) == "Totals of the 5 lines these filters select"


def test_the_changelist_totals_only_the_lines_of_the_chosen_year(staff_client, admin_lines):
    response = staff_client.get(reverse(CHANGELIST), {"year": "2015/16"})
    assert response.context["cl"].result_count == 3
    assert line_totals(response.content.decode()) == {
        "Cost: Scope not recorded": ("£1.40m", "£1,397,000.50"),
        "Grant: Scope not recorded": ("£40k", "£40,000.00"),
    }


def test_the_changelist_totals_only_the_lines_of_the_chosen_kind(staff_client, admin_lines):
    html = staff_client.get(reverse(CHANGELIST), {"kind__exact": "cost"}).content.decode()
    assert line_totals(html) == {"Cost: Scope not recorded": ("£1.48m", "£1,483,000.50")}
    html = staff_client.get(
        reverse(CHANGELIST), {"kind__exact": "cost", "year": "2016/17"}
    ).content.decode()
    assert line_totals(html) == {"Cost: Scope not recorded": ("£86k", "£86,000.00")}


def test_the_changelist_totals_the_lines_of_no_recorded_year(staff_client, admin_lines):
    html = staff_client.get(reverse(CHANGELIST), {"year": "none"}).content.decode()
    assert line_totals(html) == {"Grant: Scope not recorded": ("£3k", "£3,000.00")}


def test_a_search_narrows_the_totals_too(staff_client, admin_lines):
    line("5", paper=PaperFactory(), description="Postage stamps")
    html = staff_client.get(reverse(CHANGELIST), {"q": "Postage"}).content.decode()
    assert line_totals(html) == {"Cost: Scope not recorded": ("£5", "£5.00")}


def test_a_line_that_is_part_of_another_is_listed_but_not_totalled(staff_client, admin_lines):
    whole = FinancialLine.objects.get(amount=Decimal("197000"))
    line("97000", year="2015/16", paper=whole.paper, part_of=whole)
    response = staff_client.get(reverse(CHANGELIST), {"year": "2015/16"})
    assert response.context["cl"].result_count == 4
    assert line_totals(response.content.decode())["Cost: Scope not recorded"] == (
        "£1.40m",
        "£1,397,000.50",
    )


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


def test_a_finance_officer_cannot_open_the_minutes(finance_client):
    paragraph = MinuteParagraphFactory()
    assert (
        finance_client.get(
            reverse("admin:boards_minuteparagraph_change", args=[paragraph.pk])
        ).status_code
        == 403
    )
    assert (
        finance_client.get(
            reverse("admin:boards_agendaitem_change", args=[paragraph.item_id])
        ).status_code
        == 403
    )
    assert finance_client.get(reverse("admin:boards_minuteparagraph_changelist")).status_code == 403


def test_a_finance_officer_cannot_change_a_meeting(finance_client):
    meeting = MeetingFactory(location="Cambourne")
    AgendaItemFactory(meeting=meeting)
    url = reverse("admin:boards_meeting_change", args=[meeting.pk])
    response = finance_client.post(url, {"location": "Elsewhere"})
    assert response.status_code == 403
    assert type(meeting).objects.get(pk=meeting.pk).location == "Cambourne"


# -- concurrent edits through inlines ------------------------------------------------------------


def test_a_line_saved_elsewhere_is_not_overwritten_by_a_stale_paper_form(staff_client):
    paper = PaperFactory()
    line = FinancialLineFactory(paper=paper, amount=Decimal("197000"))
    stale = form_of(staff_client, change_url(paper))
    moved = FinancialLine.objects.get(pk=line.pk)
    moved.amount = Decimal("250000")
    moved.save()  # someone else, on the line's own screen
    row = next(k for k, v in stale.items() if k.endswith("-id") and v == str(line.pk))
    response = staff_client.post(
        change_url(paper), {**stale, f"{row.removesuffix('-id')}-amount": "£200k"}
    )
    assert response.status_code == 200
    assert "Someone else saved this row" in response.content.decode()
    assert FinancialLine.objects.get(pk=line.pk).amount == Decimal("250000")


def test_a_fresh_paper_form_saves_the_line_row(staff_client):
    paper = PaperFactory()
    line = FinancialLineFactory(paper=paper, amount=Decimal("197000"))
    form = form_of(staff_client, change_url(paper))
    row = next(k for k, v in form.items() if k.endswith("-id") and v == str(line.pk))
    response = staff_client.post(
        change_url(paper), {**form, f"{row.removesuffix('-id')}-amount": "£200k"}
    )
    assert response.status_code == 302
    assert FinancialLine.objects.get(pk=line.pk).amount == Decimal("200000")
