from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save, pre_delete

from minutebook import changes


class DecisionsConfig(AppConfig):
    name = "decisions"

    def ready(self) -> None:
        # Django's own pattern: what needs the models is imported once they are loaded.
        from boards.models import Paper
        from minutebook.records import refuse_deleting_locked

        from . import models

        changes.watch(self)
        # A signed notice and what it followed refuse deletion however it is reached.
        for model in (models.DecisionNotice, models.Recommendation):
            pre_delete.connect(
                refuse_deleting_locked, sender=model, dispatch_uid=f"locks:{model._meta.label}"
            )
        pre_delete.connect(
            models.refuse_deleting_paper, sender=Paper, dispatch_uid="locks:decisions:Paper"
        )
        m2m_changed.connect(
            models.refuse_changing_papers,
            sender=models.DecisionNotice.papers.through,
            dispatch_uid="locks:decisions.DecisionNotice.papers",
        )
        post_save.connect(
            models.note_loaded_notice,
            sender=models.DecisionNotice,
            dispatch_uid="locks:decisions:loaded-notice",
        )
