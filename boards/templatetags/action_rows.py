"""``{% action_rows actions show_raised %}``: the rows of ``boards/_action_rows.html``.

Written in Python rather than as a loop of the template because a meeting's page lists up to
fifty actions carried forward and those raised there, and each row through the template engine
cost 0.2 ms (three addresses reversed, three dates formatted, a score of variable lookups): 7 to
8 ms of a meeting page. Here each meeting's address and each date is worked out once per list.
The markup is the one the template printed, with the same white space; every text is escaped
(``minutebook.escaping.esc``).
"""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from boards.models import Meeting
from minutebook.escaping import esc

register = template.Library()

NOT_RECORDED = '<span class="not-recorded">not recorded</span>'


class _Memo:
    """Meetings' addresses and dates as printed, each worked out once."""

    def __init__(self) -> None:
        self.urls: dict = {}
        self.days: dict = {}

    def url(self, board_slug: str, date) -> str:
        key = (board_slug, date)
        if key not in self.urls:
            self.urls[key] = Meeting.url_of(board_slug, date)
        return self.urls[key]

    def day(self, date) -> str:
        """As ``{{ date|date:"j M Y" }}`` prints it."""
        if date not in self.days:
            self.days[date] = date_format(date, "j M Y")
        return self.days[date]


def _row(action, show_raised: bool, memo: _Memo) -> str:
    text = esc(action.text)
    if action.item_id is not None:
        text = f'<span class="secondary">Item {esc(action.item.number)}:</span> {text}'
    if action.note:
        text += f'<br><span class="secondary">{esc(action.note)}</span>'
    owner = esc(action.owner.full_name) if action.owner_id is not None else NOT_RECORDED
    raised = ""
    if show_raised:
        meeting = action.meeting
        url = f"{memo.url(meeting.board.slug, meeting.date)}#{action.anchor}"
        raised = (
            f'<td class="nowrap"><a href="{esc(url)}">{esc(meeting.board.label)} '
            f"{memo.day(meeting.date)}</a></td>"
        )
    if action.due_date:
        due = esc(action.due_as_printed)
    elif action.due_meeting_id is not None:
        link = action.due_meeting_link
        due = (
            f'<a href="{esc(memo.url(link.board_slug, link.date))}">meeting of '
            f"{memo.day(link.date)}</a>"
        )
    else:
        due = NOT_RECORDED
    status = esc(action.get_status_display()) if action.status else NOT_RECORDED
    if action.closed_at_id is not None:
        link = action.closed_at_link
        status += (
            f' at <a href="{esc(memo.url(link.board_slug, link.date))}">{memo.day(link.date)}</a>'
        )
    return (
        f'\n    <tr id="action-{action.pk}">\n      <td>{text}</td>\n      <td>{owner}</td>'
        f'\n      {raised}\n      <td class="nowrap">{due}</td>\n      <td>{status}</td>'
        "\n    </tr>\n  "
    )


@register.simple_tag
def action_rows(actions, show_raised: bool = False) -> SafeString:
    """A row per action: the item it was raised under and its text (and note), its owner, with
    ``show_raised`` the meeting that raised it (linked to the action there), when it is due (a
    date as the minutes give it, or a meeting, linked) and its status, with the meeting that
    closed it (linked). Reads what ``ActionQuerySet.for_rows`` loads: no query then."""
    memo = _Memo()
    return SafeString("".join(_row(action, show_raised, memo) for action in actions))
