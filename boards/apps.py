from django.apps import AppConfig

from minutebook import changes


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Boards, meetings and papers"

    def ready(self) -> None:
        changes.watch(self)
