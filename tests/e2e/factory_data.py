"""Stand-in records for the browser tests while fixtures/seed/ is being written.

Shaped like the seed: the Business Coordination Board and its meetings of 30 September and
26 November 2015, with approved minutes, attendance, papers and actions.
"""

import datetime

from boards.models import Action, Attendance, Meeting, MinuteParagraph, Paper
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    PersonFactory,
    approve,
)

TABLE_BODY = """\
1. **Purpose**

1.1 To set out the revenue budget monitoring position at month 6.

| Area | Budget £000 | Forecast £000 | Variance £000 |
| --- | ---: | ---: | ---: |
| Police officer pay | 61,420 | 61,100 | -320 |
| Police staff pay | 28,310 | 28,640 | 330 |
| Non-pay | 19,870 | 19,790 | -80 |
"""


def build() -> None:
    bcb = BoardFactory(
        name="Business Coordination Board",
        slug="bcb",
        short_name="BCB",
        default_location="Police Headquarters, Northallerton",
        description="The Commissioner's formal decision-making meeting with the Chief Constable.",
    )
    julia = PersonFactory(full_name="Julia Mulligan", initials="JM")
    dave = PersonFactory(full_name="Dave Jones", initials="DJ")
    alec = PersonFactory(full_name="Alec Wood", initials="AW")
    joanna = PersonFactory(full_name="Joanna Carter", initials="JC")
    MembershipFactory(board=bcb, person=julia, role="chair", title="Police and Crime Commissioner")
    MembershipFactory(board=bcb, person=dave, title="Chief Constable")

    sep = MeetingFactory(
        board=bcb, date=datetime.date(2015, 9, 30), start_time=datetime.time(10), location="Alverton Court"
    )
    nov = MeetingFactory(
        board=bcb, date=datetime.date(2015, 11, 26), start_time=datetime.time(10), location="Alverton Court"
    )
    for meeting in (sep, nov):
        AttendanceFactory(meeting=meeting, person=julia, capacity=Attendance.Capacity.MEMBER, position=1)
        AttendanceFactory(meeting=meeting, person=joanna, capacity=Attendance.Capacity.IN_ATTENDANCE, position=2)
    AttendanceFactory(meeting=sep, person=alec, capacity=Attendance.Capacity.MEMBER, position=3)
    AttendanceFactory(meeting=nov, person=alec, capacity=Attendance.Capacity.APOLOGIES, position=3)

    budget = PaperFactory(
        board=bcb,
        meeting=nov,
        title="Revenue Budget Monitoring: Month 6",
        author_line="Chief Finance Officer",
        date=datetime.date(2015, 11, 26),
        agenda_reference="4",
        body=TABLE_BODY,
    )
    PaperFactory(board=bcb, meeting=sep, title="Estates Strategy", date=datetime.date(2015, 9, 30))

    for meeting, titles in (
        (sep, ["Apologies", "Minutes of the last meeting", "Estates Strategy"]),
        (nov, ["Apologies", "Minutes of the meeting of 30 September 2015", "Revenue Budget Monitoring"]),
    ):
        for n, title in enumerate(titles, start=1):
            item = AgendaItemFactory(meeting=meeting, number=str(n), title=title)
            if meeting == nov and n == 3:
                item.paper = budget
                item.save()
            MinuteParagraph.objects.create(item=item, text=f"The board considered {title.lower()}.")

    nov_budget = nov.items.get(number="3")
    Action.objects.create(
        meeting=nov, item=nov_budget, text="Report the overtime forecast to the next meeting", owner=joanna
    )
    Action.objects.create(meeting=sep, text="Circulate the estates disposals list", owner=joanna)
    Action.objects.create(
        meeting=sep, text="Publish the estates strategy", owner=dave, status=Action.Status.DONE, closed_at=nov
    )

    approve(sep)
    approve(nov)
    assert Meeting.objects.filter(minutes_status="approved").count() == 2
    assert Paper.objects.count() == 2
