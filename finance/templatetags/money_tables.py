"""``{% money_table table %}``: one printed money table (``finance.summary.PivotTable``) as HTML.

Written in Python rather than as a template because a record's page can print dozens of these
tables with hundreds of cells, and the template engine's per-cell cost (a filter call, a
variable lookup, a loop frame for each) was most of the time a notice's page took. The markup
is the one ``finance/_money.html`` printed before: a focusable scrolling region, a caption, the
years as columns, a row per description, and the totals as the papers print them. Every text
is escaped (``format_html`` / ``conditional_escape``).
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

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
