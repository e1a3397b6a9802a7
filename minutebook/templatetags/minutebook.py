from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def rendered(record, field_name: str) -> SafeString:
    """The stored HTML of a markup field: ``{{ paper|rendered:"body" }}``. No query."""
    return record.html(field_name)
