"""Posting admin forms in tests as a browser would: the fields a change form shows, read from
the page, to change a few and send back (``form_of``)."""

from django.test import Client
from django.urls import reverse

from tests.pages import parse


def form_of(client: Client, url: str) -> dict:
    """The fields an admin form would send, as the page shows them (hidden, text, selected)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    root = parse(response.content.decode())
    data: dict = {}
    form = next(f for f in root.iter("form") if (f.get("id") or "").endswith("_form"))
    for element in form.iter():
        name = element.get("name")
        if not name or not isinstance(element.tag, str):
            continue
        if element.tag == "input":
            kind = element.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                continue
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    data[name] = element.get("value", "on")
                continue
            data[name] = element.get("value", "")
        elif element.tag == "textarea":
            data[name] = element.text or ""
        elif element.tag == "select":
            chosen = [
                o.get("value", "") for o in element.iter("option") if o.get("selected") is not None
            ]
            if element.get("multiple") is not None:
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
    return data


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
