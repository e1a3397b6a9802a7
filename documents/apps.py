from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Original documents: files attached to papers, agenda items and decision notices under
    their own access, and the importer that turns a Word, PDF or text paper into a draft."""

    name = "documents"
    verbose_name = "Documents"
