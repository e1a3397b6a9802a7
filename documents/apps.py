from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete

from minutebook.changes import watch


class DocumentsConfig(AppConfig):
    """Original documents: files attached to papers, agenda items and decision notices under
    their own access, and the importer that turns a Word, PDF or text paper into a draft."""

    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from minutebook.records import refuse_deleting_locked

        from .models import Attachment, delete_stored_file

        # Pages list attachments: any change drops the records token.
        watch(self)
        # A locked attachment is never deleted, a cascade from its record included.
        pre_delete.connect(
            refuse_deleting_locked, sender=Attachment, dispatch_uid="documents:refuse-locked"
        )
        # The file goes when its row does, once the deletion commits.
        post_delete.connect(
            delete_stored_file, sender=Attachment, dispatch_uid="documents:delete-file"
        )
