"""Permission-matrix entries of the search box; see tests/test_permissions.py for the kinds.

Everyone in the municipality searches (`core.view`). The matrix asks the page without a
query; search/tests/test_search.py searches for the canaries of the closed item and of the
other municipality with every role.
"""

MATRIX: dict = {
    "search:results": ("read", None, lambda t: {}, "core.view"),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "search_results": lambda t: ("search:results", {}, "?q=kanarie"),
    "search_results_kind": lambda t: ("search:results", {}, "?q=kanarie&type=item"),
    "search_results_empty": lambda t: ("search:results", {}, "?q=xylofonorkester"),
}
