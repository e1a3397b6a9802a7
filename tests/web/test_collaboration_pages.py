"""The collaboration pages as a reader meets them: areas and their functions, the collaborated
budgets chart, a function's business cases, agreements, decisions and savings, the agreements
with overdue reviews first, and the function's PDF. Hidden records' money is never charted."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from boards.models import Paper
from collaboration.models import BusinessCase
from decisions.services import publish_notice, sign_notice
from finance.models import FinancialLine
from tests.factories import (
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    OrganisationFactory,
    PaperFactory,
)
from tests.finance.factories import (
    BusinessCaseFactory,
    CollaboratedFunctionFactory,
    CollaborationAgreementFactory,
    CollaborationAreaFactory,
)
from tests.pages import get, parse, text
from tests.web.money import line

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 11, 26)
Kind = FinancialLine.Kind
SVG = "{http://www.w3.org/2000/svg}"


# -- helpers --------------------------------------------------------------------------------------


def by_id(root, element_id: str):
    return next((el for el in root.iter() if el.get("id") == element_id), None)


def section(html: str, heading: str):
    for element in parse(html).iter("section"):
        h2 = element.find("h2")
        if h2 is not None and text(h2) == heading:
            return element
    raise AssertionError(f"no section headed {heading!r}")


def chart_table(figure) -> dict[str, list[Decimal | None]]:
    """{row label: [figure per column, total]} from a chart's table of figures."""
    rows = {}
    table = figure.find(".//table")
    for part in ("tbody", "tfoot"):
        if table.find(part) is None:
            continue
        for tr in table.find(part).findall("tr"):
            values = []
            for td in tr.findall("td"):
                data = td.find("data")
                values.append(None if data is None else Decimal(data.get("value")))
            rows[text(tr.find("th"))] = values
    return rows


def chart_columns(figure) -> list[str]:
    return [text(th) for th in figure.find(".//table").find("thead").iter("th")]


def assert_accessible_svg(figure, chart_id: str) -> None:
    """The chart is one image named by its <title> and described by its <desc>."""
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert ids == [f"{chart_id}-title", f"{chart_id}-desc"]
    title, desc = (by_id(svg, element_id) for element_id in ids)
    assert title.tag == f"{SVG}title" and text(title)
    assert desc.tag == f"{SVG}desc" and text(desc)


# -- the areas and the budgets chart ---------------------------------------------------------------


@pytest.fixture
def areas(db):
    bedfordshire = OrganisationFactory(name="Bedfordshire Police")
    hertfordshire = OrganisationFactory(name="Hertfordshire Constabulary")
    jps = CollaborationAreaFactory(
        name="Joint Protective Services", slug="jps", lead_organisation=bedfordshire, position=1
    )
    ops = CollaborationAreaFactory(name="Operational Support", slug="ops", position=2)
    CollaborationAreaFactory(name="Organisational Support", slug="org", position=3)
    CollaboratedFunctionFactory(
        name="Firearms", slug="firearms", area=jps, lead_force=hertfordshire
    )
    CollaboratedFunctionFactory(name="Major Crime", slug="major-crime", area=jps)
    CollaboratedFunctionFactory(name="Scientific Services", slug="scientific", area=ops)
    budgets = PaperFactory(title="Collaborated budgets 2016/17")
    table = {"paper": budgets, "source_table": "Collaborated budgets", "in_thousands": True}
    line("6151000", Kind.BUDGET, "2015/16", area=jps, position=1, **table)
    line("6000000", Kind.BUDGET, "2016/17", area=jps, position=1, **table)
    line("2000000", Kind.BUDGET, "2015/16", area=ops, position=2, **table)
    line("2100000", Kind.BUDGET, "2016/17", area=ops, position=2, **table)
    line("500000", Kind.BUDGET, "2015/16", description="Other Collaboration", position=3, **table)
    line("-100000", Kind.BUDGET, "2016/17", description="Other Collaboration", position=3, **table)
    # A cost in the same table is not a budget and is not charted.
    line("42000", Kind.COST, "2015/16", area=jps, **table)
    exempt = PaperFactory(access=Paper.Access.EXEMPT, exemption_reason="Paragraph 3: commercial.")
    line("999000", Kind.BUDGET, "2015/16", area=jps, paper=exempt)
    return {"jps": jps, "ops": ops}


