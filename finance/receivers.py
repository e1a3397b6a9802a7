"""How the finance app keeps in step with the records its lines belong to.

Connected explicitly in ``FinanceConfig.ready()``, one receiver per sender:

- ``minutebook.records.visibility_changed`` from each model whose ``visibility_fields`` decide
  who may see a line (a paper's status, access or board; a board's publicity; a meeting's
  board or minutes' status; an agenda item's meeting or exemption; a minute paragraph's item;
  a notice's status or meeting; a recommendation's paper): the lines concerned are
  re-stamped and their money moved between the stored totals. The signal is sent inside the
  transaction of the change, with the changed rows locked, by ``save()``, ``update()`` and
  ``bulk_update()`` alike.
- ``decisions.services.correction_drafted``: the money of a signed notice is copied onto the
  draft that corrects it.
"""

from __future__ import annotations

from django.db.models import F, Q

from .models import FinancialLine

lines = FinancialLine.objects


def paper_changed(sender, pks, **kwargs) -> None:
    lines.filter(Q(paper__in=pks) | Q(recommendation__paper__in=pks)).stamp()


def board_changed(sender, pks, **kwargs) -> None:
    lines.filter(
        Q(paper__board__in=pks)
        | Q(recommendation__paper__board__in=pks)
        | Q(decision_notice__meeting__board__in=pks)
        | Q(minute_paragraph__item__meeting__board__in=pks)
    ).stamp()


def meeting_changed(sender, pks, **kwargs) -> None:
    """A meeting's board or its minutes' status: its notices' lines and its minutes' lines
    (minutes approved are public, reopened they are not)."""
    lines.filter(
        Q(decision_notice__meeting__in=pks) | Q(minute_paragraph__item__meeting__in=pks)
    ).stamp()


def agenda_item_changed(sender, pks, **kwargs) -> None:
    """An item made exempt or moved to another meeting: the lines of its minutes."""
    lines.filter(minute_paragraph__item__in=pks).stamp()


def minute_paragraph_changed(sender, pks, **kwargs) -> None:
    """A paragraph moved to another item (of another meeting, perhaps exempt)."""
    lines.filter(minute_paragraph__in=pks).stamp()


def notice_changed(sender, pks, **kwargs) -> None:
    lines.filter(decision_notice__in=pks).stamp()


def recommendation_changed(sender, pks, **kwargs) -> None:
    lines.filter(recommendation__in=pks).stamp()


def copy_money_to_correction(sender, original, draft, **kwargs) -> None:
    """The money too, on the draft where it can still be corrected; the original's lines stay
    with it, and leave the totals when signing the correction withdraws it."""
    copies: dict[int, int] = {}
    wholes_first = F("part_of").asc(nulls_first=True)
    for line in lines.filter(decision_notice=original).order_by(wholes_first, "position", "pk"):
        source = line.pk
        line.pk = line.id = None
        line._state.adding = True
        line.decision_notice = draft
        line.part_of_id = copies.get(line.part_of_id, line.part_of_id)
        line.version = 0
        line.save()
        copies[source] = line.pk
