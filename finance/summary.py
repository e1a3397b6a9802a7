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

from django.db.models import Exists, OuterRef, Sum

from collaboration.models import CollaboratedFunction, CollaborationArea
from minutebook import money

from .models import FinancialLine
from .models import totals as stored
from .models.kinds import (
    SUMMED_NATURES,
    Direction,
    Nature,
    PrintedTotalOf,
    column_label,
    column_order,
)
from .models.lines import seen_by


@dataclass
class KindTotal:
    """The total of one kind of money of one scope, direction and nature."""

    kind: str
    label: str  # the column: "Grant (received)"
    total: Decimal
    lines: int
    scope: str = ""  # the bucket's scope key (``totals.SCOPE_KEY``)
    scope_label: str = "Scope not recorded"


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
    confirmed: bool  # False for money an import proposed: listed, never added
    in_thousands: bool
    recurrence: str
    position: int
    source_table: str
    scope_code: str
    scope: str
    direction: str
    nature: str
    same_as_id: int | None
    contradiction: str
    as_printed: str
    printed_total_of: str
    printed_total_table: str
    repeated: bool  # another line reports the same money (``same_as``)
    row: tuple = field(repr=False, compare=False)  # every value read, for ``line()``
    build: Callable[[tuple], FinancialLine] = field(repr=False, compare=False)
    built: FinancialLine | None = field(default=None, repr=False, compare=False)

    def get_kind_display(self) -> str:
        return FinancialLine.Kind(self.kind).label

    @property
    def exact_amount(self) -> str:
        return money.format_exact(self.amount)

    @property
    def summed(self) -> bool:
        return self.nature in SUMMED_NATURES

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
    "id", "description", "financial_year", "kind", "amount", "counted", "confirmed", "in_thousands",
    "recurrence", "position", "source_table", "scope_code", "scope", "direction", "nature",
    "same_as_id", "contradiction", "as_printed", "printed_total_of", "printed_total_table",
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
    # What the document prints as its totals (lines of nature "printed total", in the table or
    # in the text about it), each beside what the lines it totals add up to (``printed_check``).
    printed: list[PrintedCheck] = field(default_factory=list)

    @property
    def printed_of(self) -> set[str]:
        """Which of the table's totals the document prints too (``PrintedTotalOf`` values): the
        others are computed by this site alone."""
        return {check.of for check in self.printed}

    @property
    def style(self) -> str:
        """The ``money`` filter's style for this table's figures: "thousands" for £'000."""
        return "thousands" if self.in_thousands else ""


@dataclass
class PrintedCheck:
    """A total as the document prints it beside what the lines it totals add up to."""

    line: LineValues | FinancialLine
    of: str  # a PrintedTotalOf value, never blank
    label: str
    computed: Decimal | None  # None: the table has no such row or year

    @property
    def year(self) -> str:
        return self.line.financial_year

    @property
    def printed(self) -> Decimal:
        return self.line.amount

    @property
    def as_printed(self) -> str:
        return self.line.as_printed

    @property
    def style(self) -> str:
        """The ``money`` style of both figures: the printed line's (a text's £6.151m beside a
        £'000 table is compared in pounds)."""
        return "thousands" if self.line.in_thousands else ""

    @property
    def agrees(self) -> bool:
        return self.computed == self.line.amount

    @property
    def difference(self) -> Decimal | None:
        return None if self.computed is None else abs(self.line.amount - self.computed)


def printed_total_of(line) -> str:
    """What a printed total totals (``PrintedTotalOf``): as recorded, or, where the line does
    not say, its table's lines of its year, or all of them when it has no year."""
    if line.printed_total_of:
        return line.printed_total_of
    return PrintedTotalOf.YEAR if line.financial_year else PrintedTotalOf.TABLE


