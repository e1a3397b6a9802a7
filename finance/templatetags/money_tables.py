"""``{% money_table table %}``: one printed money table (``finance.summary.PivotTable``) as HTML.

Written in Python rather than as a template because a record's page can print dozens of these
tables with hundreds of cells, and the template engine's per-cell cost (a filter call, a
variable lookup, a loop frame for each) was most of the time a notice's page took. The markup
is the one ``finance/_money.html`` printed before: a focusable scrolling region, a caption, the
years as columns, a row per description, and the totals as the papers print them. Every text
is escaped (``format_html`` / ``esc``).
"""

import html

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from finance.models import RecordType
from minutebook.templatetags.minutebook import money

register = template.Library()


def esc(text) -> SafeString:
    """``conditional_escape`` without its lazy-text wrapper (a notice's page escapes thousands
    of texts): text already marked safe is kept, anything else escaped as Django escapes it,
    and marked safe (so ``format_html`` does not escape it twice)."""
    if hasattr(text, "__html__"):
        return SafeString(text.__html__())
    return SafeString(html.escape(str(text)))


def _cells(values, style: str, *, blank_none: bool = True) -> str:
    out = []
    for value in values:
        shown = "" if (value is None and blank_none) else money(value, style)
        out.append(f'<td class="num">{shown}</td>')
    return "".join(out)


COMPUTED = ' <span class="computed-by">(computed by this site)</span>'
ALSO_PRINTED = ' <span class="computed-by">(computed; printed figures below)</span>'


def _made(printed: bool) -> str:
    """What a total the site adds up says of itself: whether the document prints it too."""
    return ALSO_PRINTED if printed else COMPUTED


@register.simple_tag
def money_table(table) -> SafeString:
    """The table, with the totals under its rows and beside them labelled as computed by this
    site, or as computed with the document's own figures listed below (``table.printed``)."""
    style = table.style
    printed = table.printed_of
    # Escaped by format_html below, with the rest of the table's texts.
    caption = table.caption
    kind = table.kind_label.lower()
    head = "".join(
        f'<th scope="col" class="num">{esc(year) if year else "Year not recorded"}</th>'
        for year in table.years
    )
    body = "".join(
        f'<tr><th scope="row">{esc(row.label)}</th>'
        + "".join(
            f'<td class="num">{money(cell.amount, style) if cell else ""}</td>'
            for cell in row.cells
        )
        + f'<td class="num">{money(row.total, style)}</td></tr>'
        for row in table.rows
    )
    foot = ""
    if len(table.rows) > 1 or len(table.years) > 1:
        recurrent = " recurrent" if table.recurrent else ""
        in_year = "year" in printed
        foot = (
            f'<tr><th scope="row">Total{recurrent} in each year{_made(in_year)}</th>'
            f"{_cells(table.year_totals, style)}"
            f'<td class="num">{money(table.total, style)}</td></tr>'
        )
        if len(table.years) > 1 and table.years[0]:
            label = "Total annual cumulative" if table.recurrent else "Running total"
            label += _made("running" in printed)
            foot += f'<tr><th scope="row">{label}</th>{_cells(table.running, style)}<td></td></tr>'
            if table.recurrent:
                foot += (
                    f'<tr><th scope="row">Total since {esc(table.years[0])}'
                    f"{_made('accumulated' in printed)}</th>"
                    f"{_cells(table.accumulated, style)}<td></td></tr>"
                )
        foot = f"<tfoot>{foot}</tfoot>"
    thousands = " (£'000)" if table.in_thousands else ""
    return format_html(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="{}: {}">'
        '<table class="table table--money"><caption>{}: {}{}</caption>'
        '<thead><tr><th scope="col"><span class="visually-hidden">Line</span></th>{}'
        '<th scope="col" class="num">Total{}</th></tr></thead><tbody>{}</tbody>{}</table></div>',
        table.caption,
        table.kind_label,
        caption,
        kind,
        thousands,
        SafeString(head),
        SafeString(_made("row" in printed)),
        SafeString(body),
        SafeString(foot),
    )


NOT_RECORDED = '<span class="not-recorded">not recorded</span>'  # as _not_recorded.html
NONE = '<span class="nil"><span aria-hidden="true">–</span><span class="visually-hidden">none</span></span>'


def _url(record, urls: dict) -> str:
    """The record's escaped address, worked out once per record of a table (most rows of a
    record's page belong to the record itself or one of a few recommendations)."""
    key = (type(record), record.pk)
    if key not in urls:
        urls[key] = esc(record.get_absolute_url())
    return urls[key]


def _same_money(line, lines_url: str) -> str:
    """What a row says of the line it reports the same money as: a link and, where its amount
    is known to the row, whether the two figures agree. The lines list reads that amount
    (``same_as_amount``) only from a line the reader may see; a record's page has the line
    itself, or ``same_as_hidden`` (``summary.read_lines``). No query."""
    hidden = "the same money as a line of a record that is not published"
    if getattr(line, "same_as_hidden", False):
        return hidden
    link = f'<a href="{lines_url}?line={line.same_as_id}">line {line.same_as_id}</a>'
    if hasattr(line, "same_as_amount"):
        other = line.same_as_amount
        if other is None:
            return hidden
    elif type(line).same_as.is_cached(line):
        other = line.same_as.amount
    else:
        return f"the same money as {link}"
    said = f"the same money as {link} ({money(other)})"
    if other == line.amount:
        return f"{said}: the two figures agree"
    return (
        f"{said}: <strong>the two figures disagree by {money(abs(line.amount - other))}"
        "</strong>, both kept as printed"
    )


