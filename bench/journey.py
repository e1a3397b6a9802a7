"""The person-time of entering records in the admin, measured by doing it in a browser.

    .venv/bin/python bench/journey.py --base-url http://127.0.0.1:8000 \\
        --user staff --password minutebook-demo [--journey minutes|notice|all] \\
        [--flow current|take-minutes|all] [--json out.json] [--keep] [--headed]
    .venv/bin/python bench/journey.py --serve --journey all --flow all   # = make bench-journey

A Playwright (Chromium) script that performs, against a running server, what a member of OPCC
staff does to enter:

- **minutes**: a new meeting of the Business Coordination Board on a date that has none yet,
  5 attendees (people who sit on the board), "none declared", 20 agenda items, 2 or 3 minute
  paragraphs an item (about 300 characters each, mostly narrative, some resolutions and
  "noted") and 3 actions with owners;
- **notice**: a decision notice from a recommendation of a paper, signed: the decision copied
  from the recommendation, the reasons typed, the decision maker chosen. The script first makes,
  off the clock, a meeting of the board (on a free day before today: a notice is not signed
  before its meeting) and a draft paper to it with one recommendation approved there.

Each journey has two flows: ``current`` (the admin screens without issue 10's: the meeting
screen, then each agenda item's own screen; a notice added by hand in a second tab, linked to
the recommendation on the paper and signed with the list's action) and ``take-minutes`` (the
new screens: "Save and take minutes" on the meeting, or its "Take minutes" button, and
"Draft a decision notice…" on the paper's recommendations, then "Save and sign…"). The selectors of the new screens are in
``NEW_SCREENS`` below, in one place, to adjust as the screens change.

What is counted (the person's effort, not the browser's):

- **page loads**: every load of a document in the tab (Playwright's ``load`` event of the
  page's main frame). A form POST answered with a redirect is one load: the person sees one
  new page. The sign-in is not counted; the journey starts on the first screen of the journey.
- **clicks**: every click on a link, button, checkbox, the option of a drop-down, or a result
  of an autocomplete that typing did not bring first.
- **fields**: every field reached (focused by click or by Tab) to type into or choose from: a
  text input, a textarea, a drop-down, an autocomplete. A field the screen focuses by itself
  (a new row's textarea after "Add paragraph") is not counted.
- **characters**: every character of text typed (a search typed into an autocomplete too).
- **other keys**: every other key pressed: Enter to take an autocomplete's result, a shortcut
  (Alt+Shift+P: a paragraph), Ctrl+A/Ctrl+C/Ctrl+V to copy one field into another. Each costs
  what a character costs, but it is not typing.

person-time = 1.1 s a click + 1.75 s a field + 0.28 s a character or key + 1.5 s a page load;
the share not typing is everything but the characters' 0.28 s (other keys are not typing).
Targets: the minutes in at most 5 page loads with under 10 % of the person-time not typing; the
notice in at most 6 page loads.
Server time (navigation start to first byte, a POST's redirect included) is kept per load.

The meeting the minutes journey makes is deleted at the end (``--keep`` leaves it and prints
its address); nothing seeded is changed. The notice journey signs a notice, and a signed
notice cannot be deleted or changed: its draft paper, recommendation and signed notice
(titled "Journey benchmark …") and its meeting stay, so run it on a scratch database:
``--serve`` makes one (bench/journey.sqlite3, made again on each run) and serves it.
Signing needs a signatory: the notice journey signs in as ``--signer`` (default
``signatory``, with ``--password``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, sync_playwright

BENCH_DIR = Path(__file__).resolve().parent
CORPUS = BENCH_DIR / "corpus.txt"
CHROMIUM = "/usr/bin/chromium"

SECONDS = {"click": 1.1, "field": 1.75, "character": 0.28, "page_load": 1.5}
TARGETS = {
    "minutes": {"page_loads": 5, "not_typing_share": 0.10},
    "notice": {"page_loads": 6},
}

BOARD = "Business Coordination Board"
BOARD_SLUG = "business-coordination-board"
BOARD_SEARCH = "Business Coord"  # typed into the board's autocomplete
ITEMS = 20
ATTENDEES = 5
ACTION_ITEMS = (4, 9, 15)  # the items (1-based) that raise an action, one each
TIMEOUT_MS = 30_000

# ----------------------------------------------------------------------------------------
# NEW_SCREENS: the selectors of the screens issue 10 adds. Adjust here only.
#
# Take minutes (/admin/boards/meeting/<id>/minutes/, boards/admin_minutes.py and
# templates/admin/boards/meeting/take_minutes.html): reached from the meeting's add screen
# ("Save and take minutes") or its change screen ("Take minutes"). One <section> per agenda
# item, in agenda order; each has one blank paragraph row open, Alt+Shift+P adds a paragraph
# row and Alt+Shift+A an action row to the item the focus is in (the new row's textarea
# focused); an action's owner is a plain <select> of the attendance; one Save for everything.
NEW_SCREENS: dict[str, str] = {
    # the meeting's add screen, then its change screen
    "save_and_take_minutes": "input[name=_take_minutes]",
    "take_minutes_link": ".object-tools a:has-text('Take minutes')",
    # the minutes screen
    "item_section": "section.tm-item[data-item]:not([data-item=''])",
    "paragraph_row": ".tm-row-p:not([hidden])",
    "paragraph_text": "textarea[name$='-text']",
    "paragraph_kind": "select[name$='-kind']",
    "add_paragraph_keys": "Alt+Shift+P",  # "" to click the button instead
    "add_paragraph": ".tm-group[data-kind='p'] button.tm-add-button",
    "action_row": ".tm-row-a:not([hidden])",
    "add_action_keys": "Alt+Shift+A",  # "" to click the button instead
    "add_action": ".tm-group[data-kind='a'] button.tm-add-button",
    "action_text": "textarea[name$='-text']",
    "action_owner": "select[name$='-owner']",  # a plain <select> or a select2 autocomplete
    "save": "input[name=_save]",
    "saved": ".messagelist .success",
    # the paper's change screen: a recommendation's "Draft a decision notice" (a POST that
    # opens the new draft notice); a confirmation page when the address is opened directly
    "draft_notice": "button:has-text('Draft a decision notice'), "
    "a:has-text('Draft a decision notice')",
    "draft_notice_confirm": "#content-main form input[type=submit][value='Draft the notice']",
    # the draft notice's screen: "Save and sign…" (saves, then the confirmation page), or
    # the "Sign…" button at the top; the confirmation page's "Sign and lock"
    "save_and_sign": "input[name=_sign]",
    "sign": ".object-tools a:has-text('Sign')",
    "sign_confirm": "#content-main form input[type=submit][value^='Sign']",
    # the notices' list, when its "sign" action asks to confirm
    "list_sign_confirm": "#content-main form input[type=submit][value^='Sign']",
}
# The draft from a recommendation leaves the decision empty: the person copies the
# recommendation's text from the paper's screen first (as in the current flow), then pastes it.
DRAFT_FILLS_DECISION = False
# ----------------------------------------------------------------------------------------


# --- the benchmark's text --------------------------------------------------------------------


def corpus_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return sections


WORD = re.compile(r"^[A-Za-z][A-Za-z'-]*$")


class Text:
    """Deterministic benchmark text from the corpus's words (plain words: no markup)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        sections = corpus_sections()
        words = []
        for line in sections["paragraphs"]:
            for token in line.split():
                token = token.strip('.,;:()"“”‘’')
                if WORD.match(token) and len(token) < 16:
                    words.append(token)
        self.words = words
        self.titles = [t for t in sections["titles"] if 8 <= len(t) <= 80]

    def sentence(self) -> str:
        words = [self.rng.choice(self.words) for _ in range(self.rng.randint(8, 20))]
        words[0] = words[0][0].upper() + words[0][1:]
        return " ".join(words) + "."

    def paragraph(self, target: int = 300) -> str:
        """About ``target`` characters (whole sentences, cut at the last word that fits)."""
        want = self.rng.randint(target - 40, target + 40)
        text = ""
        while len(text) < want:
            text = (text + " " + self.sentence()).strip()
        cut = text[:want].rsplit(" ", 1)[0].rstrip(",;:")
        return cut if cut.endswith(".") else cut + "."

    def title(self) -> str:
        return self.rng.choice(self.titles)


