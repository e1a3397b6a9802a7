from django.apps import AppConfig
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

        from . import receivers, tasks
        from .index import rebuild
        from .models import SearchEntry

        receivers.connect()
        # A button of the admin's jobs list: "Rebuild the search index".
        startable(tasks.rebuild_search_index, name="rebuild-search-index", key=tasks.KEY)

        def fill_index(sender, using="default", **kwargs) -> None:
            """After migrate: build the index of a database that has records but no index yet
            (one migrated to the version that added it)."""
            if (
                not SearchEntry.objects.using(using).exists()
                and Paper.objects.using(using).exists()
            ):
                rebuild()

        post_migrate.connect(fill_index, sender=self, dispatch_uid="search-fill-index", weak=False)
