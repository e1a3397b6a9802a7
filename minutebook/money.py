"""Money as the papers print it, and UK financial years.

Amounts are ``Decimal`` pounds to the penny, never floats. ``parse_amount`` takes what a
finance officer types ("197000", "197,000", "£197k", "£1.2m", "£52.50") and refuses anything
ambiguous with a message; ``format_amount`` writes one display style for every amount
("£240.69m", "£197k", "£3,700"); ``format_exact`` the full figure ("£197,000.00");
``format_thousands`` a figure of a table printed in £'000 ("6,151").
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

PENNY = Decimal("0.01")
MILLION = Decimal(1_000_000)
# The most a MoneyField holds (14 digits, 2 of them pence); a longer figure is a typing slip.
MAX_AMOUNT = Decimal("999999999999.99")
_MULTIPLIERS = {"": Decimal(1), "k": Decimal(1000), "m": Decimal(1_000_000)}
# An optional sign, optional £, digits with correct thousands grouping or none, optional
# decimals, an optional k/m suffix. Nothing else. Digits are ASCII 0-9 only: "\d" would also read
# "١٢٣" (Arabic-Indic) or "１２" (full-width) as a sum, which no finance officer means to type.
_AMOUNT = re.compile(
    r"""(?P<sign>-)?\s*£?\s*
        (?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)
        (?:\.(?P<dec>[0-9]+))?
        \s*(?P<suffix>[kKmM])?""",
    re.VERBOSE,
)


class AmountError(ValueError):
    """The text is not an amount we can read without guessing; the message says why."""


def parse_amount(text: str, *, allow_negative: bool = False) -> Decimal:
    """The amount in ``text`` as Decimal pounds to the penny. Raises AmountError with a reason."""
    if text is None:
        raise AmountError("Enter an amount, e.g. 197000, £197k or £1.2m.")
    cleaned = str(text).strip().replace("\u2212", "-")
    if not cleaned or cleaned in {"£", "-", "-£"}:
        raise AmountError("Enter an amount, e.g. 197000, £197k or £1.2m.")
    not_an_amount = AmountError(
        f"“{text}” is not an amount: use the digits 0-9 with an optional £, commas between "
        "thousands, pence after a point, and k or m once, e.g. 197,000, £197k, £1.2m, £52.50."
    )
    if any(c.isdigit() and not c.isascii() for c in cleaned):
        raise not_an_amount  # "(١٢٣)" is refused for its digits before its brackets
    if cleaned.startswith("(") and cleaned.endswith(")"):
        raise AmountError("Write a negative amount with a minus sign, not brackets.")
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise not_an_amount
    whole = match["int"].replace(",", "")
    decimals = match["dec"] or ""
    suffix = (match["suffix"] or "").lower()
    if not suffix and len(decimals) > 2:
        raise AmountError(f"“{text}” has more than two decimal places: pounds have only pence.")
    too_large = AmountError(
        f"“{text}” is too large: an amount is at most {format_exact(MAX_AMOUNT)}."
    )
    if len(whole.lstrip("0")) > len(str(int(MAX_AMOUNT))):
        raise too_large
    # Exact arithmetic however many digits were typed: in Decimal's default 28-digit context
    # "1.00000000000000000000000000001k" would round to £1,000.00 instead of being refused.
    with localcontext(prec=len(whole) + len(decimals) + 10):
        try:
            value = Decimal(f"{whole}.{decimals or '0'}") * _MULTIPLIERS[suffix]
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
            raise AmountError(f"“{text}” is not an amount.") from exc
        if value != value.quantize(PENNY):
            raise AmountError(f"“{text}” is not a whole number of pence.")
    if value > MAX_AMOUNT:
        raise too_large
    if match["sign"]:
        value = -value
        if not allow_negative:
            raise AmountError("This amount cannot be negative.")
    return value.quantize(PENNY)


def _group(value: Decimal) -> str:
    whole = int(value)
    pence = value - whole
    text = f"{whole:,}"
    if pence:
        text += f"{pence.quantize(PENNY):f}"[1:]
    return text


def format_amount(value: Decimal | int | None) -> str:
    """One style for every amount shown (pages, PDFs, charts), so a column never mixes
    "£240,690,500" with "£28.58m": from £1m in millions to two decimals, rounded half up
    ("£240.69m", "£1.50m", "£5.00m"); below that whole thousands as "£197k", and any other
    amount in full ("£3,700", "£25,500", "£52.50"). Only a figure from £1m is rounded, so
    every page that shows one keeps the exact figure beside it (the ``money`` filter's
    ``title`` and ``value``; ``format_exact``). Empty string for None."""
    if value is None:
        return ""
    value = Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= MILLION:
        millions = (value / MILLION).quantize(PENNY, rounding=ROUND_HALF_UP)
        return f"{sign}£{millions:,.2f}m"
    if value >= 1000 and value % 1000 == 0:
        return f"{sign}£{int(value / 1000)}k"
    if value == value.to_integral_value():
        return f"{sign}£{int(value):,}"
    return f"{sign}£{_group(value)}"


def format_exact(value: Decimal | int | None) -> str:
    """The exact figure with pence: "£197,000.00". Empty string for None."""
    if value is None:
        return ""
    value = Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def format_thousands(value: Decimal | int | None) -> str:
    """For tables printed in £'000: 6151000 -> "6,151"; a part-thousand keeps its decimals."""
    if value is None:
        return ""
    thousands = (Decimal(value) / 1000).normalize()
    if thousands == thousands.to_integral_value():
        return f"{int(thousands):,}"
    return f"{thousands:,f}"


# ASCII digits only, and no trailing newline (which "$" would let through).
_FY = re.compile(r"(\d{4})/(\d{2})", re.ASCII)
# The financial years a record may carry, 1990/91 to 2100/01: the seed records print 2013/14 to
# 2021/22 and the benchmark generates 2011/12 to 2027/28. "0000/01" or "9999/00" is a typing
# slip (and 9999/00 would end in a year no date can hold). Calendar years in filters use the
# same span (``minutebook.fields``).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def financial_year_of(day: datetime.date) -> str:
    """The UK financial year (April to March) holding ``day``: 2016-03-31 -> "2015/16"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start:04d}/{(start + 1) % 100:02d}"


def validate_financial_year(text: str) -> str:
    """Return ``text`` if it is a financial year written "2015/16" in ASCII digits, from 1990/91
    to 2100/01; raise ValueError with a reason otherwise."""
    match = _FY.fullmatch(text or "")
    if not match:
        raise ValueError(
            f"“{text}” is not a financial year: write it like 2015/16, in the digits 0-9."
        )
    start, end = int(match[1]), int(match[2])
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise ValueError(
            f"“{text}” is outside the financial years kept, "
            f"{FIRST_YEAR}/{(FIRST_YEAR + 1) % 100:02d} to {LAST_YEAR}/{(LAST_YEAR + 1) % 100:02d}."
        )
    if (start + 1) % 100 != end:
        raise ValueError(
            f"“{text}” is not a financial year: the second part must be the year after {start}."
        )
    return text


def financial_year_bounds(text: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the financial year "2015/16": 2015-04-01 and 2016-03-31."""
    start = int(validate_financial_year(text)[:4])
    return datetime.date(start, 4, 1), datetime.date(start + 1, 3, 31)
