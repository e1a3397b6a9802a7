"""Form widgets: a fast <select> for the public filter forms, and what gives the admin's inputs
one accessible name each (inline rows, autocompletes)."""

from django import forms
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from .escaping import esc


class QuickSelect(forms.Select):
    """A <select> rendered in one pass instead of one template per option.

    Django renders every option through a template, which costs tens of milliseconds for a
    list of a few hundred people; this writes the same escaped markup directly, each option
    with one f-string (``format_html`` per option was still 3 ms of the action log's owners).
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = {
            str(v)
            for v in (value if isinstance(value, (list, tuple)) else [value])
            if v is not None
        }
        options = []
        for v, label in self.choices:
            v = "" if v is None else str(v)
            mark = " selected" if v in selected else ""
            options.append(f'<option value="{esc(v)}"{mark}>{esc(label)}</option>')
        attributes = "".join(
            f' {esc(k)}="{esc(v)}"' for k, v in final.items() if v not in (None, False)
        )
        return SafeString(f'<select name="{esc(name)}"{attributes}>{"".join(options)}</select>')


# -- the admin's inputs: one accessible name each --------------------------------------------------

# The text of an autocomplete's empty choice. Select2 shows its placeholder instead, so nobody
# sees it; the HTML needs it (an empty <option> has no name, and a required <select> must start
# with an empty choice).
EMPTY_CHOICE = "---------"


def innermost(widget: forms.Widget) -> forms.Widget:
    """The widget that renders the input: the admin wraps related-record widgets in a
    ``RelatedFieldWidgetWrapper`` whose own ``attrs`` are shared between forms."""
    while hasattr(widget, "widget"):
        widget = widget.widget
    return widget


def name_row_inputs(form: forms.BaseForm, index: int | None) -> None:
    """Give each visible input of a tabular inline's row its accessible name, "Title, row 3"
    ("Title, new row" in the template row that "Add another" copies: static/js/admin.js
    numbers the copy). The column headings label the cells by sight only, and a <label> per
    cell would print the heading in every row. Sets ``aria-label`` on this form's own copy of
    each widget; no query."""
    where = "new row" if index is None else f"row {index + 1}"
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        heading = capfirst(field.label if field.label is not None else name.replace("_", " "))
        innermost(field.widget).attrs["aria-label"] = f"{heading}, {where}"


class NamedAutocompleteMixin:
    """For the admin's autocomplete (select2) widgets: valid HTML and a name for what select2
    draws. The <select> starts with an empty choice that has text (the W3C checker refuses an
    empty <option>, and a required <select> without an empty first choice); a multiple select
    has no "Remove all" cross, which select2 draws inside its list of choices (a <span> in a
    <ul>: axe's "list" rule), each choice keeping its own. static/js/admin.js names the
    combobox select2 draws after the <select>'s label."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if self.allow_multiple_selected:
            attrs["data-allow-clear"] = "false"
        return attrs

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.allow_multiple_selected:
            return groups
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = EMPTY_CHOICE
        else:
            options.insert(0, self.create_option(name, "", EMPTY_CHOICE, False, 0))
            for i, option in enumerate(options):
                option["index"] = str(i)
        return groups
