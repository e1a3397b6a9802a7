"""Model and form fields for money and financial years, built on ``minutebook.money``."""

from __future__ import annotations

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
