"""Pages of strategy: the strategies and their goals, the coverage of the goals by the active
projects, the two shared catalogues (the KL focus areas and the SDGs) with the municipality's
projects, and a project's links to goals, focus areas and SDGs.

Everyone in the municipality reads them. Strategies and goals are kept by those with
`strategy.change`; a project's links by the project's keepers (`portfolio.access`).
Objects are looked up first (another municipality's strategy is not found: 404), then the
permission is checked (403). Every page costs a constant number of queries.
"""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.collation import Danish, danish_key
from core.forms import add_validation_errors
from core.permissions import has_perm, require_perm
from core.responses import form_status
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from meetings.models import ALLOWED_ATTACHMENT_EXTENSIONS
from meetings.uploads import extension
from portfolio import access
from portfolio.models import Phase, Project
from strategy import services
from strategy.forms import GoalForm, ProjectLinksForm, StrategyForm
from strategy.models import SDG, FocusArea, Goal, Strategy

PAGE_SIZE = 50
PHASE_LABELS = dict(Phase.choices)
# What a list of projects shows of a project.
PROJECT_FIELDS = ("pk", "municipality_id", "name", "code", "phase", "owning_unit__name")


def _strategy(pk: int) -> Strategy:
    return get_object_or_404(Strategy.objects.all(), pk=pk)


def _goal(pk: int) -> Goal:
    return get_object_or_404(Goal.objects.select_related("strategy"), pk=pk)


def _by_name(projects) -> list:
    return sorted(projects, key=lambda p: (danish_key(p.name), p.pk))


# --- Strategies --------------------------------------------------------------------------------


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


def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A strategy with its goals and, per goal, the projects that serve it."""
    strategy = _strategy(pk)
    projects = Project.objects.select_related("owning_unit").only(*PROJECT_FIELDS).order_by()
    goals = list(
        strategy.goals.order_by("position", "pk").prefetch_related(
            Prefetch("projects", queryset=projects)
        )
    )
    for goal in goals:
        goal.serving = _by_name(goal.projects.all())
        goal.active_count = sum(1 for p in goal.serving if p.is_active)
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
    form = StrategyForm(request.POST or None, request.FILES or None, instance=strategy)
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


def strategy_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "strategy.change")
    return _strategy_form(request, Strategy(), created=True)


def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(pk)
    require_perm(request, "strategy.change")
    return _strategy_form(request, strategy, created=False)


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


def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy(pk)
    require_perm(request, "strategy.change")
    goal = Goal(strategy=strategy, position=services.next_goal_position(strategy))
    return _goal_form(request, strategy, goal, created=True)


def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal(pk)
    require_perm(request, "strategy.change")
    return _goal_form(request, goal.strategy, goal, created=False)


def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a goal, after a confirmation that says how many projects serve it."""
    goal = _goal(pk)
    require_perm(request, "strategy.change")
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


# --- Coverage ----------------------------------------------------------------------------------


def _chosen_strategy(request: HttpRequest):
    """The strategies to choose among, the one chosen (`?strategi=`; the current one when none
    or an unknown one is asked for) and whether the value asked for was unknown."""
    year = timezone.localdate().year
    strategies = services.ordered(Strategy.objects.order_by(), year)
    wanted = request.GET.get("strategi", "")
    chosen = next((s for s in strategies if str(s.pk) == wanted), None)
    return (
        strategies,
        chosen or (strategies[0] if strategies else None),
        bool(wanted) and not chosen,
    )


def coverage(request: HttpRequest) -> HttpResponse:
    """Goals × active projects of a strategy: the goals no project serves, the projects that
    serve no goal, and the focus areas' and SDGs' counts."""
    strategies, strategy, unknown = _chosen_strategy(request)
    result = services.coverage(strategy) if strategy else None
    page = matrix = None
    if result is not None:
        url = _project_url()
        for row in result.projects:
            row.project.detail_url = url(row.project.pk)
        for row in result.goals:
            row.more = max(len(row.projects) - GOAL_PROJECTS_SHOWN, 0)
        page = Paginator(result.projects, PAGE_SIZE).get_page(request.GET.get("side"))
        matrix = [_matrix_row(row) for row in page.object_list]
    return render(
        request,
        "strategy/coverage.html",
        {
            "strategies": strategies,
            "strategy": strategy,
            "coverage": result,
            "page": page,
            "matrix": matrix,
            "goals_shown": GOAL_PROJECTS_SHOWN,
            "unknown": unknown,
            "phases": PHASE_LABELS,
            "year": timezone.localdate().year,
        },
    )


# The projects named per goal on the coverage page; the matrix and the Excel export hold all.
GOAL_PROJECTS_SHOWN = 10


def _project_url():
    """pk -> the project card's address, with one `reverse` for all rows."""
    marker = 999_999_999
    template = reverse("portfolio:project_detail", args=[marker])
    return lambda pk: template.replace(str(marker), str(pk))


def _matrix_row(row: services.ProjectRow) -> str:
    """One row of the goals × projects matrix as HTML, built here rather than by the template
    engine: a municipality has hundreds of active projects and each row a cell per goal."""
    serves, serves_not = _("Serves the goal"), _("Does not serve the goal")
    yes = format_html(
        '<td class="coverage-cell"><span aria-hidden="true">✓</span>'
        '<span class="sr-only">{}</span></td>',
        serves,
    )
    no = format_html(
        '<td class="coverage-cell"><span aria-hidden="true">–</span>'
        '<span class="sr-only">{}</span></td>',
        serves_not,
    )
    total = (
        str(len(row.goal_ids))
        if row.serves
        else format_html('<span class="badge badge-warning">{}</span>', _("None"))
    )
    return format_html(
        '<tr{}><th scope="row"><a href="{}">{}</a></th>{}<td>{}</td></tr>',
        mark_safe(' class="coverage-none"') if not row.serves else "",
        row.project.detail_url,
        row.project.name,
        mark_safe("".join(yes if cell else no for cell in row.cells)),
        total,
    )


