"""A decision notice from a paper's recommendation to its signature, in the admin: drafting it
from the recommendation (filled in, linked both ways, its money), the completeness check and the
historic date of signing, and the confirmation pages of sign, publish and withdraw (buttons on
the notice's screen and list actions), none of which answers 500."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions.models import DecisionNotice, Recommendation
from decisions.services import (
    NoticeAlreadyDrafted,
    draft_notice_from_recommendation,
    publish_notice,
    sign_notice,
)
from finance.models import FinancialLine
from tests.admin_forms import form_of
from tests.factories import (
    EARLY_MEETING,
    DecisionNoticeFactory,
    MeetingFactory,
    PaperFactory,
    PersonFactory,
    RecommendationFactory,
    UserFactory,
)
from tests.finance.factories import FinancialLineFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2015, 11, 26)
HISTORIC_DAY = datetime.date(2015, 12, 16)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def user_with(username: str, *codenames: str):
    """A staff login holding the decisions permissions named (and reading every record)."""
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="decisions", codename__in=codenames)
        | Permission.objects.filter(content_type__app_label="boards", codename="read_restricted")
    )
    return user


CLERK_PERMISSIONS = (
    "add_decisionnotice",
    "change_decisionnotice",
    "view_decisionnotice",
    "change_recommendation",
    "view_recommendation",
)


@pytest.fixture
def clerk(db):
    """OPCC staff: drafts notices, may not sign them."""
    user = user_with("clerk", *CLERK_PERMISSIONS)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_paper", "change_paper"])
    )
    return user


@pytest.fixture
def signer(db):
    """A signatory without "Can record a historic signing date": signs today only."""
    return user_with("signer", *CLERK_PERMISSIONS, "sign_decisionnotice", "publish_decisionnotice")


@pytest.fixture
def recommendation(db):
    """Recommendation 2.1 of a paper that went to the 26 November 2015 meeting, decided there,
    with £250k of money."""
    meeting = MeetingFactory(date=MEETING_DAY)
    paper = PaperFactory(title="Estates strategy: Melbourn Police Office", board=meeting.board)
    paper.meeting = meeting
    paper.save()
    recommendation = RecommendationFactory(
        paper=paper,
        number="2.1",
        text="The Board is recommended to approve the surrender of the lease.",
        outcome=Recommendation.Outcome.APPROVED,
        decided_at=meeting,
    )
    FinancialLineFactory(
        recommendation=recommendation,
        description="Annual saving on the lease",
        amount=Decimal("250000"),
        kind=FinancialLine.Kind.FORECAST_SAVING,
        financial_year="2016/17",
    )
    return recommendation


def complete(notice: DecisionNotice, **changes) -> DecisionNotice:
    """The draft filled in as staff would before signing."""
    notice.decision = "I approve the surrender of the lease."
    notice.reasons = "The office is surplus to requirements."
    notice.decision_maker = PersonFactory(full_name="Sir Graham Bright")
    for name, value in changes.items():
        setattr(notice, name, value)
    notice.save()
    return notice


def notice_url(notice, view: str = "change") -> str:
    return reverse(f"admin:decisions_decisionnotice_{view}", args=[notice.pk])


def paper_url(paper) -> str:
    return reverse("admin:boards_paper_change", args=[paper.pk])


def draft_url(recommendation) -> str:
    return reverse("admin:decisions_decisionnotice_from_recommendation", args=[recommendation.pk])


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def stored(notice) -> DecisionNotice:
    return DecisionNotice.objects.get(pk=notice.pk)


# -- drafting from a recommendation ---------------------------------------------------------------


def test_drafting_from_a_recommendation_fills_in_the_paper_meeting_and_title_and_links_both_ways(
    clerk, recommendation
):
    lines_before = FinancialLine.objects.count()
    notice = draft_notice_from_recommendation(recommendation=recommendation, user=clerk)
    paper = recommendation.paper
    assert notice.status == DecisionNotice.Status.DRAFT
    assert notice.title == "Estates strategy: Melbourn Police Office"
    assert list(notice.papers.all()) == [paper]
    assert notice.meeting == recommendation.decided_at
    recommendation.refresh_from_db()
    assert recommendation.decision_notice == notice
    assert list(notice.recommendations.all()) == [recommendation]
    # The recommendation's money is the notice's: the line keeps its one owner, counted once.
    assert FinancialLine.objects.count() == lines_before
    commits = FinancialLine.objects.of_notice(notice, [recommendation.pk])
    assert [(line.description, line.amount) for line in commits] == [
        ("Annual saving on the lease", Decimal("250000.00"))
    ]
    (entry,) = notice.history.all()
    assert entry.history_type == "+" and entry.history_user == clerk
    assert entry.history_change_reason == (
        "Drafted from recommendation 2.1 of “Estates strategy: Melbourn Police Office”"
    )
    assert [p.paper_id for p in entry.papers.all()] == [paper.pk]
    assert recommendation.history.first().history_change_reason == (
        f"Followed by the draft decision notice “{notice}”"
    )


def test_without_a_decided_meeting_the_draft_is_taken_at_the_meeting_the_paper_went_to(clerk):
    meeting = MeetingFactory(date=EARLY_MEETING)
    paper = PaperFactory(board=meeting.board)
    paper.meeting = meeting
    paper.save()
    notice = draft_notice_from_recommendation(
        recommendation=RecommendationFactory(paper=paper), user=clerk
    )
    assert notice.meeting == meeting


def test_a_recommendation_is_not_drafted_from_twice(clerk, recommendation):
    first = draft_notice_from_recommendation(recommendation=recommendation, user=clerk)
    with pytest.raises(NoticeAlreadyDrafted) as refused:
        draft_notice_from_recommendation(recommendation=recommendation, user=clerk)
    assert refused.value.notice == first
    assert DecisionNotice.objects.count() == 1


def test_staff_who_may_not_add_notices_cannot_draft_one(recommendation):
    reader = user_with("reader", "view_decisionnotice", "view_recommendation")
    with pytest.raises(PermissionDenied):
        draft_notice_from_recommendation(recommendation=recommendation, user=reader)
    assert not DecisionNotice.objects.exists()


def test_the_paper_screen_links_each_recommendation_to_drafting_a_notice_prefilled(
    clerk, recommendation
):
    client = login(clerk)
    page = client.get(paper_url(recommendation.paper))
    root = parse(page.content.decode())
    form = next(f for f in root.iter("form") if f.get("id") == "paper_form")
    buttons = [e for e in form.iter() if e.tag in ("input", "button") and e.get("type") == "submit"]
    assert buttons[0].get("name") == "_save"  # Enter saves the paper, it drafts nothing
    (link,) = [a for a in form.iter("a") if a.get("href") == draft_url(recommendation)]
    assert link.text == "Draft a decision notice…"

    asked = client.get(draft_url(recommendation))
    html = asked.content.decode()
    assert "Draft the notice" in html and "the meeting that decided the recommendation" in html
    assert not DecisionNotice.objects.exists()  # opening the page drafts nothing

    response = client.post(draft_url(recommendation))
    notice = DecisionNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice_url(notice)
    html = client.get(notice_url(notice)).content.decode()
    assert 'value="Estates strategy: Melbourn Police Office"' in html
    assert f'href="{paper_url(recommendation.paper)}"' in html  # the notice links the paper
    assert "Recommendation 2.1 of “Estates strategy: Melbourn Police Office”" in html
    # ...and the paper's screen links the notice.
    paper_html = client.get(paper_url(recommendation.paper)).content.decode()
    assert f'href="{notice_url(notice)}"' in paper_html
    assert draft_url(recommendation) not in paper_html


def test_drafting_again_says_a_notice_exists_and_links_to_it(clerk, recommendation):
    client = login(clerk)
    client.post(draft_url(recommendation))
    notice = DecisionNotice.objects.get()
    again = client.post(draft_url(recommendation))  # a stale paper screen, or a double click
    assert again.status_code == 302 and again["Location"] == paper_url(recommendation.paper)
    message = said(again)
    assert "already has a decision notice" in message and notice_url(notice) in message
    assert DecisionNotice.objects.count() == 1


def test_staff_who_may_not_add_notices_see_no_draft_button_and_are_refused(recommendation):
    reader = user_with("reader", "view_decisionnotice", "view_recommendation")
    reader.user_permissions.add(*Permission.objects.filter(codename="view_paper"))
    client = login(reader)
    assert (
        draft_url(recommendation)
        not in client.get(paper_url(recommendation.paper)).content.decode()
    )
    refused = client.post(draft_url(recommendation))
    assert refused.status_code == 302 and "do not have permission" in said(refused)
    assert not DecisionNotice.objects.exists()


@pytest.mark.parametrize("bad", ["0", "99999999999999999999999", "abc", "١٢"])
def test_a_drafting_address_no_recommendation_has_is_not_found(clerk, bad):
    url = reverse("admin:decisions_decisionnotice_changelist") + f"from-recommendation/{bad}/"
    assert login(clerk).post(url).status_code == 404


# -- what signing needs ---------------------------------------------------------------------------

NEEDED = {
    "decision": ("Decision", {"decision": ""}),
    "reasons": ("Reasons", {"reasons": "  "}),
    "decision_maker": ("Decision maker", {"decision_maker": None}),
    "meeting": (
        "Meeting (or tick “taken outside a meeting”)",
        {"meeting": None, "taken_outside_meeting": False},
    ),
}
COMBINATIONS = [
    combination
    for size in range(1, len(NEEDED) + 1)
    for combination in itertools.combinations(NEEDED, size)
]


@pytest.mark.parametrize("missing", COMBINATIONS, ids=["+".join(c) for c in COMBINATIONS])
def test_signing_refuses_a_notice_missing_what_a_notice_needs_naming_each_field(signatory, missing):
    notice = DecisionNoticeFactory(meeting=MeetingFactory(date=MEETING_DAY))
    for name in missing:
        for field, value in NEEDED[name][1].items():
            setattr(notice, field, value)
    notice.save()
    with pytest.raises(ValidationError) as refused:
        sign_notice(notice=notice, user=signatory)
    (message,) = refused.value.messages
    labels = ", ".join(NEEDED[name][0] for name in NEEDED if name in missing)
    assert message == f"Before signing, fill in: {labels}."
    assert stored(notice).status == DecisionNotice.Status.DRAFT


def test_a_complete_notice_taken_outside_a_meeting_is_signed(signatory):
    notice = DecisionNoticeFactory(meeting=None, taken_outside_meeting=True)
    assert sign_notice(notice=notice, user=signatory).status == DecisionNotice.Status.SIGNED


def test_a_notice_is_not_both_taken_at_a_meeting_and_outside_one(clerk, recommendation):
    notice = draft_notice_from_recommendation(recommendation=recommendation, user=clerk)
    data = form_of(login(clerk), notice_url(notice))
    response = login(clerk).post(notice_url(notice), {**data, "taken_outside_meeting": "on"})
    assert response.status_code == 200
    assert "clear the meeting or untick" in response.content.decode()
    assert not stored(notice).taken_outside_meeting


# -- the sign confirmation page -------------------------------------------------------------------


def test_the_sign_page_shows_what_will_be_locked_and_a_get_changes_nothing(
    clerk, signer, recommendation
):
    notice = complete(draft_notice_from_recommendation(recommendation=recommendation, user=clerk))
    page = login(signer).get(notice_url(notice, "sign"))
    assert page.status_code == 200
    html = page.content.decode()
    year = timezone.localdate().year
    for shown in (
        f"CPCC {year}-001",  # the reference it will get
        "Estates strategy: Melbourn Police Office",  # the title, and the paper
        "I approve the surrender of the lease.",
        "The office is surplus to requirements.",
        "Sir Graham Bright",
        "2.1 of “Estates strategy: Melbourn Police Office”",
        "Annual saving on the lease",
        "Forecast saving, Scope not recorded: <data",  # the total, by kind and scope
        'value="Sign and lock"',
        f'href="{notice_url(notice)}"',  # Cancel
    ):
        assert shown in html, shown
    assert 'name="signed_on"' not in html  # this signatory signs today only
    assert stored(notice).status == DecisionNotice.Status.DRAFT
    assert stored(notice).version == notice.version


def test_confirming_signs_the_notice_today_and_returns_to_its_screen(clerk, signer, recommendation):
    notice = complete(draft_notice_from_recommendation(recommendation=recommendation, user=clerk))
    response = login(signer).post(notice_url(notice, "sign"))
    assert response.status_code == 302 and response["Location"] == notice_url(notice)
    signed = stored(notice)
    assert (signed.status, signed.signed_on) == ("signed", timezone.localdate())
    assert f"Signed {signed}." in said(response)
    recommendation.refresh_from_db()
    assert recommendation.is_locked  # locked with the notice, and so is its money
    assert FinancialLine.objects.filter(recommendation=recommendation).locked().exists()


def test_an_incomplete_notice_s_sign_page_names_what_is_missing_and_offers_no_confirmation(
    clerk, signer, recommendation
):
    notice = draft_notice_from_recommendation(recommendation=recommendation, user=clerk)
    client = login(signer)
    html = client.get(notice_url(notice, "sign")).content.decode()
    assert "Before signing, fill in: Decision, Reasons, Decision maker." in html
    assert 'value="Sign and lock"' not in html
    refused = client.post(notice_url(notice, "sign"))  # posted anyway
    assert refused.status_code == 200
    assert "Before signing, fill in: Decision, Reasons, Decision maker." in said(refused)
    assert stored(notice).status == DecisionNotice.Status.DRAFT


def test_confirming_twice_says_the_notice_is_signed_already(clerk, signer, recommendation):
    notice = complete(draft_notice_from_recommendation(recommendation=recommendation, user=clerk))
    client = login(signer)
    client.post(notice_url(notice, "sign"))
    again = client.post(notice_url(notice, "sign"))
    assert again.status_code == 302 and again["Location"] == notice_url(notice)
    assert "only a draft notice can be signed" in said(again)
    assert stored(notice).reference_number == 1


def test_a_notice_signed_meanwhile_is_a_message_not_a_500(clerk, signer, recommendation):
    notice = complete(draft_notice_from_recommendation(recommendation=recommendation, user=clerk))
    client = login(signer)
    client.get(notice_url(notice, "sign"))  # the page is open...
    sign_notice(notice=notice, user=signer)  # ...while someone else signs
    response = client.post(notice_url(notice, "sign"))
    assert response.status_code == 302 and "is signed" in said(response)


def test_staff_who_may_not_sign_see_no_button_and_are_refused(clerk, recommendation):
    notice = complete(draft_notice_from_recommendation(recommendation=recommendation, user=clerk))
    client = login(clerk)
    html = client.get(notice_url(notice)).content.decode()
    assert notice_url(notice, "sign") not in html and 'name="_sign"' not in html
    refused = client.post(notice_url(notice, "sign"))
    assert refused.status_code == 302 and "do not have permission to sign" in said(refused)
    assert stored(notice).status == DecisionNotice.Status.DRAFT


@pytest.mark.parametrize("view", ["sign", "publish", "withdraw", "correct"])
@pytest.mark.parametrize("bad", ["0", "99999999999999999999999", "abc"])
def test_a_lifecycle_address_no_notice_has_is_not_found(signatory, view, bad):
    url = reverse("admin:decisions_decisionnotice_changelist") + f"{bad}/{view}/"
    assert login(signatory).post(url).status_code == 404


# -- a historic signing date ----------------------------------------------------------------------


def test_without_the_permission_a_historic_date_is_refused_by_the_service(signer):
    notice = DecisionNoticeFactory()
    with pytest.raises(PermissionDenied, match="historic signing date"):
        sign_notice(notice=notice, user=signer, signed_on=HISTORIC_DAY)
    assert stored(notice).status == DecisionNotice.Status.DRAFT


def test_with_the_permission_a_historic_date_is_recorded_by_the_service(signatory):
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory, signed_on=HISTORIC_DAY)
    assert (notice.signed_on, notice.reference) == (HISTORIC_DAY, "CPCC 2015-001")


def test_without_the_permission_the_sign_page_has_no_date_and_a_posted_one_is_ignored(signer):
    notice = DecisionNoticeFactory()
    client = login(signer)
    assert 'name="signed_on"' not in client.get(notice_url(notice, "sign")).content.decode()
    client.post(notice_url(notice, "sign"), {"signed_on": HISTORIC_DAY.isoformat()})
    assert stored(notice).signed_on == timezone.localdate()


def test_with_the_permission_the_sign_page_records_a_historic_date(
    clerk, signatory, recommendation
):
    notice = complete(draft_notice_from_recommendation(recommendation=recommendation, user=clerk))
    client = login(signatory)
    page = client.get(notice_url(notice, "sign")).content.decode()
    assert '<label for="id_signed_on">Signing date:</label>' in page
    response = client.post(notice_url(notice, "sign"), {"signed_on": HISTORIC_DAY.isoformat()})
    assert response.status_code == 302
    signed = stored(notice)
    assert (signed.signed_on, signed.reference) == (HISTORIC_DAY, "CPCC 2015-001")


@pytest.mark.parametrize(
    ("day", "error"),
    [
        (timezone.localdate() + datetime.timedelta(days=1), "cannot be in the future"),
        (
            MEETING_DAY - datetime.timedelta(days=1),
            "before the meeting where the decision was taken",
        ),
    ],
    ids=["future", "before-the-meeting"],
)
def test_a_signing_date_in_the_future_or_before_the_meeting_is_refused_on_the_field(
    clerk, signatory, recommendation, day, error
):
    notice = complete(draft_notice_from_recommendation(recommendation=recommendation, user=clerk))
    response = login(signatory).post(notice_url(notice, "sign"), {"signed_on": day.isoformat()})
    assert response.status_code == 200
    (field_errors,) = [str(e) for e in response.context["form"].errors["signed_on"]]
    assert error in field_errors
    assert stored(notice).status == DecisionNotice.Status.DRAFT
    with pytest.raises(ValidationError, match=error):
        sign_notice(notice=notice, user=signatory, signed_on=day)


# -- the list actions go through the same page ----------------------------------------------------


def test_the_sign_action_asks_first_then_signs_the_selection(signatory):
    notices = [DecisionNoticeFactory(), DecisionNoticeFactory()]
    incomplete = DecisionNoticeFactory(reasons="")
    client = login(signatory)
    url = reverse("admin:decisions_decisionnotice_changelist")
    selection = {"action": "sign", "_selected_action": [n.pk for n in [*notices, incomplete]]}
    asked = client.post(url, selection)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert all(n.title in html for n in notices)
    assert "Before signing, fill in: Reasons." in html
    year = timezone.localdate().year
    assert f"CPCC {year}-001" in html and f"CPCC {year}-002" in html  # one number each
    assert 'name="signed_on"' in html  # this signatory may record a historic date
    assert not DecisionNotice.objects.exclude(status="draft").exists()
    done = client.post(url, {**selection, "post": "yes", "signed_on": HISTORIC_DAY.isoformat()})
    assert done.status_code == 302
    assert "Signed 2 decision notice(s)." in said(done) and "fill in: Reasons" in said(done)
    assert {stored(n).signed_on for n in notices} == {HISTORIC_DAY}
    assert stored(incomplete).status == DecisionNotice.Status.DRAFT


def test_the_publish_action_asks_first(signatory):
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory)
    client = login(signatory)
    url = reverse("admin:decisions_decisionnotice_changelist")
    asked = client.post(url, {"action": "publish", "_selected_action": [notice.pk]})
    assert 'value="Publish"' in asked.content.decode()
    assert stored(notice).status == DecisionNotice.Status.SIGNED
    client.post(url, {"action": "publish", "_selected_action": [notice.pk], "post": "yes"})
    assert stored(notice).status == DecisionNotice.Status.PUBLISHED


# -- publish and withdraw buttons -----------------------------------------------------------------


def test_a_signed_notice_s_screen_offers_publish_and_withdraw_not_sign(signatory, clerk):
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory)
    html = login(signatory).get(notice_url(notice)).content.decode()
    assert notice_url(notice, "publish") in html and notice_url(notice, "withdraw") in html
    assert notice_url(notice, "sign") not in html
    staff_html = login(clerk).get(notice_url(notice)).content.decode()
    assert notice_url(notice, "publish") not in staff_html


def test_the_publish_button_asks_then_publishes(signatory):
    notice = sign_notice(notice=DecisionNoticeFactory(), user=signatory)
    client = login(signatory)
    page = client.get(notice_url(notice, "publish"))
    assert "public register" in page.content.decode()
    assert stored(notice).status == DecisionNotice.Status.SIGNED
    response = client.post(notice_url(notice, "publish"))
    assert response.status_code == 302
    published = stored(notice)
    assert (published.status, published.published_on) == ("published", timezone.localdate())
    assert notice_url(notice, "publish") not in client.get(notice_url(notice)).content.decode()


def test_the_withdraw_button_asks_for_a_reason(signatory):
    notice = publish_notice(
        notice=sign_notice(notice=DecisionNoticeFactory(), user=signatory), user=signatory
    )
    client = login(signatory)
    assert "Reason for withdrawing" in client.get(notice_url(notice, "withdraw")).content.decode()
    empty = client.post(notice_url(notice, "withdraw"), {"reason": " "})
    assert empty.status_code == 200 and stored(notice).status == "published"
    client.post(notice_url(notice, "withdraw"), {"reason": "Wrong supplier named"})
    withdrawn = stored(notice)
    assert (withdrawn.status, withdrawn.withdrawn_reason) == ("withdrawn", "Wrong supplier named")
    again = client.post(notice_url(notice, "withdraw"), {"reason": "Twice"})
    assert again.status_code == 302 and "is withdrawn" in said(again)


def test_publishing_a_draft_from_its_address_is_a_message(signatory):
    notice = DecisionNoticeFactory()
    response = login(signatory).post(notice_url(notice, "publish"))
    assert response.status_code == 302 and "only a signed notice" in said(response)


# -- the whole way, counted in page loads ---------------------------------------------------------


def test_a_notice_from_a_recommendation_takes_five_page_loads(signer, recommendation):
    """Paper screen → "Draft a decision notice…" → "Draft the notice" (lands on the draft) →
    type the decision, reasons and decision maker, "Save and sign…" (lands on the
    confirmation page) → "Sign and lock"."""
    signer.user_permissions.add(*Permission.objects.filter(codename="view_paper"))
    client = login(signer)
    paper = client.get(paper_url(recommendation.paper))  # 1
    assert draft_url(recommendation) in paper.content.decode()
    assert client.get(draft_url(recommendation)).status_code == 200  # 2
    draft = client.post(draft_url(recommendation), follow=True)  # 3
    notice = DecisionNotice.objects.get()
    assert draft.redirect_chain[-1][0] == notice_url(notice)
    data = form_of(client, notice_url(notice))  # (the form of the page just loaded)
    data.update(
        decision="I approve the surrender of the lease.",
        reasons="The office is surplus to requirements.",
        decision_maker=str(PersonFactory().pk),
        _sign="Save and sign…",
    )
    confirm = client.post(notice_url(notice), data, follow=True)  # 4
    assert confirm.redirect_chain[-1][0] == notice_url(notice, "sign")
    assert 'value="Sign and lock"' in confirm.content.decode()
    signed = client.post(notice_url(notice, "sign"), follow=True)  # 5
    assert signed.redirect_chain[-1][0] == notice_url(notice)
    assert stored(notice).status == DecisionNotice.Status.SIGNED
