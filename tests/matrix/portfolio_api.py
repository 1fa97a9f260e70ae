"""Permission-matrix entries of the portfolio and benefits API; see tests/test_permissions.py
for the kinds.

Everyone in the municipality reads the portfolio. Projects are created by those who run it
("api": administrator and secretary); the rows of a project are written by its keepers
("api_lead": also the world's project leader). A POST of {} to such a list is 400 for a user
who keeps some project (the project is missing) and 403 for one who keeps none. A risk
without a project is a portfolio risk, which only those who run the portfolio add, so the
leader's empty POST to the risk list is 403 too (allowed by "api_lead").

Filed status reports and measurements are records: a PATCH is 405 for everyone, so their
detail URLs are READ_ONLY_API. Who may file, escalate, change a phase or delete a
measurement is tested in portfolio/tests/test_api.py and benefits/tests/test_api.py.
"""

MATRIX = {
    "project-list": ("api", None, lambda t: {}, "portfolio.change"),
    "project-detail": (
        "api_lead",
        "project",
        lambda t: {"pk": t.project.pk},
        "portfolio.edit_project",
    ),
    "project-change-phase": (
        "api_action",
        "project",
        lambda t: {"pk": t.project.pk},
        "portfolio.edit_project",
    ),
    "statusreport-list": ("api_lead", None, lambda t: {}, "core.view"),
    "statusreport-detail": (
        "api",
        "report",
        lambda t: {"pk": t.report.pk},
        "portfolio.change_report",
    ),
    "risk-list": ("api_lead", None, lambda t: {}, "core.view"),
    "risk-detail": ("api_lead", "risk", lambda t: {"pk": t.risk.pk}, "portfolio.edit_risk"),
    "risk-escalate": ("api_action", "risk", lambda t: {"pk": t.risk.pk}, "portfolio.edit_risk"),
    "benefit-list": ("api_lead", None, lambda t: {}, "core.view"),
    "benefit-detail": ("api_lead", "benefit", lambda t: {"pk": t.benefit.pk}, "benefits.edit"),
    "benefitmeasurement-list": ("api_lead", None, lambda t: {}, "core.view"),
    "benefitmeasurement-detail": (
        "api",
        "measurement",
        lambda t: {"pk": t.measurement.pk},
        "portfolio.change",
    ),
}

SHOWS_OWN_DATA: set[str] = {
    "project-list",
    "project-detail",
    "statusreport-list",
    "statusreport-detail",
    "risk-list",
    "risk-detail",
    "benefit-list",
    "benefit-detail",
    "benefitmeasurement-list",
    "benefitmeasurement-detail",
}
SHOWS_CLOSED: set[str] = set()

# A filed report and a measurement are records: a change is 405 for every logged-in user.
READ_ONLY_API: set[str] = {"statusreport-detail", "benefitmeasurement-detail"}

QUERY_PAGES: dict = {
    "api_projects": lambda t: ("project-list", {}),
    "api_project_detail": lambda t: ("project-detail", {"pk": t.project.pk}),
    "api_reports": lambda t: ("statusreport-list", {}),
    "api_risks": lambda t: ("risk-list", {}),
    "api_benefits": lambda t: ("benefit-list", {}),
    "api_measurements": lambda t: ("benefitmeasurement-list", {}),
}
