"""The renderer loads the project's static files and nothing else.

Record text, and HTML injected past the markup renderer, reference a listening socket on this
machine and secret files; the socket must see no connection, no secret file may be opened and
no secret may reach the PDF. A control shows that WeasyPrint's own fetcher would have leaked.
"""

import builtins
import io
import socket
import threading
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import weasyprint
from django.test import Client

from boards.models import Paper
from minutebook.pdf import RefusedResource, StaticFilesOnlyFetcher
from minutebook.pdf.fetcher import static_url
from tests.factories import PaperFactory

from .conftest import reader, text


@pytest.fixture
def listener():
    """A TCP socket on 127.0.0.1 that records every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except (TimeoutError, OSError):
                continue
            seen.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    # Control: the listener does notice a connection.
    socket.create_connection(server.getsockname(), timeout=1).close()
    for _ in range(100):
        if seen:
            break
        threading.Event().wait(0.01)
    assert len(seen) == 1
    seen.clear()
    yield SimpleNamespace(port=server.getsockname()[1], seen=seen)
    stop.set()
    thread.join(2)
    server.close()


@pytest.fixture
def secrets(tmp_path):
    """Secret files that would put a LEAKED-<token> marker into the PDF if they were read."""
    token = uuid.uuid4().hex
    css = tmp_path / "secret.css"
    css.write_text(f'main::before {{ content: "LEAKED-CSS-{token}"; }}')
    svg = tmp_path / "secret.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">'
        f'<text x="0" y="20">LEAKED-SVG-{token}</text></svg>'
    )
    txt = tmp_path / "secret.txt"
    txt.write_text(f"LEAKED-TXT-{token}")
    return SimpleNamespace(token=token, css=css, svg=svg, txt=txt, folder=tmp_path)


@pytest.fixture
def opened(secrets, monkeypatch):
    """Paths under the secrets' folder that Python code opens while the test runs."""
    paths = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        if isinstance(file, str | Path) and str(secrets.folder) in str(file):
            paths.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    return paths


def test_weasyprints_own_fetcher_would_have_read_the_secret_files(secrets):
    """The control: the injected HTML below is a real leak without StaticFilesOnlyFetcher."""
    html = (
        f'<link rel="stylesheet" href="{secrets.css.as_uri()}"><main>'
        f'<img src="{secrets.svg.as_uri()}"></main>'
    )
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert f"LEAKED-CSS-{secrets.token}" in text(pdf)


def test_the_fetcher_serves_the_print_stylesheet_and_the_fonts_from_disk():
    fetcher = StaticFilesOnlyFetcher()
    css = fetcher.fetch(static_url("css/print.css"))
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    font = fetcher.fetch(static_url("fonts/DejaVuSerif.ttf"))
    assert font.content_type == "font/ttf"
    assert len(font.read()) > 100_000


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/hostname",
        "http://127.0.0.1:{port}/static/css/print.css",
        "http://localhost:{port}/static/css/print.css",
        "https://127.0.0.1:{port}/static/css/print.css",
        "http://minutebook.invalid:{port}/static/css/print.css",
        "http://user@minutebook.invalid/static/css/print.css",
        "https://minutebook.invalid/static/css/print.css",
        "ftp://127.0.0.1:{port}/static/css/print.css",
        "data:text/css,body%7Bcolor:red%7D",
        "http://minutebook.invalid/etc/passwd",
        "http://minutebook.invalid/static/../../../../etc/passwd",
        "http://minutebook.invalid/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "http://minutebook.invalid/static/css/..%2f..%2fsettings.py",
        "http://minutebook.invalid/static//etc/passwd",
        "http://minutebook.invalid/static/css/print.css?v=1",
        "http://minutebook.invalid/static/fonts/LICENSE-DejaVu.txt",
        "http://minutebook.invalid/static/css/missing.css",
    ],
)
def test_the_fetcher_refuses_everything_but_a_static_file(listener, url):
    with pytest.raises(RefusedResource):
        StaticFilesOnlyFetcher().fetch(url.format(port=listener.port))
    with pytest.raises(RefusedResource):
        StaticFilesOnlyFetcher().open(url.format(port=listener.port))
    assert listener.seen == []


@pytest.mark.django_db
def test_record_text_makes_no_request_and_reads_no_file(listener, secrets, opened):
    port = listener.port
    paper = PaperFactory(
        title="Estates strategy",
        body=(
            f"1.1 See [the file](file://{secrets.css}) and [the local server](http://127.0.0.1:{port}/a).\n\n"
            f"![an image](http://127.0.0.1:{port}/image.png) ![a file]({secrets.svg.as_uri()})\n\n"
            f'<img src="{secrets.svg.as_uri()}"> <link rel="stylesheet" href="{secrets.css.as_uri()}">\n\n'
            f'<p style="background: url(http://localhost:{port}/bg.png)">styled</p>\n\n'
            "1.2 The estate is sound."
        ),
    )
    response = Client().get(f"/papers/{paper.pk}.pdf")
    assert response.status_code == 200
    content = text(response)
    assert "1.2 The estate is sound." in content
    assert "LEAKED" not in content
    assert listener.seen == []
    assert opened == []


@pytest.mark.django_db
def test_html_injected_past_the_markup_renderer_makes_no_request_and_reads_no_file(
    listener, secrets, opened
):
    """As if the markup renderer had a hole: raw HTML straight into the stored body."""
    port, token = listener.port, secrets.token
    local = f"http://127.0.0.1:{port}"
    injected = f"""
        <link rel="stylesheet" href="{secrets.css.as_uri()}">
        <link rel="stylesheet" href="{local}/evil.css">
        <link rel="attachment" href="{secrets.txt.as_uri()}" title="secret">
        <link rel="attachment" href="{local}/attachment.txt">
        <style>
          @import url("{secrets.css.as_uri()}");
          @import url("http://localhost:{port}/import.css");
          @font-face {{ font-family: Evil; src: url("{local}/font.ttf"); }}
          p.evil {{ font-family: Evil; background: url("{local}/bg.png"); }}
        </style>
        <p class="evil" style="background-image: url('{secrets.svg.as_uri()}')">Styled text.</p>
        <img src="{secrets.svg.as_uri()}" alt="">
        <img src="{local}/image.png" alt="">
        <img src="/static/../../{secrets.svg}" alt="">
        <img src="data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='400' height='40'><text y='20'>LEAKED-DATA-{token}</text></svg>" alt="">
        <object data="{secrets.svg.as_uri()}"></object>
        <embed src="{local}/embed.svg">
        <svg width="100" height="40"><image href="{secrets.svg.as_uri()}" width="100" height="40"/></svg>
        <iframe src="{local}/frame.html"></iframe>
        <p>1.2 The estate is sound.</p>
    """
    paper = PaperFactory(title="Estates strategy")
    Paper.objects.filter(pk=paper.pk).update(body_html=injected)

    response = Client().get(f"/papers/{paper.pk}.pdf")
    assert response.status_code == 200
    content = text(response)
    assert "1.2 The estate is sound." in content
    assert "LEAKED" not in content
    assert token not in response.content.decode("latin-1")
    assert reader(response).attachments == {}
    assert listener.seen == []
    assert opened == []
