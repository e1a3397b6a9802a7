"""The lock test: every path around the locks, tried on approved minutes and on a signed notice
(with the recommendation it followed and the money of both), must be refused, with nothing
changed, and never answer 500.

One world (``world``): a board with approved minutes (an item with a paper, a paragraph with
the money it prints, attendance, a declaration) beside draft minutes of the same kind; a signed notice listing a
paper, following one of its recommendations, with a line of its own and one on the
recommendation; beside it a draft notice with the same. Forms of the admin are opened while the
records are still drafts (``world.forms``), so the admin paths post what a stale screen would.

``PATHS`` lists every path: admin screens, services, instance ``save()``/``delete()``, queryset
``update()``/``delete()``/``bulk_create()``/``bulk_update()``, many-to-many
``add()``/``remove()``/``clear()``/``set()`` from both sides, and foreign keys moved into and out
of locked records. ``test_no_path_gets_past_the_locks`` tries each in a savepoint: a path is
refused when it raises ``LockedRecordError`` (or another ``ValidationError``) or, in the admin,
answers with an error message or form errors; and in either case the records, their
many-to-many rows, the stored totals and the history are as they were. Anything else is a
bypass (a 500 is one too). The count is printed, and must be 0.

The twins below show that the legitimate paths still work: a draft is changed, moved and
deleted; ``reopen_minutes`` with a reason; publishing, withdrawing and correcting a signed notice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from boards.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    MinuteParagraph,
    Paper,
)
from boards.services import approve_minutes, reopen_minutes
from decisions import services
from decisions.models import DecisionNotice, Recommendation
from finance.models import ColumnTotal, FinancialLine, LineTotal
from minutebook.records import LifecycleKey, LockedRecordError, rerender_all
from tests.admin_forms import change_url, form_of
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    DecisionNoticeFactory,
    DeclarationFactory,
    MeetingFactory,
    MinuteParagraphFactory,
    PaperFactory,
    PersonFactory,
    RecommendationFactory,
    UserFactory,
    minutes_approver,
)
from tests.finance.factories import FinancialLineFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # no 64-bit key holds it


# -- the world -------------------------------------------------------------------------------------


@dataclass
class World:
    meeting: Meeting  # approved minutes
    item: AgendaItem
    paragraph: MinuteParagraph
    attendance: Attendance
    declaration: Declaration
    paper_on_minutes: Paper
    draft_meeting: Meeting
    draft_item: AgendaItem
    draft_paragraph: MinuteParagraph
    draft_attendance: Attendance
    notice: DecisionNotice  # signed
    notice_paper: Paper
    recommendation: Recommendation
    notice_line: FinancialLine
    recommendation_line: FinancialLine
    draft_notice: DecisionNotice
    draft_recommendation: Recommendation
    draft_notice_line: FinancialLine
    draft_recommendation_line: FinancialLine
    minute_line: FinancialLine  # of the approved minutes' paragraph
    draft_minute_line: FinancialLine
    loose_paper: Paper
    spare_meeting: Meeting  # draft minutes with nothing in them
    signatory: object
    staff: Client
    forms: dict = field(default_factory=dict)


@pytest.fixture
def world(signatory, staff_user) -> World:
    board = BoardFactory(is_public=True)
    staff = Client()
    staff.force_login(staff_user)

    meeting = MeetingFactory(board=board, date=datetime.date(2015, 11, 26))
    paper_on_minutes = PaperFactory(board=board, title="Paper on the approved agenda")
    item = AgendaItemFactory(meeting=meeting, number="4", paper=paper_on_minutes)
    paragraph = MinuteParagraphFactory(item=item)
    attendance = AttendanceFactory(meeting=meeting)
    declaration = DeclarationFactory(meeting=meeting)

    draft_meeting = MeetingFactory(board=board, date=datetime.date(2016, 1, 28))
    # Numbers and positions that clash with nothing, so a move is refused by the lock alone.
    draft_item = AgendaItemFactory(meeting=draft_meeting, number="9", position=9)
    draft_paragraph = MinuteParagraphFactory(item=draft_item, position=9)
    draft_attendance = AttendanceFactory(meeting=draft_meeting)

    notice_paper = PaperFactory(board=board, title="Paper the signed notice came from")
    notice = DecisionNoticeFactory(meeting=meeting, title="Signed notice")
    notice.papers.add(notice_paper)
    recommendation = RecommendationFactory(paper=notice_paper, decision_notice=notice)
    notice_line = FinancialLineFactory(decision_notice=notice, amount=Decimal("250000"))
    recommendation_line = FinancialLineFactory(
        recommendation=recommendation, amount=Decimal("40000")
    )

    draft_paper = PaperFactory(board=board, title="Paper of the draft notice")
    draft_notice = DecisionNoticeFactory(meeting=meeting, title="Draft notice")
    draft_notice.papers.add(draft_paper)
    draft_recommendation = RecommendationFactory(paper=draft_paper, decision_notice=draft_notice)
    draft_notice_line = FinancialLineFactory(decision_notice=draft_notice)
    draft_recommendation_line = FinancialLineFactory(recommendation=draft_recommendation)
    minute_line = FinancialLineFactory(minute_paragraph=paragraph, amount=Decimal("2100000"))
    # On a paragraph of its own: the twins move draft_paragraph and delete where it went.
    draft_minute_line = FinancialLineFactory(
        minute_paragraph=MinuteParagraphFactory(item=draft_item, position=10)
    )
    loose_paper = PaperFactory(board=board, title="A paper nothing locked points at")

    # Screens opened while everything was still a draft: what a stale form posts.
    forms = {
        name: form_of(staff, change_url(obj))
        for name, obj in {
            "meeting": meeting,
            "item": item,
            "notice": notice,
            "notice_line": notice_line,
            "recommendation_line": recommendation_line,
            "minute_line": minute_line,
            "recommendation": recommendation,
            "notice_paper": notice_paper,
        }.items()
    }

    approve_minutes(meeting=meeting, by=minutes_approver())
    services.sign_notice(notice=notice, user=signatory)
    fresh = {
        "meeting": Meeting.objects.get(pk=meeting.pk),
        "notice": DecisionNotice.objects.get(pk=notice.pk),
    }
    return World(
        meeting=fresh["meeting"],
        item=AgendaItem.objects.get(pk=item.pk),
        paragraph=MinuteParagraph.objects.get(pk=paragraph.pk),
        attendance=Attendance.objects.get(pk=attendance.pk),
        declaration=Declaration.objects.get(pk=declaration.pk),
        paper_on_minutes=paper_on_minutes,
        draft_meeting=draft_meeting,
        draft_item=AgendaItem.objects.get(pk=draft_item.pk),
        draft_paragraph=MinuteParagraph.objects.get(pk=draft_paragraph.pk),
        draft_attendance=draft_attendance,
        notice=fresh["notice"],
        notice_paper=notice_paper,
        recommendation=Recommendation.objects.get(pk=recommendation.pk),
        notice_line=FinancialLine.objects.get(pk=notice_line.pk),
        recommendation_line=FinancialLine.objects.get(pk=recommendation_line.pk),
        draft_notice=draft_notice,
        draft_recommendation=Recommendation.objects.get(pk=draft_recommendation.pk),
        draft_notice_line=FinancialLine.objects.get(pk=draft_notice_line.pk),
        draft_recommendation_line=FinancialLine.objects.get(pk=draft_recommendation_line.pk),
        minute_line=FinancialLine.objects.get(pk=minute_line.pk),
        draft_minute_line=FinancialLine.objects.get(pk=draft_minute_line.pk),
        loose_paper=loose_paper,
        spare_meeting=MeetingFactory(board=board, date=datetime.date(2016, 5, 5)),
        signatory=signatory,
        staff=staff,
        forms=forms,
    )


# -- what a refused path must leave as it was ------------------------------------------------------

WATCHED = [
    Meeting,
    AgendaItem,
    MinuteParagraph,
    Attendance,
    Declaration,
    Paper,
    DecisionNotice,
    Recommendation,
    FinancialLine,
]


def snapshot() -> tuple:
    """Every row of the records around the locks, the notices' papers, the stored totals and
    the number of history entries of each record model."""
    rows = tuple(tuple(model.objects.order_by("pk").values_list()) for model in WATCHED)
    papers = tuple(DecisionNotice.papers.through.objects.order_by("pk").values_list())
    totals = tuple(
        tuple(model.objects.order_by("key").values_list("key", "total", "lines"))
        for model in (LineTotal, ColumnTotal)
    )
    history = tuple(model.history.count() for model in WATCHED)
    return rows, papers, totals, history


# -- the paths -------------------------------------------------------------------------------------

ORM = "orm"
SERVICE = "service"  # refuses with ValueError, as the admin actions expect
ADMIN = "admin"


@dataclass
class Path:
    name: str
    run: object  # world -> None (ORM) or world -> response (admin)
    kind: str = ORM


PATHS: list[Path] = []


def path(name: str, kind: str = ORM):
    def register(run):
        PATHS.append(Path(name, run, kind))
        return run

    return register


def changed(obj, **values):
    """``obj`` with ``values`` set, saved."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


