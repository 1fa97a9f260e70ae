"""Permission-matrix entries of the KITOS import (systems.kitos): the page of those who keep
the register. An empty POST (no action) is 400 and writes nothing; KITOS is not configured in
the matrix, so nothing is read."""

MATRIX: dict = {
    "systems:kitos": ("change", None, lambda t: {}, "systems.change"),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "kitos": lambda t: ("systems:kitos", {}),
}
