"""The cast of users every test reads as: anonymous reader, board member, OPCC staff."""

import pytest
from django.test import Client

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
    """A staff user allowed to sign, publish and withdraw decision notices (not a superuser)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="signatory", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="decisions",
            codename__in=[
                "sign_decisionnotice",
                "publish_decisionnotice",
                "view_decisionnotice",
                "change_decisionnotice",
                "add_decisionnotice",
            ],
        )
    )
    return user
