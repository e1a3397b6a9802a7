"""``manage.py import_paper FILE [--board SLUG] [--meeting YYYY-MM-DD]``."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from boards.models import Paper
from tests.factories import BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db

TEXT = "To: Board\n\nDate: 1 April 2016\n\nA paper\n\n1. Purpose\n\n1.1 To inform.\n"


@pytest.fixture
def paper_file(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_paper", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_the_drafts_admin_address(paper_file):
    board = BoardFactory(slug="bcb")
    meeting = MeetingFactory(board=board, date=datetime.date(2016, 4, 1))
    address = run(str(paper_file), "--board", "bcb", "--meeting", "2016-04-01")
    paper = Paper.objects.get()
    assert address == reverse("admin:boards_paper_change", args=[paper.pk])
    assert (paper.meeting, paper.status) == (meeting, Paper.Status.DRAFT)


def test_a_missing_file_is_named(tmp_path):
    BoardFactory(slug="bcb")
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.docx"), "--board", "bcb")


def test_an_unknown_board_is_named_with_the_boards_there_are(paper_file):
    BoardFactory(slug="bcb")
    with pytest.raises(CommandError, match="No board “fsg”. Boards: bcb"):
        run(str(paper_file), "--board", "fsg")


def test_no_meeting_that_day_is_said(paper_file):
    BoardFactory(slug="bcb")
    with pytest.raises(CommandError, match="has no meeting on 2 April 2016"):
        run(str(paper_file), "--board", "bcb", "--meeting", "2016-04-02")
    assert not Paper.objects.exists()


def test_an_unreadable_file_is_refused_with_the_reason(tmp_path):
    BoardFactory(slug="bcb")
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(CommandError, match="UTF-8"):
        run(str(path), "--board", "bcb")
