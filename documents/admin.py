"""The attachments inline: upload with the checks, the computed fields read-only.

``web.admin`` adds ``AttachmentInline`` to the paper, agenda item and decision notice screens.
Rows follow their record's lock: read-only (no change, no delete) once the record is locked;
the model refuses such changes on every other path too.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from minutebook.admin import name_row_inputs

from .models import Attachment
from .services import store
from .validation import check_upload


class AttachmentForm(forms.ModelForm):
    """A new row takes the file (``upload``), checked by content, size and name; a stored
    row's file is not replaced (attach a new one instead: its checksum is its identity)."""

    upload = forms.FileField(
        required=False,
        label="File",
        help_text="PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt), CSV, or a PNG, "
        "JPEG, GIF or WebP image.",
    )
    user = None  # the uploader, set per request by ``AttachmentInline.get_formset``

    class Meta:
        model = Attachment
        fields = ["title", "access", "exemption_reason"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if self.instance.pk is None:
            if upload is None:
                self.add_error("upload", "Choose the file to attach.")
            else:
                try:
                    checked = check_upload(upload)
                except forms.ValidationError as error:
                    self.add_error("upload", error.message_dict["file"])
                else:
                    self.instance.original_name = checked.name
                    self.instance.size = checked.size
                    self.instance.content_type = checked.content_type
                    self.instance.sha256 = checked.sha256
        elif upload is not None:
            self.add_error("upload", "A stored file is not replaced: attach the new one.")
        return cleaned

    def save(self, commit=True):
        attachment = super().save(commit=False)
        if not commit:
            return attachment
        if attachment.pk is None:
            if self.user is not None and self.user.is_authenticated:
                attachment.uploaded_by = self.user
            return store(attachment, self.cleaned_data["upload"])
        attachment.save()
        return attachment


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = [
        "title",
        "upload",
        "access",
        "exemption_reason",
        "download",
        "kind",
        "file_size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = ["download", "kind", "file_size", "sha256", "uploaded_by", "uploaded_at"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        form = type("AttachmentForm", (formset.form,), {"user": request.user})

        class Named(formset):
            # Each input named by its column and row ("Title, row 2"), as every tabular
            # inline of the project: the headings label the cells by sight only.
            def add_fields(self, form, index):
                super().add_fields(form, index)
                name_row_inputs(form, index)

        Named.form = form
        return Named

    def record_locked(self, obj) -> bool:
        """Whether the parent record's lock holds its attachments. One query (none for a paper)."""
        if obj is None or obj.pk is None:
            return False
        field = {"Paper": "paper", "AgendaItem": "agenda_item", "DecisionNotice": "notice"}
        return Attachment(**{field[type(obj).__name__]: obj}).target_locked()

    def has_change_permission(self, request, obj=None):
        return not self.record_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.record_locked(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="Download")
    def download(self, attachment: Attachment) -> str:
        if attachment.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.original_name
        )

    @admin.display(description="Type")
    def kind(self, attachment: Attachment) -> str:
        return attachment.type_label if attachment.pk else ""

    @admin.display(description="Size")
    def file_size(self, attachment: Attachment) -> str:
        return filesizeformat(attachment.size) if attachment.pk else ""
