from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class MinutebookConfig(AppConfig):
    name = "minutebook"
    verbose_name = "Minutebook"

    def ready(self) -> None:
        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
        checks.register(check_secret_key, checks.Tags.security, deploy=True)


def check_secret_key(app_configs, **kwargs):
    """Debug off without DJANGO_SECRET_KEY: the settings gave a throwaway key so that management
    commands run; a deployment must not (the WSGI and ASGI applications refuse to start)."""
    if settings.MINUTEBOOK_SECRET_KEY_MISSING:
        return [checks.Error(settings.MINUTEBOOK_SECRET_KEY_MESSAGE, id="minutebook.E002")]
    return []


def check_shared_cache(app_configs, **kwargs):
    """Production runs several processes: the cached PDFs, counts and the records token that
    invalidates them must be shared by all of them, or a worker that did not see a record change
    serves what another worker knows is stale (an exempt paper's PDF to the public). An error,
    so ``check --deploy`` fails; the file cache is shared by the processes of one host only."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Error(
                "The cache is this process's memory: with several gunicorn workers a worker can "
                "serve a cached PDF after another worker saw the record change, to a reader who "
                "may no longer see it.",
                hint="Set MINUTEBOOK_CACHE_URL to redis://… (several hosts) or file://… "
                "(one host).",
                id="minutebook.E001",
            )
        ]
    return []
