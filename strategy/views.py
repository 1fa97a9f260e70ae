"""Pages of strategy: the strategies and their goals, and the two shared catalogues (the KL
focus areas and the SDGs) with the municipality's projects.

The projects are portfolio's, and portfolio lies above strategy: these pages read a goal's,
focus area's or SDG's projects through the relation the links give it (`goal.projects`). The
coverage of the goals by the active projects and a project's links to goals, focus areas and
SDGs are project pages, portfolio's (`portfolio.views.coverage`, `portfolio.views.projects`).

Everyone in the municipality reads them (`core.view`). Strategies and goals are kept by those
with `strategy.change`. Each view declares its permission (`permission_required`): objects are
looked up first (another municipality's strategy is not found: 404), then the permission is
asked (403). Every page costs a constant number of queries.
"""

import os

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.collation import Danish
from core.permissions import has_perm, permission_required
from core.responses import form_status
from documents.http import XLSX, download
from meetings.models import ALLOWED_ATTACHMENT_EXTENSIONS
from meetings.uploads import extension
from strategy import exports, services
from strategy.forms import GoalForm, StrategyForm
from strategy.models import SDG, FocusArea, Goal, Strategy

PAGE_SIZE = 50
# What a list of projects shows of a project.
PROJECT_FIELDS = ("pk", "municipality_id", "name", "code", "phase", "owning_unit__name")
# The projects a goal lists on the strategy's page; the project list has them all.
GOAL_PROJECTS = 15


def _strategy(pk: int) -> Strategy:
    return get_object_or_404(Strategy.objects.all(), pk=pk)


def _goal(pk: int) -> Goal:
    return get_object_or_404(Goal.objects.select_related("strategy"), pk=pk)


# --- Strategies --------------------------------------------------------------------------------


@permission_required("core.view")
def strategy_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    strategies = services.ordered(
        Strategy.objects.annotate(goal_count=Count("goals")).order_by(), year
    )
    return render(
        request,
        "strategy/strategy_list.html",
        {
            "strategies": strategies,
            "year": year,
            "can_change": has_perm(request.user, "strategy.change"),
        },
    )


@permission_required("core.view")
def strategy_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The strategies in the list's order, a row per goal."""
    found = exports.strategies_with_goals(Strategy.objects.all(), timezone.localdate().year)
    content = exports.StrategyExport(found).to_bytes()
    return download(content, XLSX, f"strategier-{timezone.localdate():%Y-%m-%d}.xlsx")


