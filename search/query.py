"""Reading what a reader typed into a search: the websearch syntax of PostgreSQL's
``websearch_to_tsquery``, read the same way for both databases.

- words are all required (AND), English stop words ("the", "of") are left out;
- ``"a quoted phrase"`` must appear as written;
- ``-word`` or ``-"a phrase"`` excludes records holding it;
- ``or`` accepts either side, and binds loosest: ``a b or c`` finds "a and b", or "c".

Only letters and digits make a word: every other character separates words, so nothing a
reader types (``"``, ``*``, ``NEAR(``, ``col:``, ``^``, HTML) is an operator of either
database's query language. At most ``MAX_TERMS`` words or phrases are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TERMS = 16

# PostgreSQL's English stop words (the Snowball list its "english" configuration uses), so
# SQLite, whose FTS5 has none, leaves out the same words.
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of several, as lower-case words."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Alternative:
    """Terms that must all match, and terms that must not."""

    terms: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)


@dataclass
class Query:
    """What to look for: any of the alternatives (``or`` binds loosest, as in
    ``websearch_to_tsquery``: ``a b or c`` is "a and b, or c"). An alternative of exclusions
    only finds nothing and is left out."""

    alternatives: list[Alternative] = field(default_factory=list)

    def __bool__(self) -> bool:
        """Whether there is anything to look for."""
        return bool(self.alternatives)

    @property
    def terms(self) -> list[Term]:
        return [term for alternative in self.alternatives for term in alternative.terms]

    def websearch(self) -> str:
        """The query again in websearch syntax, built only of words: what PostgreSQL's
        ``websearch_to_tsquery`` is given."""
        return " or ".join(
            " ".join([*map(_websearch, a.terms), *("-" + _websearch(t) for t in a.excluded)])
            for a in self.alternatives
        )

    def fts5(self) -> str:
        """The query in SQLite FTS5's syntax: each term a quoted string of words (a phrase),
        joined by AND, OR and NOT. Nothing of what was typed is an operator."""
        written = []
        for alternative in self.alternatives:
            expression = " AND ".join(map(_fts5, alternative.terms))
            for term in alternative.excluded:
                expression = f"({expression}) NOT {_fts5(term)}"
            written.append(f"({expression})")
        return " OR ".join(written)


def _websearch(term: Term) -> str:
    return f'"{" ".join(term.words)}"' if term.is_phrase else term.words[0]


def _fts5(term: Term) -> str:
    return '"' + " ".join(term.words) + '"'


def parse(text: str) -> Query:
    """``text`` read as websearch syntax (see the module's docstring). No query."""
    alternatives = [Alternative()]
    terms = 0
    for match in _TOKEN.finditer(text or ""):
        if terms >= MAX_TERMS:
            break
        minus, phrase, bare = match.groups()
        if bare is not None:
            if bare.lower() == "or":
                alternatives.append(Alternative())
                continue
            if bare.startswith("-") and len(bare) > 1:
                minus, bare = "-", bare[1:]
            words = [w for w in _WORD.findall(bare.lower()) if w not in STOP_WORDS]
        else:
            words = _WORD.findall(phrase.lower())
        if not words:
            continue
        terms += 1
        current = alternatives[-1]
        (current.excluded if minus else current.terms).append(Term(tuple(words)))
    return Query([a for a in alternatives if a.terms])