def test_the_index_lists_each_area_with_its_lead_and_functions(client, areas):
    html = get(client, "/collaboration/")
    root = parse(html)
    jps, ops, org = (by_id(root, f"area-{slug}") for slug in ("jps", "ops", "org"))
    assert "Lead: Bedfordshire Police" in text(jps)
    assert "Lead: not recorded" in text(ops)
    rows = [[text(td) for td in tr.findall("td")] for tr in jps.find(".//tbody").findall("tr")]
    assert rows == [
        ["Firearms", "Hertfordshire Constabulary", "not recorded", "not recorded"],
        ["Major Crime", "not recorded", "not recorded", "not recorded"],
    ]
    links = [a.get("href") for a in jps.find(".//tbody").iter("a")]
    assert links == ["/collaboration/functions/firearms/", "/collaboration/functions/major-crime/"]
    assert "No functions have been recorded in this area." in text(org)
    assert [text(el.find("h2")) for el in root.iter("section") if el.get("class") == "area"] == [
        "Joint Protective Services",
        "Operational Support",
        "Organisational Support",
    ]


def test_the_budgets_chart_is_an_image_with_a_title_and_description(client, areas):
    figure = by_id(parse(get(client, "/collaboration/")), "budgets-chart")
    assert figure.tag == "figure"
    assert_accessible_svg(figure, "budgets-chart")
    assert "Joint Protective Services" in text(figure.find(f".//{SVG}desc"))


def test_the_budgets_chart_totals_add_up_the_public_budget_lines(client, areas):
    figure = by_id(parse(get(client, "/collaboration/")), "budgets-chart")
    assert chart_columns(figure) == ["2015/16", "2016/17", "Total"]
    assert chart_table(figure) == {
        "Joint Protective Services": [Decimal("6151000"), Decimal("6000000"), Decimal("12151000")],
        "Operational Support": [Decimal("2000000"), Decimal("2100000"), Decimal("4100000")],
        "Other Collaboration": [Decimal("500000"), Decimal("-100000"), Decimal("400000")],
        "Total": [Decimal("8651000"), Decimal("8000000"), Decimal("16651000")],
    }
    # The table keeps the papers' £'000.
    assert "8,651" in text(figure.find(".//tfoot"))


def test_a_hidden_papers_budget_is_charted_for_staff_only(client, staff_client, areas):
    public = chart_table(by_id(parse(get(client, "/collaboration/")), "budgets-chart"))
    staff = chart_table(by_id(parse(get(staff_client, "/collaboration/")), "budgets-chart"))
    assert public["Total"][0] == Decimal("8651000")
    assert staff["Total"][0] == Decimal("9650000")  # with the exempt paper's 999,000


def test_with_only_hidden_budgets_the_public_sees_no_chart(client, staff_client, db):
    area = CollaborationAreaFactory(name="Joint Protective Services")
    draft = PaperFactory(status=Paper.Status.DRAFT)
    line("999000", Kind.BUDGET, "2015/16", area=area, paper=draft)
    html = get(client, "/collaboration/")
    assert by_id(parse(html), "budgets-chart") is None
    assert "No collaborated budgets have been recorded on a record you may see." in html
    assert by_id(parse(get(staff_client, "/collaboration/")), "budgets-chart") is not None


def test_with_nothing_recorded_the_index_says_so(client, db):
    html = get(client, "/collaboration/")
    assert "No collaboration areas have been recorded." in html
    assert "No collaborated budgets have been recorded on a record you may see." in html


# -- one function ---------------------------------------------------------------------------------