def line_like(**owner) -> FinancialLine:
    return FinancialLine(description="Added in bulk", amount=Decimal("1"), kind="cost", **owner)


# approved minutes: the meeting
path("meeting: save() of a change")(lambda w: changed(w.meeting, location="Elsewhere"))
path("meeting: delete()")(lambda w: w.meeting.delete())
path("meeting: the old private flag _reopening, then save() as draft")(
    lambda w: (setattr(w.meeting, "_reopening", True), changed(w.meeting, minutes_status="draft"))
)
path("meeting: claiming the lifecycle key from outside boards.services")(
    lambda w: Meeting.lifecycle.claim()
)
path("meeting: QuerySet.update() of a field")(
    lambda w: Meeting.objects.filter(pk=w.meeting.pk).update(location="Elsewhere")
)
path("meeting: QuerySet.update() back to draft (reopening without the service)")(
    lambda w: Meeting.objects.filter(pk=w.meeting.pk).update(minutes_status="draft")
)
path("meeting: QuerySet.update() approving draft minutes (without the service)")(
    lambda w: Meeting.objects.filter(pk=w.draft_meeting.pk).update(minutes_status="approved")
)
path("meeting: QuerySet.delete()")(lambda w: Meeting.objects.filter(pk=w.meeting.pk).delete())
path("meeting: bulk_update()")(
    lambda w: (
        setattr(w.meeting, "notes", "Rewritten"),
        Meeting.objects.bulk_update([w.meeting], ["notes"]),
    )
)
path("meeting: reopen_minutes without a reason", SERVICE)(
    lambda w: reopen_minutes(meeting=w.meeting, reason="  ")
)

# approved minutes: what they hold


def parent_of(w: World, name: str, fk: str):
    return getattr(getattr(w, name), fk)


