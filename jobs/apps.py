from django.apps import AppConfig

from . import checks  # noqa: F401  (registers jobs.W001 and jobs.W002)


class JobsConfig(AppConfig):
    """Background jobs: the record of each job run through django-tasks (what, for which record,
    its progress, failure and retries), shown to staff in the admin. It knows no domain app:
    the layers above define their tasks and run them through ``jobs``."""

    name = "jobs"
    verbose_name = "Background jobs"
