from django.apps import AppConfig


class WebConfig(AppConfig):
    """Every page, PDF view, export and URL; the admin screens that join apps; the project-wide
    commands. Has no models: it reads the domain apps below it."""

    name = "web"
    verbose_name = "Public site"
