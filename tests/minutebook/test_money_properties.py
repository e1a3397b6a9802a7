"""Properties of amounts and financial years, for every input hypothesis can think of.

An amount typed the way a finance officer types it reads back to the exact figure; the papers'
style reads back to the figure it was printed from; anything else is refused with AmountError,
never read as a different sum and never a crash of another kind.
"""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from minutebook.money import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    PENNY,
    AmountError,
    financial_year_bounds,
    financial_year_of,
    format_amount,
    format_exact,
    parse_amount,
    validate_financial_year,
)

# -- strategies -----------------------------------------------------------------------------------

MAX_PENCE = 10**13  # £100bn, more than any police budget
pence = st.integers(min_value=0, max_value=MAX_PENCE)
pounds = pence.map(lambda p: Decimal(p).scaleb(-2))
whole_pounds = st.integers(min_value=0, max_value=10**11)
whole_thousands = st.integers(min_value=0, max_value=10**8)
signed_pounds = st.integers(min_value=-MAX_PENCE, max_value=MAX_PENCE).map(
    lambda p: Decimal(p).scaleb(-2)
)
suffixes = st.sampled_from("kKmM")
digits = st.text(alphabet="0123456789", min_size=1, max_size=8)
spaces = st.sampled_from(["", " ", "  ", "\t"])
# Dates in the financial years kept, 1990/91 to 2100/01.
dates = st.dates(
    min_value=datetime.date(FIRST_YEAR, 4, 1), max_value=datetime.date(LAST_YEAR + 1, 3, 31)
)
# Dates whose financial year lies wholly inside the calendar datetime can represent, but
# outside the years kept.
dates_outside = st.one_of(
    st.dates(min_value=datetime.date(1, 4, 1), max_value=datetime.date(FIRST_YEAR, 3, 31)),
    st.dates(min_value=datetime.date(LAST_YEAR + 1, 4, 1), max_value=datetime.date(9999, 3, 31)),
)


def plain(value: Decimal) -> str:
    return f"{value:f}"


def grouped(value: Decimal) -> str:
    return f"{value:,.2f}"


def significant_digits(text: str) -> str:
    """The digits of ``text`` without leading or trailing zeros: "£1.20m" -> "12"."""
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal()).strip("0")


# -- what a finance officer types reads back exactly ----------------------------------------------


@given(pounds)
@example(Decimal("0.00"))
@example(Decimal("197000.00"))
@example(Decimal("99999999999.99"))
def test_plain_and_grouped_figures_read_back_exactly(value):
    assert parse_amount(plain(value)) == value  # "197000.00"
    assert parse_amount(grouped(value)) == value  # "197,000.00"
    assert parse_amount(f"£{grouped(value)}") == value  # "£197,000.00"
    assert parse_amount(f" £ {plain(value)} ") == value


@given(whole_pounds)
def test_whole_pounds_read_back_with_or_without_commas_and_pence(n):
    value = Decimal(n)
    assert parse_amount(str(n)) == value  # "197000"
    assert parse_amount(f"{n:,}") == value  # "197,000"
    assert parse_amount(f"£{n:,}") == value  # "£197,000"
    assert parse_amount(f"£{n:,}.00") == value


@given(whole_thousands, st.sampled_from("kK"), spaces)
def test_whole_thousands_read_back_as_k(thousands, suffix, space):
    assert parse_amount(f"£{thousands}{space}{suffix}") == Decimal(thousands) * 1000  # "£197k"


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from("mM"))
@example(1200, "m")  # "£1.2m"
@example(1501, "m")  # "£1.501m"
@example(1, "m")  # "£0.001m"
def test_whole_thousands_read_back_in_millions(thousands, suffix):
    """£1.2m (multiples of £100k) and £1.501m (multiples of £1k), however the figure is written."""
    value = Decimal(thousands) * 1000
    millions = (Decimal(thousands) / 1000).normalize()
    assert parse_amount(f"£{millions:f}{suffix}") == value
    assert parse_amount(f"£{millions:,f}{suffix}") == value
    assert parse_amount(f"{Decimal(thousands) / 1000:.3f}m") == value  # "1.200m"


@given(st.integers(min_value=0, max_value=10**6))
def test_multiples_of_100k_read_back_with_one_decimal_in_millions(tenths):
    value = Decimal(tenths) * 100_000
    written = f"£{tenths // 10}.{tenths % 10}m"  # "£1.2m"
    assert parse_amount(written) == value


@given(pounds.filter(lambda v: v > 0))
def test_a_negative_figure_reads_back_where_negatives_are_allowed(value):
    assert parse_amount(f"-{plain(value)}", allow_negative=True) == -value
    assert parse_amount(f"-£{grouped(value)}", allow_negative=True) == -value
    assert parse_amount(f"\u2212£{grouped(value)}", allow_negative=True) == -value


