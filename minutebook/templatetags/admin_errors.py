"""The error summary at the top of every admin change form (templates/admin/change_form.html):
each error of the form and its inlines, with a link to the field or row it is about."""

from dataclasses import dataclass

from django import template
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.text import capfirst

register = template.Library()


@dataclass(frozen=True)
class Problem:
    """One error message, where it is ("Agenda items, row 11, number") and the id of the
    element the summary links to (a field's input, an inline's row or group; None for the
    form's own non-field errors, shown just below the summary)."""

    where: str
    message: str
    target: str | None


def _form_problems(form, where: str, row_id: str | None) -> list[Problem]:
    problems = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        if name == NON_FIELD_ERRORS or field is None or field.widget.is_hidden:
            place, target = where, row_id
        else:
            bound = form[name]
            label = capfirst(bound.label)
            place = f"{where}, {label}" if where else label
            target = bound.id_for_label or row_id
        problems.extend(Problem(place, str(message), target) for message in messages)
    return problems


@register.simple_tag
def error_summary(adminform, inline_admin_formsets) -> list[Problem]:
    """The errors of a change form's ``adminform`` and ``inline_admin_formsets`` (the admin's
    context), in the order the form shows them. No query: the forms are already validated."""
    problems = _form_problems(adminform.form, "", None) if adminform else []
    for inline in inline_admin_formsets or ():
        formset = inline.formset
        heading = capfirst(inline.opts.verbose_name_plural)
        problems.extend(
            Problem(heading, str(message), f"{formset.prefix}-group")
            for message in formset.non_form_errors()
        )
        for index, form in enumerate(formset.forms):
            problems.extend(
                _form_problems(form, f"{heading}, row {index + 1}", f"{formset.prefix}-{index}")
            )
    return problems
