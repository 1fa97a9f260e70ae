"""The settings of the benchmark's HTTP phase (`bench.load`): production's, except that the
static files are served from the finders instead of a collected, hashed copy — collecting
compresses every file of the design system (half a minute), and the phase requests pages,
not static files. The security middleware, the JSON request log, DEBUG off and the checks
are production's."""

from digistyr.settings.production import *  # noqa: F403
from digistyr.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
