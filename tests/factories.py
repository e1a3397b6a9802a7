"""factory_boy factories for the boards models. Test data, never seed records."""

import datetime

import factory
from django.contrib.auth import get_user_model

from boards.models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    Declaration,
    Meeting,
    Membership,
    MinuteParagraph,
    Organisation,
    Paper,
    Person,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.POLICING_BODY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Test Board {n}")
    slug = factory.Sequence(lambda n: f"test-board-{n}")
    short_name = factory.Sequence(lambda n: f"TB{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardFactory)
    person = factory.SubFactory(PersonFactory)


#: A meeting date before every date the factories' sequences give (from 1 January 2015) and
#: the tests' signing days: for a meeting at which a notice is signed on such a day.
EARLY_MEETING = datetime.date(2014, 12, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    date = factory.Sequence(lambda n: datetime.date(2015, 1, 1) + datetime.timedelta(days=n))
    status = Meeting.Status.HELD
    minutes_status = Meeting.MinutesStatus.DRAFT


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    capacity = Attendance.Capacity.MEMBER


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class MinuteParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MinuteParagraph

    item = factory.SubFactory(AgendaItemFactory)
    text = factory.Sequence(lambda n: f"The board discussed matter {n}.")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Report back on matter {n}")


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    meeting = factory.SubFactory(MeetingFactory)
    none_declared = True


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Paper {n}")
    date = datetime.date(2015, 11, 26)
    status = Paper.Status.PUBLISHED
    body = "1.1 The purpose of this paper."


def minutes_approver():
    """A login holding "Can approve minutes" (and everything else): a superuser."""
    user, _ = get_user_model().objects.get_or_create(
        username="minutes-approver", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def approve(meeting: Meeting, **facts) -> Meeting:
    """Approve a test meeting's minutes the way the app does (through the service)."""
    from boards.services import approve_minutes

    return approve_minutes(meeting=meeting, by=minutes_approver(), **facts)


class DecisionNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "decisions.DecisionNotice"

    title = factory.Sequence(lambda n: f"Decision {n}")
    decision = "The Commissioner approves the recommendation."
    # What signing asks of a notice (DecisionNotice.missing_for_signing), so tests can sign one.
    reasons = "The recommendation before the board."
    decision_maker = factory.SubFactory(PersonFactory)
    meeting = None
    taken_outside_meeting = factory.LazyAttribute(lambda notice: notice.meeting is None)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "decisions.Recommendation"

    paper = factory.SubFactory(PaperFactory)
    number = factory.Sequence(lambda n: f"2.{n + 1}")
    text = factory.Sequence(lambda n: f"The Board is recommended to approve item {n}.")
