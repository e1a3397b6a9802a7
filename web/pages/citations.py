"""Citations in record text, as readers know the documents: a paper by its title, linked to its
page, and the paragraph named in words.

Record text (a collaborated function's description, an agreement's notes) cites a paper as
``[[paper 9|paragraph 4.4]]``: the paper's id and where in it, as a reader would say it. A page
shows ``<cite><a href="/papers/9/">Bedfordshire, Cambridgeshire and Hertfordshire
Collaboration</a></cite>, paragraph 4.4``. Paper pages carry no paragraph anchors, so the link
opens the paper and the words name the paragraph. A paper the reader may not see is named as
"a paper not published", never by its title. Everything else in the text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from boards.models import Paper

CITATION = re.compile(r"\[\[paper (?P<pk>\d+)(?:\|(?P<where>[^\]]*))?\]\]")


def papers_cited(texts: Iterable[str]) -> set[int]:
    """The ids of the papers the texts cite. No query."""
    return {int(m["pk"]) for text in texts for m in CITATION.finditer(text or "")}


def visible_papers(user, texts: Iterable[str]) -> dict[int, Paper]:
    """The papers the texts cite that the reader may see, by id. One query, none when the
    texts cite no paper."""
    ids = papers_cited(texts)
    return Paper.objects.visible_to(user).in_bulk(ids) if ids else {}


def cite(text: str, papers: dict[int, Paper]) -> SafeString:
    """``text`` escaped, each citation written as the paper's linked title and the place in
    it (``papers`` from ``visible_papers``). No query."""
    out, last = [], 0
    for m in CITATION.finditer(text):
        out.append(conditional_escape(text[last : m.start()]))
        paper = papers.get(int(m["pk"]))
        if paper is None:
            named = format_html('<span class="nil">{}</span>', "a paper not published")
        else:
            named = format_html(
                '<cite><a href="{}">{}</a></cite>', paper.get_absolute_url(), paper.title
            )
        where = (m["where"] or "").strip()
        out.append(format_html("{}, {}", named, where) if where else named)
        last = m.end()
    out.append(conditional_escape(text[last:]))
    return mark_safe("".join(out))  # every piece above is escaped or built by format_html


def cite_all(user, records: Iterable, field: str) -> None:
    """Give each record ``<field>_cited``: its ``field`` with citations written out. One query
    for all of them (the papers cited), none when none cites a paper."""
    records = list(records)
    papers = visible_papers(user, (getattr(r, field) for r in records))
    for record in records:
        setattr(record, f"{field}_cited", cite(getattr(record, field), papers))
