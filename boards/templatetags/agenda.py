"""``{% item_heading item %}``: an agenda item's heading, as ``boards/_item_heading.html`` prints it.

A tag rather than an include in the meeting page's loops (the contents list and the agenda
print each item's heading; an include costs a context and a template render each time). The
partial itself calls the tag, so the PDFs that include it print the same words.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from minutebook.escaping import esc

register = template.Library()

NOT_RECORDED = '<span class="not-recorded">not recorded</span>'


@register.simple_tag
def item_heading(item) -> SafeString:
    """ "4 Title" (with an "Exempt" tag for an exempt item the reader may open), or for an
    exempt item the reader may not open (``web.pages.meetings.WithheldItem``) "Item 4 – exempt
    (paragraph 3 of Schedule 12A)", the paragraph as recorded, else "(paragraph of Schedule 12A
    not recorded)". Ends with a new line, as the partial did. No query."""
    if getattr(item, "withheld", False):
        number = f"Item {esc(item.number)}" if item.number else "An item"
        if item.exemption_paragraph:
            paragraph = f"paragraph {esc(item.exemption_paragraph)} of Schedule 12A"
        else:
            paragraph = f"paragraph of Schedule 12A {NOT_RECORDED}"
        return SafeString(f"{number} – exempt ({paragraph})\n")
    number = f'<span class="item-number">{esc(item.number)}</span> ' if item.number else ""
    exempt = ' <span class="tag tag--exempt">Exempt</span>' if item.is_exempt else ""
    return SafeString(f"{number}{esc(item.title)}{exempt}\n")