for label, attr, values, draft_attr, fk, model in [
    ("agenda item", "item", {"title": "Changed"}, "draft_item", "meeting", AgendaItem),
    (
        "minute paragraph",
        "paragraph",
        {"text": "Changed"},
        "draft_paragraph",
        "item",
        MinuteParagraph,
    ),
    ("attendance", "attendance", {"title": "Changed"}, "draft_attendance", "meeting", Attendance),
]:
    path(f"{label}: save() of a change")(
        lambda w, attr=attr, values=values: changed(getattr(w, attr), **values)
    )
    path(f"{label}: delete()")(lambda w, attr=attr: getattr(w, attr).delete())
    path(f"{label}: moved out of approved minutes by save()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk: changed(
            getattr(w, attr), **{fk: parent_of(w, draft_attr, fk)}
        )
    )
    path(f"{label}: moved into approved minutes by save()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk: changed(
            getattr(w, draft_attr), **{fk: parent_of(w, attr, fk)}
        )
    )
    path(f"{label}: QuerySet.update() of a field")(
        lambda w, attr=attr, values=values, model=model: model.objects.filter(
            pk=getattr(w, attr).pk
        ).update(**values)
    )
    path(f"{label}: moved out by QuerySet.update()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk, model=model: model.objects.filter(
            pk=getattr(w, attr).pk
        ).update(**{fk: parent_of(w, draft_attr, fk)})
    )
    path(f"{label}: moved in by QuerySet.update()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk, model=model: model.objects.filter(
            pk=getattr(w, draft_attr).pk
        ).update(**{fk: parent_of(w, attr, fk)})
    )
    path(f"{label}: QuerySet.delete() with a draft one")(
        lambda w, attr=attr, draft_attr=draft_attr, model=model: model.objects.filter(
            pk__in=[getattr(w, attr).pk, getattr(w, draft_attr).pk]
        ).delete()
    )
    path(f"{label}: bulk_update() with a draft one")(
        lambda w, attr=attr, draft_attr=draft_attr, values=values, model=model: (
            [changed_in_memory(getattr(w, a), values) for a in (draft_attr, attr)],
            model.objects.bulk_update([getattr(w, draft_attr), getattr(w, attr)], list(values)),
        )
    )
    path(f"{label}: moved in by bulk_update()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk, model=model: (
            setattr(getattr(w, draft_attr), fk, parent_of(w, attr, fk)),
            model.objects.bulk_update([getattr(w, draft_attr)], [fk]),
        )
    )


def changed_in_memory(obj, values: dict):
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


path("agenda item: bulk_create() into approved minutes")(
    lambda w: AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=w.draft_meeting, position=90, title="Draft one"),
            AgendaItem(meeting=w.meeting, position=91, title="Added later"),
        ]
    )
)
path("minute paragraph: bulk_create() into approved minutes")(
    lambda w: MinuteParagraph.objects.bulk_create(
        [MinuteParagraph(item=w.item, position=90, text="Added later")]
    )
)
path("minute paragraph: create() into approved minutes")(
    lambda w: MinuteParagraph.objects.create(item=w.item, text="Added later")
)
path("attendance: bulk_create() into approved minutes")(
    lambda w: Attendance.objects.bulk_create(
        [Attendance(meeting=w.meeting, person=PersonFactory(), capacity="member")]
    )
)
path("declaration: save() of a change")(
    lambda w: changed(w.declaration, none_declared=False, person=PersonFactory(), nature="x")
)
path("declaration: delete()")(lambda w: w.declaration.delete())
path("declaration: QuerySet.update()")(
    lambda w: Declaration.objects.filter(pk=w.declaration.pk).update(nature="Changed")
)
path("declaration: bulk_create() into approved minutes")(
    lambda w: Declaration.objects.bulk_create([Declaration(meeting=w.meeting, none_declared=True)])
)
path("declaration: QuerySet.delete()")(
    lambda w: Declaration.objects.filter(meeting=w.meeting).delete()
)
path("agenda item: deleted by cascade from its meeting's QuerySet.delete() of all meetings")(
    lambda w: Meeting.objects.all().delete()
)

# papers that locked records point at
path("paper on approved minutes: delete()")(lambda w: w.paper_on_minutes.delete())
path("paper on approved minutes: QuerySet.delete()")(
    lambda w: Paper.objects.filter(pk__in=[w.paper_on_minutes.pk, w.loose_paper.pk]).delete()
)
path("paper of a signed notice: delete()")(lambda w: w.notice_paper.delete())
path("paper of a signed notice: QuerySet.delete()")(
    lambda w: Paper.objects.filter(pk=w.notice_paper.pk).delete()
)

# the signed notice
path("notice: save() of a change")(lambda w: changed(w.notice, title="Changed"))
path("notice: delete()")(lambda w: w.notice.delete())
path("notice: the old private flag _lifecycle, then save() as draft")(
    lambda w: (setattr(w.notice, "_lifecycle", True), changed(w.notice, status="draft"))
)
path("notice: save() as published without the service")(
    lambda w: changed(w.notice, status="published", published_on=datetime.date(2016, 1, 1))
)
path("notice: claiming the lifecycle key from outside decisions.services")(
    lambda w: DecisionNotice.lifecycle.claim()
)
path("notice: QuerySet.update() of its text")(
    lambda w: DecisionNotice.objects.filter(pk=w.notice.pk).update(decision="Changed")
)
path("notice: QuerySet.update() back to draft")(
    lambda w: DecisionNotice.objects.filter(pk=w.notice.pk).update(status="draft")
)
path("notice: QuerySet.update() signing a draft without the service")(
    lambda w: DecisionNotice.objects.filter(pk=w.draft_notice.pk).update(status="signed")
)
path("notice: QuerySet.delete() with a draft")(
    lambda w: DecisionNotice.objects.filter(pk__in=[w.notice.pk, w.draft_notice.pk]).delete()
)
path("notice: bulk_update()")(
    lambda w: (
        setattr(w.notice, "reasons", "Changed"),
        DecisionNotice.objects.bulk_update([w.notice], ["reasons"]),
    )
)
path("notice: supersedes set by QuerySet.update()")(
    lambda w: DecisionNotice.objects.filter(pk=w.notice.pk).update(supersedes=w.draft_notice)
)
path("notice papers: add()")(lambda w: w.notice.papers.add(w.loose_paper))
path("notice papers: remove()")(lambda w: w.notice.papers.remove(w.notice_paper))
path("notice papers: clear()")(lambda w: w.notice.papers.clear())
path("notice papers: set()")(lambda w: w.notice.papers.set([w.loose_paper]))
path("notice papers: add() from the paper")(lambda w: w.loose_paper.decision_notices.add(w.notice))
path("notice papers: remove() from the paper")(
    lambda w: w.notice_paper.decision_notices.remove(w.notice)
)
path("notice papers: clear() from the paper")(lambda w: w.notice_paper.decision_notices.clear())
path("notice papers: set() from the paper")(lambda w: w.notice_paper.decision_notices.set([]))

