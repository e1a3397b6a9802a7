"""Money for a page: a record's lines as the printed tables they came from, totals by kind, and
the grid of totals by financial year and kind behind /finance/.

Pure functions over lines (or stored totals) already selected, so the page decides the one
query that fetches them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.db.models import Sum

from collaboration.models import CollaboratedFunction, CollaborationArea
from minutebook import money

from .models import FinancialLine


@dataclass
class KindTotal:
    kind: str
    label: str
    total: Decimal
    lines: int


@dataclass(slots=True)
class LineValues:
    """A line's values as read for a record's page (``read_lines``), without the model instance,
    which costs ten times as much to build: a notice can print 800 figures in its tables and
    list 50 of its 400 other amounts. A table figure is shown from these values; ``line()``
    builds the ``FinancialLine`` when a row needs the rest (an "other amounts" row)."""

    pk: int
    description: str
    financial_year: str
    kind: str
    amount: Decimal
    counted: bool
    in_thousands: bool
    recurrence: str
    position: int
    source_table: str
    row: tuple = field(repr=False, compare=False)  # every value read, for ``line()``
    build: Callable[[tuple], FinancialLine] = field(repr=False, compare=False)
    built: FinancialLine | None = field(default=None, repr=False, compare=False)

    def get_kind_display(self) -> str:
        return FinancialLine.Kind(self.kind).label

    @property
    def exact_amount(self) -> str:
        return money.format_exact(self.amount)

    def line(self) -> FinancialLine:
        if self.built is None:
            self.built = self.build(self.row)
        return self.built


class Lines(Sequence):
    """Lines for a template: each ``LineValues`` is built into its ``FinancialLine`` when the
    template first reads it, so the 50 rows a page lists cost 50 instances, not 400."""

    def __init__(self, lines: list) -> None:
        self.items = lines

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Lines(self.items[index])
        item = self.items[index]
        return item.line() if isinstance(item, LineValues) else item

    def __bool__(self) -> bool:
        return bool(self.items)


#: The columns a LineValues is read from, in its fields' order.
VALUE_FIELDS = (
    "id", "description", "financial_year", "kind", "amount", "counted", "in_thousands",
    "recurrence", "position", "source_table",
)  # fmt: skip


@dataclass
class PivotRow:
    label: str
    cells: list[LineValues | FinancialLine | None]
    total: Decimal


@dataclass
class PivotTable:
    """Lines of one printed table: rows by description, columns by financial year."""

    caption: str
    years: list[str]
    rows: list[PivotRow] = field(default_factory=list)
    year_totals: list[Decimal | None] = field(default_factory=list)
    total: Decimal = Decimal(0)
    in_thousands: bool = False
    kind_label: str = ""
    recurrent: bool = False
    # Running sums across the years, as the papers print them under savings tables: for
    # recurrent money the amount saved in each year so far, and the savings accumulated.
    running: list[Decimal] = field(default_factory=list)
    accumulated: list[Decimal] = field(default_factory=list)

    @property
    def style(self) -> str:
        """The ``money`` filter's style for this table's figures: "thousands" for £'000."""
        return "thousands" if self.in_thousands else ""


