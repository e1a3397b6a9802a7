"""What the browser tests read: the seed records, and handles on the ones the journeys visit."""

import datetime
from dataclasses import dataclass
from io import StringIO

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from boards.models import Action, Board, Meeting, Paper

BCB_NAME = "Business Coordination Board"
SEP_2015 = datetime.date(2015, 9, 30)
NOV_2015 = datetime.date(2015, 11, 26)


def load() -> "Records":
    """Load the seed records (``manage.py seed``) and return handles on what the tests visit."""
    out = StringIO()
    call_command("seed", stdout=out, stderr=out)
    assert Board.objects.filter(name=BCB_NAME).exists(), (
        f"manage.py seed did not load the {BCB_NAME} from fixtures/seed/:\n{out.getvalue()}"
    )
    return Records.from_db()


@dataclass
class Records:
    bcb: Board
    sep_2015: Meeting
    nov_2015: Meeting

    @classmethod
    def from_db(cls) -> "Records":
        bcb = Board.objects.get(name=BCB_NAME)
        return cls(
            bcb=bcb,
            sep_2015=Meeting.objects.get(board=bcb, date=SEP_2015),
            nov_2015=Meeting.objects.get(board=bcb, date=NOV_2015),
        )

    def public_papers_of(self, meeting: Meeting):
        return Paper.objects.visible_to(AnonymousUser()).filter(meeting=meeting)

    def paper_with_table(self) -> Paper:
        """The first published paper whose text has a table."""
        papers = Paper.objects.visible_to(AnonymousUser()).filter(body_html__contains="<table")
        paper = papers.order_by("date", "pk").first()
        assert paper is not None, "no public paper with a table in the records"
        return paper

    def signed_notice(self):
        """A signed notice from the 26 Nov 2015 meeting, with its papers and recommendations."""
        from decisions.models import DecisionNotice

        return (
            DecisionNotice.objects.filter(meeting=self.nov_2015, status="signed")
            .exclude(papers=None)
            .first()
        )

    def public_actions(self):
        return Action.objects.visible_to(AnonymousUser())
