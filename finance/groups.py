"""The "Finance officers" group: edit financial lines and the collaboration records' money,
read the papers and notices the lines belong to, and never edit minutes or papers."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

GROUP_NAME = "Finance officers"
READ_ONLY = {
    "boards": ["board", "meeting", "paper", "organisation"],
    "decisions": ["decisionnotice", "recommendation"],
}


def finance_officers_permissions():
    read = Q()
    for app, models in READ_ONLY.items():
        read |= Q(
            content_type__app_label=app,
            content_type__model__in=models,
            codename__startswith="view_",
        )
    edit = Q(content_type__app_label__in=["finance", "collaboration"])
    return Permission.objects.filter(read | edit)


def finance_officers_group(*, reset: bool = True) -> Group:
    """The group, created with its permissions; ``reset=False`` leaves an existing group's
    permissions as an administrator set them."""
    group, created = Group.objects.get_or_create(name=GROUP_NAME)
    if created or reset:
        group.permissions.set(finance_officers_permissions())
    return group


def ensure_group(sender, **kwargs) -> None:
    """post_migrate: create the group once permissions exist; never undo an admin's changes."""
    if sender.name == "finance":
        finance_officers_group(reset=False)