def printed_check(line, table: PivotTable) -> PrintedCheck:
    """The printed total ``line`` beside what ``table``'s lines (counted, summed) add up to for
    it: its year's, its row's (the row of its description), the whole table's, the running
    total to its year, or the running totals added up to its year (with no year: to the table's
    last year). No query."""
    of = printed_total_of(line)
    year = line.financial_year
    at = table.years.index(year) if year in table.years else None
    if not year and table.years:
        at = len(table.years) - 1
    computed: Decimal | None = None
    label = line.description
    if of == PrintedTotalOf.ROW:
        label = f"Row total of “{line.description}”"
        computed = next((row.total for row in table.rows if row.label == line.description), None)
    elif of == PrintedTotalOf.TABLE:
        computed = table.total
    elif at is not None and of == PrintedTotalOf.YEAR:
        computed = table.year_totals[at] if year else None
    elif at is not None and of == PrintedTotalOf.RUNNING:
        computed = table.running[at]
    elif at is not None and of == PrintedTotalOf.ACCUMULATED:
        computed = table.accumulated[at]
    return PrintedCheck(line, of, label, computed)


@dataclass
class LooseCheck:
    """A total printed in a record's text, beside no table (``printed_total_table`` blank),
    set beside what the record's other lines going the same way add up to: those counted in
    totals and summed, of its direction and scope (and its year, when it has one), whatever
    their kind, since the document's own total adds them ("£0.626m delivered" and "about £4.0m"
    expected, "a total of approximately £4.6m"). The page names the lines' kinds and number."""

    line: LineValues | FinancialLine
    lines: list
    computed: Decimal

    @property
    def direction(self) -> str:
        return Direction(self.line.direction).label.lower()

    @property
    def kinds(self) -> list[str]:
        labels = [line.get_kind_display().lower() for line in self.lines]
        return list(dict.fromkeys(labels))

    @property
    def agrees(self) -> bool:
        return self.computed == self.line.amount

    @property
    def difference(self) -> Decimal:
        return abs(self.line.amount - self.computed)


def loose_checks(loose) -> list[LooseCheck]:
    """Each printed total among ``loose`` (a record's lines outside its printed tables) that
    names no table, beside the sum of the other loose lines it can total (``LooseCheck``);
    none when there are no such lines. No query."""
    checks = []
    for total in loose:
        if total.nature != Nature.PRINTED_TOTAL or total.printed_total_table:
            continue
        scope = stored.scope_key(total.scope_code, total.scope)
        lines = [
            line
            for line in loose
            if line.nature in SUMMED_NATURES
            and line.counted
            and line.direction == total.direction
            and stored.scope_key(line.scope_code, line.scope) == scope
            and (not total.financial_year or line.financial_year == total.financial_year)
        ]
        if lines:
            computed = sum((line.amount for line in lines), Decimal(0))
            checks.append(LooseCheck(total, lines, computed))
    return checks


def kind_totals(lines) -> list[KindTotal]:
    """Totals of the lines counted in totals (a part or repeat of another line is not added
    twice; a rate or a target never), one per scope, kind, direction and nature: scopes in the
    order of ``Scope`` (named partners apart, not recorded last), then kinds in the order of
    ``FinancialLine.Kind``. Adding costs to savings, or one scope's money to another's, means
    nothing, so there is no grand total."""
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    counts: dict[tuple, int] = defaultdict(int)
    for line in lines:
        # An import's unconfirmed line is listed, never added.
        if line.counted and line.confirmed and line.nature in SUMMED_NATURES:
            key = (
                stored.scope_key(line.scope_code, line.scope),
                line.kind,
                line.direction,
                line.nature,
            )
            sums[key] += line.amount
            counts[key] += 1

    return [
        KindTotal(
            key[1],
            column_label(*key[1:]),
            sums[key],
            counts[key],
            scope=key[0],
            scope_label=stored.scope_label(key[0]),
        )
        for key in sorted(counts, key=lambda key: stored.bucket_order(*key))
    ]


