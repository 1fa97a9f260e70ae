"""Permission-matrix entries of health; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads the governance health page and its API. Both list the
overdue follow-ups: the world's closed follow-up shows its text to members of the body and
administrators only (everyone else reads "a follow-up of a closed item").
"""

MATRIX: dict = {
    "planning:health": ("read", None, lambda t: {}, "core.view"),
    "governance-health-list": ("api", None, lambda t: {}, "planning.change"),
}
# The bodies table names the world's steering group (with its canary).
SHOWS_OWN_DATA: set[str] = {"planning:health", "governance-health-list"}
SHOWS_CLOSED: set[str] = {"planning:health", "governance-health-list"}
# GET only: the API answers 405 (or 403 to who may not write) to any write.
READ_ONLY_API: set[str] = {"governance-health-list"}
QUERY_PAGES: dict = {
    "health": lambda t: ("planning:health", {}),
    "health_mine": lambda t: ("planning:health", {}, "?mine=1"),
    "health_year": lambda t: ("planning:health", {}, "?aar=2024&mine=1"),
    "api_health": lambda t: ("governance-health-list", {}),
}
