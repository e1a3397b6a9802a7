"""The kinds of money a line records, and the kinds of record it belongs to."""

from functools import cache

from django.db import models


class Kind(models.TextChoices):
    COST = "cost", "Cost"
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"
    GRANT = "grant", "Grant"
    INCOME = "income", "Income"
    BUDGET = "budget", "Budget"
    UNDERSPEND = "underspend", "Underspend"
    FEE = "fee", "Fee"
    FORECAST_SAVING = "forecast_saving", "Forecast saving"
    REALISED_SAVING = "realised_saving", "Realised saving"


class RecordType(models.TextChoices):
    """What a line belongs to; the finance page filters by it."""

    PAPER = "paper", "Paper"
    RECOMMENDATION = "recommendation", "Recommendation"
    DECISION_NOTICE = "decision_notice", "Decision notice"
    MINUTE = "minute", "Minute"
    FUNCTION = "function", "Collaborated function"


class Scope(models.TextChoices):
    """Whose money a line is. Totals never add two scopes; a line of unrecorded scope is
    totalled apart from every known scope. Each named partner is a scope of its own (the
    printed ``FinancialLine.scope`` names it)."""

    NOT_RECORDED = "", "Scope not recorded"
    CAMBRIDGESHIRE = "cambridgeshire", "Cambridgeshire"
    ALLIANCE = "bch_alliance", "BCH Alliance (Bedfordshire, Cambridgeshire and Hertfordshire)"
    SEVEN_FORCES = "seven_forces", "The seven forces"
    PARTNER = "partner", "A named partner"


class Direction(models.TextChoices):
    """Which way the money goes for the OPCC: a grant received and a grant paid out are never
    one column."""

    NOT_RECORDED = "", "Direction not recorded"
    RECEIVES = "receives", "Received"
    PAYS = "pays", "Paid out"
    COMMITS = "commits", "Committed"
    SAVES = "saves", "Saved"
    HOLDS = "holds", "Budget held"


class Nature(models.TextChoices):
    """What the figure is. Rates and targets are shown, never summed into totals; a printed
    total (a table's TOTAL row, a paragraph's "a total of approximately £4.6m") is shown beside
    the total computed from its parts, never added to them."""

    AMOUNT = "amount", "Amount"
    RATE = "rate", "Rate"
    BASELINE = "baseline", "Baseline cost of a service"
    TARGET = "target", "Target"
    PRINTED_TOTAL = "printed_total", "Printed total"


class PrintedTotalOf(models.TextChoices):
    """Which lines a printed total totals, so a page can set the figure printed beside the one
    its lines add up to (``finance.summary.printed_check``). The lines are those of its table
    (``printed_total_table``, else its own ``source_table``) of its kind, counted in totals."""

    NOT_SAID = "", "Its table's lines of its year (or all of them, with no year)"
    YEAR = "year", "Its table's lines of its year"
    ROW = "row", "Its table's row of the same description"
    TABLE = "table", "Every line of its table"
    RUNNING = "running", "Its table's lines up to its year (a running total)"
    ACCUMULATED = "accumulated", "Its table's running totals added up to its year"


#: The natures whose figures are added up in totals.
SUMMED_NATURES = (Nature.AMOUNT, Nature.BASELINE)

# The direction a kind of money goes in whatever the line says: not repeated in its label.
IMPLIED_DIRECTION = {
    Kind.FORECAST_SAVING: Direction.SAVES,
    Kind.REALISED_SAVING: Direction.SAVES,
    Kind.BUDGET: Direction.HOLDS,
}


@cache  # a pure function of three codes, called for every line a record's page totals
def column_label(kind: str, direction: str, nature: str) -> str:
    """What a total's column is called: the kind, its direction when recorded and not implied
    by the kind, and "baseline" for a baseline cost: "Grant (paid out)", "Cost (baseline)"."""
    words = []
    if direction and IMPLIED_DIRECTION.get(kind) != direction:
        words.append(Direction(direction).label.lower())
    if nature == Nature.BASELINE:
        words.append("baseline")
    label = Kind(kind).label
    return f"{label} ({', '.join(words)})" if words else label


# Positions in each choice's order (``Choices.values`` builds a new list on every call).
_KIND_ORDER = {value: position for position, value in enumerate(Kind.values)}
_DIRECTION_ORDER = {value: position for position, value in enumerate(Direction.values)}
_NATURE_ORDER = {value: position for position, value in enumerate(Nature.values)}


def column_order(kind: str, direction: str, nature: str) -> tuple[int, int, int]:
    """Columns in the order of ``Kind``, then ``Direction``, then ``Nature``."""
    return (_KIND_ORDER[kind], _DIRECTION_ORDER[direction], _NATURE_ORDER[nature])
