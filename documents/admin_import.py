"""The admin's "Import a paper" screen: upload a .docx, PDF or text file, correct the draft read
from it beside the original's text, save it as a draft paper.

``ImportPaperMixin`` is mixed into the paper's admin screen (``web.admin.PaperScreen``, which
joins the apps); it adds ``admin:boards_paper_import`` for staff who may add papers. The upload
is stored in ``waiting_storage()`` under ``imports/`` and read by a background job
(``documents.tasks.read_paper``); the upload answers with a redirect to its review address
(``admin:boards_paper_import_review``), named by a signed ticket only its uploader may use, which
shows the job's progress or failure until the draft is read, then the draft beside the original.
The save runs in the request. The upload and its draft are removed once the paper is saved.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse

from boards.models import Board, Meeting, Paper
from jobs.models import Job
from jobs.runner import progress_key
from minutebook.money import AmountError, parse_amount

from .importing import MAX_BYTES, PaperDraft, ProposedMoney, ProposedRecommendation
from .services import save_import, waiting_storage
from .tasks import enqueue_read, forget, read_draft

SALT = "documents.import-paper"
#: How long an upload's ticket (its review address and the form's token) may be used.
TICKET_SECONDS = 24 * 3600
#: How often the review page reloads itself while the reading job is queued or running.
REFRESH_SECONDS = 3
PAPER_FIELDS = (
    "title",
    "to_line",
    "author_line",
    "date",
    "agenda_reference",
    "purpose",
    "body",
    "source_documents",
    "contact_officers",
    "appendices",
)


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="A Word document (.docx), a PDF or a plain-text file; told apart by content."
    )
    board = forms.ModelChoiceField(queryset=Board.objects.order_by("name"))
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.select_related("board").order_by("-date"),
        required=False,
        help_text="The meeting the paper went to, if any (of the same board).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"File: larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return upload

    def clean(self):
        data = super().clean()
        meeting, board = data.get("meeting"), data.get("board")
        if meeting and board and meeting.board_id != board.pk:
            self.add_error("meeting", "Meeting: choose a meeting of the board the paper goes to.")
        return data


class DraftForm(forms.ModelForm):
    """The paper's fields as read, for the member of staff to correct."""

    token = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Paper
        fields = ["board", "meeting", *PAPER_FIELDS]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4, "cols": 80})
            for name in ("purpose", "source_documents", "contact_officers", "appendices")
        } | {"body": forms.Textarea(attrs={"rows": 30, "cols": 80})}