# the recommendation it followed
path("recommendation: save() of its text")(lambda w: changed(w.recommendation, text="Changed"))
path("recommendation: save() of its outcome")(
    lambda w: changed(w.recommendation, outcome="rejected", decided_at=w.meeting)
)
path("recommendation: unlinked from the signed notice by save()")(
    lambda w: changed(w.recommendation, decision_notice=None)
)
path("recommendation: moved to the draft notice by save()")(
    lambda w: changed(w.recommendation, decision_notice=w.draft_notice)
)
path("recommendation: a draft's linked to the signed notice by save()")(
    lambda w: changed(w.draft_recommendation, decision_notice=w.notice)
)
path("recommendation: delete()")(lambda w: w.recommendation.delete())
path("recommendation: QuerySet.update() of its text")(
    lambda w: Recommendation.objects.filter(pk=w.recommendation.pk).update(text="Changed")
)
path("recommendation: unlinked by QuerySet.update()")(
    lambda w: Recommendation.objects.filter(pk=w.recommendation.pk).update(decision_notice=None)
)
path("recommendation: linked in by QuerySet.update()")(
    lambda w: Recommendation.objects.filter(pk=w.draft_recommendation.pk).update(
        decision_notice=w.notice
    )
)
path("recommendation: QuerySet.delete() with a draft's")(
    lambda w: Recommendation.objects.filter(
        pk__in=[w.recommendation.pk, w.draft_recommendation.pk]
    ).delete()
)
path("recommendation: bulk_update()")(
    lambda w: (
        setattr(w.recommendation, "outcome_note", "Changed"),
        Recommendation.objects.bulk_update([w.recommendation], ["outcome_note"]),
    )
)
path("recommendation: bulk_create() following the signed notice")(
    lambda w: Recommendation.objects.bulk_create(
        [Recommendation(paper=w.notice_paper, text="Added", decision_notice=w.notice)]
    )
)
path("recommendation: create() following the signed notice")(
    lambda w: Recommendation.objects.create(
        paper=w.notice_paper, text="Added", decision_notice=w.notice
    )
)

# the money
for label, attr, draft_attr, fk in [
    ("notice line", "notice_line", "draft_notice_line", "decision_notice"),
    ("recommendation line", "recommendation_line", "draft_recommendation_line", "recommendation"),
    ("minute line", "minute_line", "draft_minute_line", "minute_paragraph"),
]:
    path(f"{label}: save() of its amount")(
        lambda w, attr=attr: changed(getattr(w, attr), amount=Decimal("1"))
    )
    path(f"{label}: delete()")(lambda w, attr=attr: getattr(w, attr).delete())
    path(f"{label}: moved off the signed notice by save()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk: changed(
            getattr(w, attr), **{fk: getattr(getattr(w, draft_attr), fk)}
        )
    )
    path(f"{label}: moved onto the signed notice by save()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk: changed(
            getattr(w, draft_attr), **{fk: getattr(getattr(w, attr), fk)}
        )
    )
    path(f"{label}: QuerySet.update() of its amount")(
        lambda w, attr=attr: FinancialLine.objects.filter(pk=getattr(w, attr).pk).update(
            amount=Decimal("1")
        )
    )
    path(f"{label}: moved off by QuerySet.update()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk: FinancialLine.objects.filter(
            pk=getattr(w, attr).pk
        ).update(**{fk: getattr(getattr(w, draft_attr), fk)})
    )
    path(f"{label}: moved on by QuerySet.update()")(
        lambda w, attr=attr, draft_attr=draft_attr, fk=fk: FinancialLine.objects.filter(
            pk=getattr(w, draft_attr).pk
        ).update(**{fk: getattr(getattr(w, attr), fk)})
    )
    path(f"{label}: QuerySet.delete() with a draft one")(
        lambda w, attr=attr, draft_attr=draft_attr: FinancialLine.objects.filter(
            pk__in=[getattr(w, draft_attr).pk, getattr(w, attr).pk]
        ).delete()
    )
    path(f"{label}: bulk_update() with a draft one")(
        lambda w, attr=attr, draft_attr=draft_attr: (
            [
                changed_in_memory(getattr(w, a), {"amount": Decimal("2")})
                for a in (draft_attr, attr)
            ],
            FinancialLine.objects.bulk_update(
                [getattr(w, draft_attr), getattr(w, attr)], ["amount"]
            ),
        )
    )
    path(f"{label}: bulk_create() onto the signed notice")(
        lambda w, attr=attr, fk=fk: FinancialLine.objects.bulk_create(
            [line_like(**{fk: getattr(getattr(w, attr), fk)})]
        )
    )
    path(f"{label}: create() onto the signed notice")(
        lambda w, attr=attr, fk=fk: line_like(**{fk: getattr(getattr(w, attr), fk)}).save()
    )


