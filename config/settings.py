"""Settings, read from the environment (see `.env.example`).

With no environment at all the project runs on its embedded defaults: SQLite and a
file-system Celery broker under `var/`, SMS printed to the console.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from config.settings_database import default_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Set by `make test`: plain HTTP and unhashed static files, as in development.
TESTING = env.bool("TESTING", default=False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _served_address(run_addr: str) -> str:
    """`bin/run`'s address (RUN_ADDR: "8001", "127.0.0.1:8001", "0.0.0.0:8001") as a URL; a
    wildcard host is this machine's loopback."""
    host, _, port = run_addr.strip().rpartition(":")
    if host in ("", "0.0.0.0", "[::]", "::"):  # noqa: S104  # a name for "every interface"
        host = "127.0.0.1"
    return f"http://{host}:{port or '8000'}"


# The address people and Twilio reach this site at, without a trailing slash. Used for links in
# feeds and SMS and for checking Twilio's request signatures behind a proxy. Unset: the address
# `make run` serves (RUN_ADDR), so its links work on any port.
PUBLIC_BASE_URL = env.str(
    "PUBLIC_BASE_URL", default=_served_address(env.str("RUN_ADDR", default="127.0.0.1:8000"))
).rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "recurrence",
    "courses",
    "scheduling",
    "notifications",
    "workspace",
    "appointments",
    "axes",
]

