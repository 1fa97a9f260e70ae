"""Permission-matrix entries of strategy; see tests/test_permissions.py for the kinds.

Everyone in the municipality reads strategies, the coverage and the catalogues; strategies and
goals are kept by administrators and secretaries ("change"); a project's links by the
project's keepers ("lead"). The coverage and a project's links are portfolio's pages
(`portfolio:`), listed here with the strategy pages they sit among. The catalogues (focus
areas, SDGs) are shared, so their pages answer an outsider too, with the outsider's own
projects only. The catalogue API is read only: a write is 403 for those without
`strategy.change` and 405 for the rest.
"""

import io


def _strategy(t) -> dict:
    return {"pk": t.strategy.pk}


def _goal(t) -> dict:
    return {"pk": t.goal.pk}


def _project(t) -> dict:
    return {"pk": t.project.pk}


def _with_document(t) -> dict:
    """The world's strategy with an uploaded document (the world has none), so its download
    answers 200 to the municipality and 404 to an outsider."""
    from django.core.files.base import File
    from django_scopes import scopes_disabled

    from strategy.models import Strategy

    with scopes_disabled():
        strategy = Strategy.objects.get(pk=t.strategy.pk)
        if not strategy.document:
            strategy.document.save("strategi.pdf", File(io.BytesIO(b"%PDF-1.4\n%%EOF\n")))
    return {"pk": t.strategy.pk}


MATRIX: dict = {
    "strategy:strategy_list": ("read", None, lambda t: {}, "core.view"),
    "strategy:strategy_create": ("change", None, lambda t: {}, "strategy.change"),
    "strategy:strategy_detail": ("read", "strategy", _strategy, "core.view"),
    "strategy:strategy_edit": ("change", "strategy", _strategy, "strategy.change"),
    "strategy:strategy_document": ("read", "strategy", _with_document, "core.view"),
    "strategy:goal_create": ("change", "strategy", _strategy, "strategy.change"),
    "strategy:goal_edit": ("change", "goal", _goal, "strategy.change"),
    "strategy:goal_delete": ("change", "goal", _goal, "strategy.change"),
    "portfolio:coverage": ("read", None, lambda t: {}, "core.view"),
    "portfolio:coverage_xlsx": ("read", None, lambda t: {}, "core.view"),
    "strategy:focus_area_list": ("read", None, lambda t: {}, "core.view"),
    "strategy:focus_area_detail": ("read", None, lambda t: {"number": 2}, "core.view"),
    "strategy:sdg_list": ("read", None, lambda t: {}, "core.view"),
    "strategy:sdg_detail": ("read", None, lambda t: {"number": 16}, "core.view"),
    "portfolio:project_links": ("lead", "project", _project, "portfolio.edit_project"),
    "strategy-list": ("api", None, lambda t: {}, "strategy.change"),
    "strategy-detail": ("api", "strategy", _strategy, "strategy.change"),
    "goal-list": ("api", None, lambda t: {}, "strategy.change"),
    "goal-detail": ("api", "goal", _goal, "strategy.change"),
    "focusarea-list": ("api", None, lambda t: {}, "strategy.change"),
    "focusarea-detail": ("api", None, lambda t: {"pk": 2}, "strategy.change"),
    "sdg-list": ("api", None, lambda t: {}, "strategy.change"),
    "sdg-detail": ("api", None, lambda t: {"pk": 16}, "strategy.change"),
}
SHOWS_OWN_DATA: set[str] = {
    "strategy:strategy_list",
    "strategy:strategy_detail",
    "portfolio:coverage",
    "strategy:focus_area_detail",
    "strategy:sdg_detail",
    "portfolio:project_links",
    "strategy-list",
    "strategy-detail",
    "goal-list",
    "goal-detail",
}
SHOWS_CLOSED: set[str] = set()
READ_ONLY_API: set[str] = set()
QUERY_PAGES: dict = {
    "strategy_list": lambda t: ("strategy:strategy_list", {}),
    "strategy_detail": lambda t: ("strategy:strategy_detail", {"pk": t.strategy.pk}),
    "strategy_edit": lambda t: ("strategy:strategy_edit", {"pk": t.strategy.pk}),
    "strategy_coverage": lambda t: ("portfolio:coverage", {}),
    "strategy_coverage_xlsx": lambda t: ("portfolio:coverage_xlsx", {}),
    "focus_area_list": lambda t: ("strategy:focus_area_list", {}),
    "focus_area_detail": lambda t: ("strategy:focus_area_detail", {"number": 2}),
    "sdg_list": lambda t: ("strategy:sdg_list", {}),
    "sdg_detail": lambda t: ("strategy:sdg_detail", {"number": 16}),
    "project_links": lambda t: ("portfolio:project_links", {"pk": t.project.pk}),
    "api_strategies": lambda t: ("strategy-list", {}),
    "api_goals": lambda t: ("goal-list", {}),
    "api_focus_areas": lambda t: ("focusarea-list", {}),
    "api_sdgs": lambda t: ("sdg-list", {}),
}
