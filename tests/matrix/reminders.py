"""Permission-matrix entries of the reminders; see tests/test_permissions.py for the kinds.

Every logged-in user of a municipality chooses their own reminders (the page shows and saves
only the user's own settings, so an outsider gets their own page, not ours).
"""

MATRIX: dict = {
    "reminders:settings": ("read", None, lambda t: {}, "reminders.change_own_settings"),
}
SHOWS_OWN_DATA: set[str] = set()
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "reminder_settings": lambda t: ("reminders:settings", {}),
}
