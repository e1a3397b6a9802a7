"""The money a paper prints, found in its text and tables, proposed for a finance officer.

Only figures printed with a pound sign are proposed ("£3,700", "£1.2m", "£197k"); the
sentence (or the table row and column) around each is its description, a financial year
printed beside it ("2015/16", "FY 16/17") is kept as printed, and nothing is guessed: kind,
scope and direction are left for the finance officer, who confirms each line.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from minutebook.money import AmountError, parse_amount

if TYPE_CHECKING:
    from .draft import Block

MONEY_RE = re.compile(
    r"£\s?(?P<figure>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]+)?)"
    r"(?:\s?(?P<suffix>k|m|bn|million|billion)(?![a-z]))?(?![0-9,.]?[0-9])",
    re.I,
)
YEAR_RE = re.compile(r"\b(?:FY\s?)?(20\d\d|\d\d)\s?[/-]\s?(\d\d)\b")
_SUFFIX = {"": "", "k": "k", "m": "m", "million": "m"}
MAX_PROPOSED = 200  # a paper printing more figures than this is read no further


@dataclasses.dataclass
class ProposedMoney:
    """Money the paper prints, for a finance officer to confirm: never counted until then."""

    description: str
    amount: str  # a Decimal as text, as minutebook.money.parse_amount read it
    as_printed: str
    financial_year: str = ""
    on_date: str = ""  # ISO date as printed, when the sentence prints one


def _amount(match: re.Match) -> str | None:
    suffix = (match["suffix"] or "").lower()
    if suffix not in _SUFFIX:  # billions: beyond any line the project holds
        return None
    try:
        return str(parse_amount(match["figure"] + _SUFFIX[suffix]))
    except AmountError:
        return None


def _year(text: str) -> str:
    match = YEAR_RE.search(text)
    if not match:
        return ""
    start, end = match.groups()
    start = start if len(start) == 4 else "20" + start
    if int(end) != (int(start) + 1) % 100:
        return ""
    return f"{start}/{end}"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+(?=[A-Z(])", text) if s.strip()]


def _clean(text: str) -> str:
    return " ".join(text.replace("\\", "").replace("**", "").split())


def find_money(blocks: list[Block]) -> list[ProposedMoney]:
    """Each pound figure printed in ``blocks``, in printed order (at most ``MAX_PROPOSED``)."""
    found: list[ProposedMoney] = []

    def propose(text: str, description: str) -> None:
        for match in MONEY_RE.finditer(text):
            amount = _amount(match)
            if amount is None or len(found) >= MAX_PROPOSED:
                continue
            found.append(
                ProposedMoney(
                    description=_clean(description)[:300],
                    amount=amount,
                    as_printed=match.group(0).strip()[:100],
                    financial_year=_year(description),
                )
            )

    for block in blocks:
        if block.kind in ("para", "bullet"):
            for sentence in _sentences(block.text):
                propose(sentence, sentence)
        elif block.kind == "table" and block.rows:
            header = block.rows[0]
            for row in block.rows[1:]:
                for column, cell in enumerate(row):
                    label = row[0] if column else ""
                    heading = header[column] if column < len(header) else ""
                    description = " – ".join(p for p in (label, heading) if p) or cell
                    propose(cell, description)
    return found
