"""The decisions register as CSV, streamed row by row.

Never a file that looks complete but is not: the first notice is read before the response is
made, so a failing query is a 500 rather than a 200 with only the header; a failure after that
is raised out of the stream, so the server aborts the connection and the client sees a broken
download.
"""

import csv
import itertools

from django.http import HttpRequest, StreamingHttpResponse

from minutebook.exports import Echo, spreadsheet_text

CSV_COLUMNS = [
    "reference",
    "title",
    "status",
    "signed_on",
    "published_on",
    "board",
    "meeting_date",
    "decision_maker",
    "url",
]


def announced_in_url(notice) -> str:
    """The address of the minute or paper recording ``notice``'s signing (its
    ``signing_minute__item__meeting__board`` and ``signing_paper`` loaded), or ""."""
    if notice.signing_minute_id:
        minute = notice.signing_minute
        return f"{minute.item.meeting.get_absolute_url()}#minute-{minute.pk}"
    if notice.signing_paper_id:
        return notice.signing_paper.get_absolute_url()
    return ""


def register_csv(request: HttpRequest, notices) -> StreamingHttpResponse:
    """``notices`` (already what the reader may know, with meeting__board, decision_maker and
    the signing records selected, ``meeting_shown``: a meeting the reader may not see is not
    named, and ``notice_shown``: a notice known only from its signing's record is not linked) as CSV; text a spreadsheet would run as a formula is written as text."""
    writer = csv.writer(Echo())

    def rows():
        for n in notices.iterator(chunk_size=500):
            shown = getattr(n, "notice_shown", True)
            if shown:
                status, url = n.get_status_display(), n.get_absolute_url()
            else:
                # Known only from the minutes or paper recording its signing: their facts
                # and address, never the unpublished notice's.
                status = f"{n.get_status_display()} (notice not published)"
                url = announced_in_url(n)
            yield writer.writerow(
                [
                    spreadsheet_text(n.reference or ""),
                    spreadsheet_text(n.title),
                    status,
                    n.signed_on.isoformat() if n.signed_on else "",
                    n.published_on.isoformat() if n.published_on else "",
                    spreadsheet_text(n.meeting.board.name) if n.meeting_shown else "",
                    n.meeting.date.isoformat() if n.meeting_shown else "",
                    spreadsheet_text(n.decision_maker.full_name)
                    if n.decision_maker and shown
                    else "",
                    request.build_absolute_uri(url) if url else "",
                ]
            )

    body = rows()
    first = list(itertools.islice(body, 1))  # runs the query now: a failure is a 500
    stream = itertools.chain([writer.writerow(CSV_COLUMNS)], first, body)
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions-register.csv"'
    return response
