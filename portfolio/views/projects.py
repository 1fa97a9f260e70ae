"""Views of the portfolio: the project list, the project card and what its keepers change.

Everyone in the municipality reads every project. Those who run the portfolio
(`portfolio.change`) create projects; a project's keepers (`portfolio.edit_project`: those
who run the portfolio, and the project's own leader and owner; `portfolio.rules`) edit its
card, milestones and budget and what it serves (strategy goals, focus areas and SDGs), and
take it through a gate to another phase (`services.change_phase`).

Objects are looked up first (another municipality's project is not found: 404), then the
permission is checked (403). Every page costs a constant number of queries.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch
from django.db.models.expressions import Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import sections
from core.charts import Series, bar_chart
from core.collation import Danish
from core.forms import add_validation_errors
from core.history import history_entries, newest_first
from core.history import records as history_records
from core.links import url_maker
from core.permissions import has_perm, permission_required
from core.responses import form_status
from core.widgets import choice_labels
from documents.http import XLSX, download
from documents.xlsx import XlsxExporter
from meetings.models import AgendaItem, ItemKind, MeetingState
from meetings.rules import open_or_member
from organisation.models import Body, OrgUnit, Person
from portfolio import services
from portfolio.forms.projects import (
    EXTRA_ROWS,
    MAX_EXTRA_ROWS,
    PhaseChangeForm,
    ProjectFilterForm,
    ProjectForm,
    ProjectLinksForm,
    budget_formset,
    decision_label,
    milestone_formset,
)
from portfolio.models import (
    COLOUR_FIELDS,
    PHASE_ORDER,
    BudgetYear,
    Category,
    Colour,
    Milestone,
    Phase,
    PhaseChange,
    Project,
    Risk,
    RiskStatus,
    StatusReport,
)
from portfolio.services import Trend
from strategy import services as strategy_services
from strategy.models import Goal

PAGE_SIZE = 50
XLSX_MAX_ROWS = 10_000
# The risks the card shows, the highest scores first.
CARD_RISKS = 5
# The meeting decisions the gate offers, newest first.
GATE_DECISIONS = 200

COLOUR_LABELS = dict(Colour.choices)
TREND_LABELS = {
    Trend.BETTER: gettext_lazy("Better than the report before"),
    Trend.WORSE: gettext_lazy("Worse than the report before"),
    Trend.SAME: gettext_lazy("Unchanged since the report before"),
    Trend.NEW: gettext_lazy("No earlier report to compare with"),
}
TREND_ARROWS = {Trend.BETTER: "↑", Trend.WORSE: "↓", Trend.SAME: "→", Trend.NEW: ""}


# --- Helpers -----------------------------------------------------------------------------------


def _project(pk: int) -> Project:
    return get_object_or_404(Project.objects.all(), pk=pk)


def _light(colour: str | None) -> dict:
    """A traffic light for a template: its css colour and its text."""
    if not colour:
        return {"colour": "none", "label": _("No report")}
    return {"colour": colour, "label": COLOUR_LABELS.get(colour, colour)}


def _extra_rows(request: HttpRequest) -> int:
    try:
        wanted = int(request.GET.get("raekker", EXTRA_ROWS))
    except ValueError:
        wanted = EXTRA_ROWS
    return max(1, min(wanted, MAX_EXTRA_ROWS))


def phase_steps(phase: str) -> list[dict]:
    """The six phases in order: done, current or to come."""
    index = PHASE_ORDER.index(phase) if phase in PHASE_ORDER else 0
    return [
        {"label": label, "done": i < index, "current": i == index}
        for i, (_value, label) in enumerate(Phase.choices)
    ]


# --- The list ----------------------------------------------------------------------------------


def _filtered_projects(request: HttpRequest):
    units = OrgUnit.objects.order_by().values_list("pk", "name")
    bodies = Body.objects.order_by().values_list("pk", "name")
    goals = [
        (goal.pk, f"{goal.strategy.title}: {goal}")
        for goal in Goal.objects.select_related("strategy").order_by(
            "-strategy__start_year", "strategy__pk", "position", "pk"
        )
    ]
    form = ProjectFilterForm(request.GET or None, units=units, bodies=bodies, goals=goals)
    return form, form.filter(Project.objects.all()).order_by(Danish("name"), "pk")


# What the list shows of a project, and what its status needs.
LIST_FIELDS = (
    "pk",
    "municipality_id",
    "name",
    "code",
    "category",
    "kombit",
    "lighthouse",
    "phase",
    "start_date",
    "report_cycle",
    "owning_unit__name",
    "leader__name",
    "body__name",
)


def _list_rows(statuses: list[services.ProjectStatus]) -> list[dict]:
    """The rows of a page: what the table shows as plain values, labels translated and the
    link reversed once for all the rows, instead of template look-ups and tags per row."""
    project_url = url_maker("portfolio:project_detail")
    categories, phases = choice_labels(Category), choice_labels(Phase)
    rows = []
    for status in statuses:
        project, latest = status.project, status.latest
        rows.append(
            {
                "project": project,
                "status": status,
                "url": project_url(project.pk),
                "category": categories.get(project.category, project.category),
                "phase": phases.get(project.phase, project.phase),
                "unit": project.owning_unit.name if project.owning_unit_id else "–",
                "leader": project.leader.name if project.leader_id else "–",
                "body": project.body.name if project.body_id else "–",
                "light": _light(latest.colour if latest else None),
                "late": status.late,
            }
        )
    return rows


@permission_required("core.view")
def project_list(request: HttpRequest) -> HttpResponse:
    form, projects = _filtered_projects(request)
    projects = projects.select_related("owning_unit", "leader", "body").only(*LIST_FIELDS)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = _list_rows(services.statuses(page.object_list))
    return render(
        request,
        "portfolio/projects/list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "can_manage": has_perm(request.user, "portfolio.change"),
            "today": timezone.localdate(),
        },
    )


class ProjectExport(XlsxExporter):
    sheet_title = gettext_lazy("Projects")
    columns = (
        gettext_lazy("Project"),
        gettext_lazy("Project number"),
        gettext_lazy("Category"),
        gettext_lazy("KOMBIT"),
        gettext_lazy("Lighthouse"),
        gettext_lazy("Phase"),
        gettext_lazy("Owning unit"),
        gettext_lazy("Project owner"),
        gettext_lazy("Project leader"),
        gettext_lazy("Governing body"),
        gettext_lazy("Start"),
        gettext_lazy("End"),
        gettext_lazy("Overall status"),
        gettext_lazy("Latest report (period to)"),
        gettext_lazy("Next report due"),
        gettext_lazy("Report late"),
    )

    def __init__(self, statuses):
        self.statuses = statuses

    def rows(self):
        yes, no = _("Yes"), _("No")
        categories, phases = choice_labels(Category), choice_labels(Phase)
        colours = {colour: str(label) for colour, label in COLOUR_LABELS.items()}
        for status in self.statuses:
            project, latest = status.project, status.latest
            yield (
                project.name,
                project.code,
                categories.get(project.category, project.category),
                yes if project.kombit else no,
                yes if project.lighthouse else no,
                phases.get(project.phase, project.phase),
                project.owning_unit.name if project.owning_unit_id else "",
                project.owner.name if project.owner_id else "",
                project.leader.name if project.leader_id else "",
                project.body.name if project.body_id else "",
                project.start_date,
                project.end_date,
                colours[latest.colour] if latest else "",
                latest.period_end if latest else None,
                status.due,
                yes if status.late else no,
            )


@permission_required("core.view")
def project_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered project list as an Excel sheet."""
    _form, projects = _filtered_projects(request)
    projects = projects.select_related("owning_unit", "owner", "leader", "body")
    content = ProjectExport(services.statuses(projects[:XLSX_MAX_ROWS])).to_bytes()
    return download(content, XLSX, f"projekter-{timezone.localdate():%Y-%m-%d}.xlsx")