@permission_required("core.view")
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A strategy with its goals and, per goal, how many projects serve it (counted in SQL)
    and the first `GOAL_PROJECTS` of them by name (one query for all goals, through the goals'
    relation), with a link to the project list of the goal for all of them: København's
    goals are served by some 2,600 projects in all."""
    strategy = _strategy(pk)
    projects = services.projects()
    first = (
        projects.select_related("owning_unit")
        .only(*PROJECT_FIELDS)
        .order_by(Danish("name"), "pk")[:GOAL_PROJECTS]
    )
    goals = list(
        strategy.goals.order_by("position", "pk")
        .annotate(
            serving_count=Count("projects", distinct=True),
            active_count=Count(
                "projects",
                filter=Q(projects__in=projects.active().values("pk")),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("projects", queryset=first, to_attr="serving"))
    )
    year = timezone.localdate().year
    return render(
        request,
        "strategy/strategy_detail.html",
        {
            "strategy": strategy,
            "goals": goals,
            "is_current": strategy.is_current(year),
            "can_change": has_perm(request.user, "strategy.change"),
        },
    )


def _strategy_form(request: HttpRequest, strategy: Strategy, *, created: bool) -> HttpResponse:
    form = StrategyForm(
        request.POST or None, request.FILES or None, instance=strategy, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            strategy = form.save()
        messages.success(
            request, _("The strategy was created.") if created else _("The strategy was saved.")
        )
        return redirect("strategy:strategy_detail", pk=strategy.pk)
    cancel_url = (
        reverse("strategy:strategy_list")
        if created
        else reverse("strategy:strategy_detail", args=[strategy.pk])
    )
    return render(
        request,
        "strategy/strategy_form.html",
        {"form": form, "strategy": None if created else strategy, "cancel_url": cancel_url},
        status=form_status(request),
    )


@permission_required("strategy.change")
def strategy_create(request: HttpRequest) -> HttpResponse:
    return _strategy_form(request, Strategy(), created=True)


@permission_required("strategy.change", lookup=_strategy)
def strategy_edit(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    return _strategy_form(request, strategy, created=False)


@permission_required("core.view")
def strategy_document(request: HttpRequest, pk: int) -> FileResponse:
    """The strategy's uploaded document, as a download; 404 when it has none."""
    strategy = _strategy(pk)
    if not strategy.document:
        raise Http404
    try:
        handle = strategy.document.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    name = os.path.basename(strategy.document.name)
    content_type = ALLOWED_ATTACHMENT_EXTENSIONS.get(extension(name), "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Goals -------------------------------------------------------------------------------------


def _goal_form(request: HttpRequest, strategy: Strategy, goal: Goal, *, created: bool):
    form = GoalForm(request.POST or None, instance=goal, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            goal = form.save()
        messages.success(
            request,
            (
                _("The goal “%(goal)s” was added.")
                if created
                else _("The goal “%(goal)s” was saved.")
            )
            % {"goal": goal},
        )
        return redirect(reverse("strategy:strategy_detail", args=[strategy.pk]) + "#maal")
    return render(
        request,
        "strategy/goal_form.html",
        {
            "form": form,
            "strategy": strategy,
            "goal": None if created else goal,
            "cancel_url": reverse("strategy:strategy_detail", args=[strategy.pk]) + "#maal",
        },
        status=form_status(request),
    )


@permission_required("strategy.change", lookup=_strategy)
def goal_create(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    goal = Goal(strategy=strategy, position=services.next_goal_position(strategy))
    return _goal_form(request, strategy, goal, created=True)


@permission_required("strategy.change", lookup=_goal)
def goal_edit(request: HttpRequest, goal: Goal) -> HttpResponse:
    return _goal_form(request, goal.strategy, goal, created=False)


@permission_required("strategy.change", lookup=_goal)
def goal_delete(request: HttpRequest, goal: Goal) -> HttpResponse:
    """Delete a goal, after a confirmation that says how many projects serve it."""
    strategy = goal.strategy
    if request.method == "POST":
        services.delete_goal(goal)
        messages.success(request, _("The goal “%(goal)s” was deleted.") % {"goal": goal})
        return redirect(reverse("strategy:strategy_detail", args=[strategy.pk]) + "#maal")
    return render(
        request,
        "strategy/goal_delete.html",
        {"goal": goal, "strategy": strategy, "project_count": goal.projects.count()},
    )


# --- The catalogues ----------------------------------------------------------------------------


def _catalogue_list(request, model, template: str) -> HttpResponse:
    rows = services.catalogue_counts(model, request.user.municipality_id)
    return render(request, template, {"rows": rows})


def _catalogue_detail(request, row, template: str) -> HttpResponse:
    """The catalogue row (a focus area or an SDG) with the municipality's projects linked to
    it (`row.projects`: the scoped projects), a page at a time."""
    projects = (
        row.projects.select_related("owning_unit")
        .only(*PROJECT_FIELDS)
        .order_by(Danish("name"), "pk")
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("side"))
    active = row.projects.active().count()
    return render(
        request,
        template,
        {"row": row, "page": page, "projects": list(page.object_list), "active_count": active},
    )


@permission_required("core.view")
def focus_area_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, FocusArea, "strategy/focus_area_list.html")


def _catalogue_row(model, number: int):
    if number > 1000:  # no such number; and the database is spared an overflowing integer
        raise Http404
    return get_object_or_404(model, number=number)


@permission_required("core.view")
def focus_area_detail(request: HttpRequest, number: int) -> HttpResponse:
    area = _catalogue_row(FocusArea, number)
    return _catalogue_detail(request, area, "strategy/focus_area_detail.html")


@permission_required("core.view")
def sdg_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, SDG, "strategy/sdg_list.html")


@permission_required("core.view")
def sdg_detail(request: HttpRequest, number: int) -> HttpResponse:
    sdg = _catalogue_row(SDG, number)
    return _catalogue_detail(request, sdg, "strategy/sdg_detail.html")
