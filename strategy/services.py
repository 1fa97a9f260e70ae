"""Domain logic of strategy: which strategy is current, the catalogues' counts, and a
project's links to goals, focus areas and SDGs.

The projects are portfolio's (`portfolio.models.Project`, which holds the links), and
portfolio lies above strategy: strategy imports nothing of it. It reads the projects through
the relations the links give its own models (`goal.projects`, `area.projects`,
`sdg.projects`), and is handed a project where it changes one's links. The coverage of the
goals by the active projects reads the projects, so it is portfolio's (`portfolio.coverage`).

A project's links are changed here only, so that one change of the links is one entry in the
project's history (django-simple-history would otherwise write a record for every `add`,
`remove` and `clear` of each of the three relations) and so that a goal of another
municipality can never be linked. Every function that writes runs in one transaction.
"""

from contextlib import contextmanager
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.collation import danish_key
from strategy.models import Goal, Strategy


class LinkedProject(Protocol):
    """What the links need of a project (portfolio's `Project`)."""

    pk: Any
    municipality_id: int
    goals: Any  # the related managers of the three links
    focus_areas: Any
    sdgs: Any
    skip_history_when_saving: bool  # django-simple-history: no record for this save

    def save(self, *args: Any, **kwargs: Any) -> None: ...


def projects():
    """The projects' scoped manager (portfolio's `Project.objects`), reached through the
    goals' relation: for a query over the projects of many goals or catalogue rows at once.
    Its queryset knows portfolio's rules, e.g. `active()`."""
    return Goal.projects.field.model._default_manager


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


# The largest position a goal can have (a PositiveSmallIntegerField on every database).
MAX_POSITION = 32767


def next_goal_position(strategy: Strategy) -> int:
    """After the strategy's last goal; a goal already at the largest position is joined there
    (goals of the same position are shown in the order they were added)."""
    last = strategy.goals.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else min(last + 1, MAX_POSITION)


# --- A project's links -------------------------------------------------------------------------


@contextmanager
def one_history_record(project: LinkedProject):
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


def project_links(project: LinkedProject) -> dict[str, list]:
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


def link_ids(project: LinkedProject) -> tuple[frozenset, frozenset, frozenset]:
    return (
        frozenset(project.goals.values_list("pk", flat=True)),
        frozenset(project.focus_areas.values_list("pk", flat=True)),
        frozenset(project.sdgs.values_list("pk", flat=True)),
    )


def set_links(project: LinkedProject, *, goals=None, focus_areas=None, sdgs=None) -> bool:
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
        # Not `goal.projects`: the API's goal comes with its projects prefetched, their ids
        # only (`strategy.api`), and the history records whole rows.
        serving = list(projects().filter(goals=goal).order_by("pk"))
        for project in serving:
            with one_history_record(project):
                project.goals.remove(goal)
        goal.delete()
    return len(serving)


# --- The catalogues ----------------------------------------------------------------------------


def link_counts(model, municipality_id: int) -> dict[int, tuple[int, int]]:
    """{catalogue row id: (the municipality's projects linked, of those not closed)} for a
    catalogue (FocusArea or SDG). Counted from the municipality's projects through the link
    table, so it reads the municipality's links only, not the whole country's."""
    through = model.projects.through
    column = next(f.attname for f in through._meta.fields if f.related_model is model)
    rows = (
        through.objects.filter(project__municipality_id=municipality_id)
        .values(column)
        .annotate(
            linked=Count("project_id", distinct=True),
            # Portfolio's rule of an active project, as a subquery of the scoped projects.
            active=Count("project_id", distinct=True, filter=Q(project__in=projects().active())),
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
