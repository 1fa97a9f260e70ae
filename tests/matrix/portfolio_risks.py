"""Permission-matrix entries of portfolio_risks; see tests/test_permissions.py for the kinds."""

MATRIX: dict = {
    "portfolio:risk_list": ("read", None, lambda t: {}, "core.view"),
    "portfolio:risk_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    # A risk of the whole portfolio: only those who run the portfolio.
    "portfolio:risk_create": ("change", None, lambda t: {}, "portfolio.change"),
    "portfolio:project_risk_create": (
        "lead",
        "project",
        lambda t: {"pk": t.project.pk},
        "portfolio.edit_project",
    ),
    "portfolio:risk_edit": ("lead", "risk", lambda t: {"pk": t.risk.pk}, "portfolio.edit_risk"),
    "portfolio:risk_escalate": ("lead", "risk", lambda t: {"pk": t.risk.pk}, "portfolio.edit_risk"),
}
SHOWS_OWN_DATA: set[str] = {"portfolio:risk_list"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "risk_list": lambda t: ("portfolio:risk_list", {}),
    "risk_list_heat": lambda t: (
        "portfolio:risk_list",
        {},
        "?sandsynlighed=4&konsekvens=4&status=all",
    ),
    "risk_list_xlsx": lambda t: ("portfolio:risk_list_xlsx", {}),
    "risk_edit": lambda t: ("portfolio:risk_edit", {"pk": t.risk.pk}),
}
