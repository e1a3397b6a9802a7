"""Helpers shared by the CSV and XLSX exports."""

from __future__ import annotations

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection). Record
# text is user input, so text cells get a leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value) -> str:
    """``value`` as text that no spreadsheet will run as a formula. Numbers are not passed here."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


class Echo:
    """A file-like object whose ``write`` returns the text, for streaming ``csv.writer`` rows."""

    def write(self, value):
        return value
