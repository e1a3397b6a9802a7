"""Server-drawn bar charts: what a reader sees in the SVG, in its table and in the PDF."""

from __future__ import annotations

import io
import logging
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from pypdf import PdfReader

from minutebook.charts import PALETTE, Series, bar_chart
from minutebook.money import format_amount, format_exact, format_thousands
from tests.pages import text

SVG = "{http://www.w3.org/2000/svg}"
YEARS = ["2014/15", "2015/16", "2016/17", "2017/18"]


def savings(**overrides) -> str:
    """The savings chart of one collaborated function: forecast against realised."""
    arguments = {
        "title": "Savings: Joint Protective Services",
        "description": "Forecast savings against those realised.",
        "categories": YEARS,
        "series": [
            Series("Forecast saving", [Decimal(197000), Decimal(515000), Decimal(1501000), None]),
            Series("Realised saving", [Decimal(150000), None, Decimal(1200000), None]),
        ],
        "chart_id": "savings",
    }
    return str(bar_chart(**{**arguments, **overrides}))


def budgets(**overrides) -> str:
    """Collaborated budgets by area, stacked."""
    arguments = {
        "title": "Collaborated budgets by area",
        "description": "Budgets of the collaborated areas.",
        "categories": YEARS[:3],
        "series": [
            Series("Joint Protective Services", [Decimal(6151000), Decimal(6400000), None]),
            Series("Organisational Support", [Decimal(1200000), Decimal(900000), Decimal(800000)]),
            Series("Operational Support", [Decimal(300000), None, Decimal(450000)]),
        ],
        "stacked": True,
        "chart_id": "budgets",
    }
    return str(bar_chart(**{**arguments, **overrides}))


def figure_of(markup: str) -> ET.Element:
    """The chart's <figure>, read as XML: the markup must be well-formed."""
    return ET.fromstring(markup)


def svg_of(figure: ET.Element) -> ET.Element:
    return figure.find(f"{SVG}svg")


def bars(figure: ET.Element) -> dict[str, ET.Element]:
    """The bars by their hover title ("series, category: exact value")."""
    return {
        rect.find(f"{SVG}title").text: rect
        for rect in svg_of(figure).iter(f"{SVG}rect")
        if rect.get("class") == "chart__bar"
    }


def zero_line(figure: ET.Element) -> float:
    line = next(el for el in svg_of(figure).iter(f"{SVG}line") if el.get("class") == "chart__zero")
    assert line.get("y1") == line.get("y2")
    return float(line.get("y1"))


def top(rect: ET.Element) -> float:
    return float(rect.get("y"))


def bottom(rect: ET.Element) -> float:
    return float(rect.get("y")) + float(rect.get("height"))


def height(rect: ET.Element) -> float:
    return float(rect.get("height"))


def table_rows(figure: ET.Element) -> dict[str, list[str]]:
    """Each table row's cells by its row header, as text."""
    table = figure.find(".//table")
    return {
        text(tr.find("th")): [text(td) for td in tr.findall("td")]
        for tr in table.iter("tr")
        if tr.find("th[@scope='row']") is not None
    }


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# --- The figure and its accessible name ---------------------------------------------------------


def test_it_returns_a_figure_with_caption_svg_and_table():
    figure = figure_of(savings())

    assert figure.tag == "figure"
    assert figure.get("class") == "chart"
    assert figure.get("id") == "savings"
    assert [child.tag for child in figure] == ["figcaption", f"{SVG}svg", "div"]
    assert "Savings: Joint Protective Services" in text(figure.find("figcaption"))
    assert figure.find(".//table/caption").text == "Figures for Savings: Joint Protective Services"


def test_the_svg_is_an_image_named_by_its_title_and_described_by_its_desc():
    svg = svg_of(figure_of(savings()))

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "savings-title savings-desc"
    assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox"))
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.get("id") == "savings-title"
    assert title.text == "Savings: Joint Protective Services"
    assert desc.get("id") == "savings-desc"


def test_the_description_states_the_totals_in_words():
    desc = svg_of(figure_of(savings())).find(f"{SVG}desc").text

    assert desc.startswith("Forecast savings against those realised.")
    assert "Forecast saving: £2.21m in total, not recorded for 2017/18." in desc
    assert "Realised saving: £1.35m in total, not recorded for 2015/16 and 2017/18." in desc
    assert "Highest: Forecast saving in 2016/17, £1.50m." in desc


def test_a_stacked_description_gives_the_combined_total_and_the_largest():
    desc = svg_of(figure_of(budgets())).find(f"{SVG}desc").text

    assert "All together: £16.20m; the largest total is 2014/15, £7.65m." in desc


