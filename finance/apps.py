from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FinanceConfig(AppConfig):
    name = "finance"

    def ready(self) -> None:
        from . import signals
        from .groups import ensure_group

        signals.connect()
        post_migrate.connect(ensure_group, sender=self, dispatch_uid="finance-officers-group")
        post_migrate.connect(fill_totals, sender=self, dispatch_uid="finance-line-totals")


def fill_totals(sender, **kwargs) -> None:
    """After migrate: compute the running totals of a database whose lines have none yet
    (a database migrated to the version that added them)."""
    from .models import FinancialLine, LineTotal
    from .rollup import rebuild

    using = kwargs.get("using", "default")
    if using == "default" and not LineTotal.objects.exists() and FinancialLine.objects.exists():
        rebuild()
