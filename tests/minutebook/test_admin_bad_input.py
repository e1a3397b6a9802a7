"""No admin request answers 500 for a value no key or date can hold: in the list's query (an
incorrect lookup: Django's redirect to "?e=1"), among the records an action is asked for (a
message) or in a history address ("not found"). Then a sweep of every registered screen's
list with hostile values on each of its filters' parameters and on ``pk__in`` / ``id__exact``.
And minutes are approved only by the action, not set "Approved" on the meeting's form."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from boards.models import Meeting
from tests.admin_forms import change_url, form_of
from tests.factories import DecisionNoticeFactory, MeetingFactory, PaperFactory
from tests.finance.factories import FinancialLineFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
HOSTILE = ["0", "-1", HUGE, "x", "²"]


def assert_refused_list(response, url):
    """Django's answer to an incorrect lookup: a redirect to the bare list with "?e=1". On
    PostgreSQL Django's own integer lookups take a key no column can hold as matching nothing
    (SQLite's driver overflows first): then the list answers 200 and lists nothing."""
    if response.status_code == 200 and connection.vendor == "postgresql":
        assert response.context["cl"].result_count == 0, url
        return
    assert response.status_code == 302, (url, response.status_code)
    assert response["Location"].endswith(f"?{ERROR_FLAG}=1")


@pytest.mark.parametrize(
    "url",
    [
        f"/admin/boards/meeting/?pk__in={HUGE}",
        f"/admin/boards/meeting/?date__year={HUGE}",
        f"/admin/finance/financialline/?paper={HUGE}",
        "/admin/boards/paper/?year=0",
        f"/admin/boards/paper/?year={HUGE}",
        "/admin/boards/paper/?year=²",
    ],
)
def test_a_list_asked_for_a_value_no_key_or_date_can_hold_is_an_incorrect_lookup(staff_client, url):
    FinancialLineFactory(paper=PaperFactory())
    MeetingFactory()
    response = staff_client.get(url)
    assert_refused_list(response, url)
    if response.status_code == 302:
        assert staff_client.get(response["Location"]).status_code == 200


def test_the_year_filter_still_filters(staff_client):
    PaperFactory(date=datetime.date(2015, 11, 26))
    url = reverse("admin:boards_paper_changelist")
    assert staff_client.get(url, {"year": "2015"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"year": "2016"}).context["cl"].result_count == 0


def test_a_history_version_that_is_not_a_number_is_not_found(staff_client):
    meeting = MeetingFactory()
    history = reverse("admin:boards_meeting_history", args=[meeting.pk])
    assert staff_client.get(f"{history}abc/").status_code == 404
    assert staff_client.get(f"{history}{HUGE}/").status_code == 404
    assert staff_client.post(f"{history}abc/", {}).status_code == 404
    assert staff_client.get("/admin/boards/meeting/abc/history/").status_code == 404
    assert staff_client.get(f"/admin/boards/meeting/{HUGE}/history/").status_code == 404
    # The twin: a real version opens.
    version = meeting.history.latest().history_id
    assert staff_client.get(f"{history}{version}/").status_code == 200
    assert staff_client.get(history).status_code == 200


@pytest.mark.parametrize("bad", [HUGE, "x"])
def test_an_action_asked_for_an_id_no_key_can_hold_is_refused_with_a_message(staff_client, bad):
    notice = DecisionNoticeFactory()
    url = reverse("admin:decisions_decisionnotice_changelist")
    response = staff_client.post(
        url, {"action": "publish", "_selected_action": [bad, notice.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "the selection names an id no record can have" in response.content.decode()


def test_the_screens_of_auth_and_axes_answer_400_not_500(staff_client, staff_user):
    """The users, groups and axes screens are Django's and axes' own: the middleware's floor
    answers 400 naming the problem; a sensible address still works."""
    url = reverse("admin:auth_user_changelist")
    for response in (
        staff_client.get(url, {"pk__in": HUGE}),
        staff_client.post(url, {"action": "delete_selected", "_selected_action": [HUGE]}),
    ):
        assert response.status_code in (200, 302, 400), response.status_code  # 200: PostgreSQL
        if response.status_code == 400:
            assert "not a number, key or date that a record can have" in response.content.decode()
    assert staff_client.get(reverse("admin:auth_user_change", args=[HUGE])).status_code < 500
    assert staff_client.get(url, {"pk__in": staff_user.pk}).status_code == 200


# -- minutes are approved by the action only -----------------------------------------------------


def test_the_meeting_form_shows_the_minutes_status_read_only(staff_client):
    """Posting "approved" (the 500 of old) changes nothing: the status is not a form field."""
    meeting = MeetingFactory(minutes_status=Meeting.MinutesStatus.DRAFT)
    url = change_url(meeting)
    for status in ("approved", "none"):
        data = form_of(staff_client, url)
        assert "minutes_status" not in data
        data["minutes_status"] = status
        assert staff_client.post(url, data).status_code == 302
        assert Meeting.objects.get(pk=meeting.pk).minutes_status == "draft"


def test_the_approve_action_still_approves_with_its_history_entry(staff_client):
    meeting = MeetingFactory(minutes_status=Meeting.MinutesStatus.DRAFT)
    response = staff_client.post(
        reverse("admin:boards_meeting_changelist"),
        {"action": "approve_minutes", "_selected_action": [meeting.pk]},
    )
    assert response["Location"] == reverse("admin:boards_meeting_approve", args=[meeting.pk])
    response = staff_client.post(response["Location"], {}, follow=True)
    assert "Approved and locked the minutes of" in response.content.decode()
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.minutes_status == "approved"
    assert stored.history.latest().history_change_reason == "Minutes approved"


# -- the sweep -----------------------------------------------------------------------------------


def filter_parameters(model_admin, request) -> list[str]:
    """The query parameters the list filters of ``model_admin`` read."""
    names = []
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            names.append(item.parameter_name)
            continue
        field_path, filter_class = item if isinstance(item, (tuple, list)) else (item, None)
        field = get_fields_from_path(model_admin.model, field_path)[-1]
        make = filter_class or FieldListFilter.create
        spec = make(field, request, {}, model_admin.model, model_admin, field_path=field_path)
        names.extend(spec.expected_parameters())
    return names


SCREENS = sorted(
    (model._meta.label, model_admin) for model, model_admin in admin.site._registry.items()
)


@pytest.mark.parametrize(("label", "model_admin"), SCREENS, ids=[label for label, _ in SCREENS])
def test_no_list_answers_500_for_a_hostile_value_of_any_filter(
    staff_client, staff_user, label, model_admin
):
    MeetingFactory()
    FinancialLineFactory(paper=PaperFactory())
    request = RequestFactory().get("/")
    request.user = staff_user
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    parameters = [*filter_parameters(model_admin, request), "pk__in", "id__exact", IS_POPUP_VAR]
    if model_admin.date_hierarchy:
        parameters.append(f"{model_admin.date_hierarchy}__year")
    answered = {}
    for parameter in parameters:
        for value in HOSTILE:
            answered[parameter, value] = staff_client.get(url, {parameter: value}).status_code
    assert {key: status for key, status in answered.items() if status >= 500} == {}