def kind_totals(lines) -> list[KindTotal]:
    """Totals per kind in the order of ``FinancialLine.Kind``, of the lines counted in totals
    (a part or repeat of another line is not added twice). Adding costs to savings means
    nothing, so there is no grand total."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.counted:
            sums[line.kind] += line.amount
            counts[line.kind] += 1
    return [
        KindTotal(kind, label, sums[kind], counts[kind])
        for kind, label in FinancialLine.Kind.choices
        if kind in counts
    ]


def pivot(caption: str, lines: list[FinancialLine]) -> PivotTable:
    years = sorted({line.financial_year for line in lines})
    table = PivotTable(
        caption=caption,
        years=years,
        in_thousands=all(line.in_thousands for line in lines),
        kind_label=lines[0].get_kind_display(),
        recurrent=all(line.recurrence == FinancialLine.Recurrence.RECURRENT for line in lines),
    )
    by_row: dict[str, dict[str, FinancialLine]] = {}
    order: list[str] = []
    for line in sorted(lines, key=lambda item: (item.position, item.pk)):
        if line.description not in by_row:
            by_row[line.description] = {}
            order.append(line.description)
        by_row[line.description][line.financial_year] = line
    for label in order:
        cells = [by_row[label].get(year) for year in years]
        counted = [c.amount for c in cells if c and c.counted]
        table.rows.append(PivotRow(label, cells, sum(counted, Decimal(0))))
    for index in range(len(years)):
        present = [row.cells[index] for row in table.rows if row.cells[index]]
        present = [cell for cell in present if cell.counted]
        table.year_totals.append(sum((c.amount for c in present), Decimal(0)) if present else None)
    table.total = sum((row.total for row in table.rows), Decimal(0))
    running = accumulated = Decimal(0)
    for year_total in table.year_totals:
        running += year_total or 0
        accumulated += running
        table.running.append(running)
        table.accumulated.append(accumulated)
    return table


def for_record(lines) -> tuple[list[PivotTable], list[FinancialLine], list[KindTotal]]:
    """(printed tables, loose lines, totals by kind) for a record page."""
    lines = list(lines)
    tables: dict[tuple[str, str], list[FinancialLine]] = defaultdict(list)
    loose = []
    for line in sorted(lines, key=lambda item: (item.position, item.pk)):
        if line.source_table:
            # Costs and savings printed in one table are totalled apart, as the papers do.
            tables[(line.source_table, line.kind)].append(line)
        else:
            loose.append(line)
    pivots = [pivot(caption, group) for (caption, _kind), group in tables.items()]
    loose.sort(key=lambda item: (item.position, item.pk))
    return pivots, loose, kind_totals(lines)


def with_owners(lines, *, paper=None, notice=None, recommendations=()) -> list[FinancialLine]:
    """``lines`` (a record's lines, read without joining their owners) with the owners the page
    has already read set on them: ``paper``, ``notice`` and ``recommendations`` (each with its
    paper), so that a row's "Belongs to" link costs no query. Joining the owners in the lines'
    query instead makes PostgreSQL hash the whole recommendations table for each page. No query
    when every line's owner is given."""
    by_id = {r.pk: r for r in recommendations}
    lines = list(lines)
    for line in lines:
        if paper is not None and line.paper_id == paper.pk:
            line.paper = paper
        if notice is not None and line.decision_notice_id == notice.pk:
            line.decision_notice = notice
        if line.recommendation_id in by_id:
            line.recommendation = by_id[line.recommendation_id]
    return lines


#: What a loose line's row shows of its collaborated function or area (``read_lines``): the
#: name and what the address needs.
RELATED_FIELDS = {
    "function": (CollaboratedFunction, ("id", "name", "slug")),
    "area": (CollaborationArea, ("id", "name", "slug")),
}


def read_lines(lines, *, paper=None, notice=None, recommendations=()) -> list[LineValues]:
    """A record page's lines (``lines``: a queryset read by owner, without joins) in one query,
    as ``LineValues``. A line built into its ``FinancialLine`` comes with its function or area
    (what its row shows of them: name and address; anything else is read on demand) and the
    owners the page has already read (``with_owners``). One query."""
    own = [f.attname for f in FinancialLine._meta.concrete_fields]
    related = [f"{name}__{col}" for name, (_, cols) in RELATED_FIELDS.items() for col in cols]
    values = itemgetter(*(own.index(name) for name in VALUE_FIELDS))
    db = lines.db

    def build(row: tuple) -> FinancialLine:
        line = FinancialLine.from_db(db, own, row[: len(own)])
        start = len(own)
        for name, (model, columns) in RELATED_FIELDS.items():
            found = row[start : start + len(columns)]
            start += len(columns)
            if found[0] is not None:
                setattr(line, name, model.from_db(db, list(columns), found))
        with_owners([line], paper=paper, notice=notice, recommendations=recommendations)
        return line

    return [LineValues(*values(row), row, build) for row in lines.values_list(*own, *related)]


#: Other amounts a record's web page lists before linking to the rest on /finance/lines/ (its
#: totals and printed tables always cover every line; its PDF lists them all).
LOOSE_SHOWN = 50


def for_page(lines, all_lines: str = "") -> dict:
    """The context ``finance/_money.html`` (and ``pdf/_money.html``) reads: {"tables", "loose",
    "totals"}, plus the first ``LOOSE_SHOWN`` loose lines the web page lists, how many more
    there are, and ``all_lines``: the address of the list of all these lines."""
    lines = list(lines)
    tables, loose, totals = for_record(lines)
    return {
        "tables": tables,
        "loose": Lines(loose),
        "totals": totals,
        "loose_shown": Lines(loose[:LOOSE_SHOWN]),
        "loose_more": max(0, len(loose) - LOOSE_SHOWN),
        "all_lines": all_lines,
        "line_count": len(lines),
    }


@dataclass
class GridCell:
    total: Decimal
    lines: int
    query: str  # the filters that select exactly this cell's lines


@dataclass
class TotalsGrid:
    """Totals by financial year (rows, "" last for no year recorded) and kind (columns)."""

    kinds: list[tuple[str, str]]
    rows: list[dict]  # {"year", "cells": [GridCell | None per kind]}
    kind_totals: list[dict]  # {"kind", "label", "total", "lines", "query"}
    line_count: int


def totals_grid(filterset, totals) -> TotalsGrid:
    """The grid of ``totals`` (stored totals the reader may see) narrowed by ``filterset``
    (a ``FinancialLineFilter``), each cell carrying the filters of its lines. One query."""
    rows = list(
        filterset.filter_totals(totals.filter(lines__gt=0))
        .order_by()
        .values("financial_year", "kind")
        .annotate(total=Sum("total"), lines=Sum("lines"))
    )
    present = {row["kind"] for row in rows}
    kinds = [(k, label) for k, label in FinancialLine.Kind.choices if k in present]
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        cells[row["financial_year"]][row["kind"]] = row
    years = sorted(y for y in cells if y)
    if "" in cells:
        years.append("")  # lines with no year recorded come last

    def cell_query(year: str, kind: str | None) -> str:
        if year:
            return filterset.query(kind=kind, year_from=year, year_to=year, no_year=None)
        return filterset.query(kind=kind, year_from=None, year_to=None, no_year="1")

    grid_rows = []
    for year in years:
        row_cells = []
        for kind, _label in kinds:
            found = cells[year].get(kind)
            row_cells.append(
                GridCell(found["total"], found["lines"], cell_query(year, kind)) if found else None
            )
        grid_rows.append({"year": year, "cells": row_cells})
    kind_totals = []
    for kind, label in kinds:
        found = [cells[y][kind] for y in years if kind in cells[y]]
        kind_totals.append(
            {
                "kind": kind,
                "label": label,
                "total": sum((c["total"] for c in found), Decimal(0)),
                "lines": sum(c["lines"] for c in found),
                "query": filterset.query(kind=kind),
            }
        )
    return TotalsGrid(kinds, grid_rows, kind_totals, sum(row["lines"] for row in rows))