MIDDLEWARE = [
    # Every 503 says when to try again (config.errors answers outages and "busy").
    "config.middleware.RetryAfter",
    # /healthz for load balancers, before host checks and the HTTPS redirect.
    "config.health.HealthCheck",
    "django.middleware.security.SecurityMiddleware",
    # The calendar feeds answered here, after the HTTPS redirect and the security headers and
    # before everything pages need (config.feeds says what a feed does without).
    "config.feeds.CalendarFeeds",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Text answers compressed for clients that accept it, after every other middleware's part.
    "config.middleware.CompressText",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # ?lang=uk on any page sets (and remembers) the language; Content-Language is the page's.
    "config.language.LanguageFromLink",
    "config.middleware.RejectNullCharacters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A database that does not answer fails a request within these (0: no limit) instead of holding
# a web process until gunicorn kills it: connecting, and each statement (on PostgreSQL the
# server cancels it; a database that answers nothing at all is given up one second later, see
# config/postgresql/base.py). On SQLite the statement timeout is how long a writer waits for
# another one. What else each database is given: config/settings_database.py.
DATABASE_CONNECT_TIMEOUT_SECONDS = env.int("DATABASE_CONNECT_TIMEOUT_SECONDS", default=5)
DATABASE_STATEMENT_TIMEOUT_SECONDS = env.float("DATABASE_STATEMENT_TIMEOUT_SECONDS", default=20.0)
DATABASES = {
    "default": default_database(
        env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        connect_timeout=DATABASE_CONNECT_TIMEOUT_SECONDS,
        statement_timeout=DATABASE_STATEMENT_TIMEOUT_SECONDS,
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache holds rate limits, so every process must share it: Redis with CACHE_URL
# (rediscache://127.0.0.1:6379/1), else a table in the database (`manage.py createcachetable`,
# run by `make demo`/`make run`; the test runner makes it for test databases). Built calendar
# feeds are kept apart, in each process's memory: they are keyed by their ETag, so a process
# never serves a stale one, and a hit costs no query (FEED_CACHE_URL to share them).
CACHES = {
    # Tests always count in the test database's table, rolled back after each test, whatever
    # CACHE_URL says: one Redis would mix the counts of the parallel test processes.
    "default": env.cache("CACHE_URL", default="dbcache://integra_cache")
    if not TESTING
    else env.cache_url_config("dbcache://integra_cache"),
    "feeds": env.cache("FEED_CACHE_URL", default="locmemcache://feeds"),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # Counters that hold across processes (see config/cache.py); culled only past 10,000 keys
    # (Django's 300 would drop live rate-limit counters).
    CACHES["default"]["BACKEND"] = "config.cache.DatabaseCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)
if CACHES["feeds"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # Each feed version kept twice (as it is and compressed) beside the pages' kept HTML.
    CACHES["feeds"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1000)
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _cache["BACKEND"] = "config.redis_cache.RedisCache"  # one client per pool, not per call
# Behind N reverse proxies (each appending to X-Forwarded-For), the client is the Nth address
# from the right of X-Forwarded-For; 0: the header is ignored and REMOTE_ADDR is the client.
# Used by the rate limits and the login lock-out.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Polish first (the default), then the languages participants speak.
LANGUAGE_CODE = "pl"
LANGUAGES = [
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
    ("en", _("English")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lang"
# The language chosen (switcher or ?lang= link) is remembered for a year, not the session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
# Storage is UTC; what people see is each centre's own zone (Centre.timezone).
TIME_ZONE = "Europe/Warsaw"

MODELTRANSLATION_DEFAULT_LANGUAGE = "pl"
MODELTRANSLATION_LANGUAGES = ("pl", "uk", "en", "ru")
# A text missing in the reader's language falls back to Polish, then English.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("pl", "en")}

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploads (centres' logos). Served by the site itself at /centres/<slug>/logo/, so no proxy
# rule is needed; with several web machines MEDIA_ROOT must be shared storage.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: strict unless DEBUG. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Files browsers ask for at the site's root (/favicon.ico).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every page: only this site's own files, no inline
# script or style unless it carries the page's nonce (the API docs' Swagger UI start-up), no
# framing: the embed alone replaces frame-ancestors with * (scheduling.views.embed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],  # the admin's and Swagger UI's icons are data: URIs
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# CORS: only read-only GETs of the public API, so websites can render their own calendar.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "courses.api.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["courses.api.permissions.StaffWritesPublicReads"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "courses.api.base.Pagination",
    "DEFAULT_SCHEMA_CLASS": "courses.api.schema.AutoSchema",  # documents the error answers
    "EXCEPTION_HANDLER": "courses.api.base.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "courses.api.base.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's throttles read the client's address the same way as courses.throttles.client_address.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Integration centres scheduling API",
    "DESCRIPTION": (
        "Centres, venues, courses, sessions and closures of integration centres; "
        "appointments in the slots of consultations."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two lists of languages: the site's (people's SMS) and the consultations' (wider).
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "courses.models.people.Language",
        "ConsultationLanguageEnum": "appointments.languages.CONSULTATION_LANGUAGES",
    },
}

# Celery. The default broker needs no server: kombu's file-system transport under var/.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # exchange tables; else ./control/
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Sessions: how far ahead open-ended rules are materialised, and the most a rule may produce.
SESSION_HORIZON_DAYS = env.int("SESSION_HORIZON_DAYS", default=365)
RECURRENCE_MAX_SESSIONS = env.int("RECURRENCE_MAX_SESSIONS", default=1000)

# Enrolment: how long to wait for a course's (or session's) row lock before answering "busy,
# try again", and how many enrolment attempts one client may make (form and anonymous API).
ENROLMENT_LOCK_TIMEOUT_SECONDS = env.float("ENROLMENT_LOCK_TIMEOUT_SECONDS", default=10.0)
ENROLMENT_RATE = env.str("ENROLMENT_RATE", default="20/hour")
# One-time SMS codes: how many may be sent to one number, and asked for by one client address.
VERIFICATION_CODES_PER_NUMBER = env.str("VERIFICATION_CODES_PER_NUMBER", default="3/hour")
VERIFICATION_CODES_PER_CLIENT = env.str("VERIFICATION_CODES_PER_CLIENT", default="10/hour")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The Twilio SDK logs every request, with the recipient's number and the text, at INFO:
    # personal data stays out of the logs.
    "loggers": {"twilio.http_client": {"level": "WARNING"}},
}

# Calendar feeds: sessions that ended more than this many days ago are left out, and how often
# calendar clients are asked to refresh.
CALENDAR_FEED_PAST_DAYS = env.int("CALENDAR_FEED_PAST_DAYS", default=60)
CALENDAR_FEED_REFRESH_MINUTES = env.int("CALENDAR_FEED_REFRESH_MINUTES", default=60)

# SMS: the outbox, its dispatcher and Twilio (config/settings_sms.py).
from config.settings_sms import *  # noqa: E402, F403

# Attendance and reports. A participant has completed a course at this share of its sessions
# attended; funders' reports show any count below REPORT_MIN_COUNT (but above 0) as "<N".
ATTENDANCE_COMPLETION_PERCENT = env.int("ATTENDANCE_COMPLETION_PERCENT", default=80)
REPORT_MIN_COUNT = env.int("REPORT_MIN_COUNT", default=5)

# Privacy: participants with no activity for this many months are anonymised (0: never), and
# the texts of SMS older than this many days are deleted from the outbox (0: never).
PRIVACY_RETENTION_MONTHS = env.int("PRIVACY_RETENTION_MONTHS", default=24)
SMS_BODY_RETENTION_DAYS = env.int("SMS_BODY_RETENTION_DAYS", default=90)
# The SMS provider named as a recipient of participants' data in the privacy notice.
PRIVACY_SMS_PROVIDER = env.str("PRIVACY_SMS_PROVIDER", default="Twilio")

# Trainers and staff log in at /accounts/login/ and land on their sessions.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/register/"
LOGOUT_REDIRECT_URL = "/"
# Failed logins (/accounts/login/, /admin/login/) are counted by django-axes: after
# AXES_FAILURE_LIMIT failures an account (whatever the address) and an address (whatever the
# account) are refused for AXES_COOLOFF_TIME, and the site's "try again later" page answers 429.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# In hours, as django-axes reads a number: 0.25 is 15 minutes.
AXES_COOLOFF_TIME = timedelta(hours=env.float("AXES_COOLOFF_TIME", default=0.25))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "courses.throttles.client_address"
AXES_LOCKOUT_CALLABLE = "courses.views.accounts.locked_out"  # the page of the site, translated
AXES_HTTP_RESPONSE_CODE = 429
# Only failures are kept (and only until their cool-off): successful logins are not logged.
AXES_DISABLE_ACCESS_LOG = True

# E-mail: password reset links. EMAIL_URL as django-environ reads it, e.g.
# smtp+tls://user:password@smtp.example.org:587; by default printed to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Integra <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
