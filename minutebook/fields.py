"""Model and form fields for money and financial years, built on ``minutebook.money``."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from . import money


class AmountFormField(forms.CharField):
    """Reads what a finance officer types ("£197k", "197,000", "£1.2m") into Decimal pounds.

    Errors name the field ("Amount: “12kk” is not an amount ..."), so a message read out of
    context, in a list of errors or by a screen reader, still says where to look.
    """

    def __init__(self, *, allow_negative: bool = True, **kwargs):
        self.allow_negative = allow_negative
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        kwargs.setdefault("help_text", "e.g. 197000, 197,000, £197k, £1.2m or £52.50")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return money.format_exact(value).replace("£", "").replace(",", "")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return money.parse_amount(text, allow_negative=self.allow_negative)
        except money.AmountError as exc:
            raise ValidationError(
                f"{self.label or 'Amount'}: {exc}", code="invalid_amount"
            ) from exc


class MoneyField(models.DecimalField):
    """Pounds to the penny, up to £999,999,999,999.99; the admin form reads "£197k"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        defaults = {"form_class": AmountFormField}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


def validate_financial_year(value: str) -> None:
    try:
        money.validate_financial_year(value)
    except ValueError as exc:
        raise ValidationError(f"Financial year: {exc}", code="invalid_financial_year") from exc


class FinancialYearField(models.CharField):
    """A UK financial year written "2015/16" (April to March)."""

    default_validators = [validate_financial_year]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(*args, **kwargs)


# -- form fields for query parameters ---------------------------------------------------------
# Every query parameter of a page, export or feed is read by one of these (through the filters
# of ``minutebook.filtering``), so a bad value is a 400 naming the field, never a 500: numbers
# and dates are bounded (a year 0 or 99999999999999999999 would overflow the database's or
# Python's dates), and only the ASCII digits 0-9 count as digits (Python's int() reads "٣" as 3).

# Calendar years a filter may ask for: the span of the financial years kept (``money``).
FIRST_YEAR, LAST_YEAR = money.FIRST_YEAR, money.LAST_YEAR
# The largest key a BigAutoField (and SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# More digits than this is out of any range here; refused before int() reads them.
_MAX_DIGITS = 25


class NamedErrorsMixin:
    """Errors that start with the field's label ("Year: Enter a number. ..."), so a message read
    out of context (a plain-text 400, a list of errors, a screen reader) still says where to
    look."""

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            label = self.label or "Value"
            raise ValidationError(
                [f"{label}: {message}" for message in error.messages], code="invalid"
            ) from error


class WordsField(NamedErrorsMixin, forms.CharField):
    """Words to search for, at most ``max_length`` characters (200 unless told), no NUL."""

    def __init__(self, *, max_length: int = 200, **kwargs):
        super().__init__(max_length=max_length, **kwargs)


class WholeNumberField(NamedErrorsMixin, forms.IntegerField):
    """A whole number written in the digits 0-9 (an optional minus sign, nothing else: not
    "²", "٣", "1e3", "1.0" or "+1"), from ``min_value`` to ``max_value`` (both required)."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        out_of_range = f"Enter a number from {min_value} to {max_value}."
        self.error_messages.update(
            {
                "invalid": "Enter a number. Use the digits 0 to 9 only.",
                "min_value": out_of_range,
                "max_value": out_of_range,
                "out_of_range": out_of_range,
            }
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(text.lstrip("-0")) > _MAX_DIGITS:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return int(text)


class RecordDateField(NamedErrorsMixin, forms.DateField):
    """A date written in the digits 0-9 (2015-11-26, or 26/11/2015 as typed in the UK), in the
    years ``FIRST_YEAR`` to ``LAST_YEAR``."""

    default_error_messages = {
        "invalid": "Enter a valid date, e.g. 2015-11-26.",
        "out_of_range": f"Enter a date from {FIRST_YEAR} to {LAST_YEAR}.",
    }

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")


class FlagField(NamedErrorsMixin, forms.NullBooleanField):
    """A yes/no parameter set by links: "1" or "true" (yes), "0" or "false" (no), empty (not
    given). Anything else is refused rather than read as "not given"."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": "Enter 1 (yes) or 0 (no)."}
    _VALUES = {"1": True, "true": True, "0": False, "false": False}

    def to_python(self, value):
        if value in (True, False, None, ""):
            return None if value == "" else value
        text = str(value).strip().lower()
        if text not in self._VALUES:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return self._VALUES[text]

    def validate(self, value):
        pass