@dataclass
class Paragraph:
    kind: str  # narrative, resolution, noted
    text: str


@dataclass
class Item:
    number: str
    title: str
    paragraphs: list[Paragraph]
    action: tuple[str, str] | None = None  # (text, owner's full name)


@dataclass
class Attendee:
    person_id: str
    name: str
    search: str  # typed into the autocomplete
    capacity: str  # member, in_attendance, apologies


def minutes_content(seed: int, attendees: list[Attendee]) -> list[Item]:
    text = Text(seed)
    items = []
    for n in range(1, ITEMS + 1):
        count = text.rng.choice((2, 2, 3, 3, 3))
        paragraphs = []
        for p in range(count):
            kind = "narrative"
            if p == count - 1:
                kind = text.rng.choice(("narrative", "narrative", "resolution", "noted"))
            paragraphs.append(Paragraph(kind, text.paragraph()))
        items.append(Item(str(n), text.title(), paragraphs))
    for k, n in enumerate(ACTION_ITEMS):
        owner = attendees[k % len(attendees)].name
        items[n - 1].action = (text.paragraph(120), owner)
    return items


# --- the person ------------------------------------------------------------------------------


@dataclass
class Load:
    step: str
    url: str
    ttfb_ms: float | None
    load_ms: float | None


@dataclass
class Effort:
    page_loads: int = 0
    clicks: int = 0
    fields: int = 0
    characters: int = 0
    keys: int = 0
    loads: list[Load] = field(default_factory=list)

    def seconds(self) -> dict[str, float]:
        parts = {
            "clicks": self.clicks * SECONDS["click"],
            "fields": self.fields * SECONDS["field"],
            "characters": self.characters * SECONDS["character"],
            "keys": self.keys * SECONDS["character"],
            "page_loads": self.page_loads * SECONDS["page_load"],
        }
        parts["total"] = sum(parts.values())
        parts["not_typing"] = parts["total"] - parts["characters"]  # keys are not typing
        return parts


