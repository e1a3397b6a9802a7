"""Every field a ``visible_to`` rule reads is declared in its model's ``visibility_fields``.

A change of a declared field is announced (``minutebook.records.visibility_changed``) by
``save()``, ``update()`` and ``bulk_update()``, and what is derived from visibility (the
financial lines' stamps and the stored totals behind /finance/) is kept in step by the
receivers connected to it. A field the rule reads but the model does not declare would change
silently: the public would go on seeing the money of a record made private. So this test reads
the SQL of each rule for the anonymous reader (its WHERE columns, those of its subqueries, and
the foreign keys its joins follow) and checks each is declared, and checks that every model
whose visibility decides a line's has a receiver.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode

from boards.models import Action, AgendaItem, Board, Meeting, MinuteParagraph, Paper
from decisions.models import DecisionNotice, Recommendation
from finance.models import FinancialLine
from minutebook.records import visibility_changed

RULES = [Board, Meeting, AgendaItem, MinuteParagraph, Action, Paper, DecisionNotice, FinancialLine]


def fields_read(query: Query) -> set[tuple[type[Model], str]]:
    """(model, field name) of every column ``query`` filters on or joins through, subqueries
    included; primary keys (the record's identity) left out."""
    found: set[tuple[type[Model], str]] = set()

    def walk(node) -> None:
        if isinstance(node, WhereNode):
            for child in node.children:
                walk(child)
        elif isinstance(node, Lookup):
            walk(node.lhs)
            walk(node.rhs)
        elif isinstance(node, Col):
            if not node.target.primary_key:
                found.add((node.target.model, node.target.name))
        elif isinstance(node, Query):
            found.update(fields_read(node))
        elif hasattr(node, "query") and isinstance(node.query, Query):  # Subquery, Exists
            found.update(fields_read(node.query))
        elif hasattr(node, "get_source_expressions"):
            for source in node.get_source_expressions():
                walk(source)

    walk(query.where)
    for join in query.alias_map.values():
        if isinstance(join, Join) and getattr(join.join_field, "concrete", False):
            found.add((join.join_field.model, join.join_field.name))
    return found


def declared(model: type[Model]) -> set[str]:
    return set(getattr(model, "visibility_fields", ()))


@pytest.mark.parametrize("model", RULES, ids=lambda m: m.__name__)
def test_every_field_a_visible_to_rule_reads_is_declared(model):
    read = fields_read(model.objects.visible_to(AnonymousUser()).query)
    assert read, f"{model.__name__}.visible_to reads no field: the walk found nothing"
    missing = sorted(
        f"{field_model.__name__}.{name}"
        for field_model, name in read
        if name not in declared(field_model)
    )
    assert not missing, f"{model.__name__}.visible_to reads undeclared fields: {missing}"


def test_the_walk_sees_the_fields_of_joins_and_subqueries():
    # A paper's rule joins its board; a line's stamps come from subqueries over the records.
    assert (Paper, "board") in fields_read(Paper.objects.visible_to(AnonymousUser()).query)
    assert (Board, "is_public") in fields_read(Paper.objects.visible_to(AnonymousUser()).query)
    papers = Paper.objects.visible_to(AnonymousUser()).values("pk")
    assert (Paper, "status") in fields_read(FinancialLine.objects.filter(paper__in=papers).query)


def test_an_undeclared_field_would_be_caught():
    # The check is not vacuous: a rule on a field nobody declares shows up as missing.
    read = fields_read(Paper.objects.filter(title="x").query)
    assert (Paper, "title") in read
    assert "title" not in declared(Paper)


@pytest.mark.parametrize(
    "model", [Paper, Board, Meeting, DecisionNotice, Recommendation], ids=lambda m: m.__name__
)
def test_the_lines_follow_every_record_whose_visibility_decides_theirs(model):
    assert declared(model), f"{model.__name__} declares no visibility_fields"
    assert visibility_changed.has_listeners(model), (
        f"nothing re-stamps the financial lines when a {model.__name__} changes visibility"
    )
