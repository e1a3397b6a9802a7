"""Minutebook settings: one module, everything from the environment.

DEBUG is off unless DJANGO_DEBUG says otherwise, so a forgotten variable never shows a
traceback: production sets DATABASE_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; development
sets DJANGO_DEBUG=1 (``make run`` does) and then needs nothing else (SQLite file in the project).
The test suite reads ``minutebook.test_settings``, which is this module with DJANGO_DEBUG
defaulting to on.
"""

import base64
import datetime
import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but the listed spellings is an error naming the variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; blank items are dropped."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name, "")
    return value if value else default


def env_address(name: str) -> str:
    """Read a link's address: blank (not set), a web address (https:// or http://), a path on
    this site (/...) or mailto:; anything else is an error naming the variable."""
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(("https://", "http://", "/", "mailto:")):
        raise ImproperlyConfigured(
            f"{name} must be a web address (https://...), a path (/...) or mailto:...; got {value!r}"
        )
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Read a whole number of at least ``minimum``; anything else is an error naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}; got {value!r}"
        )
    return number


DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET = "dev-only-not-secret-minutebook-0000000000000000000000000000000000"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
#: Debug off and no DJANGO_SECRET_KEY: management commands (check, migrate, makemigrations) still
#: run, on a key that lives as long as the process, but the site does not: ``minutebook.wsgi``
#: and ``minutebook.asgi`` refuse to start and ``check --deploy`` fails (minutebook.E002).
MINUTEBOOK_SECRET_KEY_MISSING = not SECRET_KEY
MINUTEBOOK_SECRET_KEY_MESSAGE = (
    "DJANGO_SECRET_KEY must be set: DJANGO_DEBUG is off (the default). For development set "
    "DJANGO_DEBUG=1, as `make run` does."
)
if MINUTEBOOK_SECRET_KEY_MISSING:
    SECRET_KEY = "ephemeral-" + secrets.token_urlsafe(48)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    # The one-way stack, lowest first: the kernel, the domain apps, the site on top.
    "minutebook",
    "jobs",
    "boards",
    "decisions",
    "collaboration",
    "finance",
    "documents",
    "search",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permissions-Policy everywhere, Cache-Control private for a signed-in reader.
    "minutebook.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A 400 for an admin address no record can match, on the screens of auth and axes too.
    "minutebook.middleware.AdminBadInputMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "web.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "minutebook.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
MINUTEBOOK_SQLITE_OPTIONS = {
    "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 20, minimum=1),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under concurrent writers (two staff signing at once): every
    # transaction takes the write lock when it begins (BEGIN IMMEDIATE), so a writer never
    # fails half-way on upgrading a read lock, and waits up to DJANGO_SQLITE_TIMEOUT seconds
    # for the lock instead of answering "database is locked". WAL lets readers go on reading
    # while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(MINUTEBOOK_SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in: django-axes's backend comes first, so a locked-out username and address is refused
# before the password is checked (on /accounts/login/ and /admin/login/ alike). Failures are
# kept in the database, so every gunicorn worker sees them (and each test starts clean).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with its two permission queries made one (changing it signs everyone out once).
    "minutebook.auth.ModelBackendOneQuery",
]
AXES_ENABLED = env_bool("MINUTEBOOK_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = env_int("MINUTEBOOK_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("MINUTEBOOK_LOCKOUT_MINUTES", 30, minimum=1))
# Locked: this username from this address. Another address (the real user at their desk) may
# still sign in, so a stranger cannot lock a colleague out by mistyping their name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "minutebook.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "minutebook.security.client_ip"
# How many reverse proxies (each appending to X-Forwarded-For) stand in front of gunicorn; 0
# reads the client's address from the connection itself.
MINUTEBOOK_PROXY_COUNT = env_int("MINUTEBOOK_PROXY_COUNT", 0)

