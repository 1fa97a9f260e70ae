"""Production settings: `DJANGO_SETTINGS_MODULE=digistyr.settings.production`.

They pass `manage.py check --deploy`. TLS is terminated in front of the app processes.
"""

from digistyr.env import env_bool, env_int
from digistyr.settings import *  # noqa: F403
from digistyr.settings import CONTENT_SECURITY_POLICY, DATABASES, LOGGING, STORAGES

DEBUG = False
# Each worker keeps its database connection (a new one costs 15–40 ms on PostgreSQL, measured
# by `make bench`), checked before a request reuses it after an error or a restart of the
# server.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
WHITENOISE_USE_FINDERS = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The load balancer's, the container's and Prometheus's probes speak plain HTTP to the app
# process (core.health): they are not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The headers of every answer (the same as in development, stated here for the review):
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The policy of the base settings, and every http: URL a page names is fetched over https.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},
}
# PERMISSIONS_POLICY is the base settings' (camera, microphone, geolocation, payment … off),
# and MAX_REQUEST_MB caps a request's size (413); the proxy limits it too (README).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One line of JSON per log record and per request (core.request_log), unless turned off.
JSON_LOGS = env_bool("DIGISTYR_JSON_LOGS", True)
if JSON_LOGS:
    LOGGING = {
        **LOGGING,
        "handlers": {"console": {**LOGGING["handlers"]["console"], "formatter": "json"}},
    }
