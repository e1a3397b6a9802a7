from django.apps import AppConfig
from django.db.models.signals import post_migrate

from minutebook import changes


class FinanceConfig(AppConfig):
    name = "finance"

    def ready(self) -> None:
        # Django's own pattern: what needs the models is imported once they are loaded.
        from boards.models import AgendaItem, Board, Meeting, MinuteParagraph, Paper
        from decisions.models import DecisionNotice, Recommendation
        from decisions.services import correction_drafted
        from minutebook.records import visibility_changed

        from . import receivers
        from .groups import ensure_group
        from .models import ColumnTotal, FinancialLine, LineTotal

        changes.watch(self)
        for sender, receiver in (
            (Paper, receivers.paper_changed),
            (Board, receivers.board_changed),
            (Meeting, receivers.meeting_changed),
            (AgendaItem, receivers.agenda_item_changed),
            (MinuteParagraph, receivers.minute_paragraph_changed),
            (DecisionNotice, receivers.notice_changed),
            (Recommendation, receivers.recommendation_changed),
        ):
            visibility_changed.connect(
                receiver, sender=sender, dispatch_uid=f"finance-stamps:{sender._meta.label}"
            )
        correction_drafted.connect(
            receivers.copy_money_to_correction,
            sender=DecisionNotice,
            dispatch_uid="finance-copy-money-to-correction",
        )

        def fill_totals(sender, using="default", **kwargs) -> None:
            """After migrate: stamp the lines and compute the stored totals of a database
            whose lines have none yet (one migrated to the version that added them)."""
            lines = FinancialLine.objects.using(using)
            stored = (model.objects.using(using).exists() for model in (LineTotal, ColumnTotal))
            if not all(stored) and lines.exists():
                lines.rebuild_totals()

        post_migrate.connect(ensure_group, sender=self, dispatch_uid="finance-officers-group")
        post_migrate.connect(
            fill_totals, sender=self, dispatch_uid="finance-line-totals", weak=False
        )
