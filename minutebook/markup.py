"""The one safe markup for record text (paper bodies, minutes, descriptions).

CommonMark with tables, raw HTML off: whatever a user types is escaped, headings,
numbered and bulleted lists, tables, emphasis and links work. Images are switched off
so record text can never make a reader's browser (or, later, the PDF renderer) fetch
anything. Text is rendered once when the record is saved (see ``RenderedTextField``
users in the models), never on each request.
"""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable("table")
_md.disable("image")

_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    """Only web and mail links, or links within this site; never file:, javascript:, data:."""
    lowered = url.strip().lower()
    return lowered.startswith(_ALLOWED_SCHEMES) or lowered.startswith(("/", "#"))


_md.validateLink = _validate_link


def _table_open(renderer, tokens, idx, options, env):
    # A wide table scrolls inside a region that keyboard users can focus (WCAG 2.1.1).
    region = '<div class="table-scroll" role="region" aria-label="Table" tabindex="0">'
    return region + renderer.renderToken(tokens, idx, options, env)


def _table_close(renderer, tokens, idx, options, env):
    return renderer.renderToken(tokens, idx, options, env) + "</div>"


_md.add_render_rule("table_open", _table_open)
_md.add_render_rule("table_close", _table_close)


def render_markup(text: str) -> str:
    """Return the HTML for ``text``; every character the user typed is escaped. Costs a parse."""
    if not text or not text.strip():
        return ""
    return _md.render(text)


def as_html(rendered: str) -> SafeString:
    """Mark HTML that came out of ``render_markup`` (and was stored) as safe for templates."""
    return mark_safe(rendered)  # noqa: S308 - produced by render_markup, which escapes input
