"""The "Finance officers" group made by ``migrate``: pytest-django migrates a fresh test
database, so the group read here is the one a fresh installation gets."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from finance.groups import GROUP_NAME, ensure_group

pytestmark = pytest.mark.django_db

COLLABORATION_MODELS = [
    "collaborationarea",
    "collaboratedfunction",
    "businesscase",
    "collaborationagreement",
]


def codenames(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_a_fresh_migrate_lets_finance_officers_change_collaboration_records_and_lines():
    granted = codenames(Group.objects.get(name=GROUP_NAME))
    for model in COLLABORATION_MODELS:
        assert f"collaboration.change_{model}" in granted
        assert f"collaboration.add_{model}" in granted
    assert {"finance.change_financialline", "finance.add_financialline"} <= granted


def test_a_fresh_migrate_lets_finance_officers_only_read_papers_notices_and_minutes():
    granted = codenames(Group.objects.get(name=GROUP_NAME))
    assert {"boards.view_paper", "boards.view_meeting", "decisions.view_decisionnotice"} <= granted
    for forbidden in (
        "boards.change_paper",
        "boards.change_meeting",
        "boards.view_minuteparagraph",
        "boards.change_minuteparagraph",
        "decisions.change_decisionnotice",
        "decisions.sign_decisionnotice",
    ):
        assert forbidden not in granted


def test_the_group_is_complete_even_before_collaboration_made_its_own_permissions():
    # As on a fresh database where finance's post_migrate runs before collaboration's.
    Group.objects.filter(name=GROUP_NAME).delete()
    Permission.objects.filter(content_type__app_label="collaboration").delete()
    ensure_group(sender=apps.get_app_config("finance"), using="default")
    granted = codenames(Group.objects.get(name=GROUP_NAME))
    assert {f"collaboration.change_{model}" for model in COLLABORATION_MODELS} <= granted


def test_migrate_never_undoes_what_an_administrator_changed():
    group = Group.objects.get(name=GROUP_NAME)
    group.permissions.remove(Permission.objects.get(codename="delete_financialline"))
    ensure_group(sender=apps.get_app_config("finance"), using="default")
    assert "finance.delete_financialline" not in codenames(group)
    assert "finance.change_financialline" in codenames(group)