@pytest.fixture
def ict(signatory):
    """A function with two business cases, forecast and realised savings (one forecast of no
    year), an agreement whose notice is still a draft, and money on an exempt paper."""
    board = BoardFactory(slug="bcb")
    meeting = MeetingFactory(board=board, date=DAY)
    area = CollaborationAreaFactory(name="Joint Protective Services", slug="jps")
    function = CollaboratedFunctionFactory(
        name="Collaborated ICT",
        slug="ict",
        area=area,
        lead_force=OrganisationFactory(name="Hertfordshire Constabulary"),
        go_live_as_printed="late 2016",
    )
    case_paper = PaperFactory(board=board, title="ICT full business case", date=DAY)
    full = BusinessCaseFactory(
        function=function,
        stage=BusinessCase.Stage.FULL,
        approved_on=datetime.date(2015, 2, 12),
        approved_by="Strategic Alliance Summit",
        paper=case_paper,
    )
    outline = BusinessCaseFactory(
        function=function,
        stage=BusinessCase.Stage.OUTLINE,
        approved_as_printed="February 2014",
    )
    line(
        "1200000",
        Kind.FORECAST_SAVING,
        "2016/17",
        function=function,
        business_case=full,
        scope="Cambridgeshire",
        description="Full case forecast",
    )
    line("300000", Kind.FORECAST_SAVING, function=function, business_case=outline)
    line("200000", Kind.REALISED_SAVING, "2016/17", function=function)
    exempt = PaperFactory(
        board=board,
        title="ICT commercial terms",
        access=Paper.Access.EXEMPT,
        exemption_reason="Paragraph 3: commercial.",
    )
    line(
        "777000",
        Kind.FORECAST_SAVING,
        "2016/17",
        paper=exempt,
        function=function,
        business_case=full,
    )
    draft_notice = DecisionNoticeFactory(meeting=meeting, title="Draft ICT decision")
    published = DecisionNoticeFactory(meeting=meeting, title="ICT contract award")
    line("50000", Kind.COST, "2016/17", decision_notice=published, function=function)
    sign_notice(notice=published, user=signatory, signed_on=DAY)
    publish_notice(notice=published, user=signatory, published_on=DAY)
    agreement = CollaborationAgreementFactory(
        title="ICT section 22A agreement",
        signed_on=datetime.date(2016, 3, 1),
        signed_at="Kempston",
        decision_notice=draft_notice,
    )
    agreement.functions.add(function)
    return {
        "function": function,
        "full": full,
        "outline": outline,
        "agreement": agreement,
        "draft_notice": draft_notice,
        "published": published,
        "case_paper": case_paper,
        "exempt": exempt,
    }


def test_the_function_page_shows_its_business_cases_with_their_forecasts(client, ict):
    root = parse(get(client, "/collaboration/functions/ict/"))
    full = [text(td) for td in by_id(root, f"case-{ict['full'].pk}").findall("td")]
    assert full == [
        "Full business case",
        "12 February 2015",
        "Strategic Alliance Summit",
        "£1.20m (Cambridgeshire) Full case forecast",  # not the exempt paper's £777k
        "not recorded",
        "ICT full business case",
    ]
    outline = [text(td) for td in by_id(root, f"case-{ict['outline'].pk}").findall("td")]
    assert outline[:2] == ["Outline business case", "February 2014"]
    assert outline[3].startswith("£300k")


def test_staff_see_the_hidden_papers_forecast_on_the_business_case(staff_client, ict):
    root = parse(get(staff_client, "/collaboration/functions/ict/"))
    assert "£777k" in text(by_id(root, f"case-{ict['full'].pk}"))


def test_the_function_page_lists_its_agreements_and_only_the_decisions_the_reader_may_see(
    client, staff_client, ict
):
    html = get(client, "/collaboration/functions/ict/")
    agreements = text(section(html, "Agreements"))
    assert agreements == (
        "Agreements ICT section 22A agreement (Section 22A Police Act 1996), "
        "signed 1 March 2016 at Kempston Review overdue"
    )
    decisions = section(html, "Decisions and papers")
    assert "ICT contract award" in text(decisions)
    assert "Draft ICT decision" not in html
    assert "ICT full business case" in text(decisions)
    assert "ICT commercial terms" not in html
    staff_html = get(staff_client, "/collaboration/functions/ict/")
    assert "Draft ICT decision" in text(section(staff_html, "Decisions and papers"))
    assert "decision notice" in text(section(staff_html, "Agreements"))
    assert "ICT commercial terms" in text(section(staff_html, "Decisions and papers"))


def test_the_savings_chart_sets_forecast_against_realised_with_forecasts_of_no_year_apart(
    client, ict
):
    figure = by_id(parse(get(client, "/collaboration/functions/ict/")), "savings-ict")
    assert_accessible_svg(figure, "savings-ict")
    assert chart_columns(figure) == ["2016/17", "Year not printed", "Total"]
    assert chart_table(figure) == {
        "Forecast saving": [None, Decimal("300000"), Decimal("300000")],
        "Forecast saving, Cambridgeshire": [Decimal("1200000"), None, Decimal("1200000")],
        "Realised saving": [Decimal("200000"), None, Decimal("200000")],
    }
    legend = [text(t) for t in figure.find(f"{SVG}svg").iter(f"{SVG}text")]
    assert {"Forecast saving", "Forecast saving, Cambridgeshire", "Realised saving"} <= set(legend)


def test_a_forecast_repeating_another_is_not_charted_twice(client, ict):
    first = FinancialLine.objects.get(amount=Decimal("200000"))
    line("200000", Kind.REALISED_SAVING, "2016/17", function=ict["function"], part_of=first)
    figure = by_id(parse(get(client, "/collaboration/functions/ict/")), "savings-ict")
    assert chart_table(figure)["Realised saving"] == [Decimal("200000"), None, Decimal("200000")]


