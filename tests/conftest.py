"""The cast of users every test reads as: the anonymous reader (pytest-django's ``client``), a
board member (``member_user``, ``member_of``), OPCC staff (``staff_user``, ``staff_client``), a
finance officer (``finance_user``, ``finance_client``) and a signatory (``signatory``)."""

import pytest
from django.test import Client

from finance.groups import finance_officers_group
from tests.factories import MembershipFactory, PersonFactory, UserFactory


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def finance_user(db):
    """A finance officer: staff, in the "Finance officers" group, not a superuser."""
    user = UserFactory(username="finance", is_staff=True)
    user.groups.add(finance_officers_group())
    return user


@pytest.fixture
def finance_client(finance_user):
    client = Client()
    client.force_login(finance_user)
    return client


@pytest.fixture
def member_user(db):
    """A board member: a login linked to a Person (memberships are added by each test)."""
    user = UserFactory(username="member")
    PersonFactory(full_name="Board Member", user=user)
    return user


@pytest.fixture
def member_of(member_user):
    """Make the member user sit on ``board``: ``member_of(board)``; returns the logged-in client."""

    def _sit(board):
        MembershipFactory(board=board, person=member_user.person)
        client = Client()
        client.force_login(member_user)
        return client

    return _sit


@pytest.fixture
def signatory(db):
    """A staff user allowed to sign (on a historic date too), publish and withdraw decision
    notices (not a superuser)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="signatory", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="decisions",
            codename__in=[
                "sign_decisionnotice",
                "publish_decisionnotice",
                "record_historic_signing",
                "view_decisionnotice",
                "change_decisionnotice",
                "add_decisionnotice",
            ],
        )
        | Permission.objects.filter(content_type__app_label="boards", codename="read_restricted")
    )
    return user


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed records, loaded once for a module in a transaction rolled back afterwards.

    For modules that only read them; mark the module ``django_db`` so the test database
    exists before this loads into it.
    """
    import io

    from django.core.management import call_command
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
