"""Settings for socialvalue. Every value a deployment changes comes from the environment.

See docs/settings.md for the list; a test checks that every variable read here is documented.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import nhsuk_frontend_jinja
from django.utils.csp import CSP

from socialvalue.config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent

DEBUG = env_bool("SOCIALVALUE_DEBUG", default=False)
# A fixed key is only acceptable for local runs; production must set its own.
SECRET_KEY = env_str(
    "SOCIALVALUE_SECRET_KEY",
    default="insecure-local-development-key-change-me" if DEBUG else None,
)
ALLOWED_HOSTS = env_list("SOCIALVALUE_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("SOCIALVALUE_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "socialvalue.organisations.admin_site.SocialValueAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "socialvalue.organisations",
    "socialvalue.charters",
    "socialvalue.measurements",
    "socialvalue.reminders",
    "axes",
    "socialvalue.imports",
    "socialvalue.demo",
    "django_tasks_db",
    "socialvalue.suppliers",
    "socialvalue.sources",
    "socialvalue.spend",
    "socialvalue.equality",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and the person are read: a kept page needs neither (ADR 032).
    "socialvalue.config.pagecache.KeptPages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "socialvalue.config.middleware.NoStoreWhenSignedIn",
    # Last, so that it sees a sign-in refused for too many failures (see AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialvalue.config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2", Path(nhsuk_frontend_jinja.__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "socialvalue.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.csp",
                "socialvalue.organisations.people.context.people_navigation",
                "socialvalue.measurements.navigation.progress_navigation",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "socialvalue.config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'socialvalue.sqlite3'}"),
        # Outside debug, each worker keeps its connection for a minute instead of opening one
        # per request; health checks drop a connection that has gone away.
        conn_max_age=env_int("SOCIALVALUE_DB_CONN_MAX_AGE", default=0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people writing at once (ADR 008): readers never wait for the writer (WAL),
    # a writer waits for the lock instead of failing at once (timeout, in seconds), and a
    # write transaction takes the lock when it begins, before it reads what it will change.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SOCIALVALUE_SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "organisations:sign_in"
LOGIN_REDIRECT_URL = "charters:home"
LOGOUT_REDIRECT_URL = "organisations:sign_in"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("SOCIALVALUE_STATIC_ROOT", default=str(PROJECT_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("SOCIALVALUE_MEDIA_ROOT", default=str(PROJECT_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve files straight from the app folders when there is no collectstatic output.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Evidence uploads: the largest file accepted, in megabytes.
EVIDENCE_MAX_MB = env_int("SOCIALVALUE_EVIDENCE_MAX_MB", default=10)
# One upload request: how many files, and their total size in megabytes. The form says so
# when a request is over; Django refuses outright a request with more files than one over.
UPLOAD_MAX_FILES = env_int("SOCIALVALUE_UPLOAD_MAX_FILES", default=10)
UPLOAD_MAX_TOTAL_MB = env_int("SOCIALVALUE_UPLOAD_MAX_TOTAL_MB", default=25)
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES + 1
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Imports (spend ledgers): the most files in one upload is UPLOAD_MAX_FILES; their total
# size in megabytes is at most this. The files are kept (MEDIA_ROOT, Django's storage API).
IMPORT_MAX_MB = env_int("SOCIALVALUE_IMPORT_MAX_MB", default=100)

# Background tasks (large imports) wait in the database until `socialvalue db_worker`
# runs them; scripts/start starts the worker beside the server (ADR 018).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Days after a period closes before a missing value counts as overdue.
OVERDUE_GRACE_DAYS = env_int("SOCIALVALUE_OVERDUE_GRACE_DAYS", default=30)
# Keep each indicator's figures for today and read them back while unchanged (ADR 022).
STORED_ASSESSMENTS = env_bool("SOCIALVALUE_STORED_ASSESSMENTS", default=True)
# Keep whole progress pages per person while the database's snapshot is unchanged
# (PostgreSQL only; ADR 029), in files shared by the server's worker processes (ADR 031), so
# a page drawn by one worker is served by every other. The folder holds people's pages:
# Django makes it readable by the application's user only (0700, files 0600).
PAGE_CACHE = env_bool("SOCIALVALUE_PAGE_CACHE", default=True)
PAGE_CACHE_DIR = Path(
    env_str("SOCIALVALUE_PAGE_CACHE_DIR", default=str(PROJECT_DIR / "var" / "pages"))
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "socialvalue.config.pagecache.PageFiles",
        "LOCATION": str(PAGE_CACHE_DIR),
        "TIMEOUT": 60 * 60,
        # About 10 KB a compressed page: at most some 30 MB on disk. Past that, a third of
        # the files are removed (checked every 100 pages a process keeps: PageFiles).
        "OPTIONS": {"MAX_ENTRIES": 3000},
    },
}

# Django's database sessions, remembering the expiry of the session read (ADR 032).
SESSION_ENGINE = "socialvalue.config.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SOCIALVALUE_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS: on by default outside debug. Behind a proxy that terminates TLS, set
# SOCIALVALUE_SSL_REDIRECT=false if the proxy already redirects, and trust its header.
SECURE_SSL_REDIRECT = env_bool("SOCIALVALUE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SOCIALVALUE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
# The app usually runs on one host of a trust's domain: HSTS for every subdomain, or the
# browsers' preload list, is the domain owner's decision, not this application's.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
BEHIND_PROXY = env_bool("SOCIALVALUE_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SOCIALVALUE_LOG_LEVEL", default="INFO")},
}

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "socialvalue.organisations.backends.EmailBackend",
]

# Sign-in limits (django-axes): after this many failed attempts for one account, or from
# one address, sign-in is refused for the cool-off time; a success resets the count.
AXES_FAILURE_LIMIT = env_int("SOCIALVALUE_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SOCIALVALUE_SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "socialvalue.organisations.sign_in_limits.attempted_email"
AXES_CLIENT_IP_CALLABLE = "socialvalue.organisations.sign_in_limits.client_address"
AXES_LOCKOUT_CALLABLE = "socialvalue.organisations.sign_in_limits.locked_out"
AXES_VERBOSE = False

# Content-Security-Policy on every response: only this site's scripts, styles and images
# (the NHS.UK frontend's inline scripts carry the per-request nonce) and the NHS fonts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "https://assets.nhs.uk"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Email: invitations, password resets and reminders. The console by default (printed by the
# server or the command); SMTP in production. Links in emails start with SITE_URL, never
# with the Host header of a request.
EMAIL_KIND = env_choice("SOCIALVALUE_EMAIL_BACKEND", default="console", choices=("console", "smtp"))
if EMAIL_KIND == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SOCIALVALUE_EMAIL_HOST", default="localhost"),
                "port": env_int("SOCIALVALUE_EMAIL_PORT", default=587),
                "username": env_str("SOCIALVALUE_EMAIL_HOST_USER", default=""),
                "password": env_str("SOCIALVALUE_EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env_bool("SOCIALVALUE_EMAIL_USE_TLS", default=True),
                "timeout": 30,
            },
        }
    }
else:
    # Printed on the terminal, readably; `check --deploy` refuses it outside debug.
    MAILERS = {"default": {"BACKEND": "socialvalue.config.mail.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = env_str("SOCIALVALUE_FROM_EMAIL", default="socialvalue@localhost")
SITE_URL = env_str("SOCIALVALUE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How long an invitation link works; a password reset link works for Django's default 3 days.
INVITATION_DAYS = env_int("SOCIALVALUE_INVITATION_DAYS", default=7)
# Platform-wide switches for the daily reminders (each person can also turn theirs off).
REMIND_OVERDUE = env_bool("SOCIALVALUE_REMIND_OVERDUE", default=True)
REMIND_APPROVALS = env_bool("SOCIALVALUE_REMIND_APPROVALS", default=True)
