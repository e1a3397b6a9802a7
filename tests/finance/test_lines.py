"""Financial lines as a finance officer and a reader meet them: the form reads amounts as typed
and refuses what it cannot read, each line belongs to one record, a signed notice's money is
locked, and a reader sees only the lines of records they may see."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from boards.models import Paper
from collaboration.models import CollaboratedFunction, CollaborationArea
from decisions.services import publish_notice, sign_notice
from finance.models import FinancialLine
from minutebook.records import LockedRecordError
from tests.factories import (
    EARLY_MEETING,
    BoardFactory,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2015, 11, 26)

LineForm = modelform_factory(
    FinancialLine,
    fields=[
        "description",
        "amount",
        "kind",
        "financial_year",
        "on_date",
        "recurrence",
        "paper",
    ],
)


# -- helpers --------------------------------------------------------------------------------------


def form_data(paper=None, **overrides):
    data = {
        "description": "ICT collaboration",
        "amount": "197000",
        "kind": FinancialLine.Kind.COST,
        "financial_year": "",
        "on_date": "",
        "recurrence": "",
        "paper": paper.pk if paper else "",
    }
    data.update(overrides)
    return data


def line(**kwargs) -> FinancialLine:
    kwargs.setdefault("description", "Collaborated ICT")
    kwargs.setdefault("amount", Decimal("197000"))
    kwargs.setdefault("kind", FinancialLine.Kind.COST)
    return FinancialLine.objects.create(**kwargs)


def a_function() -> CollaboratedFunction:
    area = CollaborationArea.objects.create(name="Joint Protective Services", slug="jps")
    return CollaboratedFunction.objects.create(name="ICT", slug="ict", area=area)


def exempt_paper(board) -> Paper:
    return PaperFactory(
        board=board, access=Paper.Access.EXEMPT, exemption_reason="Paragraph 3: commercial."
    )


def all_errors(form) -> str:
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


# -- the form reads amounts as typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        ("197000", "197000.00"),
        ("197,000", "197000.00"),
        ("£197k", "197000.00"),
        ("£1.2m", "1200000.00"),
        ("£52.50", "52.50"),
        (" £1.501m ", "1501000.00"),
    ],
)
def test_the_form_reads_an_amount_as_typed_and_stores_the_exact_figure(typed, pounds):
    paper = PaperFactory()
    form = LineForm(data=form_data(paper, amount=typed))
    assert form.is_valid(), form.errors
    saved = form.save()
    stored = FinancialLine.objects.get(pk=saved.pk)
    assert stored.amount == Decimal(pounds)
    assert stored.paper == paper


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("1.2.3", "is not an amount"),
        ("12kk", "is not an amount"),
        ("£", "Enter an amount"),
        ("-5", "cannot be negative"),
        ("52.505", "two decimal places"),
        ("1,00,000", "is not an amount"),
        ("1,000,000,000,000", "too large"),
    ],
)
def test_the_form_refuses_an_unreadable_amount_naming_the_field_and_saves_nothing(typed, why):
    form = LineForm(data=form_data(PaperFactory(), amount=typed))
    assert not form.is_valid()
    assert list(form.errors) == ["amount"]
    (message,) = form.errors["amount"]
    assert message.startswith("Amount:")
    assert why in message
    with pytest.raises(ValueError):
        form.save()
    assert not FinancialLine.objects.exists()


def test_an_empty_amount_is_required():
    form = LineForm(data=form_data(PaperFactory(), amount=""))
    assert not form.is_valid()
    assert "amount" in form.errors
    assert not FinancialLine.objects.exists()


def test_a_negative_budget_or_underspend_is_accepted():
    paper = PaperFactory()
    for kind in (FinancialLine.Kind.BUDGET, FinancialLine.Kind.UNDERSPEND):
        form = LineForm(data=form_data(paper, amount="-£515k", kind=kind))
        assert form.is_valid(), form.errors
        assert form.save().amount == Decimal("-515000.00")
    assert FinancialLine.objects.filter(amount__lt=0).count() == 2


def test_the_database_refuses_a_negative_cost_saved_without_the_form():
    with transaction.atomic(), pytest.raises(IntegrityError):
        line(paper=PaperFactory(), amount=Decimal("-5"))


def test_an_edit_shows_the_exact_figure_and_reads_it_back_unchanged():
    stored = line(paper=PaperFactory(), amount=Decimal("1501000.50"))
    form = LineForm(instance=stored)
    assert form["amount"].value() == "1501000.50"  # no "£" or commas to trip over
    assert 'value="1501000.50"' in str(form["amount"])
    data = form_data(stored.paper, amount="1501000.50")
    form = LineForm(data=data, instance=stored)
    assert form.is_valid(), form.errors
    assert "amount" not in form.changed_data


# -- financial years ------------------------------------------------------------------------------


def test_the_financial_year_is_taken_from_the_date_when_blank():
    form = LineForm(data=form_data(PaperFactory(), on_date="2016-03-31"))
    assert form.is_valid(), form.errors
    assert form.save().financial_year == "2015/16"
    form = LineForm(data=form_data(PaperFactory(), on_date="2016-04-01"))
    assert form.is_valid(), form.errors
    assert FinancialLine.objects.get(pk=form.save().pk).financial_year == "2016/17"


def test_saving_without_the_form_also_takes_the_year_from_the_date():
    saved = line(paper=PaperFactory(), on_date=datetime.date(2000, 1, 15))
    assert FinancialLine.objects.get(pk=saved.pk).financial_year == "1999/00"


def test_a_year_that_does_not_hold_the_date_is_refused_naming_the_financial_year():
    form = LineForm(data=form_data(PaperFactory(), on_date="2016-03-31", financial_year="2016/17"))
    assert not form.is_valid()
    assert list(form.errors) == ["financial_year"]
    (message,) = form.errors["financial_year"]
    assert message.startswith("Financial year:")
    assert "2015/16" in message and "2016/17" in message
    assert not FinancialLine.objects.exists()


def test_a_matching_year_and_date_are_accepted():
    form = LineForm(data=form_data(PaperFactory(), on_date="2016-03-31", financial_year="2015/16"))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("bad", ["2015/17", "2015-16", "15/16", "2015/2016"])
def test_a_badly_written_year_is_refused(bad):
    form = LineForm(data=form_data(PaperFactory(), financial_year=bad))
    assert not form.is_valid()
    assert list(form.errors) == ["financial_year"]
    if len(bad) <= 7:  # a longer one is refused by its length first
        assert "is not a financial year" in all_errors(form)
    assert not FinancialLine.objects.exists()


def test_a_year_across_the_century_is_accepted():
    form = LineForm(data=form_data(PaperFactory(), financial_year="1999/00"))
    assert form.is_valid(), form.errors


# -- what a line belongs to -----------------------------------------------------------------------


def test_a_line_belongs_to_exactly_one_record():
    paper = PaperFactory()
    recommendation = RecommendationFactory(paper=paper)
    notice = DecisionNoticeFactory()
    function = a_function()
    for owners in (
        {"paper": paper},
        {"recommendation": recommendation},
        {"decision_notice": notice},
        {"function": function},
        {"paper": paper, "function": function},  # belongs to the paper, about the function
    ):
        FinancialLine(description="x", amount=1, kind="cost", **owners).full_clean()


@pytest.mark.parametrize(
    "owners",
    [
        ("paper", "recommendation"),
        ("paper", "decision_notice"),
        ("recommendation", "decision_notice"),
    ],
)
def test_two_owners_are_refused_by_clean_and_by_the_database(owners):
    paper = PaperFactory()
    records = {
        "paper": paper,
        "recommendation": RecommendationFactory(paper=paper),
        "decision_notice": DecisionNoticeFactory(),
    }
    kwargs = {name: records[name] for name in owners}
    candidate = FinancialLine(description="x", amount=Decimal(1), kind="cost", **kwargs)
    with pytest.raises(ValidationError) as error:
        candidate.clean()
    message = " ".join(error.value.messages)
    assert "belongs to one record" in message
    assert " and ".join(name.replace("_", " ") for name in owners) in message
    with transaction.atomic(), pytest.raises(IntegrityError):
        line(**kwargs)
    assert not FinancialLine.objects.exists()


def test_a_line_of_no_record_is_refused_by_clean_and_by_the_database():
    candidate = FinancialLine(description="x", amount=Decimal(1), kind="cost")
    with pytest.raises(ValidationError) as error:
        candidate.clean()
    assert "Choose the record the line belongs to" in " ".join(error.value.messages)
    with transaction.atomic(), pytest.raises(IntegrityError):
        line()


def test_the_form_refuses_a_line_of_no_record():
    form = LineForm(data=form_data(None))
    assert not form.is_valid()
    assert "Choose the record the line belongs to" in " ".join(form.non_field_errors())
    assert not FinancialLine.objects.exists()


def test_a_function_line_belongs_to_the_function():
    function = a_function()
    saved = line(function=function)
    assert saved.record == function
    assert saved.record_type == "function"
    assert list(FinancialLine.objects.of_record_type("function")) == [saved]


# -- a signed notice locks its money ----------------------------------------------------------------


@pytest.fixture
def signed_line(signatory):
    notice = DecisionNoticeFactory()
    saved = line(decision_notice=notice, amount=Decimal("1200000"))
    sign_notice(notice=notice, user=signatory, signed_on=DAY)
    return FinancialLine.objects.get(pk=saved.pk)


def test_a_line_of_a_signed_notice_cannot_be_changed(signed_line):
    signed_line.amount = Decimal("1")
    with pytest.raises(LockedRecordError, match="signed decision notice"):
        signed_line.save()
    assert FinancialLine.objects.get(pk=signed_line.pk).amount == Decimal("1200000")


def test_a_line_cannot_be_moved_off_a_signed_notice(signed_line):
    signed_line.decision_notice = None
    signed_line.paper = PaperFactory()
    with pytest.raises(LockedRecordError):
        signed_line.save()
    assert FinancialLine.objects.get(pk=signed_line.pk).paper is None


def test_a_line_of_a_signed_notice_cannot_be_deleted(signed_line):
    with pytest.raises(LockedRecordError, match="cannot be deleted"):
        signed_line.delete()
    assert FinancialLine.objects.filter(pk=signed_line.pk).exists()


def test_no_line_can_be_added_to_a_signed_notice(signed_line):
    with pytest.raises(LockedRecordError):
        line(decision_notice=signed_line.decision_notice)
    stray = line(paper=PaperFactory())
    stray.paper = None
    stray.decision_notice = signed_line.decision_notice
    with pytest.raises(LockedRecordError):
        stray.save()
    assert signed_line.decision_notice.financial_lines.count() == 1


def test_a_published_notice_keeps_its_lines_locked(signed_line, signatory):
    publish_notice(notice=signed_line.decision_notice, user=signatory, published_on=DAY)
    with pytest.raises(LockedRecordError):
        FinancialLine.objects.get(pk=signed_line.pk).save()


def test_a_line_of_a_draft_notice_can_be_changed_and_deleted():
    notice = DecisionNoticeFactory()
    draft = line(decision_notice=notice)
    draft.amount = Decimal("52.50")
    draft.save()
    assert FinancialLine.objects.get(pk=draft.pk).amount == Decimal("52.50")
    draft.delete()
    assert not FinancialLine.objects.exists()


# -- who sees which lines ---------------------------------------------------------------------------


def visible(user) -> set[int]:
    return set(FinancialLine.objects.visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def restricted_lines(db):
    """Lines of records a member of ``board`` may see but the public may not."""
    board = BoardFactory()
    exempt = exempt_paper(board)
    draft = PaperFactory(board=board, status=Paper.Status.DRAFT)
    notice = DecisionNoticeFactory(meeting=MeetingFactory(board=board, date=EARLY_MEETING))
    lines = {
        "exempt paper": line(paper=exempt),
        "draft paper": line(paper=draft),
        "recommendation of an exempt paper": line(
            recommendation=RecommendationFactory(paper=exempt)
        ),
        "recommendation of a draft paper": line(recommendation=RecommendationFactory(paper=draft)),
        "draft notice": line(decision_notice=notice),
    }
    return board, lines


def test_a_reader_does_not_see_the_lines_of_exempt_or_draft_records(restricted_lines):
    _, lines = restricted_lines
    seen = visible(AnonymousUser())
    for what, hidden in lines.items():
        assert hidden.pk not in seen, what


def test_staff_see_every_line(restricted_lines, staff_user):
    _, lines = restricted_lines
    assert {item.pk for item in lines.values()} <= visible(staff_user)


def test_a_member_of_the_board_sees_its_restricted_lines(restricted_lines, member_user, member_of):
    board, lines = restricted_lines
    member_of(board)
    seen = visible(member_user)
    for what, shown in lines.items():
        assert shown.pk in seen, what


def test_a_member_of_another_board_does_not(restricted_lines, member_user, member_of):
    _, lines = restricted_lines
    member_of(BoardFactory())
    seen = visible(member_user)
    for what, hidden in lines.items():
        assert hidden.pk not in seen, what


def test_a_draft_notice_of_no_meeting_is_seen_by_staff_only(member_user, member_of, staff_user):
    member_of(BoardFactory())
    hidden = line(decision_notice=DecisionNoticeFactory())
    assert hidden.pk not in visible(AnonymousUser())
    assert hidden.pk not in visible(member_user)
    assert hidden.pk in visible(staff_user)


def test_the_lines_of_a_published_public_paper_are_seen_by_everyone(member_user, staff_user):
    paper = PaperFactory(status=Paper.Status.PUBLISHED, access=Paper.Access.PUBLIC)
    shown = [line(paper=paper), line(recommendation=RecommendationFactory(paper=paper))]
    for user in (AnonymousUser(), member_user, staff_user):
        assert {item.pk for item in shown} <= visible(user)


def test_a_public_paper_of_a_private_board_is_not_seen_by_the_public(member_user, member_of):
    board = BoardFactory(is_public=False)
    hidden = line(paper=PaperFactory(board=board))
    assert hidden.pk not in visible(AnonymousUser())
    member_of(board)
    assert hidden.pk in visible(member_user)


def test_a_published_notice_line_is_seen_by_everyone(signed_line, signatory):
    publish_notice(notice=signed_line.decision_notice, user=signatory, published_on=DAY)
    assert signed_line.pk in visible(AnonymousUser())


def test_a_signed_but_unpublished_notice_line_is_not_seen_by_the_public(signed_line):
    assert signed_line.pk not in visible(AnonymousUser())


def test_staff_see_a_signed_but_unpublished_notice_line(signed_line, staff_user):
    # The notice was taken at no meeting, so no board's members are entitled to it.
    assert signed_line.pk in visible(staff_user)


def test_a_function_line_is_public(member_user):
    shown = line(function=a_function())
    assert shown.pk in visible(AnonymousUser())
    assert shown.pk in visible(member_user)


def test_visible_to_adds_no_query_of_its_own(django_assert_num_queries, restricted_lines):
    anonymous = AnonymousUser()
    with django_assert_num_queries(0):
        queryset = FinancialLine.objects.visible_to(anonymous)
    with django_assert_num_queries(1):
        list(queryset)


def test_only_a_printed_total_says_which_lines_it_totals(db):
    paper = PaperFactory()
    amount = FinancialLine(
        description="x", amount=Decimal(1), kind="cost", paper=paper, printed_total_of="year"
    )
    with pytest.raises(ValidationError) as error:
        amount.clean()
    assert "only a line of nature “Printed total” totals other lines" in str(error.value)
    printed = FinancialLine(
        description="Total",
        amount=Decimal(1),
        kind="cost",
        paper=paper,
        nature=FinancialLine.Nature.PRINTED_TOTAL,
        printed_total_of=FinancialLine.PrintedTotalOf.TABLE,
        printed_total_table="Table 1",
    )
    printed.clean()  # a printed total may