class RecommendationForm(forms.Form):
    number = forms.CharField(max_length=20, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


class MoneyForm(forms.Form):
    description = forms.CharField(max_length=300)
    amount = forms.CharField(max_length=40)
    as_printed = forms.CharField(max_length=100, required=False)
    financial_year = forms.CharField(max_length=7, required=False)

    def clean_amount(self):
        try:
            return parse_amount(self.cleaned_data["amount"])
        except AmountError as exc:
            raise ValidationError(f"Amount: {exc}") from exc


RecommendationFormSet = forms.formset_factory(RecommendationForm, extra=0, can_delete=True)
MoneyFormSet = forms.formset_factory(MoneyForm, extra=0, can_delete=True)


def _kept(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _original_text(ticket: dict) -> list[str]:
    """The original's text (its pages for a PDF) as the reading job kept it with the draft, to
    show beside the draft again; no parse in the request. One storage read."""
    draft = read_draft(ticket["path"])
    if draft is None:
        return ["(The original is no longer available: upload it again.)"]
    return draft.original_text


class ImportPaperMixin:
    """Adds "Import a paper" to the paper's admin (the link is on its changelist)."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="boards_paper_import",
            ),
            path(
                "import/<str:ticket>/",
                self.admin_site.admin_view(self.import_review_view),
                name="boards_paper_import_review",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": self.has_add_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def _page(self, request, template: str, context: dict, status: int = 200):
        return render(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Import a paper",
                **context,
            },
            status=status,
        )

    def import_view(self, request):
        """GET: the upload form. POST with a file: the file stored, a ``read_paper`` job
        enqueued for it, and a redirect to the upload's review address. POST with the draft
        (``token``): the draft paper saved, then its change page."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._save(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._page(request, "admin/documents/import_upload.html", {"form": form})
        upload = form.cleaned_data["file"]
        stored = waiting_storage().save(f"imports/{uuid.uuid4().hex}", ContentFile(upload.read()))
        job = enqueue_read(stored, user=request.user, name=upload.name)
        meeting = form.cleaned_data["meeting"]
        ticket = signing.dumps(
            {
                "path": stored,
                "name": upload.name[:200],
                "user": request.user.pk,
                "job": job.pk,
                "board": form.cleaned_data["board"].pk,
                "meeting": meeting.pk if meeting else None,
            },
            salt=SALT,
        )
        # The embedded backend has run the job by now (no transaction is open here); with
        # workers the review page waits for it.
        return HttpResponseRedirect(reverse("admin:boards_paper_import_review", args=[ticket]))

    def import_review_view(self, request, ticket: str):
        """The upload's review address. GET: the draft beside the original once the reading job
        has kept it; until then the job's status (refreshing itself), or its failure. POST: the
        corrected draft saved. Only for its uploader; an expired or unknown ticket answers a
        page saying so. Queries: the job's row (until the draft is read), no parse."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            found = signing.loads(ticket, salt=SALT, max_age=TICKET_SECONDS)
        except signing.SignatureExpired:
            return self._status(request, "expired", status=410)
        except signing.BadSignature:
            return self._status(request, "unknown", status=404)
        if found.get("user") != request.user.pk:
            raise PermissionDenied("This import was started by someone else.")
        if request.method == "POST":
            return self._save(request)
        draft = read_draft(found["path"])
        if draft is not None:
            return self._show_draft(request, draft, found, ticket)
        job = Job.objects.filter(pk=found.get("job")).first()
        if job is None or not waiting_storage().exists(found["path"]):
            return self._status(request, "gone", status=410)
        if job.status == Job.Status.FAILED:
            return self._status(request, "failed", job=job, status=200)
        if job.status == Job.Status.SUCCEEDED:
            # Finished between our look at the storage and at its row, or its draft was removed.
            draft = read_draft(found["path"])
            if draft is not None:
                return self._show_draft(request, draft, found, ticket)
            return self._status(request, "gone", status=410)
        if job.status == Job.Status.RUNNING:
            reported = cache.get(progress_key(job.pk))
            if reported is not None:
                job.progress_done, job.progress_total, job.progress_message = reported
        return self._status(request, "waiting", job=job)

    def _status(self, request, state: str, job: Job | None = None, status: int = 200):
        return self._page(
            request,
            "admin/documents/import_status.html",
            {
                "state": state,
                "job": job,
                "job_url": reverse("admin:jobs_job_change", args=[job.pk]) if job else "",
                "refresh_seconds": REFRESH_SECONDS,
                "upload_url": reverse("admin:boards_paper_import"),
            },
            status=status,
        )

    def _show_draft(self, request, draft: PaperDraft, ticket: dict, token: str):
        initial = {name: getattr(draft, name) for name in PAPER_FIELDS}
        initial |= {"board": ticket["board"], "meeting": ticket["meeting"], "token": token}
        return self._review(
            request,
            DraftForm(initial=initial),
            RecommendationFormSet(
                initial=[{"number": r.number, "text": r.text} for r in draft.recommendations],
                prefix="recommendations",
            ),
            MoneyFormSet(
                initial=[
                    {
                        "description": m.description,
                        "amount": m.amount,
                        "as_printed": m.as_printed,
                        "financial_year": m.financial_year,
                    }
                    for m in draft.money
                ],
                prefix="money",
            ),
            draft.original_text,
            draft,
        )

    def _review(self, request, form, recommendations, money, original, draft=None, status=200):
        return self._page(
            request,
            "admin/documents/import_review.html",
            {
                "form": form,
                "recommendations": recommendations,
                "money": money,
                "original": original,
                "draft": draft,
            },
            status=status,
        )

    def _save(self, request):
        form = DraftForm(request.POST)
        recommendations = RecommendationFormSet(request.POST, prefix="recommendations")
        money = MoneyFormSet(request.POST, prefix="money")
        try:
            ticket = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=TICKET_SECONDS)
        except signing.BadSignature as exc:
            raise PermissionDenied("The import form has expired or was altered.") from exc
        if ticket.get("user") != request.user.pk:
            raise PermissionDenied("This import was started by someone else.")
        saved_key = f"documents:import-saved:{ticket['path']}"
        already = cache.get(saved_key)
        if already is not None:
            # The same review saved twice (a double click, the form sent again): the paper
            # it made, not a second one.
            messages.info(request, "This import was saved already: here is its draft paper.")
            return HttpResponseRedirect(reverse("admin:boards_paper_change", args=[already]))
        original_pages = _original_text(ticket)
        valid = form.is_valid() & recommendations.is_valid() & money.is_valid()
        if not valid:
            return self._review(request, form, recommendations, money, original_pages, status=400)
        data = form.cleaned_data
        draft = PaperDraft(
            **{name: data[name] or ("" if name != "date" else None) for name in PAPER_FIELDS},
            recommendations=[
                ProposedRecommendation(r["number"], r["text"]) for r in _kept(recommendations)
            ],
            money=[
                ProposedMoney(
                    description=m["description"],
                    amount=str(m["amount"]),
                    as_printed=m["as_printed"],
                    financial_year=m["financial_year"],
                )
                for m in _kept(money)
            ],
        )
        original = None
        if waiting_storage().exists(ticket["path"]):
            original = waiting_storage().open(ticket["path"])
            original.name = ticket["name"]
        try:
            paper = save_import(
                draft,
                board=data["board"],
                meeting=data["meeting"],
                user=request.user,
                original=original,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self._review(request, form, recommendations, money, original_pages, status=400)
        finally:
            if original is not None:
                original.close()
        cache.set(saved_key, paper.pk, TICKET_SECONDS)
        forget(ticket["path"])
        messages.success(
            request,
            f"Imported “{paper}” as a draft paper. Its money waits for a finance officer to "
            "confirm it.",
        )
        return HttpResponseRedirect(reverse("admin:boards_paper_change", args=[paper.pk]))
