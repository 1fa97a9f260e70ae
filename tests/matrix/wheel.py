"""Permission-matrix entries of wheel; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads the annual wheel, its exports and its activities;
`planning.change` (administrators and secretaries) keeps the activities and the first month.
The world's activity (t.activity) is the steering group's budget process every May, so every
wheel year shows it (and the canary in its title).
"""

MATRIX: dict = {
    "planning:wheel": ("read", None, lambda t: {}, "core.view"),
    "planning:wheel_ics": ("read", None, lambda t: {}, "core.view"),
    "planning:wheel_pdf": ("read", None, lambda t: {}, "core.view"),
    "planning:wheel_settings": ("change", None, lambda t: {}, "planning.change"),
    "planning:activity_list": ("read", None, lambda t: {}, "core.view"),
    "planning:activity_create": ("change", None, lambda t: {}, "planning.change"),
    "planning:activity_preview": ("change", None, lambda t: {}, "planning.change"),
    "planning:activity_detail": ("read", "activity", lambda t: {"pk": t.activity.pk}, "core.view"),
    "planning:activity_edit": (
        "change",
        "activity",
        lambda t: {"pk": t.activity.pk},
        "planning.change",
    ),
    "planning:activity_delete": (
        "change",
        "activity",
        lambda t: {"pk": t.activity.pk},
        "planning.change",
    ),
    "wheelactivity-list": ("api", None, lambda t: {}, "planning.change"),
    "wheelactivity-detail": ("api", "activity", lambda t: {"pk": t.activity.pk}, "planning.change"),
    "wheel-list": ("api", None, lambda t: {}, "core.view"),
}
SHOWS_OWN_DATA: set[str] = {
    "planning:wheel",
    "planning:wheel_ics",
    "planning:activity_list",
    "planning:activity_detail",
    "planning:activity_edit",
    "planning:activity_delete",
    "wheelactivity-list",
    "wheel-list",
}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = {"wheel-list"}
QUERY_PAGES: dict = {
    "wheel": lambda t: ("planning:wheel", {}),
    # 2023 holds the grown world's meetings: merged with the planned ones.
    "wheel_2023": lambda t: ("planning:wheel", {}, "?aar=2023&foerste=8"),
    "wheel_body": lambda t: ("planning:wheel", {}, f"?aar=2023&organ={t.body.pk}&type=meeting"),
    "wheel_ics": lambda t: ("planning:wheel_ics", {}, "?aar=2023"),
    "wheel_pdf": lambda t: ("planning:wheel_pdf", {}, "?aar=2023"),
    "wheel_activity_list": lambda t: ("planning:activity_list", {}),
    "wheel_activity_detail": lambda t: ("planning:activity_detail", {"pk": t.activity.pk}),
    "wheel_activity_edit": lambda t: ("planning:activity_edit", {"pk": t.activity.pk}),
    "api_wheel": lambda t: ("wheel-list", {}, "?year=2023"),
    "api_wheel_activities": lambda t: ("wheelactivity-list", {}),
}