def test_the_same_figures_give_the_same_bytes():
    assert savings() == savings()
    assert budgets() == budgets()


@pytest.mark.parametrize("chart_id", ["", "1chart", "a b", 'x" onload="alert(1)', "a/b", "é"])
def test_it_refuses_an_unsafe_chart_id(chart_id):
    with pytest.raises(ValueError, match="safe id"):
        savings(chart_id=chart_id)


def test_it_refuses_a_series_that_does_not_match_the_categories():
    with pytest.raises(ValueError, match="2 values for 4 categories"):
        savings(series=[Series("Forecast saving", [Decimal(1), Decimal(2)])])


# --- Bars --------------------------------------------------------------------------------------


def test_it_draws_one_bar_per_recorded_figure_with_the_exact_figure_on_hover():
    drawn = bars(figure_of(savings()))

    assert sorted(drawn) == sorted(
        [
            "Forecast saving, 2014/15: £197,000.00",
            "Forecast saving, 2015/16: £515,000.00",
            "Forecast saving, 2016/17: £1,501,000.00",
            "Realised saving, 2014/15: £150,000.00",
            "Realised saving, 2016/17: £1,200,000.00",
        ]
    )


def test_bar_heights_are_proportional_to_the_figures():
    drawn = bars(figure_of(savings()))

    big = drawn["Forecast saving, 2016/17: £1,501,000.00"]
    small = drawn["Forecast saving, 2014/15: £197,000.00"]
    assert height(big) / height(small) == pytest.approx(1501000 / 197000, rel=1e-3)


def test_positive_bars_stand_on_the_zero_line():
    figure = figure_of(savings())

    for rect in bars(figure).values():
        assert bottom(rect) == pytest.approx(zero_line(figure), abs=0.01)


def test_a_missing_figure_draws_no_bar_and_reads_not_recorded():
    figure = figure_of(savings())
    drawn = bars(figure)

    assert not any(title.startswith("Realised saving, 2015/16") for title in drawn)
    assert not any("2017/18" in title for title in drawn)
    notes = [t for t in svg_of(figure).iter(f"{SVG}text") if t.get("class") == "chart__missing"]
    assert [note.text for note in notes] == ["not recorded"] * 3
    assert table_rows(figure)["Realised saving"][1] == "not recorded"


def test_a_missing_figure_is_never_shown_as_zero():
    figure = figure_of(savings())

    assert "£0" not in table_rows(figure)["Realised saving"]
    assert all("2017/18" not in title for title in bars(figure))


def test_negative_figures_hang_below_the_zero_line():
    figure = figure_of(
        savings(
            series=[
                Series("Forecast saving", [Decimal(300000), Decimal(-100000), None, None]),
                Series("Realised saving", [Decimal(-250000), Decimal(50000), None, None]),
            ]
        )
    )
    zero = zero_line(figure)
    drawn = bars(figure)

    cost = drawn["Realised saving, 2014/15: -£250,000.00"]
    saving = drawn["Forecast saving, 2014/15: £300,000.00"]
    assert top(cost) == pytest.approx(zero, abs=0.01)
    assert bottom(cost) > zero
    assert bottom(saving) == pytest.approx(zero, abs=0.01)
    assert top(saving) < zero
    assert height(saving) / height(cost) == pytest.approx(300 / 250, rel=1e-3)
    ticks = [t.text for t in svg_of(figure).iter(f"{SVG}text") if t.get("class") == "chart__tick"]
    assert ticks[0].startswith("-£")


def test_stacked_segments_add_up_to_the_total_row():
    figure = figure_of(budgets())
    drawn = bars(figure)
    zero = zero_line(figure)
    per_pound = height(drawn["Organisational Support, 2016/17: £800,000.00"]) / 800000

    stacks = {
        year: [rect for title, rect in drawn.items() if f", {year}: " in title]
        for year in YEARS[:3]
    }
    totals = table_rows(figure)["Total"]
    assert totals == [
        "£7.65m",
        "£7.30m excludes 1 not recorded",
        "£1.25m excludes 1 not recorded",
        "£16.20m excludes 2 not recorded",
    ]
    for year, total in zip(YEARS[:3], [7651000, 7300000, 1250000], strict=True):
        segments = stacks[year]
        assert min(top(rect) for rect in segments) == pytest.approx(zero - total * per_pound, 0.01)
        assert max(bottom(rect) for rect in segments) == pytest.approx(zero, abs=0.01)
        assert sum(height(rect) for rect in segments) == pytest.approx(total * per_pound, 0.01)


def test_stacked_segments_do_not_overlap():
    drawn = bars(figure_of(budgets()))

    segments = sorted((rect for t, rect in drawn.items() if ", 2014/15: " in t), key=top)
    for upper, lower in zip(segments, segments[1:], strict=False):
        assert bottom(upper) == pytest.approx(top(lower), abs=0.01)


