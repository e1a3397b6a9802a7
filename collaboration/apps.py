from django.apps import AppConfig

from minutebook import changes


class CollaborationConfig(AppConfig):
    name = "collaboration"

    def ready(self) -> None:
        changes.watch(self)