# -- the papers' style reads back to the figure -----------------------------------------------------


@given(signed_pounds)
@example(Decimal("1501000"))
@example(Decimal("197000"))
@example(Decimal("3700"))
@example(Decimal("52.50"))
@example(Decimal("-515000"))
@example(Decimal("100000000000"))
@example(Decimal("0.01"))
@example(Decimal("999999.99"))
@example(Decimal("1004999.99"))
def test_format_amount_reads_back_exactly_below_1m_and_to_5000_pounds_from_1m(value):
    printed = format_amount(value)
    shown = parse_amount(printed, allow_negative=True)
    if abs(value) < 1_000_000:
        assert shown == value, printed
    else:
        assert printed.endswith("m") and len(printed.split(".")[1]) == 3, printed  # "0.69m"
        assert abs(shown - value) <= 5000, printed  # half of the last digit shown, £10k
    assert parse_amount(format_exact(value), allow_negative=True) == value


@given(pounds)
def test_format_amount_uses_m_from_1m_and_k_only_for_whole_thousands_below(value):
    printed = format_amount(value)
    if value >= 1_000_000:
        assert printed.endswith("m"), printed
    elif printed.endswith("k"):
        assert value % 1000 == 0 and value >= 1000
    else:
        assert not printed.endswith("m")
        assert value < 1000 or value % 1000 != 0


def test_examples_of_the_display_style_read_back():
    for printed, value in [
        ("£1.50m", "1500000"),
        ("£240.69m", "240690000"),
        ("£197k", "197000"),
        ("£3,700", "3700"),
        ("£52.50", "52.50"),
    ]:
        assert parse_amount(printed) == Decimal(value)
        assert format_amount(Decimal(value)) == printed


# -- anything else is refused ---------------------------------------------------------------------


def refused(text: str, **kwargs) -> AmountError:
    with pytest.raises(AmountError) as error:
        parse_amount(text, **kwargs)
    assert str(error.value)  # always a reason
    return error.value


@given(digits, digits, digits, st.sampled_from(["", "£"]), st.sampled_from(["", "k", "m"]))
@example("1", "2", "3", "", "")  # "1.2.3"
def test_two_decimal_points_are_refused(a, b, c, pound, suffix):
    refused(f"{pound}{a}.{b}.{c}{suffix}")
    refused(f"{pound}{a}..{b}{suffix}")


@given(digits, suffixes, suffixes, st.sampled_from(["", "£", "-£"]))
@example("12", "k", "k", "")  # "12kk"
def test_doubled_suffixes_are_refused(number, first, second, pound):
    refused(f"{pound}{number}{first}{second}", allow_negative=True)
    refused(f"{pound}{number}{first} {second}", allow_negative=True)


def _amount_texts():
    return st.one_of(
        pounds.map(plain), pounds.map(grouped), whole_thousands.map(lambda n: f"£{n}k")
    )


@given(
    _amount_texts(),
    st.characters(categories=["Lu", "Ll", "Lt", "Lo"]).filter(lambda c: c not in "kKmM"),
    st.integers(min_value=0),
)
@example("£197k", "e", 2)  # "£1e97k"
@example("197000", "O", 1)  # a letter O for a nought
def test_a_letter_anywhere_is_refused(text, letter, position):
    position %= len(text) + 1
    refused(text[:position] + letter + text[position:])


@given(_amount_texts(), suffixes, st.integers(min_value=0))
def test_k_or_m_anywhere_but_the_end_is_refused(text, suffix, position):
    position %= len(text)
    refused(text[:position] + suffix + text[position:])


@st.composite
def badly_grouped(draw):
    """Digits with commas where at least one comma is not followed by exactly three digits,
    or the first group is longer than three: "1,00,000", "1000,000", "1,000,", ",000"."""
    head = draw(st.text(alphabet="0123456789", min_size=1, max_size=6))
    groups = draw(st.lists(st.text(alphabet="0123456789", max_size=6), min_size=1, max_size=4))
    assume(len(head) > 3 or any(len(g) != 3 for g in groups))
    text = head + "".join("," + g for g in groups)
    if draw(st.booleans()):
        text = "," + text
    return text


@given(badly_grouped(), st.sampled_from(["", "£"]), st.sampled_from(["", ".50", "k", "m"]))
@example("1,00,000", "", "")
@example("1,00", "", "")
@example("1000,000", "£", "")
def test_bad_comma_grouping_is_refused(number, pound, tail):
    refused(f"{pound}{number}{tail}")