class Person:
    """Does what a person does on a page, and counts it. ``counting=False`` for the set-up."""

    def __init__(self, page: Page, base_url: str, counting: bool = True) -> None:
        self.page = page
        self.base = base_url.rstrip("/")
        self.effort = Effort()
        self.counting = counting
        self.step = "start"
        self.clipboard = ""
        self.watch(page)

    def _on_load(self, _page) -> None:
        if self.counting:
            self.effort.page_loads += 1

    def _count(self, what: str, n: int = 1) -> None:
        if self.counting:
            setattr(self.effort, what, getattr(self.effort, what) + n)

    def _timing(self) -> None:
        self.page.wait_for_load_state("load")
        timing = self.page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n ? [n.responseStart, n.loadEventStart] : [null, null]; }"
        )
        if self.counting:
            ttfb, load = (round(t, 1) if t else None for t in timing)
            self.effort.loads.append(Load(self.step, self.page.url, ttfb, load))
        self.check_errors()

    def check_errors(self) -> None:
        notes = self.page.locator(".errornote, .errorlist, .messagelist .error")
        if notes.count():
            errors = " | ".join(t.strip() for t in notes.all_inner_texts() if t.strip())
            raise JourneyError(f"{self.step}: the screen refused it: {errors[:800]}")

    # navigation
    def goto(self, path: str) -> None:
        """The person opens an address (a bookmark, or typed): one page load, no click."""
        self.page.goto(self.base + path)
        self._timing()

    def click(self, target: Locator, navigates: bool = False) -> None:
        target = target.first
        if navigates:
            with self.page.expect_navigation():
                target.click()
            self._timing()
        else:
            target.click()
        self._count("clicks")

    # fields
    def reach(self, target: Locator, by_tab: bool = False) -> None:
        """Move to a field (click into it, or Tab to it): one field."""
        target = target.first
        if by_tab:
            target.focus()
        else:
            target.click()
        self._count("fields")

    def type(self, target: Locator, text: str, reach: bool = True) -> None:
        """Type ``text`` into a text input or textarea (filled at once; each character counted)."""
        target = target.first
        if reach:
            self.reach(target)
        target.fill(text)
        self._count("characters", len(text))

    def keys(self, *keys: str) -> None:
        """Keys that are not text (Enter, a shortcut such as Alt+Shift+P): one key each."""
        for key in keys:
            self.page.keyboard.press(key)
        self._count("keys", len(keys))

    def choose(self, select: Locator, value: str | None = None, label: str | None = None) -> None:
        """A drop-down: reach it, click the option (by its value or its label)."""
        select = select.first
        select.focus()
        self._count("fields")
        if label is not None:
            select.select_option(label=label)
        else:
            select.select_option(value)
        self._count("clicks")

    def tick(self, box: Locator) -> None:
        box.first.check()
        self._count("clicks")

    def autocomplete(self, select_id: str, search: str, expect: str) -> None:
        """A select2 autocomplete: click it (a field), type ``search``, Enter on ``expect``
        (or click it when another result comes first)."""
        container = self.page.locator(f"#{select_id} + .select2 .select2-selection")
        container.click()
        self._count("fields")
        box = self.page.locator(".select2-container--open .select2-search__field")
        box.first.wait_for()
        box.first.press_sequentially(search)  # focused by select2 on opening
        self._count("characters", len(search))
        results = self.page.locator(".select2-container--open .select2-results__option")
        wanted = results.filter(has_text=expect)
        wanted.first.wait_for()
        highlighted = self.page.locator(
            ".select2-container--open .select2-results__option--highlighted"
        )
        if expect in (highlighted.first.inner_text() if highlighted.count() else ""):
            self.keys("Enter")
        else:
            wanted.first.click()
            self._count("clicks")
        chosen = self.page.locator(f"#{select_id} + .select2 .select2-selection__rendered")
        if expect not in chosen.first.inner_text():
            raise JourneyError(f"{self.step}: {select_id} shows {chosen.first.inner_text()!r}")

    def copy(self, source: Locator) -> None:
        """Copy a field's text: reach it, Ctrl+A, Ctrl+C."""
        self.reach(source)
        self.clipboard = source.first.input_value()
        self._count("keys", 2)

    def paste(self, target: Locator) -> None:
        """Paste into a field: reach it, Ctrl+V."""
        self.reach(target)
        target.first.fill(self.clipboard)
        self._count("keys", 1)

    # tabs
    def watch(self, page: Page) -> None:
        page.set_default_timeout(TIMEOUT_MS)
        page.on("load", self._on_load)

    def open_tab(self, path: str) -> Page:
        """Ctrl+click a link (one click) into a new tab (its load counted), and go there."""
        tab = self.page.context.new_page()
        self.watch(tab)
        self._count("clicks")
        self.page = tab
        self.goto(path)
        return tab

    def switch_to(self, tab: Page) -> None:
        """Click the other tab."""
        if tab is not self.page:
            tab.bring_to_front()
            self.page = tab
            self._count("clicks")


class JourneyError(RuntimeError):
    pass


