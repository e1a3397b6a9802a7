"""Decision notices and recommendations in the admin.

A signed notice is shown read-only with the way to correct it ("Draft a correction"); the
actions sign, publish and withdraw call ``decisions.services``, which check permissions.
``RecommendationInline`` is used on the paper screen and ``DecisionNoticeAdmin`` registered,
with the money inline, by ``web.admin``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from minutebook.admin import (
    LockAwareAdmin,
    ReadOnlyWhenLocked,
    RecordInline,
    YearFilter,
    public_link,
)
from minutebook.concurrency import VersionedAdminMixin

from . import services
from .models import Recommendation


class RecommendationInline(RecordInline, admin.TabularInline):
    """A paper's recommendations; a row a signed notice followed is shown read-only."""

    model = Recommendation
    extra = 1
    autocomplete_fields = ["decided_at", "decision_notice"]
    fields = [
        "position",
        "number",
        "text",
        "outcome",
        "decided_at",
        "outcome_note",
        "decision_notice",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"text", "outcome_note"}:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SignedYearFilter(YearFilter):
    year_field = "signed_on"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Reason for withdrawing"
    )


class DecisionNoticeAdmin(
    LockAwareAdmin, ReadOnlyWhenLocked, VersionedAdminMixin, SimpleHistoryAdmin
):
    """The notice's own fields and lifecycle. Registered by ``web.admin``, which adds the
    money it commits inline (finance)."""

    list_display = [
        "reference_display",
        "title",
        "status",
        "signed_on",
        "published_on",
        "meeting",
        "pdf",
    ]
    list_filter = ["status", SignedYearFilter, "meeting__board", "decision_maker", "access"]
    list_select_related = ["meeting__board", "decision_maker"]
    search_fields = ["reference", "title", "decision", "executive_summary"]
    autocomplete_fields = ["decision_maker", "meeting", "papers", "supersedes"]
    readonly_fields = [
        "reference",
        "status",
        "signed_on",
        "published_on",
        "withdrawn_reason",
        "links",
    ]
    actions = ["sign", "publish", "withdraw", "download_pdf"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "reference",
                    "status",
                    "signed_on",
                    "published_on",
                    "withdrawn_reason",
                    "links",
                ]
            },
        ),
        (
            "The decision",
            {
                "fields": [
                    "executive_summary",
                    "decision",
                    "reasons",
                    "options_rejected",
                    "consultation",
                    "background",
                ]
            },
        ),
        (
            "Implications",
            {
                "fields": [
                    "financial_implications",
                    "legal_implications",
                    "other_implications",
                    "plan_theme",
                ]
            },
        ),
        (
            "Who and where",
            {
                "fields": [
                    "decision_maker",
                    "decision_maker_title",
                    "forum",
                    "meeting",
                    "papers",
                    "declarations",
                    "significant_public_interest",
                ]
            },
        ),
        (
            "Access",
            {
                "fields": [
                    "access",
                    "exemption",
                    "background_papers",
                    "contact_officer",
                    "supersedes",
                ]
            },
        ),
    ]

    @admin.display(description="Reference", ordering="reference")
    def reference_display(self, obj):
        return obj.reference or "not recorded"

    @admin.display(description="PDF")
    def pdf(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("decisions:pdf", args=[obj.pk]))

    @admin.display(description="Links")
    def links(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        parts = [
            public_link(obj),
            format_html(
                '<a href="{}">Download the PDF</a>', reverse("decisions:pdf", args=[obj.pk])
            ),
        ]
        if obj.is_locked:
            parts.append(
                format_html(
                    '<a href="{}">Draft a correction (a new notice superseding this one)</a>',
                    reverse("admin:decisions_decisionnotice_correct", args=[obj.pk]),
                )
            )
        return format_html(" · ".join(["{}"] * len(parts)), *parts)

    def get_urls(self):
        return [
            path(
                "<int:pk>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="decisions_decisionnotice_correct",
            ),
            *super().get_urls(),
        ]

    def correct_view(self, request, pk):
        """GET asks for confirmation; only a POST (with its CSRF token) drafts the correction."""
        notice = self.get_object(request, pk)
        if notice is None or not super().has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return render(
                request,
                "admin/decisions/correct.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Draft a correction",
                    "notice": notice,
                    "opts": self.model._meta,
                },
            )
        try:
            draft = services.draft_correction(notice=notice, user=request.user)
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:decisions_decisionnotice_change", pk)
        self.message_user(
            request,
            f"Drafted a correction superseding {notice}. Signing it withdraws the original.",
        )
        return redirect("admin:decisions_decisionnotice_change", draft.pk)

    def _each(self, request, queryset, verb, call):
        done = 0
        for notice in queryset:
            try:
                call(notice)
                done += 1
            except (ValueError, PermissionDenied, ValidationError) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{notice}: {message}", messages.ERROR)
        if done:
            self.message_user(request, f"{verb} {done} decision notice(s).", messages.SUCCESS)

    @admin.action(description="Sign the selected notices (gives each its reference and locks it)")
    def sign(self, request, queryset):
        self._each(
            request, queryset, "Signed", lambda n: services.sign_notice(notice=n, user=request.user)
        )

    @admin.action(description="Publish the selected signed notices")
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            "Published",
            lambda n: services.publish_notice(notice=n, user=request.user),
        )

    @admin.action(description="Download the PDF of the selected notice")
    def download_pdf(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select one notice to download its PDF.", messages.WARNING)
            return None
        return redirect("decisions:pdf", pk=queryset.get().pk)

    @admin.action(description="Withdraw the selected notices…")
    def withdraw(self, request, queryset):
        form = WithdrawForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._each(
                request,
                queryset,
                "Withdrew",
                lambda n: services.withdraw_notice(notice=n, user=request.user, reason=reason),
            )
            return None
        return render(
            request,
            "admin/decisions/withdraw.html",
            {
                **self.admin_site.each_context(request),
                "title": "Withdraw decision notices",
                "notices": queryset,
                "form": form,
                "opts": self.model._meta,
            },
        )


@admin.register(Recommendation)
class RecommendationAdmin(
    LockAwareAdmin, ReadOnlyWhenLocked, VersionedAdminMixin, SimpleHistoryAdmin
):
    """Read-only once a signed notice followed the recommendation."""

    list_display = ["__str__", "paper", "outcome", "decided_at", "decision_notice"]
    list_filter = ["outcome", "paper__board"]
    list_select_related = ["paper", "decided_at__board", "decision_notice"]
    search_fields = ["text", "number", "paper__title"]
    autocomplete_fields = ["paper", "decided_at", "decision_notice"]
