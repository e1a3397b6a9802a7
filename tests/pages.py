"""Reading pages in tests: fetch one, parse it, read its words and its tables, count its queries.

Every test module reads pages through these; a helper that knows one page's markup (the totals
grid of /finance/, a chart's table) stays in that page's test module.
"""

from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import Element

import tinyhtml5
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Elements a reader sees as apart from their neighbours (a new line, a cell of a table); the
# words inside any other element (a link, <span>, <data>) run on into the text around them.
# fmt: off
SEPARATE = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "option", "p", "pre",
    "section", "select", "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead",
    "tr", "ul",
    # in an SVG chart: each label, and its accessible title and description
    "text", "title", "desc",
}
# fmt: on
UNSEEN = {"script", "style", "template", "head"}


def get(client, url, status=200) -> str:
    """The page's HTML (or a download's text, streamed or not), after checking its status."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def parse(html: str) -> Element:
    """An ElementTree of the page, tags without namespaces (SVG keeps its namespace)."""
    return tinyhtml5.parse(html, namespace_html_elements=False)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _words(element: Element, out: list[str]) -> None:
    tag = element.tag
    if not isinstance(tag, str) or _local(tag) in UNSEEN:  # a comment, a script
        return
    apart = _local(tag) in SEPARATE
    if apart:
        out.append(" ")
    if element.text:
        out.append(element.text)
    for child in element:
        _words(child, out)
        if child.tail:
            out.append(child.tail)
    if apart:
        out.append(" ")


def text(page: str | Element) -> str:
    """The words a reader sees, one space between them, of a page's HTML or of one element.

    A cell, a paragraph or a <br> separates words; a link or a <span> does not, so
    "<a>award</a>, signed" reads "award, signed". Scripts, styles and the <head> are not read.
    """
    out: list[str] = []
    _words(parse(page) if isinstance(page, str) else page, out)
    return " ".join("".join(out).split())


def table_with_caption(page: str | Element, starts_with: str) -> Element | None:
    """The first table whose caption starts with ``starts_with``; None when there is none."""
    root = parse(page) if isinstance(page, str) else page
    for table in root.iter("table"):
        caption = table.find("caption")
        if caption is not None and text(caption).startswith(starts_with):
            return table
    return None


def rows(table: Element) -> list[list[str]]:
    """The rows of a table's body and foot, each as the text of its header and data cells."""
    return [
        [text(cell) for cell in tr if cell.tag in {"th", "td"}]
        for part in ("tbody", "tfoot")
        if table.find(part) is not None
        for tr in table.find(part).findall("tr")
    ]


def query(url: str) -> dict[str, list[str]]:
    """A link's query parameters: {name: [values]}."""
    return parse_qs(urlsplit(url).query)


def count_queries(client, url: str) -> int:
    """The number of database queries answering ``url`` (which must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        get(client, url)
    return len(ctx.captured_queries)
