"""The "Finance officers" group: edit financial lines and the collaboration records' money,
read the papers and notices the lines belong to, and never edit minutes or papers."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

GROUP_NAME = "Finance officers"
READ_ONLY = {
    "boards": ["board", "meeting", "paper", "organisation"],
    "decisions": ["decisionnotice", "recommendation"],
}
EDIT = ["finance", "collaboration"]


def finance_officers_permissions(using: str = DEFAULT_DB_ALIAS):
    read = Q()
    for app, models in READ_ONLY.items():
        read |= Q(
            content_type__app_label=app,
            content_type__model__in=models,
            codename__startswith="view_",
        )
    edit = Q(content_type__app_label__in=EDIT)
    # The reading role of boards.access: every line and total on the site, no restricted record.
    money = Q(content_type__app_label="boards", codename="read_all_money")
    return Permission.objects.using(using).filter(read | edit | money)


def finance_officers_group(*, reset: bool = True, using: str = DEFAULT_DB_ALIAS) -> Group:
    """The group, created with its permissions; ``reset=False`` leaves an existing group's
    permissions as an administrator set them."""
    group, created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    if created or reset:
        group.permissions.set(finance_officers_permissions(using))
    return group


def ensure_group(sender, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate of the finance app: create the group with its permissions; never undo an
    administrator's changes to an existing group.

    Django creates an app's permissions in that app's own post_migrate, so on a fresh database
    those of an app listed after finance in INSTALLED_APPS would not exist yet, and the group
    would be created without them for good. The permissions the group names are created here
    first (Django's own ``create_permissions``, which skips those that exist), so the group is
    complete whatever the order of the apps.
    """
    for label in (*READ_ONLY, *EDIT):
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=apps)
    finance_officers_group(reset=False, using=using)
