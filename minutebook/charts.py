"""Bar charts drawn on the server as inline SVG, with the figures beside them in a real table.

``bar_chart(...)`` returns one ``<figure class="chart">`` holding a caption, an SVG (role="img",
labelled by its ``<title>`` and by a ``<desc>`` that states the totals in words) and a table of
every figure. No JavaScript, no random ids: the same data always gives the same bytes, so a PDF's
hash (see ``minutebook.pdf.responses``) only changes when the figures do.

Everything inside the SVG is styled with presentation attributes (fill, stroke, font-size),
because WeasyPrint applies a page's stylesheets to the ``<svg>`` box but not to the shapes
inside it. ``static/css/charts.css`` only sizes the figure and styles the table, on the web
page and in the PDF alike.

Series are told apart by colour (each at least 3:1 against white) and by a fill pattern
(solid, diagonal lines, dots, horizontal lines, cross-hatch, ...); the legend shows both.
A missing figure (``None``) draws no bar and reads "not recorded" in the table, never 0.

Cost: pure string building, no queries; linear in categories × series.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from minutebook import money

__all__ = ["PALETTE", "Series", "bar_chart"]


@dataclass(frozen=True)
class Series:
    """One series of bars: its label (shown in the legend and table) and a value per category."""

    label: str
    values: Sequence[Decimal | None]


#: Series colours in order; each has at least 3:1 contrast against white (WCAG 1.4.11).
PALETTE = ("#1d70b8", "#c65102", "#00703c", "#912b88", "#505a5f", "#28a197")
TEXT = "#0b0c0c"
SECONDARY = "#484949"
GRID = "#b1b4b6"
FONT_FAMILY = "Minutebook Sans, DejaVu Sans, Arial, sans-serif"

# Hatching drawn in white over the series colour, on an 8×8 tile. The first series is solid.
_TILE = 8
_HATCHES: tuple[str, ...] = (
    "",
    '<path d="M-2 2L2-2M0 8L8 0M6 10L10 6" stroke="#ffffff" stroke-width="2"/>',
    '<circle cx="2" cy="2" r="1.6" fill="#ffffff"/><circle cx="6" cy="6" r="1.6" fill="#ffffff"/>',
    '<path d="M0 4H8" stroke="#ffffff" stroke-width="2"/>',
    '<path d="M0 4H8M4 0V8" stroke="#ffffff" stroke-width="1.5"/>',
    '<path d="M-2 6L2 10M0 0L8 8M6-2L10 2" stroke="#ffffff" stroke-width="2"/>',
    '<path d="M4 0V8" stroke="#ffffff" stroke-width="2"/>',
)

# Geometry, in viewBox units (about CSS pixels on the web page, ~0.75pt each in an A4 PDF).
WIDTH = 640
_PAD = 8
_FONT = 13
_CHAR = 0.62 * _FONT  # a generous average glyph width: labels are placed by estimate
_PLOT_HEIGHT = 260
_SWATCH = 14
_LEGEND_ROW = 22
_LABEL_ANGLE = 35
_MAX_LABEL_CHARS = 28
_NOTE_FONT = 11
#: Up to this many categories the table runs them across; more, and they run down.
_MAX_CATEGORY_COLUMNS = 8

_SAFE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = False,
    value_format: Callable[[Decimal], str] = money.format_amount,
    exact_format: Callable[[Decimal], str] = money.format_exact,
    chart_id: str,
) -> SafeString:
    """A ``<figure class="chart" id=chart_id>`` with caption, SVG bar chart and table of figures.

    ``categories`` run along the x axis (e.g. financial years); each series has one value per
    category, ``None`` where nothing is recorded. ``stacked`` stacks the series in each category
    (positives up from zero, negatives down) and adds a total row to the table. ``value_format``
    writes ticks and table figures; ``exact_format`` the figure in each bar's hover title.

    With no series, no categories or no recorded value, returns ``<p class="empty">`` instead.
    Raises ValueError for an unsafe ``chart_id`` or a series whose length differs from the
    categories'.
    """
    if not _SAFE_ID.match(chart_id or ""):
        raise ValueError(
            f"chart_id {chart_id!r} is not a safe id: use a letter, then letters, digits, - or _."
        )
    categories = [str(category) for category in categories]
    rows = [_Row(s.label, [_decimal(v) for v in s.values]) for s in series]
    for row in rows:
        if len(row.values) != len(categories):
            raise ValueError(
                f"Series {row.label!r} has {len(row.values)} values for {len(categories)} categories."
            )
    if not categories or not any(v is not None for row in rows for v in row.values):
        return format_html(
            '<p class="empty" id="{}">No figures are recorded for {}, so there is no chart.</p>',
            chart_id,
            title,
        )
    summary = _summary(description, categories, rows, stacked, value_format)
    return format_html(
        '<figure class="chart" id="{id}">'
        '<figcaption class="chart__caption"><span class="chart__title">{title}</span>{description}'
        "</figcaption>{svg}{table}</figure>",
        id=chart_id,
        title=title,
        description=format_html(' <span class="chart__description">{}</span>', description)
        if description.strip()
        else "",
        svg=_svg(chart_id, title, summary, categories, rows, stacked, value_format, exact_format),
        table=_table(chart_id, title, categories, rows, stacked, value_format),
    )


@dataclass(frozen=True)
class _Row:
    label: str
    values: list[Decimal | None]

    @property
    def recorded(self) -> list[Decimal]:
        return [v for v in self.values if v is not None]


def _decimal(value: Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"Chart values are Decimal (or int) or None, not {type(value).__name__}.")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"Chart values must be finite, not {value}.")
    return value


# --- HTML and SVG building -------------------------------------------------------------------


def _el(tag: str, content: Any = "", /, **attrs: Any) -> SafeString:
    """``<tag attrs>content</tag>``; attribute values and non-safe content are escaped.

    ``class_`` gives ``class``; other underscores become hyphens (``text_anchor``).
    """
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        name = "class" if name == "class_" else name.replace("_", "-")
        parts.append(format_html(' {}="{}"', mark_safe(name), value))  # noqa: S308 - our names
    return format_html("<{0}{1}>{2}</{0}>", mark_safe(tag), mark_safe("".join(parts)), content)  # noqa: S308


def _join(pieces: Sequence[SafeString]) -> SafeString:
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is already escaped


def _n(number: float) -> str:
    """A coordinate with at most two decimals, so output is short and stable."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text_width(text: str) -> float:
    return len(text) * _CHAR


