"""Amounts as finance officers type them and as the papers print them; financial years."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from minutebook.fields import AmountFormField
from minutebook.fields import validate_financial_year as validate_year_field
from minutebook.money import (
    AmountError,
    financial_year_bounds,
    financial_year_of,
    format_amount,
    format_exact,
    format_thousands,
    parse_amount,
    validate_financial_year,
)


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        ("197000", "197000.00"),
        ("197,000", "197000.00"),
        ("£197k", "197000.00"),
        ("£1.2m", "1200000.00"),
        ("£1.501m", "1501000.00"),
        ("£52.50", "52.50"),
        (" £3,700 ", "3700.00"),
        ("515K", "515000.00"),
    ],
)
def test_it_reads_amounts_as_finance_officers_type_them(typed, pounds):
    assert parse_amount(typed) == Decimal(pounds)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("1.2.3", "is not an amount"),
        ("12kk", "is not an amount"),
        ("£", "Enter an amount"),
        ("", "Enter an amount"),
        ("-500", "cannot be negative"),
        ("(500)", "minus sign"),
        ("1,00", "is not an amount"),
        ("52.505", "more than two decimal places"),
        ("£1.234567891m", "whole number of pence"),
        ("1.2e3", "is not an amount"),
        ("£ten", "is not an amount"),
    ],
)
def test_it_refuses_ambiguous_or_malformed_amounts_with_a_reason(typed, why):
    with pytest.raises(AmountError, match=why):
        parse_amount(typed)


def test_negative_amounts_are_read_where_allowed():
    assert parse_amount("-£515k", allow_negative=True) == Decimal("-515000.00")


@pytest.mark.parametrize(
    ("pounds", "printed"),
    [
        ("197000", "£197k"),
        ("25500", "£25,500"),
        ("3700", "£3,700"),
        ("52.50", "£52.50"),
        ("999999.99", "£999,999.99"),
        ("-515000", "-£515k"),
        # From £1m every amount in millions to two decimals, whatever its digits: one column
        # never mixes "£240,690,500" with "£28.58m".
        ("1000000", "£1.00m"),
        ("1200000", "£1.20m"),
        ("1501000", "£1.50m"),
        ("1505000", "£1.51m"),
        ("6151000", "£6.15m"),
        ("1234567.89", "£1.23m"),
        ("240690500", "£240.69m"),
        ("28580000", "£28.58m"),
        ("-2400000", "-£2.40m"),
        ("100000000000", "£100,000.00m"),
    ],
)
def test_it_prints_every_amount_in_one_style(pounds, printed):
    assert format_amount(Decimal(pounds)) == printed


def test_the_exact_figure_has_pence_and_thousands_separators():
    assert format_exact(Decimal("197000")) == "£197,000.00"
    assert format_thousands(Decimal("21716000")) == "21,716"


def test_financial_years_run_april_to_march():
    assert financial_year_of(datetime.date(2016, 3, 31)) == "2015/16"
    assert financial_year_of(datetime.date(2016, 4, 1)) == "2016/17"
    assert financial_year_of(datetime.date(1999, 12, 1)) == "1999/00"
    assert financial_year_bounds("2015/16") == (
        datetime.date(2015, 4, 1),
        datetime.date(2016, 3, 31),
    )


@pytest.mark.parametrize("bad", ["2015/17", "2015-16", "15/16", "2015/2016", ""])
def test_a_financial_year_must_be_written_like_2015_16(bad):
    with pytest.raises(ValueError):
        validate_financial_year(bad)


@pytest.mark.parametrize(
    "bad",
    [
        "0000/01",
        "9999/00",  # would end in the year 10000, which no date holds
        "1989/90",
        "2101/02",
        "\uff12\uff10\uff11\uff15/\uff11\uff16",  # "２０１５/１６", full-width digits
        "\u0662\u0660\u0661\u0665/\u0661\u0666",  # "٢٠١٥/١٦", Arabic-Indic digits
    ],
)
def test_financial_years_outside_1990_91_to_2100_01_or_in_other_digits_are_refused(bad):
    with pytest.raises(ValueError):
        validate_financial_year(bad)
    with pytest.raises(ValidationError) as refused:
        validate_year_field(bad)
    assert refused.value.messages[0].startswith("Financial year: ")


def test_the_first_and_last_financial_years_kept_are_valid():
    assert validate_financial_year("1990/91") == "1990/91"
    assert validate_financial_year("2100/01") == "2100/01"
    assert financial_year_bounds("2100/01") == (
        datetime.date(2100, 4, 1),
        datetime.date(2101, 3, 31),
    )


@pytest.mark.parametrize("typed", ["£\uff11\uff12k", "\u0661\u0662\u0663", "1\u00b2", "£1.\u0665m"])
def test_amounts_in_digits_other_than_0_to_9_are_refused_naming_the_field(typed):
    with pytest.raises(AmountError, match="use the digits 0-9"):
        parse_amount(typed)
    field = AmountFormField(label="Amount")
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.messages[0].startswith("Amount: ")
