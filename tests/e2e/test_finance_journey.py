"""A finance officer reads the totals of one financial year, its lines and their Excel export,
and enters a paper's money in the admin; a reader follows a collaborated function's savings
to its agreement and decision notice."""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from finance.exports import AMOUNT_COLUMN, HEADINGS, LINES_SHEET
from finance.models import FinancialLine
from tests.e2e import data
from tests.e2e.helpers import fill_inline, inline_row, open_inline, sign_in, submit

FINANCE_USERNAME = "e2e-finance-officer"
FINANCE_PASSWORD = "correct-horse-battery-staple-finance"
# The admin's inline prefix for a paper's lines (the lines' related name on Paper).
LINES = "financial_lines"


@pytest.fixture
def finance_officer(seeded):
    """A staff user in the Finance officers group only (no superuser): ``(username, password)``."""
    from django.contrib.auth import get_user_model

    from finance.groups import finance_officers_group

    user = get_user_model().objects.create_user(
        FINANCE_USERNAME,
        "finance@example.org",
        FINANCE_PASSWORD,
        first_name="Fiona",
        last_name="Finance",
        is_staff=True,
    )
    user.groups.add(finance_officers_group())
    return FINANCE_USERNAME, FINANCE_PASSWORD


def known_lines(year: str) -> list[tuple]:
    return [line for line in data.MONEY_PAPER_LINES if line[2] == year]


