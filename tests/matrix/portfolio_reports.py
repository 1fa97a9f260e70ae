"""Permission-matrix entries of status reports and the project board; see
tests/test_permissions.py for the kinds.

The world's project is kept by administrators, secretaries and its leader (PROJECT_LEADER):
they file reports and escalate barriers ("lead"); everyone in the municipality reads.
"""


def _project(t) -> dict:
    return {"pk": t.project.pk}


def _report(t) -> dict:
    return {"pk": t.report.pk}


MATRIX = {
    "portfolio:report_list": ("read", "project", _project, "core.view"),
    "portfolio:report_create": ("lead", "project", _project, "portfolio.edit_project"),
    "portfolio:report_detail": ("read", "report", _report, "core.view"),
    "portfolio:report_escalate": ("lead", "report", _report, "portfolio.escalate_report"),
    "portfolio:board": ("read", None, lambda t: {}, "core.view"),
    "portfolio:board_xlsx": ("read", None, lambda t: {}, "core.view"),
}
SHOWS_OWN_DATA: set[str] = {
    "portfolio:board",
    "portfolio:report_list",
    "portfolio:report_detail",
}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "board": lambda t: ("portfolio:board", {}),
    "board_late": lambda t: ("portfolio:board", {}, "?sen=on"),
    "board_xlsx": lambda t: ("portfolio:board_xlsx", {}),
    "report_list": lambda t: ("portfolio:report_list", {"pk": t.project.pk}),
    "report_detail": lambda t: ("portfolio:report_detail", {"pk": t.report.pk}),
    "report_create": lambda t: ("portfolio:report_create", {"pk": t.project.pk}),
}