@pytest.mark.parametrize("text", ["", " ", "£", " £ ", "-", "-£", "\u2212", "\t\n", "k", "£m"])
def test_nothing_to_read_is_refused(text):
    refused(text)
    refused(text, allow_negative=True)


def test_none_is_refused():
    refused(None)


@given(_amount_texts(), st.sampled_from(["-", "- ", "\u2212"]))
@example("0", "-")
def test_a_negative_figure_is_refused_where_negatives_are_not_allowed(text, sign):
    error = refused(sign + text)
    assert "cannot be negative" in str(error)
    refused("-£" + text.lstrip("£"))


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=12),
    st.text(alphabet="0123456789", min_size=3, max_size=12),
    st.sampled_from(["", "£"]),
)
@example("52", "505", "")
@example("52", "500", "")
def test_more_than_two_decimals_without_a_suffix_are_refused(whole, decimals, pound):
    error = refused(f"{pound}{whole}.{decimals}")
    assert "two decimal places" in str(error)


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=0, max_value=20),
)
@example(1, 1, 0)  # "1.000000001m"
def test_less_than_a_penny_in_thousands_or_millions_is_refused(whole, last_digit, zeros):
    refused(f"£{whole}.{'0' * (5 + zeros)}{last_digit}k")
    refused(f"£{whole}.{'0' * (8 + zeros)}{last_digit}m")


def test_the_largest_amount_a_line_holds_is_read_and_a_larger_one_refused():
    assert parse_amount("£999,999,999,999.99") == MAX_AMOUNT
    assert parse_amount("-999999999999.99", allow_negative=True) == -MAX_AMOUNT
    for text in ["1,000,000,000,000", "£1000000000k", "£1000000m", "1" * 27, "9" * 40 + ".5k"]:
        assert "too large" in str(refused(text, allow_negative=True))


amount_alphabet = st.sampled_from(list("0123456789,.£kKmM-\u2212 ()e+_'\u00a0\u0661\uff11"))


@given(st.one_of(st.text(), st.text(alphabet=amount_alphabet, max_size=40)), st.booleans())
@example("1" * 27, False)  # more digits than Decimal's default 28-digit context holds
@example("1.00000000000000000000000000001k", False)  # not whole pence, beyond 28 digits
@example("9" * 30 + "m", True)
@example("0" * 40 + "1.5k", False)
@example("-0", True)
@example("١٢٣", False)
@example("999999995000.0", False)  # shown as "£1,000,000.00m": past the largest amount
@example("999999994999.99", False)  # shown as "£999,999.99m"
def test_any_text_is_read_exactly_or_refused_with_a_reason(text, allow_negative):
    try:
        value = parse_amount(text, allow_negative=allow_negative)
    except AmountError as error:
        assert str(error)
        return
    assert isinstance(value, Decimal)
    assert value.is_finite()
    assert value == value.quantize(PENNY) and value.as_tuple().exponent == -2
    if value < 0:
        assert allow_negative
    exact = format_exact(value)
    assert significant_digits(exact) == significant_digits(text), (text, exact)
    if abs(value) >= Decimal("999999995000"):
        # From there its display (to £10k) rounds up past the largest amount
        # ("£1,000,000.00m"), which is then refused as too large, naming the limit.
        with pytest.raises(AmountError, match="too large"):
            parse_amount(format_amount(value), allow_negative=True)
        return
    shown = parse_amount(format_amount(value), allow_negative=True)
    assert shown == value if abs(value) < 1_000_000 else abs(shown - value) <= 5000


@given(
    st.text(alphabet=amount_alphabet, max_size=20),
    st.characters(categories=["Nd"]).filter(lambda c: not c.isascii()),
    st.integers(min_value=0),
    st.booleans(),
)
@example("£12k", "\uff11", 1, False)  # "£１2k": a full-width one
@example("123", "\u0661", 0, True)  # an Arabic-Indic one
@example("()", "\u0660", 1, False)  # "(٠)": its digit, not its brackets, is what is wrong
def test_a_digit_other_than_0_to_9_anywhere_is_refused(text, digit, position, allow_negative):
    """Python reads "١٢٣" and "１２" as numbers; an amount is written in 0-9 or refused."""
    position %= len(text) + 1
    with pytest.raises(AmountError, match="is not an amount: use the digits 0-9"):
        parse_amount(text[:position] + digit + text[position:], allow_negative=allow_negative)


# -- financial years --------------------------------------------------------------------------------


