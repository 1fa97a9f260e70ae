"""Permission-matrix entries of health; see tests/test_permissions.py for the kinds."""

MATRIX: dict = {}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {}