# -- the admin -----------------------------------------------------------------------------------


def post(w: World, url: str, data: dict, **changes):
    return w.staff.post(url, {**data, **changes})


def delete_selected(w: World, model, pks):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return w.staff.post(
        url,
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in pks], "post": "yes"},
    )


def history_revert(w: World, obj):
    """POST the Revert form of the record's first (oldest) history entry."""
    first = obj.history.order_by("history_date").first()
    url = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history",
        args=[obj.pk, first.history_id],
    )
    return w.staff.post(url, form_of(w.staff, url))


path("admin: a stale meeting form saved after approval", ADMIN)(
    lambda w: post(w, change_url(w.meeting), w.forms["meeting"], location="Elsewhere")
)
path("admin: a stale item form saved after approval", ADMIN)(
    lambda w: post(w, change_url(w.item), w.forms["item"], title="Changed")
)
path("admin: a draft item moved into approved minutes", ADMIN)(
    lambda w: post(
        w,
        change_url(w.draft_item),
        form_of(w.staff, change_url(w.draft_item)),
        meeting=w.meeting.pk,
    )
)
path("admin: an invalid item form that changes its meeting", ADMIN)(
    lambda w: post(
        w,
        change_url(w.draft_item),
        form_of(w.staff, change_url(w.draft_item)),
        meeting=w.meeting.pk,
        title="",
    )
)
path("admin: a stale notice form saved after signing", ADMIN)(
    lambda w: post(w, change_url(w.notice), w.forms["notice"], title="Changed")
)
path("admin: a line added inline to a signed notice (stale notice form)", ADMIN)(
    lambda w: post(
        w,
        change_url(w.notice),
        w.forms["notice"],
        **{
            "financial_lines-TOTAL_FORMS": str(
                int(w.forms["notice"]["financial_lines-TOTAL_FORMS"]) + 1
            ),
            f"financial_lines-{int(w.forms['notice']['financial_lines-TOTAL_FORMS'])}-description": "Added",
            f"financial_lines-{int(w.forms['notice']['financial_lines-TOTAL_FORMS'])}-amount": "5000",
            f"financial_lines-{int(w.forms['notice']['financial_lines-TOTAL_FORMS'])}-kind": "cost",
        },
    )
)
path("admin: a line added to a signed notice on the lines screen", ADMIN)(
    lambda w: post(
        w,
        reverse("admin:finance_financialline_add"),
        {**w.forms["notice_line"], "version": "0", "description": "Added"},
    )
)
path("admin: a line added to a recommendation the signed notice followed", ADMIN)(
    lambda w: post(
        w,
        reverse("admin:finance_financialline_add"),
        {**w.forms["recommendation_line"], "version": "0", "description": "Added"},
    )
)
path("admin: a stale locked line saved", ADMIN)(
    lambda w: post(w, change_url(w.notice_line), w.forms["notice_line"], amount="1")
)
path("admin: a minute line added to approved minutes on the lines screen", ADMIN)(
    lambda w: post(
        w,
        reverse("admin:finance_financialline_add"),
        {**w.forms["minute_line"], "version": "0", "description": "Added"},
    )
)
path("admin: a stale line of approved minutes saved", ADMIN)(
    lambda w: post(w, change_url(w.minute_line), w.forms["minute_line"], amount="1")
)
path("admin: a line of approved minutes deleted", ADMIN)(
    lambda w: w.staff.post(
        reverse("admin:finance_financialline_delete", args=[w.minute_line.pk]), {"post": "yes"}
    )
)
path("admin: a stale recommendation line saved", ADMIN)(
    lambda w: post(w, change_url(w.recommendation_line), w.forms["recommendation_line"], amount="1")
)
path("admin: a locked line deleted", ADMIN)(
    lambda w: w.staff.post(
        reverse("admin:finance_financialline_delete", args=[w.notice_line.pk]), {"post": "yes"}
    )
)
path("admin: a stale recommendation form saved", ADMIN)(
    lambda w: post(w, change_url(w.recommendation), w.forms["recommendation"], text="Changed")
)
path("admin: the followed recommendation edited inline on its paper", ADMIN)(
    lambda w: post(
        w,
        change_url(w.notice_paper),
        form_of(w.staff, change_url(w.notice_paper)),
        **{"recommendations-0-text": "Changed", "recommendations-0-outcome": "rejected"},
    )
)
path("admin: the followed recommendation deleted inline on its paper", ADMIN)(
    lambda w: post(
        w,
        change_url(w.notice_paper),
        form_of(w.staff, change_url(w.notice_paper)),
        **{"recommendations-0-DELETE": "on"},
    )
)
path("admin: a paper on approved minutes deleted", ADMIN)(
    lambda w: w.staff.post(
        reverse("admin:boards_paper_delete", args=[w.paper_on_minutes.pk]), {"post": "yes"}
    )
)
path("admin: a paper of a signed notice deleted", ADMIN)(
    lambda w: w.staff.post(
        reverse("admin:boards_paper_delete", args=[w.notice_paper.pk]), {"post": "yes"}
    )
)
path("admin: Delete selected mixing a loose paper and one on approved minutes", ADMIN)(
    lambda w: delete_selected(w, Paper, [w.loose_paper.pk, w.paper_on_minutes.pk])
)
path("admin: Delete selected mixing draft and approved meetings", ADMIN)(
    lambda w: delete_selected(w, Meeting, [w.draft_meeting.pk, w.meeting.pk])
)
path("admin: Delete selected mixing draft and signed notices", ADMIN)(
    lambda w: delete_selected(w, DecisionNotice, [w.draft_notice.pk, w.notice.pk])
)
path("admin: Delete selected mixing draft and locked lines", ADMIN)(
    lambda w: delete_selected(w, FinancialLine, [w.draft_notice_line.pk, w.notice_line.pk])
)
path("admin: Delete selected mixing draft and approved items", ADMIN)(
    lambda w: delete_selected(w, AgendaItem, [w.draft_item.pk, w.item.pk])
)
path("admin: Delete selected mixing a draft's and the followed recommendation", ADMIN)(
    lambda w: delete_selected(w, Recommendation, [w.draft_recommendation.pk, w.recommendation.pk])
)
path("admin: Revert of approved minutes to their draft", ADMIN)(
    lambda w: history_revert(w, w.meeting)
)
path("admin: Revert of a signed notice to its draft", ADMIN)(lambda w: history_revert(w, w.notice))
path("admin: Revert of an item of approved minutes", ADMIN)(lambda w: history_revert(w, w.item))
path("admin: Revert of a locked line", ADMIN)(lambda w: history_revert(w, w.notice_line))
path("admin: an invalid item form that moves it to another draft meeting", ADMIN)(
    lambda w: post(
        w,
        change_url(w.draft_item),
        form_of(w.staff, change_url(w.draft_item)),
        meeting=w.spare_meeting.pk,
        title="",
    )
)
path("admin: an out-of-range id typed into an autocomplete field (item's meeting)", ADMIN)(
    lambda w: post(
        w, change_url(w.draft_item), form_of(w.staff, change_url(w.draft_item)), meeting=HUGE
    )
)
path("admin: an out-of-range id in a many-to-many autocomplete (a notice's papers)", ADMIN)(
    lambda w: post(
        w,
        reverse("admin:decisions_decisionnotice_add"),
        {**w.forms["notice"], "version": "0", "papers": [HUGE]},
    )
)
path("admin: an out-of-range id for a line's notice", ADMIN)(
    lambda w: post(
        w,
        reverse("admin:finance_financialline_add"),
        {**w.forms["notice_line"], "version": "0", "decision_notice": HUGE},
    )
)


