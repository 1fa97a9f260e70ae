"""Permission-matrix entries per area, merged by tests/test_permissions.py.

Each module defines MATRIX (url name -> (kind, obj, kwargs)), SHOWS_OWN_DATA,
SHOWS_CLOSED (pages that show the closed canary to members of the body) and READ_ONLY_API,
and may define QUERY_PAGES (page name -> lambda tenant: (url name, kwargs[, query string])),
the pages whose SQL queries tests/test_query_counts.py keeps constant.
"""

from tests.matrix import (
    benefits,
    exports,
    health,
    meetings_api,
    meetings_cases,
    meetings_documents,
    meetings_pages,
    pack,
    plans,
    portfolio_api,
    portfolio_imports,
    portfolio_projects,
    portfolio_reports,
    portfolio_risks,
    proposals,
    reminders,
    search,
    strategy,
    trace,
    wheel,
)

AREAS = [
    meetings_pages,
    meetings_cases,
    meetings_documents,
    meetings_api,
    portfolio_projects,
    portfolio_imports,
    portfolio_reports,
    portfolio_risks,
    pack,
    benefits,
    portfolio_api,
    strategy,
    proposals,
    plans,
    wheel,
    health,
    search,
    reminders,
    exports,
    trace,
]