def totals_by_scope(totals: list[KindTotal]) -> list[dict]:
    """``totals`` grouped by scope, in their order: [{"scope", "label", "totals"}]."""
    groups: dict[str, dict] = {}
    for total in totals:
        group = groups.setdefault(
            total.scope, {"scope": total.scope, "label": total.scope_label, "totals": []}
        )
        group["totals"].append(total)
    return list(groups.values())


def pivot(caption: str, lines: list[FinancialLine]) -> PivotTable:
    printed = [line for line in lines if line.nature == Nature.PRINTED_TOTAL]
    lines = [line for line in lines if line.nature != Nature.PRINTED_TOTAL] or printed
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
        counted = [c.amount for c in cells if c and c.counted and c.confirmed and c.summed]
        table.rows.append(PivotRow(label, cells, sum(counted, Decimal(0))))
    for index in range(len(years)):
        present = [row.cells[index] for row in table.rows if row.cells[index]]
        present = [cell for cell in present if cell.counted and cell.confirmed and cell.summed]
        table.year_totals.append(sum((c.amount for c in present), Decimal(0)) if present else None)
    table.total = sum((row.total for row in table.rows), Decimal(0))
    running = accumulated = Decimal(0)
    for year_total in table.year_totals:
        running += year_total or 0
        accumulated += running
        table.running.append(running)
        table.accumulated.append(accumulated)
    if lines is not printed:
        ordered = sorted(printed, key=lambda item: (item.position, item.pk))
        table.printed = [printed_check(line, table) for line in ordered]
    return table


def for_record(lines) -> tuple[list[PivotTable], list[FinancialLine], list[KindTotal]]:
    """(printed tables, loose lines, totals by kind) for a record page."""
    lines = list(lines)
    tables: dict[tuple[str, str], list[FinancialLine]] = defaultdict(list)
    loose = []
    in_text = []  # totals printed in the text about a table: listed, and checked beside it
    for line in sorted(lines, key=lambda item: (item.position, item.pk)):
        if line.source_table:
            # Costs and savings printed in one table are totalled apart, as the papers do.
            tables[(line.source_table, line.kind)].append(line)
        else:
            loose.append(line)
            if line.printed_total_table and line.nature == Nature.PRINTED_TOTAL:
                in_text.append(line)
    for line in in_text:
        if (line.printed_total_table, line.kind) in tables:
            tables[(line.printed_total_table, line.kind)].append(line)
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
    # The line reporting the same money (a join in the same query): what the page says of it,
    # and its stamps, so that a line the reader may not see is not named. In the model's field
    # order, which ``Model.from_db`` assigns a partial row by.
    "same_as": (
        FinancialLine,
        (
            "id",
            "description",
            "amount",
            "nature",
            "as_printed",
            "visible_to_public",
            "entitled_board_id",
        ),
    ),
}


def read_lines(
    lines, *, paper=None, notice=None, recommendations=(), user=None
) -> list[LineValues]:
    """A record page's lines (``lines``: a queryset read by owner, without joins) in one query,
    as ``LineValues``. A line built into its ``FinancialLine`` comes with its function or area
    (what its row shows of them: name and address; anything else is read on demand), the line
    it reports the same money as when ``user`` may see that one (else ``same_as_hidden``), and
    the owners the page has already read (``with_owners``); each says whether another line
    reports its money (``repeated``: an EXISTS by the indexed ``same_as``). One query."""
    own = [f.attname for f in FinancialLine._meta.concrete_fields]
    related = [f"{name}__{col}" for name, (_, cols) in RELATED_FIELDS.items() for col in cols]
    values = itemgetter(*(own.index(name) for name in VALUE_FIELDS))
    db = lines.db
    sees = seen_by(user) if user is not None else None

    def build(row: tuple) -> FinancialLine:
        line = FinancialLine.from_db(db, own, row[: len(own)])
        start = len(own)
        for name, (model, columns) in RELATED_FIELDS.items():
            found = row[start : start + len(columns)]
            start += len(columns)
            if found[0] is None:
                continue
            if name == "same_as" and sees is not None and not sees(*found[-2:]):
                line.same_as_hidden = True  # a line of a record the reader may not see
                continue
            setattr(line, name, model.from_db(db, list(columns), found))
        with_owners([line], paper=paper, notice=notice, recommendations=recommendations)
        return line

    repeats = FinancialLine.objects.filter(same_as=OuterRef("pk"))
    rows = lines.annotate(_repeated=Exists(repeats)).values_list(*own, *related, "_repeated")
    return [LineValues(*values(row), row[-1], row, build) for row in rows]


