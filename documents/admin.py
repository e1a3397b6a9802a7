"""The admin's "Import a paper" screen: upload a .docx, PDF or text file, correct the draft read
from it beside the original's text, save it as a draft paper.

``ImportPaperMixin`` is mixed into the paper's admin screen (``web.admin.PaperScreen``, which
joins the apps); it adds ``admin:boards_paper_import`` for staff who may add papers. Between the
upload and the save the original waits in ``waiting_storage()`` under ``imports/``, named by a
signed token in the form (so no one can point the save at another file), and is removed once
the paper is saved.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse

from boards.models import Board, Meeting, Paper
from minutebook.money import AmountError, parse_amount

from .importing import MAX_BYTES, ImportRefused, PaperDraft, ProposedMoney, ProposedRecommendation
from .importing import parse as parse_file
from .services import save_import, waiting_storage

SALT = "documents.import-paper"
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
    """The waiting original's text again (its pages for a PDF), to show beside the draft."""
    if not waiting_storage().exists(ticket["path"]):
        return ["(The original is no longer available: upload it again.)"]
    with waiting_storage().open(ticket["path"]) as handle:
        try:
            return parse_file(handle.read()).original_text
        except ImportRefused as exc:
            return [str(exc)]


class ImportPaperMixin:
    """Adds "Import a paper" to the paper's admin (the link is on its changelist)."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="boards_paper_import",
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
        """GET: the upload form. POST with a file: the draft beside the original's text. POST
        with the draft (``token``): the draft paper saved, then its change page."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self._save(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._page(request, "admin/documents/import_upload.html", {"form": form})
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            draft = parse_file(data)
        except ImportRefused as exc:
            form.add_error("file", f"File: {exc}")
            return self._page(
                request, "admin/documents/import_upload.html", {"form": form}, status=400
            )
        stored = waiting_storage().save(f"imports/{uuid.uuid4().hex}", ContentFile(data))
        token = signing.dumps(
            {"path": stored, "name": upload.name[:200], "user": request.user.pk}, salt=SALT
        )
        initial = {name: getattr(draft, name) for name in PAPER_FIELDS}
        initial |= {
            "board": form.cleaned_data["board"],
            "meeting": form.cleaned_data["meeting"],
            "token": token,
        }
        return self._review(
            request,
            DraftForm(initial=initial),
            RecommendationFormSet(
                initial=[{"number": r.number, "text": r.text} for r in draft.recommendations],
                prefix="recommendations",
            ),
            MoneyFormSet(
                initial=[m.__dict__ for m in draft.money],
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
            ticket = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=24 * 3600)
        except signing.BadSignature as exc:
            raise PermissionDenied("The import form has expired or was altered.") from exc
        if ticket.get("user") != request.user.pk:
            raise PermissionDenied("This import was started by someone else.")
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
        waiting_storage().delete(ticket["path"])
        messages.success(
            request,
            f"Imported “{paper}” as a draft paper. Its money waits for a finance officer to "
            "confirm it.",
        )
        return HttpResponseRedirect(reverse("admin:boards_paper_change", args=[paper.pk]))
