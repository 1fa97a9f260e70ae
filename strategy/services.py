"""Domain logic of strategy: which strategy is current, what serves each goal (the coverage),
the catalogues' counts, and a project's links to goals, focus areas and SDGs.

A project's links are changed here only, so that one change of the links is one entry in the
project's history (django-simple-history would otherwise write a record for every `add`,
`remove` and `clear` of each of the three relations) and so that a goal of another
municipality can never be linked. Every function that writes runs in one transaction.

The coverage costs a fixed number of queries whatever the number of goals and projects: the
goals, the active projects, the links between them, and per catalogue its rows and one
grouped count of the municipality's links.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.collation import danish_key
from portfolio.models import ACTIVE_PHASES, Project
from strategy.models import SDG, FocusArea, Goal, Strategy

# What the coverage needs of a project.
PROJECT_FIELDS = ("pk", "municipality_id", "name", "code", "phase")


# --- Strategies --------------------------------------------------------------------------------


def ordered(strategies, year: int) -> list[Strategy]:
    """The strategies with the current ones (the year lies in their period) first, then the
    newest first."""
    return sorted(
        strategies,
        key=lambda s: (not s.is_current(year), -s.start_year, danish_key(s.title), s.pk),
    )


def current(strategies, year: int) -> Strategy | None:
    """The strategy in force in `year` (the one that started last, if several); else the
    newest; None when there is none."""
    found = ordered(strategies, year)
    return found[0] if found else None


def next_goal_position(strategy: Strategy) -> int:
    last = strategy.goals.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


# --- A project's links -------------------------------------------------------------------------


@contextmanager
def one_history_record(project: Project):
    """Change the project's links inside the block; the history gets one record for all of
    it afterwards (with the links as they are then), and none when nothing changed."""
    before = link_ids(project)
    outcome = {"changed": False}
    project.skip_history_when_saving = True
    try:
        yield outcome
    finally:
        del project.skip_history_when_saving
    if link_ids(project) != before:
        outcome["changed"] = True
        # A save of one unchanged column: simple-history records the project with its links.
        project.save(update_fields=["name"])


def project_links(project: Project) -> dict[str, list]:
    """The goals, focus areas and SDGs a project serves, for the "Strategy" section of the
    project card: three queries, whatever the links."""
    return {
        "goals": list(
            project.goals.select_related("strategy").order_by(
                "-strategy__start_year", "strategy_id", "position", "pk"
            )
        ),
        "focus_areas": list(project.focus_areas.order_by("number")),
        "sdgs": list(project.sdgs.order_by("number")),
    }


def link_ids(project: Project) -> tuple[frozenset, frozenset, frozenset]:
    return (
        frozenset(project.goals.values_list("pk", flat=True)),
        frozenset(project.focus_areas.values_list("pk", flat=True)),
        frozenset(project.sdgs.values_list("pk", flat=True)),
    )


def set_links(project: Project, *, goals=None, focus_areas=None, sdgs=None) -> bool:
    """Give the project these goals, focus areas and SDGs (None: leave that relation as it
    is). Goals of another municipality are refused. True when anything changed."""
    if goals is not None:
        foreign = [g for g in goals if g.municipality_id != project.municipality_id]
        if foreign:
            raise ValidationError(
                {
                    "goals": _("The goal “%(goal)s” belongs to another municipality.")
                    % {"goal": foreign[0]}
                }
            )
    with transaction.atomic(), one_history_record(project) as outcome:
        if goals is not None:
            project.goals.set(goals)
        if focus_areas is not None:
            project.focus_areas.set(focus_areas)
        if sdgs is not None:
            project.sdgs.set(sdgs)
    return outcome["changed"]


def delete_goal(goal: Goal) -> int:
    """Delete a goal. The projects that served it lose the link, each with a record in its
    history. Returns the number of projects that served it."""
    with transaction.atomic():
        projects = list(Project.objects.filter(goals=goal).order_by("pk"))
        for project in projects:
            with one_history_record(project):
                project.goals.remove(goal)
        goal.delete()
    return len(projects)


# --- Coverage ----------------------------------------------------------------------------------


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
    projects = Project.objects.filter(phase__in=ACTIVE_PHASES).order_by().only(*PROJECT_FIELDS)
    return sorted(projects, key=lambda p: (danish_key(p.name), p.pk))


def link_counts(model, municipality_id: int) -> dict[int, tuple[int, int]]:
    """{catalogue row id: (the municipality's projects linked, of those not closed)} for a
    catalogue (FocusArea or SDG). Counted from the municipality's projects through the link
    table, so it reads the municipality's links only, not the whole country's."""
    relation = "focus_areas" if model is FocusArea else "sdgs"
    through = getattr(Project, relation).through
    column = next(f.attname for f in through._meta.fields if f.related_model is model)
    rows = (
        through.objects.filter(project__municipality_id=municipality_id)
        .values(column)
        .annotate(
            linked=Count("project_id", distinct=True),
            active=Count("project_id", distinct=True, filter=Q(project__phase__in=ACTIVE_PHASES)),
        )
        .order_by()
    )
    return {row[column]: (row["linked"], row["active"]) for row in rows}


def catalogue_counts(model, municipality_id: int) -> list:
    """The catalogue's rows in order, each with `project_count` and `active_count`."""
    counts = link_counts(model, municipality_id)
    rows = list(model.objects.order_by("number"))
    for row in rows:
        row.project_count, row.active_count = counts.get(row.pk, (0, 0))
    return rows


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
