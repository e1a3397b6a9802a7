"""Admin screens that join apps: a paper with its recommendations and money inline, a decision
notice with the money it commits, a collaborated function with its own money. Each app owns its
admin class; this module composes and registers the screens that show more than one app.
(Django's users and groups and django-axes' logs answer 400, not 500, to an address no record
can match: ``minutebook.middleware.AdminBadInputMiddleware``.)"""

from django.contrib import admin

from boards.admin import PaperAdmin
from boards.models import Paper
from collaboration.admin import CollaboratedFunctionAdmin
from collaboration.models import CollaboratedFunction
from decisions.admin import DecisionNoticeAdmin, RecommendationInline
from decisions.models import DecisionNotice
from documents.admin import ImportPaperMixin
from finance import summary
from finance.admin import FunctionLineInline, LinesOnlyMixin, NoticeLineInline, PaperLineInline
from finance.models import FinancialLine


@admin.register(Paper)
class PaperScreen(ImportPaperMixin, LinesOnlyMixin, PaperAdmin):
    """The paper, its recommendations and its financial lines; "Import a paper" on its list."""

    inlines = [*PaperAdmin.inlines, RecommendationInline, PaperLineInline]


@admin.register(DecisionNotice)
class DecisionNoticeScreen(LinesOnlyMixin, DecisionNoticeAdmin):
    """The notice and the money it commits (read-only once signed)."""

    inlines = [*DecisionNoticeAdmin.inlines, NoticeLineInline]

    def money_to_lock(self, notice, recommendations):
        """The lines the notice commits (its own and its recommendations') and their totals
        by kind, for its confirmation pages. One query."""
        lines = summary.with_owners(
            FinancialLine.objects.of_notice(notice, [r.pk for r in recommendations]).order_by(
                "financial_year", "position", "pk"
            ),
            notice=notice,
            recommendations=recommendations,
        )
        return {"lines": lines, "totals": summary.kind_totals(lines)}


@admin.register(CollaboratedFunction)
class CollaboratedFunctionScreen(LinesOnlyMixin, CollaboratedFunctionAdmin):
    """The function, its business cases and its own financial lines."""

    inlines = [*CollaboratedFunctionAdmin.inlines, FunctionLineInline]
