"""Saving an import: a draft paper, its recommendations as printed, its money unconfirmed
(in no total and on no public page until a finance officer confirms it), all or nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from boards.models import Paper
from documents.importing import PaperDraft, ProposedMoney, ProposedRecommendation
from documents.services import create_draft, import_paper
from finance.models import FinancialLine
from finance.models.totals import LineTotal
from tests.factories import BoardFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def a_draft(**fields) -> PaperDraft:
    return PaperDraft(
        title="Estates review",
        author_line="Chief Executive",
        body="## 1. Purpose\n\n1.1 To review the estate.\n\n## 2. Recommendation\n\n2.1 Approve.",
        recommendations=[ProposedRecommendation("2.1", "Approve.")],
        money=[ProposedMoney("An annual saving of £3,700.", "3700.00", "£3,700", "2015/16")],
        **fields,
    )


def test_create_draft_makes_a_draft_paper_with_its_recommendations_as_printed():
    board = BoardFactory()
    meeting = MeetingFactory(board=board)
    paper = create_draft(a_draft(), board=board, meeting=meeting)
    assert paper.status == Paper.Status.DRAFT
    assert paper.meeting == meeting
    assert [(r.number, r.text) for r in paper.recommendations.all()] == [("2.1", "Approve.")]
    assert "1.1 To review the estate." in paper.body_html


def test_imported_money_is_unconfirmed_and_in_no_total_until_confirmed():
    board = BoardFactory(is_public=True)
    paper = create_draft(a_draft(), board=board)
    line = FinancialLine.objects.get(paper=paper)
    assert (line.confirmed, line.as_printed, line.amount) == (False, "£3,700", Decimal("3700"))
    assert not FinancialLine.objects.counted().filter(pk=line.pk).exists()
    assert not LineTotal.objects.filter(lines__gt=0).exists()
    # Published, the paper is public; its unconfirmed line still is not.
    paper.status = Paper.Status.PUBLISHED
    paper.save()
    FinancialLine.objects.filter(pk=line.pk).stamp()
    assert not FinancialLine.objects.visible_to(AnonymousUser()).filter(pk=line.pk).exists()
    # Confirmed (with its kind chosen), it counts and the public sees it.
    FinancialLine.objects.filter(pk=line.pk).update(kind="revenue")
    FinancialLine.objects.filter(pk=line.pk).update(confirmed=True)
    assert FinancialLine.objects.counted().filter(pk=line.pk).exists()
    assert FinancialLine.objects.visible_to(AnonymousUser()).filter(pk=line.pk).exists()
    assert LineTotal.objects.get(lines__gt=0).total == Decimal("3700.00")


def test_a_line_saved_unconfirmed_one_by_one_stays_out_of_the_totals():
    board = BoardFactory()
    paper = create_draft(a_draft(), board=board)
    line = FinancialLine.objects.get(paper=paper)
    line.kind = "cost"
    line.save()
    assert not LineTotal.objects.filter(lines__gt=0).exists()


def test_nothing_is_saved_when_part_of_the_draft_is_refused():
    board, other = BoardFactory(), BoardFactory()
    with pytest.raises(ValidationError):
        create_draft(a_draft(), board=board, meeting=MeetingFactory(board=other))
    assert not Paper.objects.exists()
    assert not FinancialLine.objects.exists()


def test_import_paper_parses_and_saves_in_one_call():
    board = BoardFactory()
    text = "To: The Board\n\nFrom: Chief Executive\n\nDate: 1 April 2016\n\nA title\n\n"
    text += "1. Recommendation\n\n1.1 The Board is recommended to note £12k."
    paper = import_paper(text.encode(), board=board)
    assert (paper.title, paper.to_line, str(paper.date)) == ("A title", "The Board", "2016-04-01")
    assert paper.recommendations.get().number == "1.1"
    assert paper.financial_lines.get().amount == Decimal("12000")


def test_the_finance_admin_lists_lines_to_confirm_and_confirms_them(finance_client):
    board = BoardFactory()
    paper = create_draft(a_draft(), board=board)
    line = FinancialLine.objects.get(paper=paper)
    url = reverse("admin:finance_financialline_changelist")
    page = finance_client.get(url, {"to_confirm": "yes"})
    assert "An annual saving of £3,700." in page.content.decode()
    refused = finance_client.post(
        url, {"action": "confirm_lines", "_selected_action": [line.pk]}, follow=True
    )
    assert "choose the kind of each line first" in refused.content.decode()
    FinancialLine.objects.filter(pk=line.pk).update(kind="revenue")
    finance_client.post(url, {"action": "confirm_lines", "_selected_action": [line.pk]})
    assert FinancialLine.objects.get(pk=line.pk).confirmed


def test_a_draft_papers_page_lists_its_unconfirmed_money_but_adds_none_of_it(staff_client):
    from finance import summary

    board = BoardFactory()
    paper = create_draft(a_draft(), board=board)
    FinancialLine.objects.filter(paper=paper).update(kind="revenue")
    lines = list(FinancialLine.objects.filter(paper=paper))
    assert summary.kind_totals(lines) == []
    page = staff_client.get(reverse("papers:detail", args=[paper.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "An annual saving of £3,700." in html
    assert "proposed by an import" in html


def test_a_job_imports_a_stored_file_by_keys_and_removes_the_file(staff_user):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from documents.services import import_stored_paper

    board = BoardFactory()
    name = default_storage.save("imports/test-job.txt", ContentFile(b"A stored paper\n"))
    try:
        pk = import_stored_paper(name, board_id=board.pk, user_id=staff_user.pk)
        assert Paper.objects.get(pk=pk).title == "A stored paper"
        assert not default_storage.exists(name)
    finally:
        if default_storage.exists(name):
            default_storage.delete(name)


def test_uploads_never_wait_in_the_working_directory(settings):
    import tempfile

    from documents.services import waiting_storage

    settings.MEDIA_ROOT = ""
    assert waiting_storage().location.startswith(tempfile.gettempdir())
