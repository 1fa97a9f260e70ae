"""The systems app's background jobs (`core.jobs` finds this module): each domain's."""

from systems.kitos import jobs as kitos_jobs  # noqa: F401
from systems.reports import jobs as reports_jobs  # noqa: F401
