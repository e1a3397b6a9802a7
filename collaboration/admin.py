"""Admin for the collaboration records. The function screen, with its own financial lines
inline, is registered by ``web.admin``."""

from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from minutebook.admin import LockAwareAdmin, RecordInline, public_link
from minutebook.concurrency import VersionedAdminMixin

from .models import BusinessCase, CollaborationAgreement, CollaborationArea


@admin.register(CollaborationArea)
class CollaborationAreaAdmin(LockAwareAdmin, SimpleHistoryAdmin):
    list_display = ["name", "lead_organisation", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead_organisation"]


class BusinessCaseInline(RecordInline, admin.TabularInline):
    model = BusinessCase
    extra = 0
    fields = [
        "stage",
        "approved_on",
        "approved_as_printed",
        "approved_by",
        "paper",
        "assurance_review",
    ]
    autocomplete_fields = ["paper"]
    show_change_link = True


class CollaboratedFunctionAdmin(LockAwareAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    """The function and its business cases. Registered by ``web.admin``, which adds its own
    financial lines inline (finance)."""

    list_display = ["name", "area", "lead_force", "status", "go_live", "public_page"]
    list_filter = ["area", "status"]
    list_select_related = ["area", "lead_force"]
    search_fields = ["name", "area__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area", "lead_force", "partners"]
    readonly_fields = ["public_page"]
    fields = [
        "name",
        "slug",
        "area",
        "lead_force",
        "partners",
        "status",
        "go_live",
        "go_live_as_printed",
        "description",
        "public_page",
    ]
    inlines = [BusinessCaseInline]

    @admin.display(description="Public page")
    def public_page(self, obj):
        return public_link(obj)


@admin.register(BusinessCase)
class BusinessCaseAdmin(LockAwareAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "stage", "approved_on", "approved_as_printed", "approved_by"]
    list_filter = ["stage", "function__area"]
    list_select_related = ["function"]
    search_fields = ["function__name", "approved_by", "approved_as_printed"]
    autocomplete_fields = ["function", "paper"]


@admin.register(CollaborationAgreement)
class CollaborationAgreementAdmin(LockAwareAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "legal_basis", "signed_on", "review_due_display", "decision_notice"]
    list_filter = ["legal_basis"]
    list_select_related = ["decision_notice"]
    search_fields = ["title", "signed_at"]
    autocomplete_fields = ["functions", "parties", "decision_notice", "paper"]
    readonly_fields = ["public_page"]

    @admin.display(description="Review due")
    def review_due_display(self, obj):
        due = obj.review_due
        if due is None:
            return "not recorded"
        if obj.review_overdue():
            return format_html("<strong>{} (overdue)</strong>", due.strftime("%-d %b %Y"))
        return due.strftime("%-d %b %Y")

    @admin.display(description="Public page")
    def public_page(self, obj):
        return public_link(obj)
