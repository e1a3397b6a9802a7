"""The WSGI application. It refuses to start without DJANGO_SECRET_KEY while debug is off:
management commands may run on a throwaway key, the site never does."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minutebook.settings")
application = get_wsgi_application()
if settings.MINUTEBOOK_SECRET_KEY_MISSING:
    raise ImproperlyConfigured(settings.MINUTEBOOK_SECRET_KEY_MESSAGE)