# Words no password may contain, whatever the case, spacing or digits for letters: the
# product's name and the office's.
PASSWORD_FORBIDDEN_WORDS = env_list(
    "MINUTEBOOK_PASSWORD_FORBIDDEN_WORDS",
    ["minutebook", "opcc", "police and crime commissioner", "cambridgeshire"],
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "minutebook.security.ForbiddenWordsValidator",
        "OPTIONS": {"words": PASSWORD_FORBIDDEN_WORDS},
    },
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Attachments (documents app): public and exempt files in two storages, never served from them
# straight: downloads go through Minutebook's view, which applies the access rules. Default: the
# local file system under MINUTEBOOK_MEDIA_ROOT (media/ in the project), one folder for each.
# With MINUTEBOOK_S3_BUCKET and MINUTEBOOK_S3_EXEMPT_BUCKET (two buckets, the exempt one never
# public; MINUTEBOOK_S3_ENDPOINT_URL for a store other than AWS, credentials from the standard
# AWS_* variables) both are django-storages S3 storages.
MEDIA_ROOT = Path(env_str("MINUTEBOOK_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: no file is served by its storage's address
MINUTEBOOK_ATTACHMENT_MAX_BYTES = env_int(
    "MINUTEBOOK_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1
)
MINUTEBOOK_ATTACHMENT_MAX_UNZIPPED_BYTES = env_int(
    "MINUTEBOOK_ATTACHMENT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024, minimum=1
)
MINUTEBOOK_S3_BUCKET = env_str("MINUTEBOOK_S3_BUCKET", "")
MINUTEBOOK_S3_EXEMPT_BUCKET = env_str("MINUTEBOOK_S3_EXEMPT_BUCKET", "")
MINUTEBOOK_S3_ENDPOINT_URL = env_address("MINUTEBOOK_S3_ENDPOINT_URL")


def attachment_storages(
    bucket: str, exempt_bucket: str, endpoint_url: str, media_root: Path
) -> dict[str, dict]:
    """``STORAGES["attachments"]`` and ``STORAGES["exempt_attachments"]``: S3 when a bucket is
    named (both must be, and differ: exempt files are never in the public files' bucket),
    else folders under ``media_root``."""
    if not bucket and not exempt_bucket:
        return {
            name: {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(media_root / folder), "base_url": None},
            }
            for name, folder in (
                ("attachments", "attachments"),
                ("exempt_attachments", "exempt-attachments"),
            )
        }
    if not bucket or not exempt_bucket or bucket == exempt_bucket:
        raise ImproperlyConfigured(
            "MINUTEBOOK_S3_BUCKET and MINUTEBOOK_S3_EXEMPT_BUCKET must both be set, to two "
            "different buckets: exempt attachments are never kept in the public files' bucket."
        )
    common = {
        "endpoint_url": endpoint_url or None,
        "default_acl": None,  # the bucket's own policy; never public-read from here
        "querystring_auth": True,
        "file_overwrite": False,
    }
    return {
        "attachments": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "bucket_name": bucket},
        },
        "exempt_attachments": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "bucket_name": exempt_bucket, "default_acl": "private"},
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    **attachment_storages(
        MINUTEBOOK_S3_BUCKET, MINUTEBOOK_S3_EXEMPT_BUCKET, MINUTEBOOK_S3_ENDPOINT_URL, MEDIA_ROOT
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my:home"  # a signed-in reader's own home page
LOGOUT_REDIRECT_URL = "/"

# The cache holds rendered PDFs (keyed by their HTML) and the records token. Default: this process's memory. Set
# MINUTEBOOK_CACHE_URL to share it between gunicorn workers: redis://127.0.0.1:6379/1, or
# file:///var/cache/minutebook for a directory on disk.
_cache_url = env_str("MINUTEBOOK_CACHE_URL", "locmem://")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url.startswith("file://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": _cache_url.removeprefix("file://"),
        }
    }
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"MINUTEBOOK_CACHE_URL must start with redis://, rediss://, file:// or be locmem://; got {_cache_url!r}"
    )