# -- trying them ----------------------------------------------------------------------------------


# -- found by a hostile review: objects that look new, related managers, upserts, rendered HTML --


def copy_of(obj, **changes):
    """A new object carrying ``obj``'s key and fields (``_state.adding`` is True), changed."""
    fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    return type(obj)(**{**fields, **changes})


def first_version(obj):
    """The record as its first history entry has it: simple_history's way to revert."""
    return obj.history.order_by("history_id").first().instance


def upsert(obj, **changes):
    type(obj).objects.bulk_create(
        [copy_of(obj, **changes)],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=sorted(changes),
    )


path("meeting: a copy built with its key, saved")(
    lambda w: copy_of(w.meeting, location="FORGED").save()
)
path("meeting: its first history version's instance saved (back to draft)")(
    lambda w: first_version(w.meeting).save()
)
path("meeting: _base_manager.update()")(
    lambda w: Meeting._base_manager.filter(pk=w.meeting.pk).update(location="FORGED")
)
path("meeting: bulk_create upsert of a field")(lambda w: upsert(w.meeting, location="FORGED"))
path("item: a copy built with its key, moved to a draft meeting")(
    lambda w: copy_of(w.item, meeting_id=w.draft_meeting.pk).save()
)
path("item: bulk_create upsert moving it to a draft meeting")(
    lambda w: upsert(w.item, meeting_id=w.draft_meeting.pk)
)
path("draft meeting: items.add(an item of the approved minutes)")(
    lambda w: w.draft_meeting.items.add(w.item)
)
path("meeting: items.add(a draft item)")(lambda w: w.meeting.items.add(w.draft_item))
path("item: paragraphs.add(a draft paragraph)")(lambda w: w.item.paragraphs.add(w.draft_paragraph))
path("draft item: paragraphs.add(an approved paragraph)")(
    lambda w: w.draft_item.paragraphs.add(w.paragraph)
)
path("draft meeting: attendance.add(approved attendance)")(
    lambda w: w.draft_meeting.attendance.add(w.attendance)
)
path("paragraph: QuerySet.update() of its rendered HTML")(
    lambda w: MinuteParagraph.objects.filter(pk=w.paragraph.pk).update(text_html="<p>FORGED</p>")
)
path("paragraph: bulk_update() of its rendered HTML")(
    lambda w: MinuteParagraph.objects.bulk_update(
        [copy_of(w.paragraph, text_html="<p>FORGED</p>")], ["text_html"]
    )
)
path("notice: a copy built with its key, saved as a draft")(
    lambda w: copy_of(w.notice, status="draft", title="FORGED").save()
)
path("notice: its first history version's instance saved (back to draft)")(
    lambda w: changed(first_version(w.notice), title="FORGED")
)
path("notice: bulk_create upsert back to draft")(
    lambda w: upsert(w.notice, status="draft", title="FORGED")
)
path("notice: QuerySet.update() of its rendered decision")(
    lambda w: DecisionNotice.objects.filter(pk=w.notice.pk).update(decision_html="<p>FORGED</p>")
)
path("notice: a hand-built lifecycle key opening it")(
    lambda w: LifecycleKey(DecisionNotice.lifecycle).opening(w.notice).__enter__()
)
path("notice: recommendations.add(a draft recommendation)")(
    lambda w: w.notice.recommendations.add(w.draft_recommendation)
)
path("draft notice: published by save() without being signed")(
    lambda w: changed(w.draft_notice, status="published", published_on=datetime.date(2016, 1, 1))
)
path("recommendation: a copy built with its key, unlinked from the signed notice")(
    lambda w: copy_of(w.recommendation, decision_notice_id=None).save()
)
path("recommendation: bulk_create upsert unlinking it")(
    lambda w: upsert(w.recommendation, decision_notice_id=None)
)
path("loose paper: recommendations.add(the recommendation a signed notice followed)")(
    lambda w: w.loose_paper.recommendations.add(w.recommendation)
)
path("recommendation: financial_lines.add(a draft line)")(
    lambda w: w.recommendation.financial_lines.add(w.draft_recommendation_line)
)
path("notice: financial_lines.add(a draft line)")(
    lambda w: w.notice.financial_lines.add(w.draft_notice_line)
)
path("line: bulk_create upsert moving it off the signed notice")(
    lambda w: upsert(w.notice_line, decision_notice_id=w.draft_notice.pk)
)
path("line: a copy built with its key, moved off the signed notice")(
    lambda w: copy_of(w.notice_line, decision_notice_id=w.draft_notice.pk).save()
)