class CoverageExport(XlsxExporter):
    """One row per active project: a column per goal ("x" where it serves the goal)."""

    sheet_title = gettext_lazy("Coverage")

    def __init__(self, result: services.Coverage):
        self.result = result
        self.columns = (
            gettext_lazy("Project"),
            gettext_lazy("Project number"),
            gettext_lazy("Phase"),
            *(str(row.goal) for row in result.goals),
            gettext_lazy("Serves no goal"),
        )

    def rows(self):
        yes = _("Yes")
        for row in self.result.projects:
            project = row.project
            yield (
                project.name,
                project.code,
                str(PHASE_LABELS.get(project.phase, project.phase)),
                *("x" if cell else "" for cell in row.cells),
                "" if row.serves else yes,
            )


def coverage_xlsx(request: HttpRequest) -> HttpResponse:
    _strategies, strategy, _unknown = _chosen_strategy(request)
    if strategy is None:
        raise Http404
    content = CoverageExport(services.coverage(strategy)).to_bytes()
    return download(content, XLSX, f"daekning-{strategy.start_year}-{strategy.end_year}.xlsx")


# --- The catalogues ----------------------------------------------------------------------------


def _catalogue_list(request, model, template: str) -> HttpResponse:
    rows = services.catalogue_counts(model, request.user.municipality_id)
    return render(request, template, {"rows": rows})


def _catalogue_detail(request, row, template: str, relation: str) -> HttpResponse:
    projects = (
        Project.objects.filter(**{relation: row})
        .select_related("owning_unit")
        .only(*PROJECT_FIELDS)
        .order_by(Danish("name"), "pk")
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("side"))
    active = Project.objects.filter(**{relation: row}).exclude(phase=Phase.CLOSED).count()
    return render(
        request,
        template,
        {"row": row, "page": page, "projects": list(page.object_list), "active_count": active},
    )


def focus_area_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, FocusArea, "strategy/focus_area_list.html")


def _catalogue_row(model, number: int):
    if number > 1000:  # no such number; and the database is spared an overflowing integer
        raise Http404
    return get_object_or_404(model, number=number)


def focus_area_detail(request: HttpRequest, number: int) -> HttpResponse:
    area = _catalogue_row(FocusArea, number)
    return _catalogue_detail(request, area, "strategy/focus_area_detail.html", "focus_areas")


def sdg_list(request: HttpRequest) -> HttpResponse:
    return _catalogue_list(request, SDG, "strategy/sdg_list.html")


def sdg_detail(request: HttpRequest, number: int) -> HttpResponse:
    sdg = _catalogue_row(SDG, number)
    return _catalogue_detail(request, sdg, "strategy/sdg_detail.html", "sdgs")


# --- A project's links -------------------------------------------------------------------------


def project_links(request: HttpRequest, pk: int) -> HttpResponse:
    """The goals, focus areas and SDGs the project serves, kept by the project's keepers."""
    project = get_object_or_404(Project.objects.all(), pk=pk)
    if not access.can_edit_project(request.user, project):
        raise PermissionDenied
    initial = {
        "goals": list(project.goals.values_list("pk", flat=True)),
        "focus_areas": list(project.focus_areas.values_list("pk", flat=True)),
        "sdgs": list(project.sdgs.values_list("pk", flat=True)),
    }
    form = ProjectLinksForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.set_links(
                project,
                goals=list(data["goals"]),
                focus_areas=list(data["focus_areas"]),
                sdgs=list(data["sdgs"]),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("The project's strategy links were saved.")
                if changed
                else _("Nothing was changed."),
            )
            return redirect(reverse("portfolio:project_detail", args=[project.pk]) + "#strategi")
    return render(
        request,
        "strategy/project_links.html",
        {"project": project, "form": form, "goal_groups": form.goal_groups()},
        status=form_status(request),
    )


urlpatterns = [
    path("strategi/", strategy_list, name="strategy_list"),
    path("strategi/ny/", strategy_create, name="strategy_create"),
    path("strategi/<int:pk>/", strategy_detail, name="strategy_detail"),
    path("strategi/<int:pk>/rediger/", strategy_edit, name="strategy_edit"),
    path("strategi/<int:pk>/dokument/", strategy_document, name="strategy_document"),
    path("strategi/<int:pk>/maal/ny/", goal_create, name="goal_create"),
    path("strategi/maal/<int:pk>/rediger/", goal_edit, name="goal_edit"),
    path("strategi/maal/<int:pk>/slet/", goal_delete, name="goal_delete"),
    path("strategi/daekning/", coverage, name="coverage"),
    path("strategi/daekning/xlsx/", coverage_xlsx, name="coverage_xlsx"),
    path("strategi/fokusomraader/", focus_area_list, name="focus_area_list"),
    path("strategi/fokusomraader/<int:number>/", focus_area_detail, name="focus_area_detail"),
    path("strategi/verdensmaal/", sdg_list, name="sdg_list"),
    path("strategi/verdensmaal/<int:number>/", sdg_detail, name="sdg_detail"),
    path("projekter/<int:pk>/strategi/", project_links, name="project_links"),
]
