"""Form widgets for the public filter forms."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class QuickSelect(forms.Select):
    """A <select> rendered in one pass instead of one template per option.

    Django renders every option through a template, which costs tens of milliseconds for a
    list of a few hundred people; this writes the same escaped markup directly.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = {
            str(v)
            for v in (value if isinstance(value, (list, tuple)) else [value])
            if v is not None
        }
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), " selected" if str(v) in selected else "", label)
                for v, label in ((("" if v is None else v), label) for v, label in self.choices)
            ),
        )
        attributes = format_html_join(
            "", ' {}="{}"', ((k, v) for k, v in final.items() if v not in (None, False))
        )
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)
