from django.apps import AppConfig
from django.db.models.signals import pre_delete

from minutebook import changes


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Boards, meetings and papers"

    def ready(self) -> None:
        # Django's own pattern: what needs the models is imported once they are loaded.
        from minutebook.records import refuse_deleting_locked

        from .models import (
            AgendaItem,
            Attendance,
            Declaration,
            Meeting,
            MinuteParagraph,
            ReaderVisit,
        )
        from .models.papers import Paper, refuse_deleting_paper

        # A reader's last visit to /my/ changes only their own page, which no cache keeps.
        changes.watch(self, exclude=(ReaderVisit,))
        # Approved minutes refuse deletion however it is reached (a cascade included).
        for model in (Meeting, AgendaItem, MinuteParagraph, Attendance, Declaration):
            pre_delete.connect(
                refuse_deleting_locked, sender=model, dispatch_uid=f"locks:{model._meta.label}"
            )
        pre_delete.connect(refuse_deleting_paper, sender=Paper, dispatch_uid="locks:boards.Paper")
