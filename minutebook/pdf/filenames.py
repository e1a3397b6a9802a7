"""Filenames that say what the file is: ``BCB-2015-11-26-minutes.pdf``, ``CPCC-2015-025.pdf``."""

import re

from django.utils.text import slugify

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def filename_part(text: str) -> str:
    """``text`` with its case kept and every run of other characters made one hyphen."""
    return _UNSAFE.sub("-", text).strip("-")


def pdf_filename(*parts: str, slug: str = "", max_slug: int = 60) -> str:
    """Join the non-empty ``parts`` (case kept) and a slugified, shortened ``slug`` with hyphens."""
    pieces = [p for p in (filename_part(part) for part in parts) if p]
    if slug:
        short = slugify(slug)[:max_slug].rstrip("-")
        if short:
            pieces.append(short)
    return "-".join(pieces) + ".pdf"
