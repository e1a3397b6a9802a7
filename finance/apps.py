from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FinanceConfig(AppConfig):
    name = "finance"

    def ready(self) -> None:
        from .groups import ensure_group

        post_migrate.connect(ensure_group, sender=self, dispatch_uid="finance-officers-group")
