"""A person renamed is found under the new name on every row that prints it (agenda items they
present, actions they own, notices they took), not under the old; and the index built after a
migration is built in the database migrated."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

from search import index
from search.models import SearchEntry
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    DecisionNoticeFactory,
    PaperFactory,
    PersonFactory,
    approve,
)

from .results import search

pytestmark = pytest.mark.django_db


def test_a_renamed_person_is_found_under_the_new_name_only(staff_client):
    person = PersonFactory(full_name="Jane Gowler")
    item = AgendaItemFactory(title="Estates strategy", presenter=person)
    ActionFactory(meeting=item.meeting, text="Report on the estate", owner=person)
    DecisionNoticeFactory(
        title="Estate disposal",
        decision_maker=person,
        meeting=item.meeting,
        taken_outside_meeting=False,
    )
    approve(item.meeting)
    found = [r.title for r in search(staff_client, "/search/?q=gowler")[1]]
    assert len(found) == 3
    person.full_name = "Jane Hollis"
    person.save()
    assert search(staff_client, "/search/?q=gowler")[1] == []
    assert len(search(staff_client, "/search/?q=hollis")[1]) == 3


def test_a_person_saved_without_a_new_name_rewrites_no_row(django_assert_num_queries):
    person = PersonFactory(full_name="Jane Gowler")
    AgendaItemFactory(presenter=person)
    person.initials = "JG"
    # the stored name (search), the UPDATE, the history row: nothing of the index
    with django_assert_num_queries(3):
        person.save()


def test_the_index_filled_after_migrate_is_built_in_the_database_migrated(monkeypatch):
    PaperFactory(title="Melbourn Police Office")
    SearchEntry.objects.all().delete()
    calls = []
    real = index.rebuild
    monkeypatch.setattr(index, "rebuild", lambda **kw: calls.append(kw) or real(**kw))
    post_migrate.send(
        sender=apps.get_app_config("search"),
        using=DEFAULT_DB_ALIAS,
        app_config=apps.get_app_config("search"),
        verbosity=0,
        interactive=False,
        plan=[],
        apps=apps,
    )
    assert calls == [{"using": DEFAULT_DB_ALIAS}]
    assert SearchEntry.objects.filter(title="Melbourn Police Office").exists()