def _line_row(line, show_record: bool, lines_url: str, urls: dict) -> str:
    text = esc(line.description)
    if line.as_printed:
        text += f' <span class="as-printed">(printed “{esc(line.as_printed)}”)</span>'
    if line.scope:
        text += f'<br><span class="hint">{esc(line.scope)}</span>'
    if not line.counted:
        if line.same_as_id:
            why = _same_money(line, lines_url)
        elif line.part_of_id:
            why = f'part of <a href="{lines_url}?line={line.part_of_id}">line {line.part_of_id}</a>'
        else:
            why = "repeats or was superseded by another figure, or was cancelled"
        if line.note:
            why += f": {esc(Truncator(line.note).chars(160))}"
        text += f'<br><strong class="tag tag--muted">Not in totals</strong> <span class="hint">{why}</span>'
    elif not line.confirmed:
        text += (
            '<br><strong class="tag tag--muted">Not in totals</strong> '
            '<span class="hint">proposed by an import: a finance officer has not confirmed it'
            "</span>"
        )
    if line.contradiction:
        text += (
            '<br><span class="contradiction"><strong>Contradiction:</strong> '
            f"{esc(line.contradiction)}</span>"
        )
    year = esc(line.financial_year) if line.financial_year else NOT_RECORDED
    recurrence = esc(line.get_recurrence_display()) if line.recurrence else NOT_RECORDED
    cells = [
        f"<td>{text}</td>",
        f'<td class="nowrap">{year}</td>',
        f"<td>{esc(line.get_kind_display())}</td>",
        f"<td>{recurrence}</td>",
        f'<td class="num">{money(line.amount)}</td>',
        f'<td class="num nowrap">{esc(line.exact_amount)}</td>',
    ]
    if show_record:
        record = line.record
        if line.recommendation_id:
            title = f"{line.recommendation.number} of {line.recommendation.paper.title}"
        elif line.minute_paragraph_id:
            title = line.record_title
        elif line.record_type == RecordType.FUNCTION:
            title = record.name
        else:
            title = record.title
        cells.append(
            f'<td><span class="hint">{esc(line.record_type.label)}:</span> '
            f'<a href="{_url(record, urls)}">{esc(title)}</a></td>'
        )
    if line.function_id:
        where = line.function
    elif line.area_id:
        where = line.area
    else:
        where = None
    cells.append(
        f'<td><a href="{_url(where, urls)}">{esc(where.name)}</a></td>'
        if where
        else f"<td>{NONE}</td>"
    )
    return f'<tr id="line-{line.pk}">{"".join(cells)}</tr>'


@register.simple_tag
def line_rows(lines, show_record=False) -> SafeString:
    """The rows of ``finance/_line_table.html``: one per financial line, with its description
    (as printed, scope, and why it is not in totals), year, kind, recurrence, amount, exact
    figure, the record it belongs to (``show_record``) and its collaboration. In Python for the
    reason above: fifty rows through the template engine took a record's page 10 ms."""
    lines_url = reverse("finance:lines")
    urls: dict = {}
    return SafeString("".join(_line_row(line, show_record, lines_url, urls) for line in lines))


def esc_attr(query: str) -> str:
    """A query string in an attribute: ``&`` (a query string's only character HTML gives a
    meaning to there, as ``query_string`` quotes the rest) written as ``&amp;``."""
    return query.replace("&", "&amp;")


def _grid_link(lines_url: str, query: str, text: str) -> str:
    return f'<a href="{lines_url}?{esc_attr(query)}">{text}</a>'


@register.simple_tag
def grid_body(scope, lines_url: str) -> SafeString:
    """The body and foot of one scope's table on ``/finance/`` (``finance.summary.ScopeGrid``):
    a row per financial year ("Year not recorded" last) linking to its lines, a cell per
    column linking to exactly that cell's lines (or "none"), and the "All years" row. In Python
    for the reason above: at the benchmark's volume a grid has thousands of cells."""
    rows = []
    for row in scope.rows:
        year = esc(row["year"]) if row["year"] else "Year not recorded"
        cells = "".join(
            f'<td class="num">{_grid_link(lines_url, cell.query, money(cell.total))}</td>'
            if cell
            else f'<td class="num">{NONE}</td>'
            for cell in row["cells"]
        )
        rows.append(
            f'<tr><th scope="row">{_grid_link(lines_url, row["query"], year)}</th>{cells}</tr>'
        )
    totals = "".join(
        f'<td class="num">{_grid_link(lines_url, total["query"], money(total["total"]))}</td>'
        for total in scope.column_totals
    )
    return SafeString(
        f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th scope="row">'
        f"{_grid_link(lines_url, scope.query, 'All years')}</th>{totals}</tr></tfoot>"
    )


@register.simple_tag
def sorted_heading(heading: str, sort_headings=None, css: str = "") -> SafeString:
    """A column heading of ``finance/_line_table.html``: on the lines list (``sort_headings``
    from ``web.pages.finance.sort_headings``) a link sorting by the column, with ``aria-sort``
    on the sort in force and the direction a click gives spelt out for screen readers;
    elsewhere the plain heading."""
    css_attr = format_html(' class="{}"', css) if css else ""
    found = (sort_headings or {}).get(heading)
    if not found:
        return format_html('<th scope="col"{}>{}</th>', css_attr, heading)
    aria = found["aria_sort"]
    marker = {"ascending": " ▲", "descending": " ▼"}.get(aria)
    return format_html(
        '<th scope="col"{}{}><a href="{}" class="sort-link">{}{}'
        '<span class="visually-hidden">, sort {}</span></a></th>',
        css_attr,
        format_html(' aria-sort="{}"', aria) if marker else "",
        found["href"],
        heading,
        format_html('<span aria-hidden="true">{}</span>', marker) if marker else "",
        found["next"],
    )
