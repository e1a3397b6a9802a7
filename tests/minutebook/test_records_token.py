"""The records token that every "nothing changed since" cache is keyed by (minutebook.changes):
a reader never keeps seeing what a committed change replaced."""

import pytest
from django.db import transaction

from boards.models import Paper
from minutebook.changes import records_changed, records_token
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db


def test_a_token_taken_while_a_change_is_uncommitted_is_retired_when_it_commits(
    django_capture_on_commit_callbacks,
):
    """A reader between the change and its commit reads the old data and may cache it under a
    new token: the commit drops that token too."""
    before = records_token()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        records_changed()
        during = records_token()  # another reader, before the commit
        assert during != before
    assert records_token() not in (before, during)


def test_a_bulk_update_of_a_paper_retires_the_token_taken_before_its_commit(
    django_capture_on_commit_callbacks,
):
    paper = PaperFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Paper.objects.filter(pk=paper.pk).update(status=Paper.Status.DRAFT)
        during = records_token()
    assert records_token() != during


def test_a_token_stays_while_nothing_changes():
    assert records_token() == records_token()
