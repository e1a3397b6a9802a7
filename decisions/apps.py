from django.apps import AppConfig

from minutebook import changes


class DecisionsConfig(AppConfig):
    name = "decisions"

    def ready(self) -> None:
        changes.watch(self)