def test_a_stack_with_a_negative_figure_hangs_it_below_zero():
    figure = figure_of(
        budgets(
            series=[
                Series("Joint Protective Services", [Decimal(500000), None, None]),
                Series("Income", [Decimal(-200000), None, None]),
            ]
        )
    )
    drawn = bars(figure)
    zero = zero_line(figure)

    assert bottom(drawn["Joint Protective Services, 2014/15: £500,000.00"]) == pytest.approx(zero)
    assert top(drawn["Income, 2014/15: -£200,000.00"]) == pytest.approx(zero)
    assert table_rows(figure)["Total"][0] == "£300k"


# --- Axis --------------------------------------------------------------------------------------


def ticks_of(figure: ET.Element) -> list[tuple[Decimal, float]]:
    """(value, y) of each tick, reading the labels written by ``plain`` below."""
    svg = svg_of(figure)
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "chart__tick"]
    return [(Decimal(t.text), float(t.get("y"))) for t in labels]


def plain(value: Decimal) -> str:
    return format(value, "f")


@pytest.mark.parametrize(
    "figures",
    [
        [197000, 515000, 1501000, 800000],
        [3, 7, 12, 1],
        [-40, 15, 95, 0],
        [Decimal("0.37"), Decimal("0.12"), Decimal("0.05"), Decimal("0.2")],
        [-6151000, -10, -500, -2],
    ],
)
def test_ticks_are_round_numbers_covering_every_figure(figures):
    figure = figure_of(
        savings(
            series=[Series("Forecast saving", [Decimal(f) for f in figures])], value_format=plain
        )
    )
    ticks = ticks_of(figure)
    values = [value for value, _ in ticks]

    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1, values
    step = steps.pop()
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {1, 2, Decimal("2.5"), 5}, step
    assert all((value / step) == (value / step).to_integral_value() for value in values)
    assert values[0] <= min(min(figures), 0)
    assert values[-1] >= max(max(figures), 0)
    assert Decimal(0) in values
    assert 3 <= len(values) <= 12
    # Higher values sit higher on the page, evenly spaced.
    ys = [y for _, y in ticks]
    assert ys == sorted(ys, reverse=True)
    gaps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.02


def test_ticks_are_written_with_value_format():
    svg = svg_of(figure_of(savings()))

    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart__tick"]
    assert labels == ["£0", "£500k", "£1.00m", "£1.50m", "£2.00m"]


def test_each_category_is_labelled_under_the_bars():
    svg = svg_of(figure_of(savings()))

    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart__category"]
    assert labels == YEARS


# --- Table -------------------------------------------------------------------------------------


def test_the_table_holds_every_figure_and_a_total_per_series():
    figure = figure_of(savings())
    table = figure.find(".//table")

    header = [text(th) for th in table.find("thead").iter("th")]
    assert header == [*YEARS, "Total"]
    assert all(th.get("scope") == "col" for th in table.find("thead").iter("th"))
    assert table_rows(figure) == {
        "Forecast saving": ["£197k", "£515k", "£1.50m", "not recorded", "£2.21m excludes 1 not recorded"],
        "Realised saving": ["£150k", "not recorded", "£1.20m", "not recorded", "£1.35m excludes 2 not recorded"],
    }  # fmt: skip
    assert table.find("tfoot") is None  # forecast and realised are not added together


def test_table_cells_carry_the_exact_figure():
    figure = figure_of(savings())

    exact = [data.get("value") for data in figure.find(".//table/tbody").iter("data")]
    assert exact[:4] == ["197000", "515000", "1501000", "2213000"]


def test_the_table_uses_value_format():
    figure = figure_of(budgets(value_format=format_thousands))

    assert table_rows(figure)["Joint Protective Services"] == [
        "6,151",
        "6,400",
        "not recorded",
        "12,551 excludes 1 not recorded",
    ]
    assert [cell.split()[0] for cell in table_rows(figure)["Total"]] == [
        "7,651",
        "7,300",
        "1,250",
        "16,201",
    ]


def test_a_stacked_table_has_a_total_row_in_its_footer():
    figure = figure_of(budgets())
    footer = figure.find(".//table/tfoot/tr")

    assert footer.find("th").get("scope") == "row"
    assert text(footer.find("th")) == "Total"


def test_a_table_with_many_categories_runs_them_down_the_page():
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2008, 2020)]
    figure = figure_of(
        savings(
            categories=years,
            series=[Series("Forecast saving", [Decimal(1000 * i) for i in range(12)])],
        )
    )
    rows = table_rows(figure)

    assert list(rows) == [*years, "Total"]
    assert rows["2010/11"] == ["£2k"]
    assert rows["Total"] == ["£66k"]


