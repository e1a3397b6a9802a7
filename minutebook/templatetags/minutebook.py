from django import template
from django.utils.safestring import SafeString

from minutebook import money as m

register = template.Library()


@register.filter
def rendered(record, field_name: str) -> SafeString:
    """The stored HTML of a markup field: ``{{ paper|rendered:"body" }}``. No query."""
    return record.html(field_name)


@register.filter
def money(value, style: str = "") -> SafeString:
    """An amount in the one display style (``money.format_amount``) with the exact figure on
    hover and for machines: ``{{ line.amount|money }}`` → "£197k", "£240.69m" (title
    "£240,690,500.00", value "240690500.00"); ``{{ total|money:"thousands" }}`` → "1,501" for
    a table printed in £'000. Empty for None."""
    if value is None or value == "":
        return SafeString("")
    shown = m.format_thousands(value) if style == "thousands" else m.format_amount(value)
    # Not format_html: a number's formats are digits, "£", ",", ".", "-", "k" and "m" only, and
    # a record's page prints hundreds of amounts, so escaping them was a measurable cost.
    return SafeString(
        f'<data class="money" value="{value:.2f}" title="{m.format_exact(value)}">{shown}</data>'
    )


@register.filter
def money_exact(value) -> str:
    """The exact figure: "£1,501,000.00". Empty for None."""
    return "" if value is None or value == "" else m.format_exact(value)
