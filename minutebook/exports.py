"""Helpers shared by the CSV and XLSX exports."""

from __future__ import annotations

import re

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP):
# = + - @, a tab or a carriage return, and the full-width forms East Asian spreadsheets read
# as the same signs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Before the sign: spaces and line feeds a spreadsheet may trim when it reads the cell.
_TRIMMED = " \n\u00a0\u3000"
# A signed amount and nothing else ("-£1,895", "+12.5%", "-£795k"): a spreadsheet reads it as a
# number or as text, never as a formula, as it holds no name, reference, call or operator.
_SIGNED_AMOUNT = re.compile(
    r"[+-] ?[£$€]? ?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?: ?(?:k|m|bn|%))?", re.IGNORECASE
)


def spreadsheet_text(value) -> str:
    """``value`` as CSV text that no spreadsheet will run as a formula. Numbers are not passed
    here.

    Text whose first character (after spaces) would start a formula gets a leading apostrophe,
    which spreadsheets read as "this is text". The apostrophe stays visible to whoever opens
    the CSV, so it is added only where it is needed: a signed amount as printed ("-£1,895") is
    left as the reader expects it, as is a lone dash; "=HYPERLINK(…)", "@SUM(A1)", "＝1+1",
    "-2+3" and "+cmd|…" are guarded.
    """
    text = "" if value is None else str(value)
    start = text.lstrip(_TRIMMED)
    if not start.startswith(_FORMULA_STARTS) or start in {"-", "+"}:
        return text
    if _SIGNED_AMOUNT.fullmatch(start):
        return text
    return "'" + text


class Echo:
    """A file-like object whose ``write`` returns the text, for streaming ``csv.writer`` rows."""

    def write(self, value):
        return value
