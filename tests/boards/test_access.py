"""Who sits on a board: one definition (``Membership.objects.current()``) decides both who the
board page lists as members and who reads the board's restricted records as a member."""

import datetime

import pytest
from django.test import Client

from boards import access
from boards.models import Membership
from tests.factories import (
    BoardFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def sign_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def board():
    return BoardFactory(name="Business Coordination Board", slug="bcb")


def member(board, name: str, **dates) -> tuple:
    user = UserFactory(username=name.lower().replace(" ", "-"))
    person = PersonFactory(full_name=name, user=user)
    MembershipFactory(board=board, person=person, **dates)
    return user, person


def test_a_membership_that_starts_later_is_neither_listed_nor_entitled(board):
    user, _person = member(board, "Future Member", start=TODAY + datetime.timedelta(days=1))
    exempt = PaperFactory(board=board, status="published", access="exempt", exemption_reason="3")
    assert "Future Member" not in sign_in(user).get("/boards/bcb/").content.decode()
    assert access.member_board_ids(user) == frozenset()
    assert sign_in(user).get(exempt.get_absolute_url()).status_code == 404


def test_a_sitting_member_is_listed_and_reads_the_boards_exempt_papers(board):
    user, _person = member(board, "Sitting Member", start=TODAY - datetime.timedelta(days=30))
    exempt = PaperFactory(board=board, status="published", access="exempt", exemption_reason="3")
    assert "Sitting Member" in Client().get("/boards/bcb/").content.decode()
    assert access.member_board_ids(user) == {board.pk}
    assert sign_in(user).get(exempt.get_absolute_url()).status_code == 200


def test_a_membership_that_ended_is_neither_listed_nor_entitled(board):
    user, _person = member(
        board,
        "Former Member",
        start=TODAY - datetime.timedelta(days=400),
        end=TODAY - datetime.timedelta(days=1),
    )
    assert "Former Member" not in Client().get("/boards/bcb/").content.decode()
    assert access.member_board_ids(user) == frozenset()


def test_current_counts_a_membership_whose_start_is_not_recorded(board):
    _user, person = member(board, "Unrecorded Start")
    assert list(
        Membership.objects.current().filter(person=person).values_list("board", flat=True)
    ) == [board.pk]
