"""Permission-matrix entries of breaches (systems/breaches) and the DPO's documents
(systems/reports); see tests/test_permissions.py for the kinds.

The world has no data protection officer and no IT security group, so the circle that reads
breaches and records them is the administrator alone ("manage", "api_manage"). The breach's
closed fields carry the closed canary: the matrix checks that no one outside SEES_CLOSED
reads it; systems/breaches/tests/test_breaches.py checks the circle (administrator, officer,
security member) against everyone else on every breach URL.
"""


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


MATRIX = {
    "systems:breach_list": ("read", None, lambda t: {}, "core.view"),
    "systems:breach_create": ("manage", None, lambda t: {}, "systems.change_breach"),
    "systems:breach_detail": ("read", "breach", lambda t: {"pk": t.breach.pk}, "core.view"),
    "systems:breach_edit": (
        "manage",
        "breach",
        lambda t: {"pk": t.breach.pk},
        "systems.change_breach",
    ),
    "systems:breach_close": (
        "manage",
        "breach",
        lambda t: {"pk": t.breach.pk},
        "systems.change_breach",
    ),
    "breach-list": ("api_manage", None, lambda t: {}, "systems.change_breach"),
    "breach-detail": (
        "api_manage",
        "breach",
        lambda t: {"pk": t.breach.pk},
        "systems.change_breach",
    ),
    "systems:annual_report": ("read", None, lambda t: {"year": _this_year()}, "core.view"),
    "systems:annual_report_pdf": ("read", None, lambda t: {"year": 2024}, "core.view"),
    "systems:annual_report_docx": ("read", None, lambda t: {"year": 2024}, "core.view"),
    "systems:annual_report_attach": (
        "change",
        None,
        lambda t: {"year": 2024},
        "meetings.change",
    ),
    "systems:body_systems": ("read", "body", lambda t: {"pk": t.body.pk}, "core.view"),
    "systems:body_systems_pdf": ("read", "body", lambda t: {"pk": t.body.pk}, "core.view"),
    "systems:body_systems_docx": ("read", "body", lambda t: {"pk": t.body.pk}, "core.view"),
}
SHOWS_OWN_DATA: set[str] = {
    "systems:breach_list",
    "systems:breach_detail",
    "breach-list",
    "breach-detail",
    "systems:annual_report",
    "systems:body_systems",
}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES = {
    "breach_list": lambda t: ("systems:breach_list", {}),
    "breach_detail": lambda t: ("systems:breach_detail", {"pk": t.breach.pk}),
    "breach_edit": lambda t: ("systems:breach_edit", {"pk": t.breach.pk}),
    "breach_history": lambda t: ("organisation:history", {"kind": "brud", "pk": t.breach.pk}),
    "api_breaches": lambda t: ("breach-list", {}),
    "annual_report": lambda t: ("systems:annual_report", {"year": _this_year()}),
    "annual_report_docx": lambda t: ("systems:annual_report_docx", {"year": _this_year()}),
    "body_systems": lambda t: ("systems:body_systems", {"pk": t.body.pk}),
    "body_systems_docx": lambda t: ("systems:body_systems_docx", {"pk": t.body.pk}),
}
