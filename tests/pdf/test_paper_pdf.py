"""A paper's PDF: the paper as the board saw it, to the readers who may see it."""

import pytest
from django.test import Client

from boards.models import Paper
from tests.factories import BoardFactory, MeetingFactory, PaperFactory, RecommendationFactory

from .conftest import in_order, outline_titles, reader, text

pytestmark = pytest.mark.django_db

BODY = """\
## 1. Purpose

1.1 To seek approval to terminate the leases.

## 2. Background

2.1 The leases cost the Constabulary money.

| Site | Annual saving |
| --- | --- |
| Melbourn | £3,700 |
| Bretton | £12,000 |

2.2 Both landlords agree.
"""


@pytest.fixture
def paper():
    board = BoardFactory(name="Business Coordination Board", short_name="BCB")
    paper = PaperFactory(
        board=board,
        meeting=MeetingFactory(board=board),
        title="Melbourn Police Office and Bretton Police Station",
        to_line="Business Coordination Board",
        author_line="Chief Executive",
        purpose="1.1 To seek approval to terminate two leases.",
        body=BODY,
        source_documents="Estate Management – Property Files",
        contact_officers="Colin Luscombe, Director of Estates",
    )
    RecommendationFactory(paper=paper, number="5.1", text="Approve the termination at Melbourn.")
    RecommendationFactory(paper=paper, number="5.2", text="Approve the surrender at Bretton.")
    return paper


def test_a_paper_prints_to_from_date_title_body_recommendations_and_sources_in_order(paper):
    response = Client().get(f"/papers/{paper.pk}.pdf")
    assert response.status_code == 200
    assert in_order(
        text(response),
        [
            "To Business Coordination Board",
            "From Chief Executive",
            "Date 26 November 2015",
            "Melbourn Police Office and Bretton Police Station",
            "Purpose",
            "1. Purpose",
            "1.1 To seek approval to terminate the leases.",
            "2. Background",
            "Site Annual saving",
            "Melbourn £3,700",
            "Bretton £12,000",
            "2.2 Both landlords agree.",
            "Recommendations",
            "5.1 Approve the termination at Melbourn.",
            "5.2 Approve the surrender at Bretton.",
            "Source documents",
            "Estate Management – Property Files",
            "Contact officers",
            "Colin Luscombe",
            "Page 1 of 1",
        ],
    )


def test_a_paper_is_named_by_its_id_and_title_and_carries_its_metadata(paper):
    response = Client().get(f"/papers/{paper.pk}.pdf")
    assert response["Content-Disposition"] == (
        f'inline; filename="paper-{paper.pk}-melbourn-police-office-and-bretton-police-station.pdf"'
    )
    metadata = reader(response).metadata
    assert metadata.title == "Melbourn Police Office and Bretton Police Station"
    assert metadata.author == "Chief Executive"
    assert outline_titles(response) == ["1. Purpose", "2. Background"]


def test_an_exempt_paper_asks_the_public_to_sign_in_and_is_shown_to_staff(staff_client, paper):
    Paper.objects.filter(pk=paper.pk).update(access="exempt", exemption_reason="Commercial")
    # Its existence is public (the agenda lists it): the public is asked to sign in.
    assert Client().get(f"/papers/{paper.pk}.pdf").status_code == 403
    response = staff_client.get(f"/papers/{paper.pk}.pdf")
    assert response.status_code == 200
    assert "EXEMPT: Commercial" in text(response)


def test_a_draft_paper_is_not_found_for_the_public_and_marked_draft_for_staff(staff_client, paper):
    Paper.objects.filter(pk=paper.pk).update(status="draft")
    assert Client().get(f"/papers/{paper.pk}.pdf").status_code == 404
    content = text(staff_client.get(f"/papers/{paper.pk}.pdf"))
    assert "DRAFT: this paper is not published." in content


def test_an_unknown_paper_is_not_found(db):
    assert Client().get("/papers/999999.pdf").status_code == 404
