"""Reading the search page (/search/): its results and facets as a reader sees them."""

from __future__ import annotations

from dataclasses import dataclass

from tests.pages import get, parse, text


@dataclass(frozen=True)
class Result:
    title: str
    link: str
    kind: str
    meta: str
    snippet: str


def _has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def results(html: str) -> list[Result]:
    """The results listed, in order."""
    found = []
    for li in parse(html).iter("li"):
        if not _has_class(li, "search-result"):
            continue
        link = next(a for a in li.iter("a"))
        meta = next(p for p in li.iter("p") if _has_class(p, "search-result__meta"))
        snippets = [p for p in li.iter("p") if _has_class(p, "search-result__snippet")]
        kind = next(s for s in meta.iter("span") if _has_class(s, "tag"))
        found.append(
            Result(
                title=text(link),
                link=link.get("href"),
                kind=text(kind),
                meta=text(meta),
                snippet=text(snippets[0]) if snippets else "",
            )
        )
    return found


def facets(html: str) -> dict[str, dict[str, tuple[int, str]]]:
    """{facet heading: {value label: (count, link or "")}} as listed beside the results."""
    out: dict[str, dict[str, tuple[int, str]]] = {}
    for aside in parse(html).iter("aside"):
        if not _has_class(aside, "search-facets"):
            continue
        for section in aside.iter("section"):
            heading = text(section.find("h2"))
            buckets = {}
            for li in section.find("ul").findall("li"):
                words = text(li)
                label, _, count = words.rpartition(" (")
                link = next((a.get("href") for a in li.iter("a")), "")
                buckets[label] = (int(count.rstrip(")")), link)
            out[heading] = buckets
    return out


def result_count(html: str) -> int:
    """The number of results the page says it found (0 when it says none)."""
    for p in parse(html).iter("p"):
        if _has_class(p, "search-count"):
            return int(text(p).split()[0].replace(",", ""))
    return 0


def search(client, url: str, status: int = 200) -> tuple[str, list[Result]]:
    html = get(client, url, status=status)
    return html, results(html)
