"""The ASGI application. It refuses to start without DJANGO_SECRET_KEY while debug is off:
management commands may run on a throwaway key, the site never does."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")
application = get_asgi_application()
if settings.MINUTEBOOK_SECRET_KEY_MISSING:
    raise ImproperlyConfigured(settings.MINUTEBOOK_SECRET_KEY_MESSAGE)
