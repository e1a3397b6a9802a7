"""The test suite's settings: ``minutebook.settings`` with DJANGO_DEBUG defaulting to on.

Production defaults to DEBUG off, which also turns on what a plain-HTTP test client cannot
follow (the HTTPS redirect, secure cookies, the collected static manifest) and asks for a secret
key. The tests read the development settings instead, so ``pytest`` runs on a fresh checkout
with no variables set (pytest-django still runs every test with ``DEBUG = False``, so no test sees a debug page).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from minutebook.settings import *  # noqa: E402, F403
