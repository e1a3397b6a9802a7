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


def register_csv(request: HttpRequest, notices) -> StreamingHttpResponse:
    """``notices`` (already what the reader may see, with meeting__board and decision_maker
    selected, and ``meeting_shown``: a meeting the reader may not see is not named) as CSV; text a spreadsheet would run as a formula is written as text."""
    writer = csv.writer(Echo())

    def rows():
        for n in notices.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    spreadsheet_text(n.reference or ""),
                    spreadsheet_text(n.title),
                    n.get_status_display(),
                    n.signed_on.isoformat() if n.signed_on else "",
                    n.published_on.isoformat() if n.published_on else "",
                    spreadsheet_text(n.meeting.board.name) if n.meeting_shown else "",
                    n.meeting.date.isoformat() if n.meeting_shown else "",
                    spreadsheet_text(n.decision_maker.full_name) if n.decision_maker else "",
                    request.build_absolute_uri(n.get_absolute_url()),
                ]
            )

    body = rows()
    first = list(itertools.islice(body, 1))  # runs the query now: a failure is a 500
    stream = itertools.chain([writer.writerow(CSV_COLUMNS)], first, body)
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions-register.csv"'
    return response
