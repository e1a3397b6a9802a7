"""Downloads of attachments: only through here, under ``Attachment.objects.visible_to``.

A reader who may not see an attachment gets the answer its record's kind gives: an exempt
attachment of a record the public may read asks a reader who is not signed in to sign in (403,
as an exempt paper does), and every other hidden attachment is a 404; neither names the file.
The file is streamed from its storage with the sniffed content type only, ``nosniff``, a safe
``Content-Disposition`` (``filename*`` for a Unicode name) and an ETag of the file's checksum
and its record's state, so a revalidation that matches answers 304 without opening the file.
"""

from __future__ import annotations

import hashlib

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import get_conditional_response, patch_vary_headers

from documents.models import Attachment
from documents.validation import GIF, JPEG, PDF, PNG, WEBP

from .exempt import sign_in_to_view

# Opened in the browser; everything else (Office files, CSV) is downloaded.
INLINE_TYPES = frozenset(kind.content_type for kind in (PDF, PNG, JPEG, GIF, WEBP))


def attachment_etag(attachment: Attachment) -> str:
    """The file's checksum with its access and its record's state (kind, key, version): a
    new file, a change of access or an edit of the record gives a new ETag. Reads the record:
    loaded with the attachment by the view."""
    record = attachment.record
    state = ":".join(
        (
            attachment.sha256,
            attachment.access,
            record._meta.label,
            str(record.pk),
            str(record.version),
        )
    )
    return '"' + hashlib.sha256(state.encode()).hexdigest()[:40] + '"'


@sign_in_to_view(Attachment.objects.withheld_from_public)
def download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The attachment's file. Queries: the attachment with its record (one), and nothing
    more for a 304. An address with another file name redirects to the file's own."""
    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related(
            "paper", "agenda_item", "notice"
        ),
        pk=pk,
    )
    if name != attachment.original_name:
        return redirect(attachment.get_absolute_url(), permanent=True)
    etag = attachment_etag(attachment)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = FileResponse(
            attachment.open(),
            # Text (CSV, plain text) is UTF-8 by the upload checks: said, so no browser guesses.
            content_type=attachment.content_type
            + ("; charset=utf-8" if attachment.content_type.startswith("text/") else ""),
            as_attachment=attachment.content_type not in INLINE_TYPES,
            filename=attachment.original_name,
        )
        response["Content-Length"] = str(attachment.size)
    response["ETag"] = etag
    # Who may read it depends on who is signed in: never shared by proxies, always revalidated.
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    # A file that slipped past the checks still runs nothing on the site's origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    patch_vary_headers(response, ["Cookie"])
    return response
