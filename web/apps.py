from django.apps import AppConfig


class WebConfig(AppConfig):
    """Every page, PDF view, export and URL; the admin screens that join apps; the project-wide
    commands. Has no models: it reads the domain apps below it."""

    name = "web"
    verbose_name = "Public site"

    def ready(self) -> None:
        # Django's own pattern: what needs the models is imported once they are loaded.
        from django.db.models.signals import post_save

        from boards.models import Meeting, Paper
        from boards.services import minutes_approved
        from decisions.models import DecisionNotice
        from decisions.services import notice_published, notice_signed

        from . import receivers

        # PDFs rendered in the background when records are locked or published (web.receivers).
        minutes_approved.connect(
            receivers.render_minutes_ahead, sender=Meeting, dispatch_uid="web-minutes-pdf-ahead"
        )
        notice_signed.connect(
            receivers.render_notice_ahead,
            sender=DecisionNotice,
            dispatch_uid="web-notice-pdf-ahead-signed",
        )
        notice_published.connect(
            receivers.render_notice_ahead,
            sender=DecisionNotice,
            dispatch_uid="web-notice-pdf-ahead-published",
        )
        post_save.connect(
            receivers.render_pack_ahead, sender=Paper, dispatch_uid="web-pack-pdf-ahead"
        )
