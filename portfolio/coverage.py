"""The coverage of a strategy's goals by the active projects: the goals no active project
serves, the active projects that serve none of its goals, the goals × projects matrix and how
many active projects each focus area and SDG has.

It reads the projects, so it lives here, above strategy: the strategy, its goals and the
catalogues' counts are strategy's (`strategy.services.catalogue_counts`).

The coverage costs a fixed number of queries whatever the number of goals and projects: the
goals, the active projects, the links between them, and per catalogue its rows and one
grouped count of the municipality's links.
"""

from dataclasses import dataclass, field

from core.collation import danish_key
from portfolio.models import ACTIVE_PHASES, Project
from strategy.models import SDG, FocusArea, Goal, Strategy
from strategy.services import catalogue_counts

# What the coverage needs of a project.
PROJECT_FIELDS = ("pk", "municipality_id", "name", "code", "phase")


@dataclass
class GoalRow:
    goal: Goal
    projects: list = field(default_factory=list)  # the active projects that serve it

    @property
    def covered(self) -> bool:
        return bool(self.projects)


@dataclass
class ProjectRow:
    project: Project
    goal_ids: set = field(default_factory=set)  # goals of the strategy it serves
    cells: list = field(default_factory=list)  # per goal of the strategy: serves it?

    @property
    def serves(self) -> bool:
        return bool(self.goal_ids)


@dataclass
class Coverage:
    strategy: Strategy
    goals: list[GoalRow]
    projects: list[ProjectRow]
    focus_areas: list  # FocusArea with `active_count`
    sdgs: list  # SDG with `active_count`

    @property
    def uncovered_goals(self) -> list[GoalRow]:
        return [row for row in self.goals if not row.covered]

    @property
    def unserving_projects(self) -> list[ProjectRow]:
        return [row for row in self.projects if not row.serves]

    @property
    def link_count(self) -> int:
        return sum(len(row.goal_ids) for row in self.projects)


def active_projects() -> list[Project]:
    """The municipality's active projects (not closed), in Danish alphabetical order."""
    projects = Project.objects.active().order_by().only(*PROJECT_FIELDS)
    return sorted(projects, key=lambda p: (danish_key(p.name), p.pk))


def coverage(strategy: Strategy) -> Coverage:
    """Which active projects serve which goals of the strategy; the goals no active project
    serves and the active projects that serve none of its goals; and how many active projects
    each focus area and SDG has."""
    goals = list(strategy.goals.order_by("position", "pk"))
    projects = active_projects()
    links = Project.goals.through.objects.filter(
        goal__strategy_id=strategy.pk,
        project__municipality_id=strategy.municipality_id,
        project__phase__in=ACTIVE_PHASES,
    ).values_list("goal_id", "project_id")
    by_project: dict[int, set] = {}
    for goal_id, project_id in links:
        by_project.setdefault(project_id, set()).add(goal_id)
    goal_rows = {goal.pk: GoalRow(goal) for goal in goals}
    project_rows = []
    for project in projects:
        served = by_project.get(project.pk, set())
        row = ProjectRow(project, served, [goal.pk in served for goal in goals])
        project_rows.append(row)
        for goal_id in served:
            goal_rows[goal_id].projects.append(project)
    return Coverage(
        strategy=strategy,
        goals=list(goal_rows.values()),
        projects=project_rows,
        focus_areas=catalogue_counts(FocusArea, strategy.municipality_id),
        sdgs=catalogue_counts(SDG, strategy.municipality_id),
    )