# --- Create and edit ---------------------------------------------------------------------------


def _project_form(request: HttpRequest, project: Project, *, created: bool) -> HttpResponse:
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        project = services.save_project(form.save(commit=False))
        messages.success(
            request,
            _("The project was created.") if created else _("The project was saved."),
        )
        return redirect("portfolio:project_detail", pk=project.pk)
    cancel_url = (
        reverse("portfolio:project_list")
        if created
        else reverse("portfolio:project_detail", args=[project.pk])
    )
    return render(
        request,
        "portfolio/projects/form.html",
        {"form": form, "project": None if created else project, "cancel_url": cancel_url},
        status=form_status(request),
    )


@permission_required("portfolio.change")
def project_create(request: HttpRequest) -> HttpResponse:
    return _project_form(request, Project(phase=Phase.IDEA), created=True)


@permission_required("portfolio.edit_project", lookup=_project)
def project_edit(request: HttpRequest, project: Project) -> HttpResponse:
    return _project_form(request, project, created=False)


# --- The project card --------------------------------------------------------------------------


def _decision_links(user, changes) -> None:
    """Label each gate's meeting decision; a closed item's title only for its body's members."""
    for change in changes:
        item = change.decision
        if item is None:
            change.decision_text = ""
            continue
        meeting = item.meeting
        if item.closed and not has_perm(user, "meetings.see_closed", meeting):
            change.decision_text = f"{meeting.body.name} {meeting.date:%d-%m-%Y}"
        else:
            change.decision_text = decision_label(item)


