"""The admin screens that join apps (web/admin.py): a paper with its recommendations and its
financial lines inline, a decision notice with the money it commits; a finance officer edits
the lines there but never the paper or a signed notice's money."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from boards.models import Paper
from decisions.services import sign_notice
from finance.models import FinancialLine
from tests.factories import DecisionNoticeFactory, PaperFactory
from tests.web.money import DAY, line

pytestmark = pytest.mark.django_db


# -- the paper screen -----------------------------------------------------------------------------


def test_recommendations_are_entered_inline_on_the_paper(staff_client):
    paper = PaperFactory()
    html = staff_client.get(reverse("admin:boards_paper_change", args=[paper.pk])).content.decode()
    assert "recommendations-TOTAL_FORMS" in html


# -- a finance officer on the paper and notice screens ---------------------------------------------


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


def test_a_finance_officer_adds_a_line_on_a_paper_without_changing_the_paper(finance_client):
    paper = PaperFactory(title="ICT collaboration")
    history_before = paper.history.count()
    url = reverse("admin:boards_paper_change", args=[paper.pk])
    page = finance_client.get(url)
    assert page.status_code == 200
    assert "financial_lines" in prefixes(page)
    data = {
        "title": "A title the officer may not set",
        **management_forms(page, financial_lines=1),
        **new_line("financial_lines", 0),
    }
    response = finance_client.post(url, data)
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


def test_a_finance_officer_sees_the_paper_read_only_and_cannot_change_its_title(finance_client):
    paper = PaperFactory(title="ICT collaboration")
    url = reverse("admin:boards_paper_change", args=[paper.pk])
    page = finance_client.get(url)
    html = page.content.decode()
    assert 'name="title"' not in html
    assert "ICT collaboration" in html
    finance_client.post(url, {"title": "Changed", **management_forms(page)})
    stored = Paper.objects.get(pk=paper.pk)
    assert (stored.title, stored.version) == ("ICT collaboration", paper.version)


def test_a_finance_officer_cannot_add_a_paper(finance_client):
    assert finance_client.get(reverse("admin:boards_paper_add")).status_code == 403


def test_a_finance_officer_may_add_lines_on_a_draft_notice(finance_client):
    notice = DecisionNoticeFactory(title="Draft decision")
    page = finance_client.get(reverse("admin:decisions_decisionnotice_change", args=[notice.pk]))
    assert page.status_code == 200
    assert "financial_lines" in prefixes(page)
    assert "financial_lines-__prefix__-amount" in page.content.decode()


def test_lines_on_a_signed_notice_are_read_only_for_a_finance_officer(finance_client, signatory):
    notice = DecisionNoticeFactory(title="Signed decision")
    kept = line("1200000", year="2016/17", decision_notice=notice)
    sign_notice(notice=notice, user=signatory, signed_on=DAY)
    url = reverse("admin:decisions_decisionnotice_change", args=[notice.pk])
    page = finance_client.get(url)
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
    refused = finance_client.post(url, data)  # a stale screen: refused with a message
    assert refused.status_code == 302
    assert "cannot be changed" in str(list(get_messages(refused.wsgi_request))[0])
    assert list(FinancialLine.objects.all()) == [kept]