def forget_messages(client: Client) -> None:
    """Drop the messages earlier requests left (cookie and session), so a response is judged
    by its own."""
    client.cookies.pop("messages", None)
    session = client.session
    if session.pop("_messages", None) is not None:
        session.save()


def admin_refused(response) -> str | None:
    """Why the response counts as a refusal: an error message, or the form shown again with
    its errors; None otherwise (a 500 never gets here: the test client raises it)."""
    if response.status_code >= 500:
        return None
    errors = [m for m in get_messages(response.wsgi_request) if m.level >= messages.ERROR]
    if errors:
        return "message: " + str(errors[0])
    html = response.content.decode(errors="replace")
    if response.status_code == 200 and ("errornote" in html or "errorlist" in html):
        return "form errors"
    return None


def attempt(p: Path, w: World) -> str | None:
    """Run ``p`` in a savepoint rolled back afterwards; None when it was refused and left
    everything as it was, else what got past.

    When the path's own transaction failed (Django's ``atomic(savepoint=False)`` inside, as in
    ``bulk_update``), the connection must roll back before anything is read: what the path
    wrote went with its transaction, so there is nothing left to compare."""
    forget_messages(w.staff)
    before = snapshot()
    savepoint = transaction.savepoint()
    problem = None
    try:
        try:
            result = p.run(w)
        except (LockedRecordError, ValidationError, RuntimeError, ProtectedError):
            result = "refused"
        except ValueError as error:
            if p.kind != SERVICE:
                problem = f"raised ValueError: {error}"
            result = "refused"
        except Exception as error:  # a 500 in the admin, or an error that is not a refusal
            problem = f"raised {type(error).__name__}: {error}"
            result = None
        if problem is None and p.kind == ADMIN:
            if admin_refused(result) is None:
                problem = f"answered {result.status_code} without an error message"
        elif problem is None and result != "refused":
            problem = "was not refused"
        if problem is None and not connection.needs_rollback and snapshot() != before:
            problem = "was refused but left changes behind"
    finally:
        transaction.set_rollback(False)
        transaction.savepoint_rollback(savepoint)
    for obj in vars(w).values():  # what a path set on the objects in memory
        if hasattr(obj, "refresh_from_db") and obj.pk is not None:
            obj.refresh_from_db()
    return problem


def test_no_path_gets_past_the_locks(world, capsys):
    bypasses = {}
    for p in PATHS:
        problem = attempt(p, world)
        if problem:
            bypasses[p.name] = problem
    with capsys.disabled():
        print(f"\nlock test: {len(PATHS)} paths tried, {len(bypasses)} bypasses")
    assert bypasses == {}, "\n".join(f"{name}: {why}" for name, why in bypasses.items())
    assert len(PATHS) >= 120


# -- the twins: the legitimate paths still work ----------------------------------------------------


def test_a_draft_is_changed_moved_and_deleted(world):
    w = world
    changed(w.draft_item, title="Changed")
    AgendaItem.objects.filter(pk=w.draft_item.pk).update(title="Changed again")
    other = MeetingFactory(board=w.draft_meeting.board, date=datetime.date(2016, 3, 1))
    changed(w.draft_paragraph, item=AgendaItemFactory(meeting=other))
    AgendaItem.objects.bulk_create([AgendaItem(meeting=w.draft_meeting, position=50, title="New")])
    Attendance.objects.filter(pk=w.draft_attendance.pk).update(meeting=other)
    changed(w.draft_notice, title="Changed")
    w.draft_notice.papers.add(w.loose_paper)
    w.draft_notice.papers.remove(w.loose_paper)
    changed(w.draft_recommendation, text="Changed", outcome="approved", decided_at=w.meeting)
    changed(w.draft_notice_line, amount=Decimal("9"))
    FinancialLine.objects.filter(pk=w.draft_recommendation_line.pk).update(amount=Decimal("8"))
    FinancialLine.objects.bulk_create([line_like(decision_notice=w.draft_notice)])
    changed(w.draft_minute_line, amount=Decimal("7"))
    FinancialLine.objects.bulk_create(
        [line_like(minute_paragraph=w.draft_minute_line.minute_paragraph)]
    )
    w.loose_paper.delete()
    Meeting.objects.filter(pk=other.pk).delete()
    assert AgendaItem.objects.get(pk=w.draft_item.pk).title == "Changed again"
    assert FinancialLine.objects.get(pk=w.draft_notice_line.pk).amount == Decimal("9")


