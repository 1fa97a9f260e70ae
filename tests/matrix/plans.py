"""Permission-matrix entries of plans; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads the action plans; `planning.change` (administrator and
secretary) runs them ("change"). An entry's progress is also recorded by its responsible
person: the world's entry is PROJECT_LEADER's, so its progress page is "lead". The world's
plan is a draft, so every editing page answers.
"""


def _plan(t) -> dict:
    return {"pk": t.plan.pk}


def _entry(t) -> dict:
    return {"pk": t.entry.pk}


MATRIX: dict = {
    "planning:plan_list": ("read", None, lambda t: {}, "core.view"),
    "planning:plan_create": ("change", None, lambda t: {}, "planning.change"),
    "planning:plan_detail": ("read", "plan", _plan, "core.view"),
    "planning:plan_edit": ("change", "plan", _plan, "planning.change"),
    "planning:plan_criteria": ("change", "plan", _plan, "planning.change"),
    "planning:plan_scores": ("change", "plan", _plan, "planning.change"),
    "planning:entry_create": ("change", "plan", _plan, "planning.change"),
    "planning:plan_recommend": ("change", "plan", _plan, "planning.change"),
    "planning:plan_approve": ("change", "plan", _plan, "planning.change"),
    "planning:plan_reopen": ("change", "plan", _plan, "planning.change"),
    "planning:plan_pdf": ("read", "plan", _plan, "core.view"),
    "planning:plan_docx": ("read", "plan", _plan, "core.view"),
    "planning:plan_history": ("read", "plan", _plan, "core.view"),
    "planning:entry_edit": ("change", "entry", _entry, "planning.change"),
    "planning:entry_delete": ("change", "entry", _entry, "planning.change"),
    "planning:entry_rank": ("change", "entry", _entry, "planning.change"),
    "planning:entry_progress": ("lead", "entry", _entry, "planning.follow"),
    "annualplan-list": ("api", None, lambda t: {}, "planning.change"),
    "annualplan-detail": ("api", "plan", _plan, "planning.change"),
    "annualplan-recommend": ("api_action", "plan", _plan, "planning.change"),
    "annualplan-approve": ("api_action", "plan", _plan, "planning.change"),
    "annualplan-reopen": ("api_action", "plan", _plan, "planning.change"),
    "plancriterion-list": ("api", None, lambda t: {}, "planning.change"),
    "plancriterion-detail": (
        "api",
        "criterion",
        lambda t: {"pk": t.criterion.pk},
        "planning.change",
    ),
    "planentry-list": ("api", None, lambda t: {}, "planning.change"),
    "planentry-detail": ("api", "entry", _entry, "planning.change"),
    "planentry-progress": ("api_action", "entry", _entry, "planning.follow"),
    "planscore-list": ("api", None, lambda t: {}, "planning.change"),
    "planscore-detail": (
        "api",
        "score",
        lambda t: {"pk": t.entry.scores.order_by("pk").first().pk},
        "planning.change",
    ),
}
SHOWS_OWN_DATA: set[str] = {
    "planning:plan_list",
    "planning:plan_detail",
    "planning:plan_scores",
    "planning:plan_history",
    "planning:entry_edit",
    "annualplan-list",
    "annualplan-detail",
    "planentry-list",
    "planentry-detail",
}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "plan_list": lambda t: ("planning:plan_list", {}),
    "plan_detail": lambda t: ("planning:plan_detail", {"pk": t.plan.pk}),
    "plan_scores": lambda t: ("planning:plan_scores", {"pk": t.plan.pk}),
    "plan_pdf": lambda t: ("planning:plan_pdf", {"pk": t.plan.pk}),
    "plan_docx": lambda t: ("planning:plan_docx", {"pk": t.plan.pk}),
    "api_annual_plans": lambda t: ("annualplan-list", {}),
    "api_plan_entries": lambda t: ("planentry-list", {}),
    "api_plan_criteria": lambda t: ("plancriterion-list", {}),
    "api_plan_scores": lambda t: ("planscore-list", {}),
}