# Sessions are kept in the database; with a cache every worker shares (Redis, or a directory on
# one host), also in that cache, so a signed-in request reads its session without a query
# (written through: signing out deletes both, on every worker at once). Not with this process's
# memory: another worker would keep a signed-out session's copy.
if _cache_url != "locmem://":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long a rendered PDF stays cached (it is keyed by the hash of its HTML, so a changed
# record is never served stale).
MINUTEBOOK_PDF_CACHE_SECONDS = env_int("MINUTEBOOK_PDF_CACHE_SECONDS", 2592000)
# Public pages served from the cache while no record changes (web/page_cache.py; README
# "Caching"). Off: every page is built, its validators still given. The entries' lifetime only
# bounds memory: a change to a record retires them at once through the records token.
MINUTEBOOK_PAGE_CACHE = env_bool("MINUTEBOOK_PAGE_CACHE", True)
MINUTEBOOK_PAGE_CACHE_SECONDS = env_int("MINUTEBOOK_PAGE_CACHE_SECONDS", 86400, minimum=1)
# How long a proxy, a CDN or a browser may keep a page of settled records for the public
# before asking again (Cache-Control max-age; 0: always ask), and serve it while it asks.
MINUTEBOOK_PAGE_MAX_AGE = env_int("MINUTEBOOK_PAGE_MAX_AGE", 60)
MINUTEBOOK_PAGE_STALE_WHILE_REVALIDATE = env_int("MINUTEBOOK_PAGE_STALE_WHILE_REVALIDATE", 30)
# At most this many PDF renders run or wait at once in one process; a request beyond them gets
# 503 with Retry-After (MINUTEBOOK_PDF_RETRY_AFTER seconds) instead of tying up a worker.
MINUTEBOOK_PDF_RENDERS = env_int("MINUTEBOOK_PDF_RENDERS", 1, minimum=1)
MINUTEBOOK_PDF_RETRY_AFTER = env_int("MINUTEBOOK_PDF_RETRY_AFTER", 5, minimum=1)

# The organisation whose records these are, as the header, footer and accessibility statement
# name it; and the addresses of its own contact, privacy and freedom of information pages, each
# linked in the footer only when set (nothing is made up for an organisation that sets none).
MINUTEBOOK_ORGANISATION = env_str(
    "MINUTEBOOK_ORGANISATION", "Cambridgeshire Office of the Police and Crime Commissioner"
)
MINUTEBOOK_CONTACT_URL = env_address("MINUTEBOOK_CONTACT_URL")
MINUTEBOOK_PRIVACY_URL = env_address("MINUTEBOOK_PRIVACY_URL")
MINUTEBOOK_FOI_URL = env_address("MINUTEBOOK_FOI_URL")
# Where to report an accessibility problem (an email address or a web address), named on the
# accessibility statement; "not recorded" there when unset.
MINUTEBOOK_ACCESSIBILITY_CONTACT = env_str("MINUTEBOOK_ACCESSIBILITY_CONTACT", "")

# Background jobs (jobs/): imports, packs, the PDFs of newly locked records, search re-indexing.
# Embedded default: no broker; a job runs in the process that enqueues it, once the enqueuing
# transaction commits (django-tasks' ImmediateBackend). MINUTEBOOK_TASKS_REDIS_URL hands jobs to
# Redis (django-tasks-rq) instead, run by `manage.py rqworker --job-class django_tasks_rq.Job
# default` on any host.
MINUTEBOOK_TASKS_REDIS_URL = env_str("MINUTEBOOK_TASKS_REDIS_URL", "")
MINUTEBOOK_TASKS_QUEUE = "default"
# A job running longer than this is stopped by its worker (RQ) and recorded as failed; a job
# "running" longer than this is one whose worker died, and staff may mark it failed to retry it.
MINUTEBOOK_TASKS_TIMEOUT = env_int("MINUTEBOOK_TASKS_TIMEOUT", 1800, minimum=1)
# Who may see the jobs list: a job names its record (an exempt attachment's title, a paper
# not yet published) and its error may quote it, so only readers of every record, whatever
# the "view job" permission says.
MINUTEBOOK_JOBS_READER_PERMISSION = "boards.read_restricted"
if MINUTEBOOK_TASKS_REDIS_URL:
    if not MINUTEBOOK_TASKS_REDIS_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(
            "MINUTEBOOK_TASKS_REDIS_URL must start with redis:// or rediss://; "
            f"got {MINUTEBOOK_TASKS_REDIS_URL!r}"
        )
    INSTALLED_APPS.append("django_rq")
    TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [MINUTEBOOK_TASKS_QUEUE]}
    }
    RQ_QUEUES = {
        MINUTEBOOK_TASKS_QUEUE: {
            "URL": MINUTEBOOK_TASKS_REDIS_URL,
            "DEFAULT_TIMEOUT": MINUTEBOOK_TASKS_TIMEOUT,
        }
    }
    RQ_SHOW_ADMIN_LINK = False  # the jobs list (jobs.Job) is the staff's view of jobs
