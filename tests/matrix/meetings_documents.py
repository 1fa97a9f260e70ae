"""Permission-matrix entries; see tests/test_permissions.py for the kinds."""

MATRIX = {}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
