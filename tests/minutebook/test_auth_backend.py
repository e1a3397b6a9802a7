"""Signing in: a login's permissions, its own and its groups', read in one query per request."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="boards", codename=codename)


@pytest.fixture
def officer():
    """A staff login holding one permission of its own and one through a group."""
    user = User.objects.create_user("officer", password="unused-password-1", is_staff=True)
    user.user_permissions.add(permission("read_all_money"))
    group = Group.objects.create(name="Readers of restricted records")
    group.permissions.add(permission("read_restricted"))
    user.groups.add(group)
    return User.objects.get(pk=user.pk)


def test_a_logins_own_and_its_groups_permissions_are_read_in_one_query(officer):
    with CaptureQueriesContext(connection) as queries:
        assert officer.has_perm("boards.read_all_money")
        assert officer.has_perm("boards.read_restricted")
        assert not officer.has_perm("boards.delete_board")
    assert len(queries) == 1
    assert officer.get_all_permissions() == {"boards.read_all_money", "boards.read_restricted"}


def test_a_permission_taken_away_counts_from_the_next_request(officer):
    """Nothing outlives the request: staff read a draft paper, then, their group's
    permission withdrawn, no longer find it."""
    from boards.models import Paper
    from tests.factories import PaperFactory

    paper = PaperFactory(status=Paper.Status.DRAFT)
    client = Client()
    client.force_login(officer)
    assert client.get(paper.get_absolute_url()).status_code == 200
    Group.objects.get(name="Readers of restricted records").permissions.clear()
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_inactive_and_superuser_logins(officer):
    officer.is_active = False
    assert officer.get_all_permissions() == set()
    boss = User.objects.create_superuser("boss", password="unused-password-2")
    assert "boards.read_restricted" in boss.get_all_permissions()
    assert len(boss.get_all_permissions()) == Permission.objects.count()
