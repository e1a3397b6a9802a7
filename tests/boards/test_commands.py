"""The management commands README names: demo_users and reopen_minutes."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from boards.models import Meeting
from tests.factories import BoardFactory, MeetingFactory, approve

pytestmark = pytest.mark.django_db


def test_demo_users_prints_the_logins_and_only_signatories_may_sign(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    assert "staff / minutebook-demo" in out.getvalue()
    users = get_user_model().objects
    assert not users.get(username="staff").has_perm("decisions.sign_decisionnotice")
    assert users.get(username="staff").has_perm("boards.change_minuteparagraph")
    assert users.get(username="signatory").has_perm("decisions.sign_decisionnotice")
    assert not users.get(username="member").is_staff


def test_demo_users_refuses_to_set_known_passwords_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("demo_users", stdout=io.StringIO())


def test_reopen_minutes_needs_a_reason_and_records_it():
    meeting = approve(MeetingFactory(board=BoardFactory(slug="bcb", short_name="BCB")))
    with pytest.raises(CommandError, match="no login"):
        call_command(
            "reopen_minutes", "BCB", meeting.date.isoformat(), reason="Typo", user="nobody"
        )
    call_command(
        "reopen_minutes", "BCB", meeting.date.isoformat(), reason="Typo", stdout=io.StringIO()
    )
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == "draft"
    with pytest.raises(CommandError, match="not a date"):
        call_command("reopen_minutes", "BCB", "26/11/2015", reason="Typo")
