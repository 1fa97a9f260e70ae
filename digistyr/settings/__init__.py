"""Settings for digistyr. Everything comes from environment variables with safe defaults.

`digistyr.settings.production` tightens these for a real deployment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from digistyr.env import env_bool, env_int, env_list, env_str, secret_key
from digistyr.storage import storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("DIGISTYR_DATA_DIR", str(BASE_DIR / "data")))

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "mozilla_django_oidc",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_rq",
    "django_tasks_rq",
    "core",
    "organisation",
    "meetings",
    "portfolio",
    "benefits",
    "systems",
    "pack",
    "strategy",
    "notes",
    "planning",
    "reminders",
    "documents",
    "search",
    "publication",
    "home",
    "demo",
    "bench",
]

MIDDLEWARE = [
    # First and last: django-prometheus's counters, only with DIGISTYR_METRICS (core.metrics).
    "core.metrics.MetricsBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The security headers on every answer, the refused ones included (see below).
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # /healthz, /readyz and /metrics, before the session and the host check (core.health).
    "core.health.ProbeMiddleware",
    # The request id on every answer, and one JSON line per request with DIGISTYR_JSON_LOGS.
    "core.request_log.RequestLogMiddleware",
    # Before anything reads the body: a request over MAX_REQUEST_MB is refused unread (413).
    "core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.TenantMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.audit.ExportAuditMiddleware",
    # Last: turns a locked-out login attempt into the lockout answer (`core.lockout`).
    "axes.middleware.AxesMiddleware",
    "core.metrics.MetricsAfterMiddleware",
]

ROOT_URLCONF = "digistyr.urls"
WSGI_APPLICATION = "digistyr.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's cost of a random page read, for each connection: PostgreSQL's default (4)
    # is for spinning disks, and with it the planner hashes whole tables of every municipality
    # where an index reaches the one municipality's rows. 1.1 is the usual setting for SSDs
    # and a database held in memory: the governance health's SQL 61 → 41 ms, the Project Board's
    # 40 → 22 ms in København (`make bench`'s dataset). Empty: the server's own setting (set it
    # there, e.g. behind a PgBouncer that refuses startup options).
    if page_cost := env_str("DATABASE_RANDOM_PAGE_COST", "1.1"):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c random_page_cost={page_cost}"
        )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# django-axes first: it refuses a locked-out username and address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.auth.MunicipalityModelBackend",
]
# Django's validators (their messages are translated to Danish by Django itself).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("DIGISTYR_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many hours without a request (`core.middleware.IdleTimeoutMiddleware`).
SESSION_IDLE_HOURS = env_int("DIGISTYR_SESSION_IDLE_HOURS", 8)
SESSION_COOKIE_AGE = SESSION_IDLE_HOURS * 3600

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, both the login page and /api/token/ refuse it for the cool-off time.
# The log of attempts is `core.models.AuditEvent`; axes keeps only its counters.
AXES_FAILURE_LIMIT = env_int("DIGISTYR_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DIGISTYR_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy the client's address is in X-Forwarded-For (production settings).
AXES_IPWARE_PROXY_COUNT = env_int("DIGISTYR_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)

# API keys (`core.tokens`): the days a new key lives; the security log's retention in days.
API_TOKEN_DAYS = env_int("DIGISTYR_API_TOKEN_DAYS", 90)
AUDIT_RETENTION_DAYS = env_int("DIGISTYR_AUDIT_RETENTION_DAYS", 395)

# Single sign-on with OpenID Connect (Entra ID and similar), switched on by its client id.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    AUTHENTICATION_BACKENDS.insert(0, "core.oidc.MunicipalityOIDCBackend")

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve static files straight from the finders (node_modules/dkfds, static/) unless collected.
WHITENOISE_USE_FINDERS = env_bool("DIGISTYR_STATIC_FROM_FINDERS", True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
]
# Uploaded files in the data folder, or in an S3 bucket with DIGISTYR_S3_BUCKET (several
# hosts): digistyr/storage.py.
STORAGES = storages(os.environ)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Attachments (bilag): the largest file accepted, in megabytes.
ATTACHMENT_MAX_MB = env_int("DIGISTYR_ATTACHMENT_MAX_MB", 25)

# Request size limits. A request whose Content-Length is over MAX_REQUEST_MB (the largest
# attachment and room for the form's other fields) is refused with 413 before its body is
# read (`core.middleware.RequestSizeLimitMiddleware`); the reverse proxy should limit the
# same (README, Deployment). Form data apart from files is held in memory up to
# DATA_UPLOAD_MAX_MEMORY_SIZE; an uploaded file over FILE_UPLOAD_MAX_MEMORY_SIZE is streamed
# to a temporary file instead of memory.
MAX_REQUEST_MB = env_int("DIGISTYR_MAX_REQUEST_MB", ATTACHMENT_MAX_MB + 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# Virus scan of every upload by a ClamAV daemon (documents/scan.py): a unix socket, or a host
# and port; both empty = no scan. Configured but unreachable refuses uploads (fail closed).
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET")
CLAMAV_HOST = env_str("CLAMAV_HOST")
CLAMAV_PORT = env_int("CLAMAV_PORT", 3310)
CLAMAV_TIMEOUT = env_int("CLAMAV_TIMEOUT", 30)

# Background jobs (`core.jobs`) through Django's Tasks API (the django-tasks backport). With a
# Redis URL the jobs go on RQ's queue and a worker runs them (`manage.py rqworker --job-class
# django_tasks_rq.Job default`); without one they run at once inside the request (`make run`,
# the tests). Scheduled work (reminders, mail, jobs left behind) is `manage.py run_scheduled`.
REDIS_URL = env_str("DIGISTYR_REDIS_URL")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend"
        if REDIS_URL
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 900,
        # A page answers even when Redis does not: the job waits in the database instead.
        "CONNECTION_KWARGS": {"socket_connect_timeout": 1, "socket_timeout": 5},
    }
}
# The cache: Redis where there is one, so the progress a worker reports reaches the web
# processes and two schedulers see each other's lock; each process's memory otherwise.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "digistyr",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# After this many requests a process freezes what it holds for the garbage collector, so
# that full collections no longer walk it (core.memory); 0: never.
DIGISTYR_GC_FREEZE_AFTER = env_int("DIGISTYR_GC_FREEZE_AFTER", 100)
# A job is tried this many times in all before it is marked as failed.
JOB_MAX_ATTEMPTS = env_int("DIGISTYR_JOB_MAX_ATTEMPTS", 3)
# A running job not heard from in this many minutes is taken to have lost its worker.
JOB_STALLED_MINUTES = env_int("DIGISTYR_JOB_STALLED_MINUTES", 20)
# Outgoing mail (`core.mail`): each message is tried this many times before it is failed.
MAIL_MAX_ATTEMPTS = env_int("DIGISTYR_MAIL_MAX_ATTEMPTS", 5)
# The address of this installation as its users reach it: the links in e-mails are absolute.
DIGISTYR_BASE_URL = env_str("DIGISTYR_BASE_URL", "http://127.0.0.1:8000")
# Reminders (`reminders.services`): a follow-up, status report or measurement is reminded this
# many days before it is due; an agenda not approved this many days before the meeting.
REMINDER_DAYS = env_int("DIGISTYR_REMINDER_DAYS", 3)
REMINDER_AGENDA_DAYS = env_int("DIGISTYR_REMINDER_AGENDA_DAYS", 7)
# KITOS (the municipalities' IT-system register, API v2): its address, an API token of a user
# with read access, and the municipality's organisation uuid there (`systems.kitos`).
# The national catalogues (the KLE numbers) are kept by the administrators of one
# municipality of the installation (its operator's): its slug. Empty: any administrator
# (one municipality per installation, and the demo).
CATALOGUE_MUNICIPALITY = env_str("DIGISTYR_CATALOGUE_MUNICIPALITY", "")
KITOS_URL = env_str("DIGISTYR_KITOS_URL", "https://kitos.dk")
KITOS_TOKEN = env_str("DIGISTYR_KITOS_TOKEN")
KITOS_ORGANIZATION = env_str("DIGISTYR_KITOS_ORGANIZATION")
# Seconds to wait for one answer from KITOS, and the most pages read of one list.
KITOS_TIMEOUT = env_int("DIGISTYR_KITOS_TIMEOUT", 30)
KITOS_MAX_PAGES = env_int("DIGISTYR_KITOS_MAX_PAGES", 200)

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "digistyr@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and requests from the app's own
# origin only. No inline script or style and no eval: htmx runs with allowEval false and
# without its inline indicator styles (templates/base.html), and the charts' SVGs are styled
# from static/css (their inline <style> is only in the PDFs, which WeasyPrint renders).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (`core.middleware.PermissionsPolicyMiddleware`): the browser features no
# page uses, off for the page and anything it might embed. Only features Chromium knows.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is then answered 401 with WWW-Authenticate.
        "core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.RulesPermission"],
    # A refusal (403) names the permission the user lacks.
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.pagination.TenantPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "digistyr API",
    "DESCRIPTION": "Governance of municipal digitalisation. All data is scoped to the "
    "municipality of the authenticated user.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documented request bodies are JSON, whose types are checked strictly
    # (core.api.StrictTypes). Forms are still read (the browsable API), but a form cannot say
    # null or a type, so its reading (an empty value is null) is not part of the contract.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "core.models.Role",
        "TokenScopeEnum": "core.models.TokenScope",
        "ItemKindEnum": "meetings.models.ItemKind",
        "ColourEnum": "portfolio.models.Colour",
        "PhaseEnum": "portfolio.models.Phase",
        "ActivityKindEnum": "planning.models.ActivityKind",
        "BodyKindEnum": "organisation.models.BodyKind",
        "AssessmentKindEnum": "systems.models.AssessmentKind",
        "SystemsOutcomeEnum": "systems.models.Outcome",
        "OutcomeEnum": "meetings.models.Outcome",
    },
}

# Observability. DIGISTYR_JSON_LOGS: every log record as one line of JSON, and one line per
# request (`core.request_log`); on in production, off here so `make run` stays readable.
# DIGISTYR_METRICS: Prometheus metrics at /metrics for the addresses (or networks) of
# DIGISTYR_METRICS_ALLOWED or the holder of DIGISTYR_METRICS_TOKEN (`core.metrics`).
JSON_LOGS = env_bool("DIGISTYR_JSON_LOGS", False)
METRICS = env_bool("DIGISTYR_METRICS", False)
METRICS_ALLOWED = env_list("DIGISTYR_METRICS_ALLOWED", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_str("DIGISTYR_METRICS_TOKEN")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # Without libharfbuzz-subset0 WeasyPrint warns for every font of every document.
        "harfbuzz_once": {
            "()": "core.logging.OnceOnly",
            "prefixes": ("Using fontTools instead of HarfBuzz-Subset",),
        },
    },
    "formatters": {"json": {"()": "core.request_log.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["harfbuzz_once"],
            **({"formatter": "json"} if JSON_LOGS else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    # The request lines are INFO; they reach the console whatever the root's level.
    "loggers": {"digistyr.request": {"level": "INFO"}},
}

# Uploaded files and documents (used by later apps too).
DIGISTYR_FONT_DIR = BASE_DIR / "node_modules" / "dkfds" / "dist" / "fonts" / "IBMPlexSans"
