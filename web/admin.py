"""Admin screens that join apps: a paper with its recommendations and money inline, a decision
notice with the money it commits, a collaborated function with its own money. Each app owns its
admin class; this module composes and registers the screens that show more than one app, and
gives every other screen registered before it (Django's users and groups, django-axes' logs)
``BadInputGuard``, so no admin screen answers 500 for an id or value no key or date can hold."""

from django.contrib import admin

from boards.admin import PaperAdmin
from boards.models import Paper
from collaboration.admin import CollaboratedFunctionAdmin
from collaboration.models import CollaboratedFunction
from decisions.admin import DecisionNoticeAdmin, RecommendationInline
from decisions.models import DecisionNotice
from finance.admin import FunctionLineInline, LinesOnlyMixin, NoticeLineInline, PaperLineInline
from minutebook.admin import BadInputGuard


@admin.register(Paper)
class PaperScreen(LinesOnlyMixin, PaperAdmin):
    """The paper, its recommendations and its financial lines."""

    inlines = [*PaperAdmin.inlines, RecommendationInline, PaperLineInline]


@admin.register(DecisionNotice)
class DecisionNoticeScreen(LinesOnlyMixin, DecisionNoticeAdmin):
    """The notice and the money it commits (read-only once signed)."""

    inlines = [*DecisionNoticeAdmin.inlines, NoticeLineInline]


@admin.register(CollaboratedFunction)
class CollaboratedFunctionScreen(LinesOnlyMixin, CollaboratedFunctionAdmin):
    """The function, its business cases and its own financial lines."""

    inlines = [*CollaboratedFunctionAdmin.inlines, FunctionLineInline]


def guard_every_screen(site: admin.AdminSite) -> None:
    """Registers each model admin of ``site`` that lacks ``BadInputGuard`` again with it (a
    subclass of its own class, so nothing else changes). ``web`` is the last app, so every
    other app's admin is registered by now."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, BadInputGuard):
            cls = type(model_admin)
            site.unregister(model)
            site.register(
                model, type(cls.__name__, (BadInputGuard, cls), {"__module__": cls.__module__})
            )


guard_every_screen(admin.site)