def sign_in(page: Page, base: str, user: str, password: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("input[type=submit]")
    if "/admin/login/" in page.url:
        raise JourneyError(f"cannot sign in as {user!r} at {base}/admin/login/")


# --- looking things up (off the clock, on a second tab) --------------------------------------


def board_attendees(helper: Page, base: str) -> list[Attendee]:
    """People who sit on the board, from its memberships on the board's admin screen."""
    helper.goto(base + "/admin/boards/board/?q=" + BOARD.replace(" ", "+"))
    link = helper.locator("#result_list a", has_text=BOARD).first
    helper.goto(base + link.get_attribute("href"))
    people: list[Attendee] = []
    seen = set()
    for select in helper.locator("select[id^='id_memberships-'][id$='-person']").all():
        option = select.locator("option[selected]")
        if not option.count():
            continue
        pid, name = option.first.get_attribute("value"), option.first.inner_text().strip()
        if not pid or pid in seen:
            continue
        seen.add(pid)
        surname = name.split()[-1]
        people.append(Attendee(pid, name, surname, "member"))
    if len(people) < ATTENDEES:
        raise JourneyError(f"the {BOARD} has {len(people)} members, {ATTENDEES} needed")
    chosen = people[:ATTENDEES]
    chosen[-1].capacity = "in_attendance"
    return chosen


def free_date(helper: Page, base: str, start: datetime.date) -> datetime.date:
    """The first day from ``start`` on which the board has no meeting (its page is a 404)."""
    day = start
    for _ in range(400):
        response = helper.request.get(f"{base}/boards/{BOARD_SLUG}/{day.isoformat()}/")
        if response.status == 404:
            return day
        day += datetime.timedelta(days=1)
    raise JourneyError("no free date found")


# --- the minutes -----------------------------------------------------------------------------


def enter_meeting(
    person: Person,
    day: datetime.date,
    attendees,
    items,
    type_numbers: bool = True,
    then_take_minutes: bool = False,
) -> str:
    """The meeting's add screen: board, date, time, place, status, attendance, "none
    declared", the agenda (the items' numbers typed unless ``type_numbers`` is false: the
    screen numbers new items 1, 2, 3… since issue 10); saved with "Save and continue editing",
    or "Save and take minutes" when ``then_take_minutes`` and the screen has it. Returns the
    meeting's change URL."""
    page = person.page
    person.step = "meeting: open the add screen"
    person.goto("/admin/boards/meeting/add/")
    person.step = "meeting: its fields"
    person.autocomplete("id_board", BOARD_SEARCH, BOARD)
    person.type(page.locator("#id_date"), day.strftime("%d/%m/%Y"))
    person.type(page.locator("#id_start_time"), "10:00")
    person.type(page.locator("#id_location"), "OPCC Office, Ely")
    person.choose(page.locator("#id_status"), "held")
    if page.locator("select#id_minutes_status").count():  # read-only since issue 10
        person.choose(page.locator("#id_minutes_status"), "draft")

    person.step = "meeting: attendance"
    for i, attendee in enumerate(attendees):
        row = page.locator(f"#id_attendance-{i}-person")
        if not row.count():
            person.click(page.locator("#attendance-group tr.add-row a"))
        person.autocomplete(f"id_attendance-{i}-person", attendee.search, attendee.name)
        person.choose(page.locator(f"#id_attendance-{i}-capacity"), attendee.capacity)

    person.step = "meeting: declarations"
    person.tick(page.locator("#id_declarations-0-none_declared"))

    person.step = "meeting: agenda"
    for i, item in enumerate(items):
        if not page.locator(f"#id_items-{i}-title").count():
            person.click(page.locator("#items-group tr.add-row a"))
        if type_numbers:
            person.type(page.locator(f"#id_items-{i}-number"), item.number)
        person.type(page.locator(f"#id_items-{i}-title"), item.title)

    take_minutes = page.locator(NEW_SCREENS["save_and_take_minutes"])
    if then_take_minutes and take_minutes.count():
        person.step = "meeting: save and take minutes"
        person.click(take_minutes, navigates=True)
        found = re.search(r"/admin/boards/meeting/(\d+)/minutes/", page.url)
    else:
        person.step = "meeting: save"
        person.click(page.locator("input[name=_continue]"), navigates=True)
        found = re.search(r"/admin/boards/meeting/(\d+)/change/", page.url)
    if not found:
        raise JourneyError(f"the meeting was not saved (at {page.url})")
    return f"{person.base}/admin/boards/meeting/{found.group(1)}/change/"


def minutes_current(person: Person, items: list[Item], attendees) -> None:
    """Each item on its own screen: from the meeting's "Change" link for the first, then
    "item N →"; paragraphs and the action typed, "Save and continue editing"."""
    page = person.page
    person.step = "item 1: open"
    person.click(page.locator("#items-group a.inlinechangelink"), navigates=True)
    by_name = {a.name: a for a in attendees}
    for n, item in enumerate(items, start=1):
        person.step = f"item {n}: paragraphs"
        for p, paragraph in enumerate(item.paragraphs):
            if not page.locator(f"#id_paragraphs-{p}-text").count():
                person.click(page.locator("#paragraphs-group tr.add-row a"))
            if paragraph.kind != "narrative":
                person.choose(page.locator(f"#id_paragraphs-{p}-kind"), paragraph.kind)
            person.type(page.locator(f"#id_paragraphs-{p}-text"), paragraph.text)
        if item.action:
            person.step = f"item {n}: action"
            text, owner = item.action
            person.type(page.locator("#id_actions-0-text"), text)
            person.autocomplete("id_actions-0-owner", by_name[owner].search, owner)
        person.step = f"item {n}: save"
        person.click(page.locator("input[name=_continue]"), navigates=True)
        if n < len(items):
            person.step = f"item {n + 1}: open"
            nxt = page.locator(".field-neighbours a", has_text="→")
            person.click(nxt, navigates=True)


def minutes_take_minutes(person: Person, items: list[Item], attendees) -> None:
    """The "Take minutes" screen: every item's paragraphs and actions, one Save. The first
    paragraph of an item is reached (a field); the next ones and the action are added with the
    shortcut (a key: the new row's textarea has the focus) or the button (a click)."""
    page = person.page
    s = NEW_SCREENS
    if "/minutes/" not in page.url:
        person.step = "take minutes: open"
        person.click(page.locator(s["take_minutes_link"]), navigates=True)
    sections = page.locator(s["item_section"])
    if sections.count() != len(items):
        raise JourneyError(f"the minutes screen shows {sections.count()} items, not {len(items)}")

    def add(section: Locator, keys: str, button: str) -> None:
        if keys:
            person.keys(keys)
        else:
            person.click(section.locator(button))

    for n, item in enumerate(items, start=1):
        section = sections.nth(n - 1)
        person.step = f"take minutes: item {n}"
        for p, paragraph in enumerate(item.paragraphs):
            rows = section.locator(s["paragraph_row"])
            if p and rows.count() <= p:
                add(section, s["add_paragraph_keys"], s["add_paragraph"])
            row = section.locator(s["paragraph_row"]).nth(p)
            box = row.locator(s["paragraph_text"])
            focused = box.evaluate("e => e === document.activeElement")
            if paragraph.kind != "narrative":
                person.choose(row.locator(s["paragraph_kind"]), paragraph.kind)
                focused = False
            person.type(box, paragraph.text, reach=not focused)
        if item.action:
            person.step = f"take minutes: item {n}, its action"
            text, owner = item.action
            add(section, s["add_action_keys"], s["add_action"])
            row = section.locator(s["action_row"]).last
            box = row.locator(s["action_text"])
            person.type(box, text, reach=not box.evaluate("e => e === document.activeElement"))
            owner_field = row.locator(s["action_owner"])
            if "admin-autocomplete" in (owner_field.get_attribute("class") or ""):
                by_name = {a.name: a for a in attendees}
                person.autocomplete(owner_field.get_attribute("id"), by_name[owner].search, owner)
            else:
                person.choose(owner_field, label=owner)
    person.step = "take minutes: save"
    person.click(page.locator(s["save"]), navigates=True)
    if not page.locator(s["saved"]).count():
        raise JourneyError(f"{person.step}: no message that the minutes were saved")


def check_minutes(
    helper: Page, base: str, meeting_url: str, day: datetime.date, items: list[Item]
) -> list[str]:
    """What was saved against what was typed (off the clock): every paragraph and action
    among the values of the take-minutes screen's fields (or, before it, the text of the
    meeting's public page, which shows draft minutes to staff)."""
    helper.goto(meeting_url.replace("/change/", "/minutes/"))
    if "/minutes/" in helper.url and helper.locator("#take_minutes_form").count():
        values = helper.locator("#take_minutes_form textarea").evaluate_all(
            "boxes => boxes.map(b => b.value)"
        )
        body = " ".join(" ".join(values).split())
    else:
        helper.goto(f"{base}/boards/{BOARD_SLUG}/{day.isoformat()}/")
        body = " ".join(helper.locator("body").inner_text().split())
    problems = []
    for item in items:
        for paragraph in item.paragraphs:
            if paragraph.text[:60] not in body:
                problems.append(f"item {item.number}: paragraph {paragraph.text[:30]!r}… not saved")
        if item.action and item.action[0][:60] not in body:
            problems.append(f"item {item.number}: its action is not saved")
    return problems


def delete_meeting(helper: Page, change_url: str) -> None:
    helper.goto(change_url.replace("/change/", "/delete/"))
    with helper.expect_navigation():
        helper.locator("form input[type=submit]").first.click()


# --- the notice ------------------------------------------------------------------------------


def make_paper(helper: Page, base: str, text: Text, stamp: str, flow: str, day) -> str:
    """The set-up, off the clock: a meeting of the board on ``day`` (a free date), and a draft
    paper to it with one recommendation approved there. Returns the paper's change URL."""
    setup = Person(helper, base, counting=False)
    setup.step = "set-up: a meeting"
    setup.goto("/admin/boards/meeting/add/")
    setup.autocomplete("id_board", BOARD_SEARCH, BOARD)
    setup.type(helper.locator("#id_date"), day.strftime("%d/%m/%Y"))
    setup.choose(helper.locator("#id_status"), "held")
    setup.type(helper.locator("#id_notes"), f"Made by bench/journey.py ({flow} notice {stamp}).")
    setup.click(helper.locator("input[name=_continue]"), navigates=True)
    setup.step = "set-up: a paper with a recommendation"
    setup.goto("/admin/boards/paper/add/")
    title = f"Journey benchmark paper {stamp} ({flow} flow)"
    recommendation = "The Commissioner is recommended to approve " + text.paragraph(160)
    setup.type(helper.locator("#id_title"), title)
    setup.autocomplete("id_board", BOARD_SEARCH, BOARD)
    setup.autocomplete("id_meeting", day.strftime("%d/%m/%Y"), meeting_label(day))
    setup.type(helper.locator("#id_purpose"), text.paragraph())
    setup.type(helper.locator("#id_recommendations-0-number"), "2.1")
    setup.type(helper.locator("#id_recommendations-0-text"), recommendation)
    setup.choose(helper.locator("#id_recommendations-0-outcome"), "approved")
    setup.autocomplete(
        "id_recommendations-0-decided_at", day.strftime("%d/%m/%Y"), meeting_label(day)
    )
    setup.click(helper.locator("input[name=_continue]"), navigates=True)
    return helper.url


def meeting_label(day: datetime.date) -> str:
    """How the autocompletes name the board's meeting on ``day`` ("BCB 12 March 2041")."""
    return f"{day:%B} {day.year}"


def notice_fields(person: Person, text: Text, maker: Attendee) -> None:
    """The decision (unless the draft has it), the reasons, the decision maker (unless the
    draft names them)."""
    page = person.page
    decision = page.locator("#id_decision")
    if not decision.input_value().strip():
        person.type(decision, text.paragraph())
    person.type(page.locator("#id_reasons"), text.paragraph())
    chosen = page.locator("#id_decision_maker option[selected]")
    if not chosen.count() or maker.name not in chosen.first.inner_text():
        person.autocomplete("id_decision_maker", maker.search, maker.name)


def notice_current(person: Person, paper_url: str, stamp: str, day, text: Text, maker) -> str:
    """By hand, with the paper in one tab and the new notice in another: the notice's title
    and decision copied from the paper and its recommendation, the reasons typed, the decision
    maker and the paper chosen, "Save" (to the list of notices); back in the paper's tab the
    recommendation pointed at the notice and saved (the meeting chosen too); in the notices' tab, the notice ticked and
    signed with the list's action."""
    paper_tab = person.page
    person.step = "notice: open the paper"
    person.goto(paper_url.removeprefix(person.base))
    person.step = "notice: a new tab to add a notice"
    notice_tab = person.open_tab("/admin/decisions/decisionnotice/add/")
    person.step = "notice: copy the title and the recommendation"
    for source, target in (
        ("#id_title", "#id_title"),
        ("#id_recommendations-0-text", "#id_decision"),
    ):
        person.switch_to(paper_tab)
        person.copy(paper_tab.locator(source))
        person.switch_to(notice_tab)
        person.paste(notice_tab.locator(target))
    person.step = "notice: its fields"
    person.type(notice_tab.locator("#id_reasons"), text.paragraph())
    person.autocomplete("id_decision_maker", maker.search, maker.name)
    person.autocomplete("id_meeting", day.strftime("%d/%m/%Y"), meeting_label(day))
    person.autocomplete("id_papers", stamp, stamp)
    person.step = "notice: save"
    person.click(notice_tab.locator("input[name=_save]"), navigates=True)
    link = notice_tab.locator("#result_list tr", has_text=stamp).locator("th a").first
    notice_url = person.base + link.get_attribute("href")
    notice_id = re.search(r"/(\d+)/change/", notice_url).group(1)
    person.step = "notice: link the recommendation to it"
    person.switch_to(paper_tab)
    person.autocomplete("id_recommendations-0-decision_notice", stamp, stamp)
    person.click(paper_tab.locator("input[name=_continue]"), navigates=True)
    person.step = "notice: sign it from the list"
    person.switch_to(notice_tab)
    person.tick(
        notice_tab.locator(f"#result_list input[name=_selected_action][value='{notice_id}']")
    )
    person.choose(notice_tab.locator("select[name=action]"), "sign")
    person.click(notice_tab.locator(".actions button[type=submit]"), navigates=True)
    confirm = notice_tab.locator(NEW_SCREENS["list_sign_confirm"])
    if confirm.count():  # the action asks to confirm since issue 10
        person.step = "notice: confirm the signature"
        person.click(confirm, navigates=True)
    if not notice_tab.locator(".messagelist .success").count():
        raise JourneyError(f"{person.step}: no success message")
    return notice_url


def notice_new(person: Person, paper_url: str, text: Text, maker) -> str:
    """From the paper's recommendations: "Draft a decision notice" (the draft opens with the
    paper's title, the paper and the recommendation), the decision, reasons and decision maker
    filled, "Save and sign…", "Sign and lock"."""
    page = person.page
    s = NEW_SCREENS
    person.step = "notice: open the paper"
    person.goto(paper_url.removeprefix(person.base))
    if not DRAFT_FILLS_DECISION:
        person.step = "notice: copy the recommendation"
        person.copy(page.locator("#id_recommendations-0-text"))
    person.step = "notice: draft from the recommendation"
    person.click(page.locator(s["draft_notice"]), navigates=True)
    if not page.locator("#id_reasons").count():  # a confirmation page first
        person.step = "notice: confirm the draft"
        person.click(page.locator(s["draft_notice_confirm"]), navigates=True)
    found = re.search(r"/admin/decisions/decisionnotice/(\d+)/change/", page.url)
    if not found:
        raise JourneyError(f"{person.step}: no draft notice opened (at {page.url})")
    notice_url = f"{person.base}{found.group(0)}"
    person.step = "notice: its fields"
    decision = page.locator("#id_decision")
    if not DRAFT_FILLS_DECISION and not decision.input_value().strip():
        person.paste(decision)
    notice_fields(person, text, maker)
    save_and_sign = page.locator(s["save_and_sign"])
    if save_and_sign.count():
        person.step = "notice: save and sign"
        person.click(save_and_sign, navigates=True)
    else:
        person.step = "notice: save"
        person.click(page.locator("input[name=_continue]"), navigates=True)
        person.step = "notice: sign"
        person.click(page.locator(s["sign"]), navigates=True)
    person.step = "notice: confirm the signature"
    person.click(page.locator(s["sign_confirm"]), navigates=True)
    return notice_url


def check_signed(helper: Page, notice_url: str) -> list[str]:
    helper.goto(notice_url)
    body = helper.locator("body").inner_text()
    return [] if re.search(r"\bSigned\b", body) else [f"{notice_url} does not say it is signed"]


# --- running and reporting -------------------------------------------------------------------


def report(journey: str, flow: str, effort: Effort, extra: dict[str, Any]) -> dict[str, Any]:
    seconds = effort.seconds()
    share = seconds["not_typing"] / seconds["total"] if seconds["total"] else 0.0
    target = TARGETS[journey]
    checks = {"page_loads": effort.page_loads <= target["page_loads"]}
    if "not_typing_share" in target:
        checks["not_typing_share"] = share < target["not_typing_share"]
    return {
        "journey": journey,
        "flow": flow,
        "page_loads": effort.page_loads,
        "clicks": effort.clicks,
        "fields": effort.fields,
        "characters": effort.characters,
        "keys": effort.keys,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "person_minutes": round(seconds["total"] / 60, 1),
        "not_typing_share": round(share, 4),
        "target": target,
        "pass": all(checks.values()),
        "checks": checks,
        "loads": [asdict(load) for load in effort.loads],
        **extra,
    }


def print_report(r: dict[str, Any]) -> None:
    s = r["seconds"]
    print(f"\n== {r['journey']} journey, {r['flow']} flow ==")
    print(
        f"page loads {r['page_loads']:>4}   clicks {r['clicks']:>4}   fields {r['fields']:>4}"
        f"   characters {r['characters']:>6}   other keys {r['keys']:>3}"
    )
    print(
        f"person-time {s['total']:.0f} s ({r['person_minutes']} min): clicks {s['clicks']:.0f} s,"
        f" fields {s['fields']:.0f} s, typing {s['characters']:.0f} s, other keys {s['keys']:.0f} s,"
        f" page loads {s['page_loads']:.0f} s"
    )
    print(f"not typing: {s['not_typing']:.0f} s = {r['not_typing_share']:.1%} of the person-time")
    target = r["target"]
    goal = f"at most {target['page_loads']} page loads"
    if "not_typing_share" in target:
        goal += f", under {target['not_typing_share']:.0%} not typing"
    print(f"target: {goal}: {'PASS' if r['pass'] else 'FAIL'} {r['checks']}")
    ttfb = [x["ttfb_ms"] for x in r["loads"] if x["ttfb_ms"] is not None]
    if ttfb:
        slow = max(r["loads"], key=lambda x: x["ttfb_ms"] or 0)
        print(
            f"server: {sum(ttfb) / 1000:.1f} s to first byte over {len(ttfb)} loads"
            f" (slowest {slow['ttfb_ms']:.0f} ms: {slow['step']})"
        )
    for key in ("meeting", "notice", "kept", "problems", "wall_seconds"):
        if r.get(key):
            print(f"{key}: {r[key]}")


def failure_screenshot(person: Person) -> None:
    path = Path("/tmp") / f"journey-failure-{int(time.time())}.png"
    try:
        person.page.screenshot(path=str(path), full_page=True)
        print(f"at {person.step!r} on {person.page.url}; screenshot: {path}", file=sys.stderr)
    except Exception as exc:  # the page may be gone
        print(f"at {person.step!r}; no screenshot ({exc})", file=sys.stderr)


def run_minutes(browser, args, flow: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page, helper = context.new_page(), context.new_page()
        sign_in(page, args.base_url, args.user, args.password)
        attendees = board_attendees(helper, args.base_url)
        day = free_date(helper, args.base_url, args.start_date)
        items = minutes_content(args.seed, attendees)
        person = Person(page, args.base_url)
        started = time.monotonic()
        new = flow == "take-minutes"
        try:
            meeting_url = enter_meeting(
                person, day, attendees, items, type_numbers=not new, then_take_minutes=new
            )
        except Exception:
            failure_screenshot(person)
            raise
        try:
            try:
                if flow == "current":
                    minutes_current(person, items, attendees)
                else:
                    minutes_take_minutes(person, items, attendees)
            except Exception:
                failure_screenshot(person)
                raise
            wall = round(time.monotonic() - started, 1)
            problems = check_minutes(helper, args.base_url, meeting_url, day, items)
        finally:
            if args.keep:
                kept = meeting_url
            else:
                delete_meeting(helper, meeting_url)
                kept = None
        return report(
            "minutes",
            flow,
            person.effort,
            {
                "meeting": f"{BOARD} {day.isoformat()}",
                "kept": kept,
                "problems": problems,
                "wall_seconds": wall,
                "paragraphs": sum(len(i.paragraphs) for i in items),
                "actions": sum(1 for i in items if i.action),
            },
        )
    finally:
        context.close()


def run_notice(browser, args, flow: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page, helper = context.new_page(), context.new_page()
        sign_in(page, args.base_url, args.signer, args.password)
        attendees = board_attendees(helper, args.base_url)
        text = Text(args.seed + 1)
        stamp = f"{datetime.datetime.now():%Y%m%d%H%M%S}"  # found by the autocompletes
        # A meeting before today: a notice cannot be signed before its meeting.
        day = free_date(helper, args.base_url, datetime.date.today() - datetime.timedelta(60))
        paper_url = make_paper(helper, args.base_url, text, stamp, flow, day)
        person = Person(page, args.base_url)
        started = time.monotonic()
        maker = attendees[0]
        try:
            if flow == "current":
                notice_url = notice_current(person, paper_url, stamp, day, text, maker)
            else:
                notice_url = notice_new(person, paper_url, text, maker)
        except Exception:
            failure_screenshot(person)
            raise
        wall = round(time.monotonic() - started, 1)
        problems = check_signed(helper, notice_url)
        return report(
            "notice",
            flow,
            person.effort,
            {"notice": notice_url, "paper": paper_url, "problems": problems, "wall_seconds": wall},
        )
    finally:
        context.close()


class ScratchServer:
    """``--serve``: a fresh SQLite database (bench/journey.sqlite3) migrated, seeded and given
    the demo logins, served by ``manage.py runserver`` on a free port until the runs end; the
    development database is never touched."""

    DB = BENCH_DIR / "journey.sqlite3"

    def __enter__(self) -> str:
        for path in BENCH_DIR.glob("journey.sqlite3*"):
            path.unlink()
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.DB}", "DJANGO_DEBUG": "1"}
        manage = [sys.executable, str(BENCH_DIR.parent / "manage.py")]
        print(f"--serve: migrating and seeding {self.DB.name}…", flush=True)
        for command in (["migrate", "--noinput"], ["seed"], ["demo_users"]):
            subprocess.run([*manage, *command], env=env, check=True, stdout=subprocess.DEVNULL)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        print(f"--serve: {base}", flush=True)
                        return base
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise JourneyError(f"the server on {base} did not answer /healthz")

    def __exit__(self, *exc) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="staff")
    parser.add_argument("--password", default="minutebook-demo")
    parser.add_argument("--signer", default="signatory", help="the login that signs notices")
    parser.add_argument("--journey", choices=["minutes", "notice", "all"], default="minutes")
    parser.add_argument(
        "--flow",
        choices=["current", "take-minutes", "new", "all"],
        default="current",
        help="current: the admin without issue 10's screens; take-minutes (or new): with them "
        "(for the notice: 'Draft a decision notice' and 'Save and sign…')",
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", action="store_true", help="leave the meeting, print its URL")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument(
        "--start-date",
        type=datetime.date.fromisoformat,
        default=datetime.date(2041, 3, 12),
        help="the first date tried for the new meeting (the next free day is taken)",
    )
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="serve a fresh scratch database (bench/journey.sqlite3) instead of --base-url",
    )
    args = parser.parse_args(argv)
    if args.serve:
        with ScratchServer() as base:
            args.base_url = base
            return run_all(args)
    return run_all(args)


def run_all(args) -> int:

    journeys = ["minutes", "notice"] if args.journey == "all" else [args.journey]
    flows = ["current", "take-minutes"] if args.flow == "all" else [args.flow]
    flows = ["take-minutes" if f == "new" else f for f in flows]
    results, failed = [], False
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=not args.headed
        )
        try:
            for journey in journeys:
                for flow in flows:
                    run = run_minutes if journey == "minutes" else run_notice
                    try:
                        result = run(browser, args, flow)
                    except JourneyError as exc:
                        print(f"\n== {journey} journey, {flow} flow: could not finish: {exc}")
                        results.append({"journey": journey, "flow": flow, "error": str(exc)})
                        failed = True
                        continue
                    print_report(result)
                    results.append(result)
                    failed |= bool(result["problems"])
        finally:
            browser.close()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "base_url": args.base_url,
            "finished": datetime.datetime.now().isoformat(timespec="seconds"),
            "load_average": os.getloadavg(),
            "seconds": SECONDS,
            "targets": TARGETS,
        }
        args.json.write_text(json.dumps({**meta, "results": results}, indent=2))
        print(f"\nwritten: {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