def _budget(project: Project) -> dict:
    years = list(project.budget_years.all())
    rows = [
        {"year": y.year, "planned": y.planned, "spent": y.spent, "remaining": y.planned - y.spent}
        for y in years
    ]
    planned = sum((y.planned for y in years), Decimal(0))
    spent = sum((y.spent for y in years), Decimal(0))
    chart = bar_chart(
        _("Budget per year: planned and spent"),
        categories=[str(y.year) for y in years],
        series=[
            Series(_("Planned"), "budget", [y.planned for y in years]),
            Series(_("Spent"), "spent", [y.spent for y in years]),
        ],
        unit="kr.",
    )
    return {
        "rows": rows,
        "planned": planned,
        "spent": spent,
        "remaining": planned - spent,
        "chart": chart,
    }


@permission_required("core.view")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The project card: facts, start document, status, milestones, budget, risks, benefits
    and the gates it passed."""
    user = request.user
    queryset = (
        Project.objects.filter(pk=pk)
        .select_related("owning_unit", "owner", "leader", "body")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            Prefetch("budget_years", queryset=BudgetYear.objects.order_by("year")),
            Prefetch(
                "phase_changes",
                queryset=PhaseChange.objects.select_related(
                    "decision__meeting__body", "decided_by"
                ).order_by("-decided_on", "-pk"),
            ),
        )
    )
    found = services.statuses(queryset)
    if not found:
        raise Http404
    status = found[0]
    project = status.project
    latest = status.latest
    report = None
    if latest is not None:
        report = {
            "report": latest,
            "overall": _light(latest.colour),
            "suggested": _light(latest.suggested),
            "lights": [
                {
                    "name": StatusReport._meta.get_field(name).verbose_name,
                    **_light(getattr(latest, name)),
                }
                for name in COLOUR_FIELDS
            ],
            "trend": status.trend,
            "trend_label": TREND_LABELS[status.trend],
            "trend_arrow": TREND_ARROWS[status.trend],
            "previous": _light(status.previous.colour) if status.previous else None,
            "case": latest.case if latest.case_id else None,
        }
    risks = list(
        Risk.objects.filter(project=project)
        .exclude(status=RiskStatus.CLOSED)
        .select_related("owner")
        .annotate(_score=F("probability") * F("impact"), _open=Window(Count("pk")))
        .order_by("-_score", "-pk")[:CARD_RISKS]
    )
    risk_count = risks[0]._open if risks else 0  # every row carries the number of open risks
    changes = list(project.phase_changes.all())
    _decision_links(user, changes)
    return render(
        request,
        "portfolio/projects/detail.html",
        {
            "project": project,
            "status": status,
            "report": report,
            "steps": phase_steps(project.phase),
            "milestones": list(project.milestones.all()),
            "budget": _budget(project),
            "risks": risks,
            "risk_count": risk_count,
            "sections": sections.of("portfolio.project", request, project),
            "changes": changes,
            "strategy_links": strategy_services.project_links(project),
            "can_edit": has_perm(user, "portfolio.edit_project", project),
            "today": timezone.localdate(),
        },
    )


# --- Milestones and budget ---------------------------------------------------------------------


def _rows_page(
    request: HttpRequest,
    project: Project,
    *,
    factory,
    related: str,
    prefix: str,
    order: tuple,
    template: str,
    saved: str,
    anchor: str,
) -> HttpResponse:
    """Edit a project's rows (milestones, budget years) with one formset, all or nothing."""
    extra = _extra_rows(request)
    FormSet = factory(extra)
    queryset = getattr(project, related).order_by(*order)
    formset = FormSet(request.POST or None, instance=project, prefix=prefix, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        try:
            with transaction.atomic():
                formset.save()
        except IntegrityError:
            formset._non_form_errors = formset.error_class(
                [_("Two rows clash, e.g. a year that appears twice. Nothing was saved.")],
                error_class="nonform",
            )
        else:
            messages.success(request, saved)
            return redirect(reverse("portfolio:project_detail", args=[project.pk]) + anchor)
    return render(
        request,
        template,
        {
            "project": project,
            "formset": formset,
            "more_rows": min(extra + EXTRA_ROWS, MAX_EXTRA_ROWS),
            "can_add_more": extra < MAX_EXTRA_ROWS,
        },
        status=form_status(request),
    )


@permission_required("portfolio.edit_project", lookup=_project)
def project_milestones(request: HttpRequest, project: Project) -> HttpResponse:
    return _rows_page(
        request,
        project,
        factory=milestone_formset,
        related="milestones",
        prefix="milepaele",
        order=("due_date", "pk"),
        template="portfolio/projects/milestones.html",
        saved=_("The milestones were saved."),
        anchor="#milepaele",
    )


@permission_required("portfolio.edit_project", lookup=_project)
def project_budget(request: HttpRequest, project: Project) -> HttpResponse:
    return _rows_page(
        request,
        project,
        factory=budget_formset,
        related="budget_years",
        prefix="budget",
        order=("year",),
        template="portfolio/projects/budget.html",
        saved=_("The budget was saved."),
        anchor="#budget",
    )


# --- The gate ----------------------------------------------------------------------------------


def gate_decisions(user):
    """Decisions the gate may point to: items with a decision text in approved minutes, that
    the user may read, newest first (the latest GATE_DECISIONS)."""
    return list(
        AgendaItem.objects.filter(meeting__state=MeetingState.MINUTES_APPROVED)
        .exclude(decision="")
        .exclude(kind=ItemKind.BREAK)
        .filter(open_or_member(user))
        .select_related("meeting__body")
        .order_by("-meeting__date", "-meeting__start", "position", "pk")[:GATE_DECISIONS]
    )


@permission_required("portfolio.edit_project", lookup=_project)
def project_phase(request: HttpRequest, project: Project) -> HttpResponse:
    form = PhaseChangeForm(
        request.POST or None, project=project, decisions=gate_decisions(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.change_phase(
                project,
                data["to_phase"],
                decided_on=data["decided_on"],
                decision=data["decision"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("The project moved to the phase %(phase)s.")
                % {"phase": change.get_to_phase_display()},
            )
            return redirect(
                reverse("portfolio:project_detail", args=[project.pk]) + "#fasehistorik"
            )
    return render(
        request,
        "portfolio/projects/phase.html",
        {"project": project, "form": form, "steps": phase_steps(project.phase)},
        status=form_status(request),
    )


# --- What the project serves -------------------------------------------------------------------


@permission_required("portfolio.edit_project", lookup=_project)
def project_links(request: HttpRequest, project: Project) -> HttpResponse:
    """The goals, focus areas and SDGs the project serves, kept by the project's keepers. One
    change is one record in the project's history (`strategy.services.set_links`)."""
    initial = {
        "goals": list(project.goals.values_list("pk", flat=True)),
        "focus_areas": list(project.focus_areas.values_list("pk", flat=True)),
        "sdgs": list(project.sdgs.values_list("pk", flat=True)),
    }
    form = ProjectLinksForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = strategy_services.set_links(
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
        "portfolio/projects/links.html",
        {"project": project, "form": form, "goal_groups": form.goal_groups()},
        status=form_status(request),
    )


# --- History -----------------------------------------------------------------------------------

# Fields whose changes the history does not list: bookkeeping, not content.
HISTORY_EXCLUDED = ["municipality", "created_at", "project", "decided_by"]
# The links to goals, focus areas and SDGs are recorded too (m2m history), but diffing them
# record by record costs a query per record: `_link_snapshots` fetches them at once instead.
HISTORY_EXCLUDED_LINKS = [*HISTORY_EXCLUDED, "goals", "focus_areas", "sdgs"]
# The project's links: (field, historical m2m model, its column of the linked row).
HISTORY_LINKS = (
    ("goals", "HistoricalProject_goals", "goal_id"),
    ("focus_areas", "HistoricalProject_focus_areas", "focusarea_id"),
    ("sdgs", "HistoricalProject_sdgs", "sdg_id"),
)


def _link_snapshots(project: Project) -> dict:
    """{field: {history_id: frozenset of linked ids}}: the project's links as each of its
    history records saw them, one query per link field, plus the names of what was linked
    ({(field, id): name}, under the key "names"): goals by their present name, or the last
    one their history knows when they were deleted since."""
    from django.apps import apps

    from strategy.models import SDG, FocusArea, Goal

    snapshots: dict = {}
    wanted: dict[str, set] = {}
    for name, model_name, column in HISTORY_LINKS:
        model = apps.get_model("portfolio", model_name)
        rows = model.objects.filter(project_id=project.pk).values_list("history_id", column)
        by_record: dict[int, set] = {}
        for history_id, linked in rows:
            if linked is not None:
                by_record.setdefault(history_id, set()).add(linked)
        snapshots[name] = {k: frozenset(v) for k, v in by_record.items()}
        wanted[name] = set().union(*by_record.values()) if by_record else set()
    names: dict = {}
    if wanted["goals"]:
        for goal in Goal.objects.filter(pk__in=wanted["goals"]):
            names[("goals", goal.pk)] = str(goal)
        missing = wanted["goals"] - {pk for _f, pk in names}
        if missing:
            for record in Goal.history.filter(
                id__in=missing, municipality_id=project.municipality_id
            ).order_by("history_date", "history_id"):
                names[("goals", record.id)] = f"{record.number} {record.title}".strip()
    if wanted["focus_areas"]:
        for area in FocusArea.objects.filter(pk__in=wanted["focus_areas"]):
            names[("focus_areas", area.pk)] = f"{area.number}. {area.name}"
    if wanted["sdgs"]:
        for sdg in SDG.objects.filter(pk__in=wanted["sdgs"]):
            names[("sdgs", sdg.pk)] = str(sdg)
    snapshots["names"] = names
    return snapshots


def _link_changes(record, previous, links: dict) -> list[dict]:
    """What the record changed in the project's links against the record before it."""
    from core.collation import danish_key

    changes = []
    names = links["names"]
    for name, _model_name, _column in HISTORY_LINKS:
        now = links[name].get(record.history_id, frozenset())
        before = links[name].get(previous.history_id, frozenset()) if previous else frozenset()

        def labels(ids, name=name):
            return sorted((names.get((name, pk), f"#{pk}") for pk in ids), key=danish_key)

        if now != before:
            changes.append(
                {
                    "field": Project._meta.get_field(name).verbose_name,
                    "added": labels(now - before),
                    "removed": labels(before - now),
                }
            )
    return changes


def _history_entries(model, records, label, names: dict, links: dict | None = None) -> list[dict]:
    """`core.history.history_entries`; `links`: the project's link snapshots
    (`_link_snapshots`), for the project's records: a change of the card that changed nothing
    the page shows is left out."""

    def extra(record, previous, changes):
        link_changes = _link_changes(record, previous, links) if links else []
        if links and record.history_type == "~" and not changes and not link_changes:
            return None
        return {"links": link_changes}

    excluded = HISTORY_EXCLUDED_LINKS if model is Project else HISTORY_EXCLUDED
    return history_entries(model, records, label, names, excluded=excluded, extra=extra)


def _names(records) -> dict:
    """{(model, id): name} of the units, people and bodies the project's records name."""
    wanted: dict = {OrgUnit: set(), Person: set(), Body: set()}
    for record in records:
        wanted[OrgUnit].add(record.owning_unit_id)
        wanted[Person].update((record.owner_id, record.leader_id))
        wanted[Body].add(record.body_id)
    names = {}
    for model, ids in wanted.items():
        ids.discard(None)
        if ids:
            for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name"):
                names[(model, pk)] = name
    return names


@permission_required("core.view")
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when: the card and its links to strategy goals, focus areas and
    SDGs, its milestones, budget years and gates."""
    project = _project(pk)
    project_records = history_records(project.history.all())
    names = _names(project_records)
    entries = _history_entries(
        Project,
        project_records,
        lambda r: _("Project card"),
        names,
        links=_link_snapshots(project),
    )
    entries += _history_entries(
        Milestone,
        history_records(Milestone.history.filter(project_id=project.pk)),
        lambda r: _("Milestone: %(title)s") % {"title": r.title},
        names,
    )
    entries += _history_entries(
        BudgetYear,
        history_records(BudgetYear.history.filter(project_id=project.pk)),
        lambda r: _("Budget %(year)s") % {"year": r.year},
        names,
    )
    entries += _history_entries(
        PhaseChange,
        history_records(PhaseChange.history.filter(project_id=project.pk)),
        lambda r: (
            _("Gate: %(from)s → %(to)s")
            % {"from": r.get_from_phase_display(), "to": r.get_to_phase_display()}
        ),
        names,
    )
    return render(
        request,
        "portfolio/projects/history.html",
        {"project": project, "entries": newest_first(entries)},
    )