#: Other amounts a record's web page lists before linking to the rest on /finance/lines/ (its
#: totals and printed tables always cover every line; its PDF lists them all).
LOOSE_SHOWN = 50


def for_page(lines, all_lines: str = "", user=None) -> dict:
    """The context ``finance/_money.html`` (and ``pdf/_money.html``) reads: {"tables", "loose",
    "totals"}, the totals printed in the text beside no table with what the lines they can
    total add up to (``loose_checks``), plus the first ``LOOSE_SHOWN`` loose lines the web page lists, how many more
    there are, ``all_lines``: the address of the list of all these lines, and, for ``user``,
    the lines of other records reporting the same money as these (``reported_elsewhere``: a
    query only when one of ``lines`` is ``repeated``)."""
    lines = list(lines)
    tables, loose, totals = for_record(lines)
    return {
        "tables": tables,
        "loose": Lines(loose),
        "totals": totals,
        "totals_by_scope": totals_by_scope(totals),
        "loose_shown": Lines(loose[:LOOSE_SHOWN]),
        "loose_more": max(0, len(loose) - LOOSE_SHOWN),
        "all_lines": all_lines,
        "line_count": len(lines),
        "unsummed": sum(1 for line in lines if line.nature not in SUMMED_NATURES),
        "same_money": same_money(lines),
        "elsewhere": reported_elsewhere(lines, user) if user is not None else [],
        "contradictions": [line for line in lines if line.contradiction],
        "loose_checks": loose_checks(loose),
    }


def reported_elsewhere(lines, user) -> list[SameMoney]:
    """Lines of other records that ``user`` may see and that report the same money as one of
    ``lines`` (read by ``read_lines``), each with the line here it repeats: so the page that
    counts the money says where else it is reported, and how far the figures disagree. One
    query, with their records, when a line here is ``repeated``; none otherwise."""
    here = {item.pk: item for item in lines if getattr(item, "repeated", False)}
    if not here:
        return []
    every = {item.pk for item in lines}
    found = (
        FinancialLine.objects.visible_to(user)
        .filter(same_as__in=sorted(here))
        .with_records()
        .order_by("paper", "decision_notice", "position", "pk")
    )
    return [
        SameMoney(line, _built(here[line.same_as_id])) for line in found if line.pk not in every
    ]


def _built(item) -> FinancialLine:
    return item.line() if isinstance(item, LineValues) else item


@dataclass
class SameMoney:
    """A line that reports money another line reports too (``FinancialLine.same_as``)."""

    line: FinancialLine
    other: FinancialLine | None  # None: a line of a record the reader may not see

    @property
    def difference(self) -> Decimal | None:
        return None if self.other is None else abs(self.line.amount - self.other.amount)


def same_money(lines) -> list[SameMoney]:
    """The lines of ``lines`` that repeat another line's money, with that line (read with them,
    no query of its own when they come from ``read_lines``)."""
    found = []
    for item in lines:
        if item.same_as_id:
            line = item.line() if isinstance(item, LineValues) else item
            hidden = getattr(line, "same_as_hidden", False)
            found.append(SameMoney(line, None if hidden else line.same_as))
    return found


@dataclass
class GridCell:
    total: Decimal
    lines: int
    query: str  # the filters that select exactly this cell's lines


