"""Escaping text for HTML written in Python (a list's rows, a <select>'s options), where the
template engine's per-value cost was most of a page's time."""

import html


def esc(text) -> str:
    """``conditional_escape`` without its wrappers: text marked safe (``__html__``) is kept,
    anything else escaped as Django escapes it (``html.escape`` of its ``str``)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))
