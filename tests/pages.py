"""Reading pages in tests: fetch one, parse it."""

import tinyhtml5


def get(client, url, status=200) -> str:
    """The page's HTML, after checking its status."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def parse(html: str):
    """An ElementTree of the page, tags without namespaces."""
    return tinyhtml5.parse(html, namespace_html_elements=False)