@dataclass
class GridColumn:
    """One column of a scope's grid: a kind of money in one direction and of one nature."""

    kind: str
    direction: str
    nature: str
    label: str


@dataclass
class ScopeGrid:
    """Totals of one scope by financial year (rows, "" last for no year recorded) and column."""

    scope: str  # the bucket's scope key
    label: str
    columns: list[GridColumn]
    rows: list[dict]  # {"year", "query", "cells": [GridCell | None per column]}
    column_totals: list[dict]  # {"column", "total", "lines", "query"}
    line_count: int
    query: str  # the filters of every line of this scope

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return [(c.kind, c.label) for c in self.columns]


@dataclass
class TotalsGrid:
    """One grid per scope: totals are never added across scopes."""

    scopes: list[ScopeGrid]
    line_count: int

    @property
    def rows(self) -> list[dict]:
        return [row for grid in self.scopes for row in grid.rows]


def scope_filters(scope: str) -> dict:
    """The filter parameters of one bucket scope: the scope, and for a partner its name."""
    if scope.startswith(stored.PARTNER_PREFIX):
        return {"scope": stored.Scope.PARTNER, "partner": scope.removeprefix(stored.PARTNER_PREFIX)}
    return {"scope": scope or stored.NOT_RECORDED_PARAM, "partner": None}


def totals_grid(filterset, totals) -> TotalsGrid:
    """The grids of ``totals`` (stored totals the reader may see) narrowed by ``filterset``
    (a ``FinancialLineFilter``), one per scope, columns by kind, direction and nature, each
    cell carrying the filters of exactly its lines. One query."""
    rows = list(
        filterset.filter_totals(totals.filter(lines__gt=0))
        .order_by()
        .values("scope", "financial_year", "kind", "direction", "nature")
        .annotate(total=Sum("total"), lines=Sum("lines"))
    )
    by_scope: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_scope[row["scope"]].append(row)
    grids = []
    for scope in sorted(by_scope, key=stored.scope_order):
        found = by_scope[scope]
        columns = sorted(
            {(r["kind"], r["direction"], r["nature"]) for r in found},
            key=lambda column: column_order(*column),
        )
        cells: dict[str, dict[tuple, dict]] = defaultdict(dict)
        for row in found:
            cells[row["financial_year"]][(row["kind"], row["direction"], row["nature"])] = row
        years = sorted(y for y in cells if y)
        if "" in cells:
            years.append("")  # lines with no year recorded come last
        of_scope = scope_filters(scope)

        def query(year: str | None, column: tuple | None, of_scope=of_scope) -> str:
            params = dict(of_scope)
            if column is not None:
                kind, direction, nature = column
                params.update(
                    kind=kind,
                    direction=direction or stored.NOT_RECORDED_PARAM,
                    nature=nature,
                )
            if year:
                params.update(year=year, year_from=None, year_to=None, no_year=None)
            elif year == "":
                params.update(year=None, year_from=None, year_to=None, no_year="1")
            return filterset.query(**params)

        grid_rows = []
        for year in years:
            row_cells = []
            for column in columns:
                cell = cells[year].get(column)
                row_cells.append(
                    GridCell(cell["total"], cell["lines"], query(year, column)) if cell else None
                )
            grid_rows.append({"year": year, "cells": row_cells, "query": query(year, None)})
        column_totals = []
        for column in columns:
            present = [cells[y][column] for y in years if column in cells[y]]
            column_totals.append(
                {
                    "total": sum((c["total"] for c in present), Decimal(0)),
                    "lines": sum(c["lines"] for c in present),
                    "query": query(None, column),
                }
            )
        grids.append(
            ScopeGrid(
                scope=scope,
                label=stored.scope_label(scope),
                columns=[GridColumn(*column, column_label(*column)) for column in columns],
                rows=grid_rows,
                column_totals=column_totals,
                line_count=sum(r["lines"] for r in found),
                query=query(None, None),
            )
        )
    return TotalsGrid(grids, sum(row["lines"] for row in rows))