def test_reopen_minutes_with_a_reason_opens_them_and_approving_locks_them_again(world):
    w = world
    reopened = reopen_minutes(meeting=w.meeting, reason="Item 4 minuted wrongly", user=None)
    assert reopened.minutes_status == Meeting.MinutesStatus.DRAFT
    assert (
        reopened.history.first().history_change_reason == "Minutes reopened: Item 4 minuted wrongly"
    )
    changed(AgendaItem.objects.get(pk=w.item.pk), title="Corrected")
    # The money the minutes print is corrected with them, and locked again with them.
    changed(FinancialLine.objects.get(pk=w.minute_line.pk), amount=Decimal("2000000"))
    approve_minutes(meeting=reopened, by=minutes_approver())
    with pytest.raises(LockedRecordError):
        changed(AgendaItem.objects.get(pk=w.item.pk), title="Again")
    with pytest.raises(LockedRecordError, match="approved minutes"):
        changed(FinancialLine.objects.get(pk=w.minute_line.pk), amount=Decimal("1"))
    assert FinancialLine.objects.get(pk=w.minute_line.pk).amount == Decimal("2000000")


def test_a_signed_notice_is_published_withdrawn_and_corrected_through_the_services(world):
    w = world
    published = services.publish_notice(notice=w.notice, user=w.signatory)
    assert published.status == DecisionNotice.Status.PUBLISHED
    correction = services.draft_correction(notice=published, user=w.signatory)
    assert list(correction.papers.all()) == [w.notice_paper]
    line = correction.financial_lines.get()
    changed(line, amount=Decimal("260000"))  # the correction's money is still a draft's
    changed(correction, title="Corrected notice")
    services.sign_notice(notice=correction, user=w.signatory)
    original = DecisionNotice.objects.get(pk=w.notice.pk)
    assert original.status == DecisionNotice.Status.WITHDRAWN
    with pytest.raises(LockedRecordError):
        changed(FinancialLine.objects.get(pk=line.pk), amount=Decimal("1"))


def test_the_admin_deletes_a_loose_paper_and_drafts_in_bulk(world):
    w = world
    response = delete_selected(w, Paper, [w.loose_paper.pk])
    assert response.status_code == 302
    assert not Paper.objects.filter(pk=w.loose_paper.pk).exists()
    response = delete_selected(w, FinancialLine, [w.draft_notice_line.pk])
    assert not FinancialLine.objects.filter(pk=w.draft_notice_line.pk).exists()


def test_the_admin_refuses_a_mixed_bulk_delete_naming_the_locked_record(world):
    w = world
    response = delete_selected(w, Paper, [w.loose_paper.pk, w.paper_on_minutes.pk])
    message = admin_refused(response)
    assert message and "Paper on the approved agenda" in message
    assert Paper.objects.filter(pk=w.loose_paper.pk).exists()  # nothing deleted, not even the draft


def test_the_paper_delete_page_names_the_signed_notice(world):
    w = world
    response = w.staff.get(reverse("admin:boards_paper_delete", args=[w.notice_paper.pk]))
    assert response.status_code == 302
    assert "Signed notice" in admin_refused(response)


def test_a_draft_records_history_can_still_be_reverted(world):
    w = world
    changed(w.draft_item, title="Second title")
    response = history_revert(w, w.draft_item)
    assert response.status_code == 302, admin_refused(response)
    assert AgendaItem.objects.get(pk=w.draft_item.pk).title != "Second title"


def test_reverting_reopened_minutes_to_an_approved_version_is_refused(world):
    w = world
    reopen_minutes(meeting=w.meeting, reason="A slip")
    meeting = Meeting.objects.get(pk=w.meeting.pk)
    approved = meeting.history.filter(minutes_status="approved").order_by("history_date").first()
    url = reverse("admin:boards_meeting_simple_history", args=[meeting.pk, approved.history_id])
    response = w.staff.post(url, form_of(w.staff, url))
    assert admin_refused(response)
    assert Meeting.objects.get(pk=meeting.pk).minutes_status == Meeting.MinutesStatus.DRAFT


def test_rendered_html_of_locked_records_is_refused_but_rerender_keeps_it_in_step(world):
    """What a locked record shows cannot be written through the ORM; ``rerender_text``
    computes it from the stored text (after a raw load, say) and writes it."""
    paragraph = MinuteParagraph.objects.filter(pk=world.paragraph.pk)
    shown = paragraph.get().text_html
    with pytest.raises(LockedRecordError):
        paragraph.update(text_html="<p>FORGED</p>")
    with pytest.raises(LockedRecordError):
        DecisionNotice.objects.filter(pk=world.notice.pk).update(decision_html="<p>FORGED</p>")
    assert paragraph.get().text_html == shown
    models.QuerySet.update(paragraph, text_html="")  # as a raw load leaves it
    assert rerender_all() > 0
    assert paragraph.get().text_html == shown


def test_an_out_of_range_id_in_an_admin_address_is_not_found(world):
    for model in (Meeting, AgendaItem, Paper, DecisionNotice, FinancialLine, Recommendation):
        opts = model._meta
        for view in ("change", "delete", "history"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[HUGE])
            assert world.staff.get(url).status_code in (302, 404), url


def test_a_staff_login_without_permissions_gets_403_not_a_message_naming_the_record(world):
    nobody = Client()
    nobody.force_login(UserFactory(username="no-perms", is_staff=True))
    for url in (
        change_url(world.notice),
        reverse("admin:decisions_decisionnotice_delete", args=[world.notice.pk]),
    ):
        response = nobody.post(url, world.forms["notice"])
        assert response.status_code == 403, url
        assert not list(get_messages(response.wsgi_request))


def test_a_user_without_a_key_holds_no_lifecycle(world):
    UserFactory(username="nobody")
    with pytest.raises(RuntimeError):
        Meeting.lifecycle.claim()
    with pytest.raises(RuntimeError):
        DecisionNotice.lifecycle.claim()
