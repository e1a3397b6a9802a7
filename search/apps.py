from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    """The site-wide search index: one stored row per searchable record of every domain app,
    kept in step by the receivers connected here (``search/receivers.py``), one per sender."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Django's own pattern: what needs the models is imported once they are loaded.
        from boards.models import Paper
        from jobs.api import startable

        from . import index, receivers, tasks
        from .models import SearchEntry

        receivers.connect()
        # A button of the admin's jobs list: "Rebuild the search index".
        startable(tasks.rebuild_search_index, name="rebuild-search-index", key=tasks.KEY)

        def fill_index(sender, using="default", **kwargs) -> None:
            """After migrate: build the index of a database that has records but no index yet
            (one migrated to the version that added it); nothing when the index's table is not
            there (migrated back before it)."""
            tables = connections[using].introspection.table_names()
            if SearchEntry._meta.db_table not in tables:
                return
            if (
                not SearchEntry.objects.using(using).exists()
                and Paper.objects.using(using).exists()
            ):
                # Through the module, so a test can watch which database it is given.
                index.rebuild(using=using)

        post_migrate.connect(fill_index, sender=self, dispatch_uid="search-fill-index", weak=False)