def test_staff_see_the_hidden_forecast_in_the_savings_chart(staff_client, ict):
    figure = by_id(parse(get(staff_client, "/collaboration/functions/ict/")), "savings-ict")
    assert chart_table(figure)["Forecast saving"] == [
        Decimal("777000"),
        Decimal("300000"),
        Decimal("1077000"),
    ]


def test_a_function_with_nothing_recorded_says_so(client, db):
    CollaboratedFunctionFactory(name="Dogs", slug="dogs")
    html = get(client, "/collaboration/functions/dogs/")
    for empty in [
        "No forecast or realised savings have been recorded for this function.",
        "No business case has been recorded for this function.",
        "No agreement has been recorded for this function.",
        "No decision notice or paper about this function has been recorded.",
        "No money has been recorded for this function.",
    ]:
        assert empty in html
    assert "Lead force not recorded" in text(parse(html).find(".//dl"))


def test_an_unknown_function_is_a_404(client, db):
    get(client, "/collaboration/functions/nothing/", status=404)
    get(client, "/collaboration/functions/nothing.pdf", status=404)


def test_the_function_pdf_has_the_function_and_its_savings_chart(client, ict):
    response = client.get("/collaboration/functions/ict.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    pdf_text = " ".join(pdf_text.split())
    assert "Collaborated ICT" in pdf_text
    assert "Realised saving" in pdf_text
    assert "Forecast saving, Cambridgeshire" in pdf_text
    assert "Draft ICT decision" not in pdf_text  # the PDF shows what the reader may see


def test_staff_see_the_draft_decision_in_the_function_pdf(staff_client, ict):
    response = staff_client.get("/collaboration/functions/ict.pdf")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Draft ICT decision" in " ".join(pdf_text.split())


# -- agreements ------------------------------------------------------------------------------------


def agreement_rows(html: str) -> list[tuple[str, bool, str]]:
    """[(title, marked overdue, review due cell)] in the order listed."""
    table = parse(html).find(".//table")
    rows = []
    for tr in table.find("tbody").findall("tr"):
        cells = tr.findall("td")
        rows.append((text(cells[0]), tr.get("class") == "overdue", text(cells[4])))
    return rows


def test_an_agreement_never_reviewed_a_year_after_signing_is_overdue_and_listed_first(client, db):
    today = datetime.date.today()
    CollaborationAgreementFactory(
        title="A recent agreement", signed_on=today - datetime.timedelta(days=30)
    )
    CollaborationAgreementFactory(
        title="B agreement with a review booked",
        signed_on=today - datetime.timedelta(days=800),
        review_due_on=today + datetime.timedelta(days=30),
    )
    CollaborationAgreementFactory(
        title="C forgotten agreement", signed_on=today - datetime.timedelta(days=800)
    )
    CollaborationAgreementFactory(title="D agreement of no date")
    html = get(client, "/collaboration/agreements/")
    rows = agreement_rows(html)
    assert [(title, overdue) for title, overdue, _due in rows] == [
        ("C forgotten agreement", True),
        ("B agreement with a review booked", False),
        ("A recent agreement", False),
        ("D agreement of no date", False),
    ]
    assert rows[0][2].endswith("(12 months on) Overdue")
    assert "Overdue" not in rows[1][2] and "12 months on" not in rows[1][2]
    assert rows[3][2] == "not recorded"
    assert "1 agreement overdue for review" in html


def test_the_review_falls_due_twelve_months_after_the_last_review(client, db):
    today = datetime.date.today()
    CollaborationAgreementFactory(
        title="Reviewed agreement",
        signed_on=today - datetime.timedelta(days=800),
        last_reviewed_on=today - datetime.timedelta(days=100),
    )
    html = get(client, "/collaboration/agreements/")
    ((_title, overdue, _due),) = agreement_rows(html)
    assert not overdue
    assert "No agreement is overdue for review." in html


def test_an_agreement_signed_on_29_february_falls_due_on_28_february(client, db):
    agreement = CollaborationAgreementFactory(
        title="Leap day agreement", signed_on=datetime.date(2020, 2, 29)
    )
    reviewed = CollaborationAgreementFactory(
        title="Reviewed on leap day",
        signed_on=datetime.date(2019, 6, 1),
        last_reviewed_on=datetime.date(2024, 2, 29),
    )
    html = get(client, agreement.get_absolute_url())
    root = parse(html)
    summary = {
        text(div.find("dt")): text(div.find("dd")) for div in root.find(".//dl").findall("div")
    }
    assert summary["Review due"] == "28 February 2021 (12 months after the signing)"
    assert "The annual review was due on 28 February 2021." in html
    summary = {
        text(div.find("dt")): text(div.find("dd"))
        for div in parse(get(client, reviewed.get_absolute_url())).find(".//dl").findall("div")
    }
    assert summary["Review due"] == "28 February 2025 (12 months after the last review)"


def test_the_agreement_page_shows_its_functions_parties_and_only_a_visible_notice(
    client, staff_client, ict
):
    agreement = ict["agreement"]
    agreement.parties.add(
        OrganisationFactory(name="Bedfordshire PCC"), OrganisationFactory(name="Cambridgeshire PCC")
    )
    agreement.paper = ict["case_paper"]
    agreement.save()

    def summary(reader_client):
        html = get(reader_client, agreement.get_absolute_url())
        return {
            text(div.find("dt")): text(div.find("dd"))
            for div in parse(html).find(".//dl").findall("div")
        }

    public = summary(client)
    assert public["Legal basis"] == "Section 22A Police Act 1996"
    assert public["Functions"] == "Collaborated ICT"
    assert public["Parties"] == "Bedfordshire PCC; Cambridgeshire PCC"
    assert public["Signed"] == "1 March 2016, Kempston"
    assert public["Decision notice"] == "none published"  # a draft the public may not see
    assert public["Presented in"] == "ICT full business case"
    assert summary(staff_client)["Decision notice"] == "Draft ICT decision"


def test_the_agreement_page_of_an_overdue_agreement_says_when_it_was_due(client, db):
    agreement = CollaborationAgreementFactory(signed_on=datetime.date(2016, 3, 1))
    html = get(client, agreement.get_absolute_url())
    assert "Review overdue" in html
    assert "The annual review was due on 1 March 2017." in html


def test_with_no_agreements_the_list_says_so(client, db):
    assert "No collaboration agreements have been recorded." in get(
        client, "/collaboration/agreements/"
    )
    get(client, "/collaboration/agreements/999/", status=404)


# -- what the records say: review terms and citations (issue 11) ---------------------------------


def test_an_agreement_whose_review_term_is_not_recorded_is_never_overdue(client, db):
    long_ago = datetime.date(2016, 1, 28)
    silent = CollaborationAgreementFactory(
        title="ICT agreement", signed_on=long_ago, review_term_months=None
    )
    annual = CollaborationAgreementFactory(title="Annual agreement", signed_on=long_ago)
    assert annual.review_term_months == 12  # a new agreement keeps the annual rule
    html = get(client, silent.get_absolute_url())
    summary = text(parse(html).find(".//dl"))
    assert "Review overdue" not in html
    assert "Review term not recorded" in summary and "Review due not recorded" in summary
    # Its twin, whose term is recorded, is overdue.
    html = get(client, annual.get_absolute_url())
    assert "Review overdue" in html and "every 12 months (at least annually)" in html
    listing = text(get(client, "/collaboration/agreements/"))
    assert "1 agreement overdue for review" in listing


def test_a_citation_names_the_paper_by_title_and_links_to_it(client, staff_client, db):
    paper = PaperFactory(title="Bedfordshire, Cambridgeshire and Hertfordshire Collaboration")
    draft = PaperFactory(title="Unpublished costings", status=Paper.Status.DRAFT)
    function = CollaboratedFunctionFactory(
        description=f"Collaborated units ([[paper {paper.pk}|paragraph 4.4]]) <b>bold</b>; "
        f"costed in [[paper {draft.pk}|paragraph 2]]."
    )
    page = parse(get(client, function.get_absolute_url()))
    (cite,) = [c for c in page.iter("cite")]
    assert cite.find("a").get("href") == paper.get_absolute_url()
    words = text(page)
    assert (
        "Collaborated units (Bedfordshire, Cambridgeshire and Hertfordshire Collaboration, "
        "paragraph 4.4) <b>bold</b>; costed in a paper not published, paragraph 2." in words
    )
    assert "[[paper" not in words and "Unpublished costings" not in words
    # Staff, who may read the draft, see it named and linked.
    staff = parse(get(staff_client, function.get_absolute_url()))
    assert draft.get_absolute_url() in [a.get("href") for a in staff.iter("a")]
    assert "costed in Unpublished costings, paragraph 2." in text(staff)
