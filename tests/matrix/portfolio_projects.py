"""Permission-matrix entries of portfolio_projects; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads the portfolio; those who run it create projects ("change");
the keepers of the world's project (administrator, secretary and its leader) change it ("lead").
"""


def _project(t) -> dict:
    return {"pk": t.project.pk}


MATRIX: dict = {
    "portfolio:project_list": ("read", None, lambda t: {}, "core.view"),
    "portfolio:project_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "portfolio:project_create": ("change", None, lambda t: {}, "portfolio.change"),
    "portfolio:project_detail": ("read", "project", _project, "core.view"),
    "portfolio:project_edit": ("lead", "project", _project, "portfolio.edit_project"),
    "portfolio:project_milestones": ("lead", "project", _project, "portfolio.edit_project"),
    "portfolio:project_budget": ("lead", "project", _project, "portfolio.edit_project"),
    "portfolio:project_phase": ("lead", "project", _project, "portfolio.edit_project"),
    "portfolio:project_history": ("read", "project", _project, "core.view"),
}
SHOWS_OWN_DATA: set[str] = {"portfolio:project_list", "portfolio:project_detail"}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "project_list": lambda t: ("portfolio:project_list", {}),
    "project_list_all": lambda t: ("portfolio:project_list", {}, "?status=alle"),
    "project_detail": lambda t: ("portfolio:project_detail", {"pk": t.project.pk}),
    "project_history": lambda t: ("portfolio:project_history", {"pk": t.project.pk}),
    "project_list_xlsx": lambda t: ("portfolio:project_list_xlsx", {}),
    "project_edit": lambda t: ("portfolio:project_edit", {"pk": t.project.pk}),
}
