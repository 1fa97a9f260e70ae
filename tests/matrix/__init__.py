"""Permission-matrix entries per area, merged by tests/test_permissions.py.

Each module defines MATRIX (url name -> (kind, obj, kwargs)), SHOWS_OWN_DATA,
SHOWS_CLOSED (pages that show the closed canary to members of the body) and READ_ONLY_API.
"""