else:
    TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": [MINUTEBOOK_TASKS_QUEUE],
        }
    }
# The site's own address, which PDFs rendered in the background resolve their links against
# (a reader's request gives it for PDFs rendered on demand). Must be the address readers use, or
# the PDFs rendered ahead are never the ones served. Unset: nothing is rendered ahead.
MINUTEBOOK_SITE_URL = env_address("MINUTEBOOK_SITE_URL")
if MINUTEBOOK_SITE_URL and not MINUTEBOOK_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"MINUTEBOOK_SITE_URL must be a web address (https://...); got {MINUTEBOOK_SITE_URL!r}"
    )

# PDFs rendered ahead (background jobs) are kept in the cache; MINUTEBOOK_PDF_STORAGE also
# keeps them in a directory (file:///var/lib/minutebook/pdfs), read back when the cache has lost
# them. STORAGES["pdfs"] may equally name any storage backend (an S3 bucket shared by all hosts).
_pdf_storage = env_str("MINUTEBOOK_PDF_STORAGE", "")
if _pdf_storage:
    if not _pdf_storage.startswith("file:///"):
        raise ImproperlyConfigured(
            f"MINUTEBOOK_PDF_STORAGE must be a directory as file:///path; got {_pdf_storage!r}"
        )
    STORAGES["pdfs"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _pdf_storage.removeprefix("file://")},
    }

# Lists on the public site show this many rows a page.
PAGE_SIZE = env_int("MINUTEBOOK_PAGE_SIZE", 25, minimum=1)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True


def _csp_hash(source: str) -> str:
    """The CSP source expression allowing exactly ``source`` (a script, style or attribute)."""
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# Content-Security-Policy (django-csp): scripts, styles, images, fonts and frames from this site
# only, nothing inline; no plugins, no framing, forms post only here. The one exception: tables
# in record text align their columns with style attributes (markdown-it writes
# style="text-align:right"), allowed by hash, so no other inline style applies.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [
            UNSAFE_HASHES,
            *(_csp_hash(f"text-align:{side}") for side in ("left", "center", "right")),
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (minutebook.middleware): browser features no page of the site uses, denied
# to every page and frame.
PERMISSIONS_POLICY = [
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# Decision notice references, given when a notice is signed: {year} is the signing year,
# {number} the next number in that year (restarting at 1 each year).
DECISION_REFERENCE_FORMAT = env_str("MINUTEBOOK_DECISION_REFERENCE", "CPCC {year}-{number:03d}")
try:
    _sample = DECISION_REFERENCE_FORMAT.format(year=2015, number=25)
except (KeyError, IndexError, ValueError) as _exc:
    raise ImproperlyConfigured(
        "MINUTEBOOK_DECISION_REFERENCE must be a format using only {year} and {number}, "
        f"e.g. 'CPCC {{year}}-{{number:03d}}'; got {DECISION_REFERENCE_FORMAT!r} ({_exc})"
    ) from _exc
if _sample == DECISION_REFERENCE_FORMAT.format(year=2015, number=26):
    raise ImproperlyConfigured("MINUTEBOOK_DECISION_REFERENCE must include {number}")
