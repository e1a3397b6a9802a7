"""``{% money_table table %}``: one printed money table (``finance.summary.PivotTable``) as HTML.

Written in Python rather than as a template because a record's page can print dozens of these
tables with hundreds of cells, and the template engine's per-cell cost (a filter call, a
variable lookup, a loop frame for each) was most of the time a notice's page took. The markup
is the one ``finance/_money.html`` printed before: a focusable scrolling region, a caption, the
years as columns, a row per description, and the totals as the papers print them. Every text
is escaped (``format_html`` / ``conditional_escape``).
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from finance.models import RecordType
from minutebook.templatetags.minutebook import money

register = template.Library()


def _cells(values, style: str, *, blank_none: bool = True) -> str:
    out = []
    for value in values:
        shown = "" if (value is None and blank_none) else money(value, style)
        out.append(f'<td class="num">{shown}</td>')
    return "".join(out)


@register.simple_tag
def money_table(table) -> SafeString:
    style = table.style
    esc = conditional_escape
    caption = esc(table.caption)
    kind = esc(table.kind_label.lower())
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
        foot = (
            f'<tr><th scope="row">Total{recurrent} in each year</th>'
            f"{_cells(table.year_totals, style)}"
            f'<td class="num">{money(table.total, style)}</td></tr>'
        )
        if len(table.years) > 1 and table.years[0]:
            label = "Total annual cumulative" if table.recurrent else "Running total"
            foot += f'<tr><th scope="row">{label}</th>{_cells(table.running, style)}<td></td></tr>'
            if table.recurrent:
                foot += (
                    f'<tr><th scope="row">Total since {esc(table.years[0])}</th>'
                    f"{_cells(table.accumulated, style)}<td></td></tr>"
                )
        foot = f"<tfoot>{foot}</tfoot>"
    thousands = " (£'000)" if table.in_thousands else ""
    return format_html(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="{}: {}">'
        '<table class="table table--money"><caption>{}: {}{}</caption>'
        '<thead><tr><th scope="col"><span class="visually-hidden">Line</span></th>{}'
        '<th scope="col" class="num">Total</th></tr></thead><tbody>{}</tbody>{}</table></div>',
        table.caption,
        table.kind_label,
        caption,
        kind,
        thousands,
        SafeString(head),
        SafeString(body),
        SafeString(foot),
    )


NOT_RECORDED = '<span class="not-recorded">not recorded</span>'  # as _not_recorded.html
NONE = '<span class="nil"><span aria-hidden="true">–</span><span class="visually-hidden">none</span></span>'


def _line_row(line, show_record: bool, lines_url: str) -> str:
    esc = conditional_escape
    text = esc(line.description)
    if line.as_printed:
        text += f' <span class="as-printed">(printed “{esc(line.as_printed)}”)</span>'
    if line.scope:
        text += f'<br><span class="hint">{esc(line.scope)}</span>'
    if not line.counted:
        if line.part_of_id:
            why = (
                f'part of or the same money as <a href="{lines_url}?line={line.part_of_id}">'
                f"line {line.part_of_id}</a>"
            )
        else:
            why = "repeats or was superseded by another figure, or was cancelled"
        if line.note:
            why += f": {esc(Truncator(line.note).chars(160))}"
        text += f'<br><strong class="tag tag--muted">Not in totals</strong> <span class="hint">{why}</span>'
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
            f'<a href="{esc(record.get_absolute_url())}">{esc(title)}</a></td>'
        )
    if line.function_id:
        where = line.function
    elif line.area_id:
        where = line.area
    else:
        where = None
    cells.append(
        f'<td><a href="{esc(where.get_absolute_url())}">{esc(where.name)}</a></td>'
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
    return SafeString("".join(_line_row(line, show_record, lines_url) for line in lines))


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
