"""Permission-matrix entries of benefits; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads the benefits. The project's keepers create and edit
them; the world's benefit is the responsibility of the project's leader, who (with the
keepers) records its measurements.
"""

MATRIX: dict = {
    "benefits:benefit_overview": ("read", None, lambda t: {}, "core.view"),
    "benefits:benefit_list_xlsx": ("read", None, lambda t: {}, "core.view"),
    "benefits:project_benefits": ("read", "project", lambda t: {"pk": t.project.pk}, "core.view"),
    "benefits:benefit_detail": ("read", "benefit", lambda t: {"pk": t.benefit.pk}, "core.view"),
    "benefits:benefit_history": ("read", "benefit", lambda t: {"pk": t.benefit.pk}, "core.view"),
    "benefits:benefit_create": (
        "lead",
        "project",
        lambda t: {"pk": t.project.pk},
        "portfolio.edit_project",
    ),
    "benefits:benefit_edit": ("lead", "benefit", lambda t: {"pk": t.benefit.pk}, "benefits.edit"),
    "benefits:measurement_add": (
        "lead",
        "benefit",
        lambda t: {"pk": t.benefit.pk},
        "benefits.measure",
    ),
}
SHOWS_OWN_DATA: set[str] = {
    "benefits:benefit_overview",
    "benefits:benefit_detail",
    "benefits:project_benefits",
    "benefits:benefit_history",
}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "benefit_overview": lambda t: ("benefits:benefit_overview", {}),
    "benefit_overview_flagged": lambda t: (
        "benefits:benefit_overview",
        {},
        "?flag=alle&fase=aktive&sort=forfald",
    ),
    "benefit_list_xlsx": lambda t: ("benefits:benefit_list_xlsx", {}),
    "project_benefits": lambda t: ("benefits:project_benefits", {"pk": t.project.pk}),
    "benefit_detail": lambda t: ("benefits:benefit_detail", {"pk": t.benefit.pk}),
    "benefit_edit": lambda t: ("benefits:benefit_edit", {"pk": t.benefit.pk}),
    "benefit_history": lambda t: ("benefits:benefit_history", {"pk": t.benefit.pk}),
}
