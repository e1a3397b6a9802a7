"""Helpers for the PDF tests: read a PDF's text, outline and catalog; start from an empty cache."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.core.cache import cache
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def empty_pdf_cache():
    """Each test starts with no cached PDFs and no first-served dates."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def quiet_weasyprint():
    """Refused resources are logged as warnings by WeasyPrint; the tests assert on them instead."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def reader(response_or_bytes) -> PdfReader:
    content = getattr(response_or_bytes, "content", response_or_bytes)
    assert content[:5] == b"%PDF-", content[:200]
    return PdfReader(io.BytesIO(content))


def pages_text(response_or_bytes) -> list[str]:
    return [page.extract_text() for page in reader(response_or_bytes).pages]


def joined(pages: list[str]) -> str:
    """Pages' text as one string, whitespace collapsed to single spaces."""
    return re.sub(r"\s+", " ", "\n".join(pages))


def text(response_or_bytes) -> str:
    """All the PDF's text, whitespace collapsed to single spaces."""
    return joined(pages_text(response_or_bytes))


def outline_titles(response_or_bytes) -> list:
    """The bookmarks as nested lists of titles: ["Agenda", "1 Welcome", ["1.0 Purpose"], ...]."""

    def walk(items):
        return [walk(i) if isinstance(i, list) else i.title for i in items]

    return walk(reader(response_or_bytes).outline)


def in_order(haystack: str, needles: list[str]) -> bool:
    """True when every needle occurs in ``haystack``, each after the one before it."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True