def test_finance_officer_reads_one_year_and_downloads_its_lines(
    page: Page, seeded, finance_officer, tmp_path
):
    year, other_year = data.MONEY_YEAR, data.OTHER_YEAR
    year_lines = list(seeded.money.lines_of_year(year).order_by("pk"))
    # The made-up lines are the only ones of their year, so their figures are the year's totals.
    assert sorted((line.description, line.amount) for line in year_lines) == sorted(
        (description, amount) for description, _kind, _year, amount, _shown in known_lines(year)
    ), f"lines other than the made-up ones have the year {year}: the figures below would differ"
    cost_line, capital_line = known_lines(year)
    other_line = known_lines(other_year)[0]

    sign_in(page, *finance_officer)
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Finance", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finance: totals by financial year")
    expect(main_nav.get_by_role("link", name="Finance")).to_have_attribute("aria-current", "page")

    filters = page.get_by_role("form", name="Filter the totals")
    filters.get_by_label("Financial year").select_option(year)  # one control for one year
    filters.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(
        re.compile(rf"/finance/\?(.*&)?year={re.escape(quote(year, safe=''))}")
    )
    expect(filters.get_by_label("Financial year")).to_have_value(year)
    totals = page.get_by_role("table", name=re.compile(r"^Totals by financial year and kind"))
    expect(totals.locator("caption")).to_contain_text(re.compile(rf"\({len(year_lines)} lines\b"))
    rows = totals.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(1)
    row = rows.filter(has=page.get_by_role("rowheader", name=year, exact=True))
    expect(row.get_by_role("link", name=cost_line[4], exact=True)).to_be_visible()
    expect(row.get_by_role("link", name=capital_line[4], exact=True)).to_be_visible()
    # Another year's figure and row are filtered out.
    expect(totals).not_to_contain_text(other_line[4])
    expect(totals.get_by_role("rowheader", name=other_year)).to_have_count(0)

    # Down from the year's cost total to its line.
    row.get_by_role("link", name=cost_line[4], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Financial lines")
    expect(page).to_have_url(re.compile(r"/finance/lines/\?.*kind=cost"))
    listed = page.get_by_role("table", name="Financial lines").locator("tbody").get_by_role("row")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(cost_line[0])
    expect(listed.first).to_contain_text(year)
    expect(listed.first).to_contain_text("£48,250.00")
    expect(listed.first.get_by_role("link", name=data.MONEY_PAPER_TITLE)).to_be_visible()

    # Back to the year's totals (all kinds), and its lines as a spreadsheet.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finance: totals by financial year")
    expect(
        page.get_by_role("form", name="Filter the totals").get_by_label("Financial year")
    ).to_have_value(year)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the lines (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    sheet = load_workbook(saved)[LINES_SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header == HEADINGS
    year_column = header.index("Financial year")
    description_column = header.index("Description")
    body = list(sheet.iter_rows(min_row=2))
    assert sorted(r[0].value for r in body) == [line.pk for line in year_lines]
    by_pk = {line.pk: line for line in year_lines}
    for cells in body:
        line = by_pk[cells[0].value]
        assert cells[year_column].value == year
        amount = cells[AMOUNT_COLUMN]
        assert amount.data_type == "n", (
            f"amount of line {line.pk} is not a number: {amount.value!r}"
        )
        assert "£" in amount.number_format
        assert Decimal(str(amount.value)) == line.amount
    assert other_line[0] not in {cells[description_column].value for cells in body}


def test_finance_officer_enters_a_papers_money_in_the_admin(page: Page, seeded, finance_officer):
    paper = seeded.money.paper
    description = "E2E test: drone batteries (made up)"
    lines_before = paper.financial_lines.count()
    sign_in(page, *finance_officer)
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance records")

    # The paper, found from the admin's list of papers.
    page.get_by_role("link", name="Papers", exact=True).click()
    page.locator("#searchbar").fill("E2E test paper")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=paper.title, exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"Financial lines"))).to_be_visible()
    existing = paper.financial_lines.count()

    # A new line of £1.2m. (The lines' section may be shown collapsed: open it first.)
    open_inline(page, LINES)
    page.locator(f"#{LINES}-group").get_by_role(
        "button", name=re.compile(r"^Add another financial line$", re.I)
    ).click()
    fill_inline(page, LINES, existing, description=description, amount="£1.2m")
    inline_row(page, LINES, existing).locator(f'[name="{LINES}-{existing}-kind"]').select_option(
        label="Grant"
    )
    fill_inline(page, LINES, existing, financial_year="2016/17")
    submit(page, "Save and continue editing")

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    line = FinancialLine.objects.get(paper=paper, description=description)
    assert (line.amount, line.kind, line.financial_year) == (
        Decimal("1200000.00"),
        "grant",
        "2016/17",
    )
    assert paper.financial_lines.count() == lines_before + 1

    # The paper's public page shows it as the papers print it.
    page.goto(paper.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(paper.title)
    money = page.get_by_role("region", name="Money in this paper", exact=True)
    row = money.get_by_role("row").filter(has_text=description)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell", name="£1.20m", exact=True)).to_be_visible()
    expect(row).to_contain_text("£1,200,000.00")

    # An amount it cannot read is refused with a message naming the field.
    page.goto(f"/admin/boards/paper/{paper.pk}/change/")
    existing = paper.financial_lines.count()
    open_inline(page, LINES)
    page.locator(f"#{LINES}-group").get_by_role(
        "button", name=re.compile(r"^Add another financial line$", re.I)
    ).click()
    fill_inline(page, LINES, existing, description="E2E test: typo (made up)", amount="12kk")
    inline_row(page, LINES, existing).locator(f'[name="{LINES}-{existing}-kind"]').select_option(
        label="Cost"
    )
    submit(page, "Save and continue editing")

    expect(page.locator(".errornote")).to_have_text(
        re.compile(r"Please correct the errors? below\.")
    )
    error = inline_row(page, LINES, existing).locator("td.field-amount .errorlist")
    expect(error).to_contain_text(re.compile(r"^Amount: “12kk” is not an amount"))
    expect(
        inline_row(page, LINES, existing).locator(f'[name="{LINES}-{existing}-amount"]')
    ).to_have_value("12kk")
    assert not FinancialLine.objects.filter(description="E2E test: typo (made up)").exists()
    assert paper.financial_lines.count() == lines_before + 1


def test_reader_follows_a_functions_savings_to_its_agreement_and_notice(page: Page, seeded):
    function, agreement, notice = (
        seeded.money.function,
        seeded.money.agreement,
        seeded.money.notice,
    )
    main_nav = page.get_by_role("navigation", name="Main")

    page.goto("/")
    main_nav.get_by_role("link", name="Collaboration", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Police collaboration")
    area = page.get_by_role("region", name=data.E2E_AREA_NAME, exact=True)
    area.get_by_role("link", name=function.name, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/collaboration/functions/{function.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(function.name)
    savings = page.get_by_role("region", name="Savings forecast against realised", exact=True)
    chart = savings.locator("figure.chart")
    svg = chart.locator("svg[role=img]")
    expect(svg).to_be_visible()
    expect(svg).to_have_accessible_name(
        re.compile(rf"^{re.escape(function.name)}: savings forecast against realised")
    )
    figures = chart.get_by_role(
        "table", name=f"Figures for {function.name}: savings forecast against realised"
    )
    expect(figures).to_be_visible()
    expect(figures.locator("thead th")).to_have_text(["2016/17", "2017/18", "Total"])
    forecast = figures.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Forecast saving", exact=True)
    )
    realised = figures.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Realised saving", exact=True)
    )
    expect(forecast.get_by_role("cell")).to_have_text(["£120k", "£150k", "£270k"])
    expect(realised.get_by_role("cell")).to_have_text(["£95k", "£140k", "£235k"])

    agreements = page.get_by_role("region", name="Agreements", exact=True)
    agreements.get_by_role("link", name=agreement.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(agreement.title)
    expect(
        page.get_by_role("definition").filter(has_text="Section 22A Police Act 1996")
    ).to_be_visible()

    page.get_by_role("link", name=f"{notice.reference}: {notice.title}", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/decisions/{notice.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(notice.title)
