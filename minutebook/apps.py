from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class MinutebookConfig(AppConfig):
    name = "minutebook"
    verbose_name = "Minutebook"

    def ready(self) -> None:
        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)


def check_shared_cache(app_configs, **kwargs):
    """Production runs several processes: the PDF cache and its change token must be shared."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "The cache is this process's memory: with several gunicorn workers a worker can "
                "serve a cached PDF after another worker saw the record change.",
                hint="Set MINUTEBOOK_CACHE_URL to redis://… or file://….",
                id="minutebook.W001",
            )
        ]
    return []
