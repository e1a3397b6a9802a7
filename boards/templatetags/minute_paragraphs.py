"""``{% minute_paragraphs item %}``: the minute paragraphs of ``pdf/_minute_paragraphs.html``.

Written in Python rather than as a loop of the template because the paragraphs are the most
numerous records a meeting's page prints (50 and more), each with its number, its kind and its
stored HTML (rendered once, when it was saved): through the template engine the loop was 2 to
3 ms of the page. A paragraph's money is still ``finance/_minute_money.html``, rendered in
place. The markup is the one the template printed, with the same white space.
"""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

from minutebook.escaping import esc

register = template.Library()

NARRATIVE = "narrative"
MONEY_TEMPLATE = "finance/_minute_money.html"


@register.simple_tag(takes_context=True)
def minute_paragraphs(context, item) -> SafeString:
    """Each paragraph of ``item`` (prefetched, as ``web.pages.meetings.agenda_items`` reads
    them) with its printed number, its kind for screen readers when it is not narrative, its
    text, and its money (``money_lines``, when prefetched) listed under it. No query."""
    out = []
    money = None
    for p in item.paragraphs.all():
        kind = ""
        if p.kind != NARRATIVE:
            kind = f'<span class="visually-hidden">({esc(p.get_kind_display())})</span>'
        lines = getattr(p, "money_lines", None)
        listed = ""
        if lines:
            money = money or get_template(MONEY_TEMPLATE).template
            with context.push(lines=lines):
                listed = money.render(context)
        out.append(
            f'\n<div class="minute minute--{esc(p.kind)}" id="minute-{p.pk}">'
            f'\n  <span class="minute-number">{esc(p.number)}</span>\n  {kind}'
            f'\n  <div class="minute-text">{p.html("text")}</div>\n  {listed}\n</div>\n'
        )
    return SafeString("".join(out))