# --- Escaping ----------------------------------------------------------------------------------


def test_record_text_is_escaped_everywhere():
    evil = '<script>alert("x")</script> & Co'
    html = savings(
        title=evil,
        description=evil,
        categories=[evil, *YEARS[1:]],
        series=[Series(evil, [Decimal(1), Decimal(2), None, None])],
    )

    assert "<script" not in html
    assert "&lt;script&gt;" in html
    figure = figure_of(html)
    svg = svg_of(figure)
    assert svg.find(f"{SVG}title").text == evil
    assert evil in svg.find(f"{SVG}desc").text
    legend = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("<script")]
    assert legend  # shown as text in the legend and category labels, not run
    assert evil in table_rows(figure)
    assert not any(el.tag.endswith("script") for el in figure.iter())


# --- Telling series apart ------------------------------------------------------------------------


def test_series_colours_stand_out_against_white():
    for colour in PALETTE:
        contrast = (1 + 0.05) / (relative_luminance(colour) + 0.05)
        assert contrast >= 3, colour


def test_each_series_has_its_own_fill_and_the_legend_shows_the_same():
    six = [Series(f"Area {i}", [Decimal(i + 1), None, None, None]) for i in range(6)]
    svg = svg_of(figure_of(budgets(series=six, categories=YEARS)))

    bar_fills = [
        rect.get("fill") for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "chart__bar"
    ]
    assert len(set(bar_fills)) == 6
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "chart__legend")
    swatches = [rect.get("fill") for rect in legend.iter(f"{SVG}rect")]
    assert swatches == bar_fills
    labels = [t.text for t in legend.iter(f"{SVG}text")]
    assert labels == [f"Area {i}" for i in range(6)]
    # Not by colour alone: all but the first series are patterned, each pattern defined.
    pattern_ids = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    patterned = [fill for fill in bar_fills if fill.startswith("url(#")]
    assert len(patterned) == 5
    assert {re.match(r"url\(#([^)]+)\)", fill)[1] for fill in patterned} == pattern_ids


# --- Nothing to draw ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"series": []},
        {"categories": [], "series": [Series("Forecast saving", [])]},
        {"series": [Series("Forecast saving", [None] * 4), Series("Realised saving", [None] * 4)]},
    ],
)
def test_no_figures_give_a_short_message_instead_of_an_empty_chart(overrides):
    html = savings(**overrides)
    paragraph = figure_of(html)

    assert paragraph.tag == "p"
    assert paragraph.get("class") == "empty"
    assert text(paragraph) == (
        "No figures are recorded for Savings: Joint Protective Services, so there is no chart."
    )
    assert "<svg" not in html


def test_a_zero_is_a_figure_not_a_gap():
    figure = figure_of(savings(series=[Series("Forecast saving", [Decimal(0), None, None, None])]))

    assert list(bars(figure)) == ["Forecast saving, 2014/15: £0.00"]
    assert table_rows(figure)["Forecast saving"][0] == "£0"


# --- PDF ---------------------------------------------------------------------------------------


def test_a_chart_renders_into_the_pdf_with_its_text(caplog):
    from minutebook.pdf.fetcher import PDF_ORIGIN
    from minutebook.pdf.render import render_pdf

    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Charts</title>'
        '<link rel="stylesheet" href="/static/css/charts.css"></head><body>'
        f"{savings()}{budgets()}</body></html>"
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(html, base_url=PDF_ORIGIN + "/")

    # Neither "Failed to load inline SVG" nor a refused or unreadable charts.css.
    assert not [
        r
        for r in caplog.records
        if "svg" in r.getMessage().lower() or "charts.css" in r.getMessage()
    ]
    document = PdfReader(io.BytesIO(pdf))
    assert len(document.pages) >= 1
    words = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    # Tick labels and the legend are drawn only inside the SVG.
    assert "£500k" in words
    assert "£8.00m" in words
    assert "Forecast saving" in words
    assert "not recorded" in words
    # The table comes through as text too.
    assert "Figures for Collaborated budgets by area" in words
    assert "£16.20m" in words


def test_weasyprint_understands_every_rule_of_the_chart_stylesheet(caplog):
    import weasyprint
    from django.contrib.staticfiles import finders

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        weasyprint.CSS(filename=finders.find("css/charts.css"))

    assert [r.getMessage() for r in caplog.records] == []


def test_the_default_formats_are_the_money_helpers():
    drawn = bars(figure_of(savings()))

    assert "Forecast saving, 2014/15: " + format_exact(Decimal(197000)) in drawn
    assert format_amount(Decimal(197000)) == "£197k"
