"""Keeps ``LineTotal`` (finance.rollup) in step with every save or delete that moves money
between buckets: a line's own changes, and changes to what decides its record's visibility."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from . import rollup

_STASH = "_finance_rollup_before"


def _lines_of(model_name: str, instance):
    from .models import FinancialLine

    lines = FinancialLine.objects
    if model_name == "financialline":
        return lines.filter(pk=instance.pk)
    if model_name == "paper":
        return lines.filter(Q(paper=instance.pk) | Q(recommendation__paper=instance.pk))
    if model_name == "board":
        return lines.of_board(instance.pk)
    if model_name == "decisionnotice":
        return lines.filter(decision_notice=instance.pk)
    if model_name == "meeting":
        return lines.filter(decision_notice__meeting=instance.pk)
    if model_name == "recommendation":
        return lines.filter(recommendation=instance.pk)
    raise ValueError(model_name)


# What decides, for each model, the bucket of the lines around it. A line's every field may.
WATCHED = {
    ("finance", "financialline"): None,
    ("boards", "paper"): ("status", "access", "board_id"),
    ("boards", "board"): ("is_public",),
    ("boards", "meeting"): ("board_id",),
    ("decisions", "decisionnotice"): ("status", "meeting_id"),
    ("decisions", "recommendation"): ("paper_id",),
}


def _watched(sender):
    opts = sender._meta
    key = (opts.app_label, opts.model_name)
    return key in WATCHED, WATCHED.get(key)


def before_save(sender, instance, raw=False, **kwargs) -> None:
    is_watched, fields = _watched(sender)
    if not is_watched or raw or instance.pk is None or instance._state.adding:
        return
    if fields is not None:
        stored = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
        if stored is None or all(stored[f] == getattr(instance, f) for f in fields):
            return
    setattr(instance, _STASH, rollup.sums(_lines_of(sender._meta.model_name, instance)))


def after_save(sender, instance, created=False, raw=False, **kwargs) -> None:
    is_watched, _fields = _watched(sender)
    if not is_watched or raw:
        return
    if hasattr(instance, _STASH):
        before = instance.__dict__.pop(_STASH)
    elif created and sender._meta.model_name == "financialline":
        before = {}
    else:
        return
    after = rollup.sums(_lines_of(sender._meta.model_name, instance))
    rollup.apply(rollup.difference(before, after))


def before_delete(sender, instance, **kwargs) -> None:
    if sender._meta.model_name == "financialline" and sender._meta.app_label == "finance":
        setattr(instance, _STASH, rollup.sums(_lines_of("financialline", instance)))


def after_delete(sender, instance, **kwargs) -> None:
    if hasattr(instance, _STASH):
        rollup.apply(rollup.difference(instance.__dict__.pop(_STASH), {}))


def connect() -> None:
    pre_save.connect(before_save, dispatch_uid="finance-rollup-pre-save")
    post_save.connect(after_save, dispatch_uid="finance-rollup-post-save")
    pre_delete.connect(before_delete, dispatch_uid="finance-rollup-pre-delete")
    post_delete.connect(after_delete, dispatch_uid="finance-rollup-post-delete")