def _shorten(text: str, limit: int = _MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _paint(chart_id: str, index: int) -> str:
    """The fill of series ``index``: its pattern, falling back to its plain colour."""
    if not _HATCHES[index % len(_HATCHES)]:
        return _colour(index)
    return f"url(#{chart_id}-pattern-{index}) {_colour(index)}"


def _patterns(chart_id: str, count: int) -> SafeString:
    # userSpaceOnUse tiles: WeasyPrint reuses one pattern node for every bar, and rewrites an
    # objectBoundingBox pattern's size in place on first use, so only fixed tiles are safe.
    patterns = []
    for index in range(count):
        hatch = _HATCHES[index % len(_HATCHES)]
        if hatch:
            background = _el("rect", width=_TILE, height=_TILE, fill=_colour(index))
            patterns.append(
                _el(
                    "pattern",
                    background + mark_safe(hatch),  # noqa: S308 - constant markup
                    id=f"{chart_id}-pattern-{index}",
                    patternUnits="userSpaceOnUse",
                    width=_TILE,
                    height=_TILE,
                )
            )
    return _el("defs", _join(patterns)) if patterns else mark_safe("")


@dataclass(frozen=True)
class _Axis:
    low: Decimal
    high: Decimal
    ticks: list[Decimal]


def _nice_axis(low: Decimal, high: Decimal, target: int = 5) -> _Axis:
    """An axis from ``low`` to ``high`` (zero included) in round steps: 1, 2, 2.5 or 5 × 10ⁿ."""
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if low == high:  # every figure is zero: a bare axis from 0 to 1
        return _Axis(Decimal(0), Decimal(1), [Decimal(0), Decimal(1)])
    raw = (high - low) / target
    base = Decimal(1).scaleb(raw.adjusted())
    step = next(base * m for m in (1, 2, Decimal("2.5"), 5, 10) if base * m >= raw)
    first = math.floor(low / step)
    last = math.ceil(high / step)
    ticks = [Decimal(format(step * i, "f")) for i in range(first, last + 1)]
    return _Axis(ticks[0], ticks[-1], ticks)


@dataclass(frozen=True)
class _Plot:
    """Where the plot area sits in the viewBox, and how values map onto it."""

    axis: _Axis
    left: float
    right: float
    top: float
    band: float  # the width given to each category

    @property
    def bottom(self) -> float:
        return self.top + _PLOT_HEIGHT

    def y(self, value: Decimal) -> float:
        share = (self.axis.high - value) / (self.axis.high - self.axis.low)
        return self.top + float(share) * _PLOT_HEIGHT

    @property
    def zero(self) -> float:
        return self.y(Decimal(0))


def _svg(
    chart_id: str,
    title: str,
    summary: str,
    categories: list[str],
    rows: list[_Row],
    stacked: bool,
    value_format: Callable[[Decimal], str],
    exact_format: Callable[[Decimal], str],
) -> SafeString:
    if stacked:
        columns = _columns(rows)
        axis = _nice_axis(
            min(sum((v for v in col if v is not None and v < 0), Decimal(0)) for col in columns),
            max(sum((v for v in col if v is not None and v > 0), Decimal(0)) for col in columns),
        )
    else:
        values = [v for row in rows for v in row.recorded]
        axis = _nice_axis(min(values), max(values))
    tick_labels = [value_format(tick) for tick in axis.ticks]

    legend, legend_height = _legend(chart_id, rows)
    left = _PAD + max(_text_width(label) for label in tick_labels) + 8
    right = WIDTH - _PAD
    plot = _Plot(axis, left, right, _PAD + legend_height + _FONT, (right - left) / len(categories))
    labels, labels_height = _category_labels(plot, categories)
    height = math.ceil(plot.bottom + labels_height + _PAD)

    grid = []
    for tick, label in zip(axis.ticks, tick_labels, strict=True):
        y = plot.y(tick)
        grid.append(
            _el("line", x1=_n(plot.left), x2=_n(plot.right), y1=_n(y), y2=_n(y), stroke=GRID)
        )
        grid.append(
            _el(
                "text",
                label,
                class_="chart__tick",
                x=_n(plot.left - 6),
                y=_n(y + _FONT * 0.35),
                text_anchor="end",
                fill=SECONDARY,
            )
        )
    draw = _stacked_bars if stacked else _grouped_bars
    zero_line = _el(
        "line",
        class_="chart__zero",
        x1=_n(plot.left),
        x2=_n(plot.right),
        y1=_n(plot.zero),
        y2=_n(plot.zero),
        stroke=TEXT,
        stroke_width="1.5",
    )
    body = _join(
        [
            _el("title", title, id=f"{chart_id}-title"),
            _el("desc", summary, id=f"{chart_id}-desc"),
            _patterns(chart_id, len(rows)),
            legend,
            _el("g", _join(grid), class_="chart__grid"),
            _el("g", draw(chart_id, plot, categories, rows, exact_format), class_="chart__bars"),
            zero_line,
            labels,
        ]
    )
    return _el(
        "svg",
        body,
        xmlns="http://www.w3.org/2000/svg",
        class_="chart__svg",
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        viewBox=f"0 0 {WIDTH} {height}",
        width=WIDTH,
        height=height,
        font_family=FONT_FAMILY,
        font_size=_FONT,
        fill=TEXT,
    )


def _category_labels(plot: _Plot, categories: list[str]) -> tuple[SafeString, float]:
    """The category labels under the plot (slanted when they would collide), and their height."""
    labels = [_shorten(category) for category in categories]
    widest = max(_text_width(label) for label in labels)
    slant = widest > plot.band - 6
    texts = []
    for c, label in enumerate(labels):
        x, y = plot.left + plot.band * (c + 0.5), plot.bottom + _FONT * 1.4
        texts.append(
            _el(
                "text",
                label,
                class_="chart__category",
                x=_n(x),
                y=_n(y),
                text_anchor="end" if slant else "middle",
                transform=f"rotate(-{_LABEL_ANGLE} {_n(x)} {_n(y)})" if slant else None,
            )
        )
    height = _FONT * 2 + (widest * math.sin(math.radians(_LABEL_ANGLE)) if slant else 0)
    return _el("g", _join(texts), class_="chart__categories"), height


def _grouped_bars(
    chart_id: str,
    plot: _Plot,
    categories: list[str],
    rows: list[_Row],
    exact_format: Callable[[Decimal], str],
) -> SafeString:
    """Side by side in each category; a missing figure leaves its slot marked "not recorded"."""
    slot = plot.band * 0.8 / len(rows)
    shapes = []
    for c, category in enumerate(categories):
        for s, row in enumerate(rows):
            x = plot.left + plot.band * (c + 0.1) + slot * s
            value = row.values[c]
            if value is None:
                shapes.append(_not_recorded(plot, x + slot / 2))
            else:
                shapes.append(
                    _bar(
                        chart_id,
                        s,
                        f"{row.label}, {category}: {exact_format(value)}",
                        x + slot * 0.05,
                        slot * 0.9,
                        plot.zero,
                        plot.y(value),
                    )
                )
    return _join(shapes)


def _stacked_bars(
    chart_id: str,
    plot: _Plot,
    categories: list[str],
    rows: list[_Row],
    exact_format: Callable[[Decimal], str],
) -> SafeString:
    """One stack per category: positive figures upwards from zero, negative ones downwards."""
    width = plot.band * 0.6
    stacks = []
    for c, category in enumerate(categories):
        x = plot.left + plot.band * c + (plot.band - width) / 2
        up = down = Decimal(0)
        bars = []
        for s, row in enumerate(rows):
            value = row.values[c]
            if value is None:
                continue
            if value >= 0:
                start, up = up, up + value
            else:
                start, down = down, down + value
            bars.append(
                _bar(
                    chart_id,
                    s,
                    f"{row.label}, {category}: {exact_format(value)}",
                    x,
                    width,
                    plot.y(start),
                    plot.y(start + value),
                )
            )
        if not bars:
            stacks.append(_not_recorded(plot, x + width / 2))
            continue
        title = _el("title", f"{category}, total: {exact_format(up + down)}")
        stacks.append(_el("g", title + _join(bars), class_="chart__stack"))
    return _join(stacks)


def _bar(
    chart_id: str, index: int, title: str, x: float, width: float, y_from: float, y_to: float
) -> SafeString:
    return _el(
        "rect",
        _el("title", title),
        class_="chart__bar",
        x=_n(x),
        y=_n(min(y_from, y_to)),
        width=_n(width),
        height=_n(abs(y_to - y_from)),
        fill=_paint(chart_id, index),
        stroke=_colour(index),
    )


def _not_recorded(plot: _Plot, x: float) -> SafeString:
    """ "not recorded", written upwards from the zero line (downwards if there is no room)."""
    size = _NOTE_FONT
    length = _text_width("not recorded") * size / _FONT
    upwards = plot.zero - plot.top >= length + 4
    y = plot.zero - 4 if upwards else plot.zero + 4
    x += size * 0.35  # centre the rotated glyphs on x
    return _el(
        "text",
        "not recorded",
        class_="chart__missing",
        x=_n(x),
        y=_n(y),
        transform=f"rotate(-90 {_n(x)} {_n(y)})",
        text_anchor="start" if upwards else "end",
        font_size=size,
        font_style="italic",
        fill=SECONDARY,
    )


def _legend(chart_id: str, rows: list[_Row]) -> tuple[SafeString, float]:
    """The legend's items in rows across the top, and the height they take."""
    items = []
    x, y = float(_PAD), float(_PAD)
    room = WIDTH - 2 * _PAD
    for index, row in enumerate(rows):
        label = _shorten(row.label, int((room - _SWATCH - 6) / _CHAR))
        width = _SWATCH + 6 + _text_width(label)
        if x > _PAD and x + width > _PAD + room:
            x, y = float(_PAD), y + _LEGEND_ROW
        swatch = _el(
            "rect",
            x=_n(x + 0.5),
            y=_n(y + 0.5),
            width=_SWATCH - 1,
            height=_SWATCH - 1,
            fill=_paint(chart_id, index),
            stroke=_colour(index),
        )
        text = _el("text", label, x=_n(x + _SWATCH + 6), y=_n(y + _SWATCH - 2))
        items.append(_el("g", swatch + text, class_="chart__legend-item"))
        x += width + 18
    return _el("g", _join(items), class_="chart__legend"), y - _PAD + _LEGEND_ROW


def _columns(rows: list[_Row]) -> list[list[Decimal | None]]:
    return [list(column) for column in zip(*(row.values for row in rows), strict=True)]


# --- Words and table --------------------------------------------------------------------------


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _summary(
    description: str,
    categories: list[str],
    rows: list[_Row],
    stacked: bool,
    value_format: Callable[[Decimal], str],
) -> str:
    """The data in words for the SVG's ``<desc>``: the caller's text, then totals per series."""
    sentences = [description.strip()] if description.strip() else []
    for row in rows:
        missing = [c for c, v in zip(categories, row.values, strict=True) if v is None]
        if not row.recorded:
            sentences.append(f"{row.label}: not recorded.")
            continue
        text = f"{row.label}: {value_format(sum(row.recorded, Decimal(0)))} in total"
        sentences.append(text + (f", not recorded for {_and(missing)}." if missing else "."))
    if stacked:
        totals = [
            (category, sum((v for v in column if v is not None), Decimal(0)))
            for category, column in zip(categories, _columns(rows), strict=True)
            if any(v is not None for v in column)
        ]
        grand = sum((total for _, total in totals), Decimal(0))
        top_category, top = max(totals, key=lambda item: item[1])
        sentences.append(
            f"All together: {value_format(grand)}; the largest total is {top_category}, "
            f"{value_format(top)}."
        )
    else:
        points = [
            (v, row.label, category)
            for row in rows
            for category, v in zip(categories, row.values, strict=True)
            if v is not None
        ]
        high = max(points, key=lambda point: point[0])
        sentences.append(f"Highest: {high[1]} in {high[2]}, {value_format(high[0])}.")
        low = min(points, key=lambda point: point[0])
        if low[0] < 0:
            sentences.append(f"Lowest: {low[1]} in {low[2]}, {value_format(low[0])}.")
    return " ".join(sentences)


def _figure_cell(value: Decimal | None, value_format: Callable[[Decimal], str]) -> SafeString:
    if value is None:
        return _el("td", _el("span", "not recorded", class_="not-recorded"), class_="chart__num")
    return _el(
        "td", _el("data", value_format(value), value=format(value, "f")), class_="chart__num"
    )


def _total_cell(
    values: Sequence[Decimal | None], value_format: Callable[[Decimal], str]
) -> SafeString:
    recorded = [v for v in values if v is not None]
    if not recorded:
        return _figure_cell(None, value_format)
    total = sum(recorded, Decimal(0))
    content = _el("data", value_format(total), value=format(total, "f"))
    missing = len(values) - len(recorded)
    if missing:
        content += format_html(
            ' <span class="chart__partial">excludes {} not recorded</span>', missing
        )
    return _el("td", content, class_="chart__num")


def _table(
    chart_id: str,
    title: str,
    categories: list[str],
    rows: list[_Row],
    stacked: bool,
    value_format: Callable[[Decimal], str],
) -> SafeString:
    """Every figure, a total per series and (stacked) a total per category.

    Series are rows and categories columns, as the papers print budgets by year; with more
    categories than fit across a page the table is turned, categories becoming rows.
    """
    columns = _columns(rows)
    heads = [*categories, "Total"]
    labels = [row.label for row in rows]
    cells = [
        [
            *(_figure_cell(v, value_format) for v in row.values),
            _total_cell(row.values, value_format),
        ]
        for row in rows
    ]
    if stacked:
        labels.append("Total")
        every = [v for row in rows for v in row.values]
        cells.append(
            [*(_total_cell(col, value_format) for col in columns), _total_cell(every, value_format)]
        )
    has_total_row = stacked
    if len(categories) > _MAX_CATEGORY_COLUMNS:
        heads, labels = labels, heads
        cells = [list(line) for line in zip(*cells, strict=True)]
        has_total_row = True

    head = _el(
        "tr",
        _el("td", "", class_="chart__corner")
        + _join([_el("th", text, scope="col", class_="chart__num") for text in heads]),
    )
    lines = [
        _el("tr", _el("th", label, scope="row") + _join(line))
        for label, line in zip(labels, cells, strict=True)
    ]
    body = _el("tbody", _join(lines[:-1] if has_total_row else lines))
    foot = _el("tfoot", lines[-1]) if has_total_row else mark_safe("")
    table = _el(
        "table",
        _el("caption", f"Figures for {title}", id=f"{chart_id}-caption")
        + _el("thead", head)
        + body
        + foot,
        class_="table chart__table",
    )
    return _el(
        "div",
        table,
        class_="chart__table-wrap",
        role="region",
        aria_labelledby=f"{chart_id}-caption",
        tabindex="0",
    )