@given(dates)
@example(datetime.date(2016, 3, 31))
@example(datetime.date(2016, 4, 1))
@example(datetime.date(1999, 12, 1))
@example(datetime.date(2000, 3, 31))
@example(datetime.date(2100, 1, 1))
@example(datetime.date(1990, 4, 1))
@example(datetime.date(2101, 3, 31))
def test_the_financial_year_of_a_date_is_valid_and_holds_it(day):
    year = financial_year_of(day)
    assert validate_financial_year(year) == year
    first, last = financial_year_bounds(year)
    assert first <= day <= last
    assert (first.month, first.day) == (4, 1)
    assert (last.month, last.day) == (3, 31)
    assert last.year == first.year + 1
    assert financial_year_of(first) == financial_year_of(last) == year
    assert (last - first).days in (364, 365)


@given(dates_outside)
@example(datetime.date(15, 3, 1))
@example(datetime.date(1990, 3, 31))
@example(datetime.date(2101, 4, 1))
def test_the_financial_year_of_a_date_outside_the_years_kept_is_refused(day):
    with pytest.raises(ValueError, match="outside the financial years kept"):
        validate_financial_year(financial_year_of(day))


@given(
    st.dates(
        min_value=datetime.date(FIRST_YEAR, 4, 1), max_value=datetime.date(LAST_YEAR + 1, 3, 30)
    )
)
def test_the_year_changes_between_31_march_and_1_april_and_only_then(day):
    after = day + datetime.timedelta(days=1)
    if (day.month, day.day) == (3, 31):
        assert int(financial_year_of(after)[:4]) == int(financial_year_of(day)[:4]) + 1
        assert financial_year_bounds(financial_year_of(day))[1] == day
        assert financial_year_bounds(financial_year_of(after))[0] == after
    else:
        assert financial_year_of(after) == financial_year_of(day)


@given(st.integers(min_value=FIRST_YEAR, max_value=LAST_YEAR))
def test_a_year_written_start_slash_next_is_valid(start):
    year = f"{start}/{(start + 1) % 100:02d}"
    assert validate_financial_year(year) == year
    assert financial_year_bounds(year) == (
        datetime.date(start, 4, 1),
        datetime.date(start + 1, 3, 31),
    )


@given(st.integers(min_value=1000, max_value=9999), st.integers(min_value=0, max_value=99))
def test_a_second_part_not_the_following_year_is_refused(start, end):
    assume(end != (start + 1) % 100)
    with pytest.raises(ValueError):
        validate_financial_year(f"{start}/{end:02d}")


def test_the_century_wraps():
    assert validate_financial_year("1999/00") == "1999/00"
    assert financial_year_bounds("1999/00") == (
        datetime.date(1999, 4, 1),
        datetime.date(2000, 3, 31),
    )
    assert validate_financial_year("2099/00") == "2099/00"
    assert financial_year_bounds("2099/00") == (
        datetime.date(2099, 4, 1),
        datetime.date(2100, 3, 31),
    )
    assert financial_year_of(datetime.date(2100, 3, 31)) == "2099/00"
    assert financial_year_of(datetime.date(2000, 1, 1)) == "1999/00"
    assert validate_financial_year("2000/01") == "2000/01"
    for bad in ["1999/01", "2099/100", "1999/2000", "2099/99", "2000/00"]:
        with pytest.raises(ValueError):
            validate_financial_year(bad)


@pytest.mark.parametrize(
    "bad",
    [
        "2015/17",
        "2015-16",
        "15/16",
        "2015/2016",
        "2015/6",
        "2015 /16",
        " 2015/16",
        "2015/16 ",
        "2015/16\n",  # "$" alone would let a trailing newline through
        "\u0662\u0660\u0661\u0665/\u0661\u0666",  # Arabic-Indic digits: not "2015/16"
        "\uff12\uff10\uff11\uff15/\uff11\uff16",  # full-width digits
        "",
        None,
    ],
)
def test_a_financial_year_must_be_written_like_2015_16(bad):
    with pytest.raises(ValueError):
        validate_financial_year(bad)


@given(
    st.one_of(
        st.integers(min_value=0, max_value=FIRST_YEAR - 1),
        st.integers(min_value=LAST_YEAR + 1, max_value=9999),
    )
)
@example(0)
@example(9999)
def test_a_year_outside_1990_91_to_2100_01_is_refused_however_well_written(start):
    with pytest.raises(ValueError, match="outside the financial years kept, 1990/91 to 2100/01"):
        validate_financial_year(f"{start:04d}/{(start + 1) % 100:02d}")


@given(st.text(max_size=12))
@example("2015/16\n")
@example("0000/01")
@example("9999/00")
def test_any_text_is_a_valid_year_or_refused_with_value_error(text):
    try:
        year = validate_financial_year(text)
    except ValueError as error:
        assert str(error)
        return
    assert len(year) == 7 and year.isascii()
    start = int(year[:4])
    assert year == f"{start:04d}/{(start + 1) % 100:02d}"
    assert FIRST_YEAR <= start <= LAST_YEAR
