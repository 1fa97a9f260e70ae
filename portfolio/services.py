"""Domain logic of the portfolio: projects, status reports, gates, escalation and the latest
status.

Every function that changes data runs in one transaction and raises `ValidationError` with a
Danish message when the change is not allowed, so nothing is ever partly written.

Escalation goes through meetings: a report that needs a decision, an escalated risk or an
escalated barrier opens a `Case` whose route starts at a body, with `arrived_on` today, so it
waits in that body's backlog for its next agenda (`meetings.services.backlog`), with a link
back to where it came from.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Case, CaseStep
from organisation.models import Body, BodyKind
from portfolio.models import (
    COLOUR_FIELDS,
    SEVERITY,
    Colour,
    Phase,
    PhaseChange,
    Project,
    ReportCycle,
    Risk,
    RiskStatus,
    StatusReport,
    next_report_due,
)
from strategy.services import set_links

CASE_PREFIX = "PRJ"


def next_case_number(year: int) -> str:
    """PRJ-2026-0007: the next number of the cases the portfolio opens in a year."""
    prefix = f"{CASE_PREFIX}-{year}-"
    numbers = Case.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


@transaction.atomic
def open_case(
    *, title: str, description: str, body: Body, origin_label: str, origin_url: str
) -> Case:
    """A case in `body`'s backlog, raised from the portfolio, with a link back."""
    if body is None:
        raise ValidationError(_("Choose the body the case goes to."))
    if body.is_closed:
        raise ValidationError(_("The body %(body)s is closed.") % {"body": body})
    today = timezone.localdate()
    case = Case(
        number=next_case_number(today.year),
        title=title[:300],
        description=description,
        municipality_id=body.municipality_id,
        origin_label=origin_label[:300],
        origin_url=origin_url,
    )
    case.full_clean()
    case.save()
    CaseStep.objects.create(case=case, body=body, position=1, arrived_on=today)
    return case


def report_cycle_for(body: Body | None) -> int:
    """How often a project reports when its keepers leave it to the governing body: every 14
    days to a Project Board (which meets every 14 days), else quarterly."""
    if body is not None and body.kind == BodyKind.PROJECT_BOARD:
        return ReportCycle.BIWEEKLY
    return ReportCycle.QUARTERLY


@transaction.atomic
def save_project(project: Project, *, links: dict | None = None, card: bool = True) -> Project:
    """Save a validated project card and, when `links` names any ({"goals": [...],
    "focus_areas": [...], "sdgs": [...]}), what the project serves, with one history record
    for them (`strategy.services.set_links`). `card=False` when only the links changed: the
    card is not saved, so that its history gets no empty record."""
    if card or not links:
        project.save()
    if links:
        set_links(project, **links)
    return project


@transaction.atomic
def file_status_report(report: StatusReport, user=None) -> StatusReport:
    """Validate and save a new report; "needs a decision" opens a case for the governing body."""
    project = Project.objects.select_for_update().get(pk=report.project_id)
    report.project = project
    report.reported_by = user if user and user.is_authenticated else None
    if report.needs_decision and project.body is None:
        raise ValidationError(
            {"needs_decision": _("The project has no governing body to ask for a decision.")}
        )
    report.full_clean()
    report.save()
    if report.needs_decision and project.body is not None:  # checked above
        report.case = open_case(
            title=_("Decision for %(project)s") % {"project": project.name},
            description=report.decision_request,
            body=project.body,
            origin_label=_("Status report of %(project)s, %(period)s")
            % {"project": project.name, "period": f"{report.period_end:%d-%m-%Y}"},
            origin_url=reverse("portfolio:report_detail", args=[report.pk]),
        )
        report.save(update_fields=["case"])
    return report


@transaction.atomic
def escalate_risk(risk: Risk, body: Body, user=None) -> Case:
    """Put the risk on the body's backlog with a link back; the risk records where it went."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.status == RiskStatus.CLOSED:
        raise ValidationError(_("A closed risk cannot be escalated."))
    if risk.case_id and risk.escalated_to_id == getattr(body, "pk", None):
        raise ValidationError(_("The risk is already escalated to %(body)s.") % {"body": body})
    if body is not None and body.municipality_id != risk.municipality_id:
        raise ValidationError(_("The body belongs to another municipality."))
    where = risk.project.name if risk.project is not None else _("the portfolio")
    url = (
        reverse("portfolio:project_detail", args=[risk.project_id]) + "#risici"
        if risk.project_id
        else reverse("portfolio:risk_list")
    )
    case = open_case(
        title=_("Risk: %(risk)s") % {"risk": risk.title},
        description=_(
            "Probability %(p)d, impact %(i)d (score %(score)d).\n\n%(description)s\n\n"
            "Mitigation: %(mitigation)s"
        )
        % {
            "p": risk.probability,
            "i": risk.impact,
            "score": risk.score,
            "description": risk.description,
            "mitigation": risk.mitigation or "–",
        },
        body=body,
        origin_label=_("Risk of %(where)s") % {"where": where},
        origin_url=url,
    )
    risk.escalated_to = body
    risk.case = case
    risk.save(update_fields=["escalated_to", "case"])
    return case


@transaction.atomic
def escalate_barrier(report: StatusReport, body: Body, user=None) -> Case:
    """Put the barriers of a status report on the body's backlog, with a link back; once."""
    report = StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if not report.barriers.strip():
        raise ValidationError(_("The status report names no barriers."))
    if report.barrier_case is not None:
        raise ValidationError(
            _("The barriers are already escalated (case %(number)s).")
            % {"number": report.barrier_case.number}
        )
    project = report.project
    report.barrier_case = open_case(
        title=_("Barrier in %(project)s") % {"project": project.name},
        description=report.barriers,
        body=body,
        origin_label=_("Status report of %(project)s, %(period)s")
        % {"project": project.name, "period": f"{report.period_end:%d-%m-%Y}"},
        origin_url=reverse("portfolio:report_detail", args=[report.pk]),
    )
    report.save(update_fields=["barrier_case"])
    return report.barrier_case


@transaction.atomic
def change_phase(
    project: Project,
    to_phase: str,
    *,
    decided_on: datetime.date | None = None,
    decision=None,
    note: str = "",
    user=None,
) -> PhaseChange:
    """A gate: move the project to another phase, perhaps pointing to a meeting decision."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    change = PhaseChange(
        project=project,
        from_phase=project.phase,
        to_phase=to_phase,
        decided_on=decided_on or timezone.localdate(),
        decision=decision,
        note=note,
        decided_by=user if user and user.is_authenticated else None,
        municipality_id=project.municipality_id,
    )
    change.full_clean()
    change.save()
    project.phase = to_phase
    project.save(update_fields=["phase"])
    return change


# --- Reading ---------------------------------------------------------------------------------


class Trend:
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    NEW = "new"


@dataclass
class ProjectStatus:
    """A project's latest report, the one before it, the trend, and whether a report is late."""

    project: Project
    latest: StatusReport | None
    previous: StatusReport | None
    due: datetime.date | None
    late: bool

    @property
    def trend(self) -> str:
        if self.latest is None or self.previous is None:
            return Trend.NEW
        now, before = SEVERITY[self.latest.colour], SEVERITY[self.previous.colour]
        if now < before:
            return Trend.BETTER
        if now > before:
            return Trend.WORSE
        return Trend.SAME


def statuses(projects, today: datetime.date | None = None) -> list[ProjectStatus]:
    """The status of each project, in two queries whatever the number of projects.

    `projects` is a queryset; its order is kept.
    """
    today = today or timezone.localdate()
    newest = StatusReport.objects.filter(project_id=OuterRef("pk")).order_by("-period_end", "-pk")
    rows = list(
        projects.annotate(
            _latest_id=Subquery(newest.values("pk")[:1]),
            _previous_id=Subquery(newest.values("pk")[1:2]),
        )
    )
    wanted = {r._latest_id for r in rows} | {r._previous_id for r in rows}
    wanted.discard(None)
    # One query whatever the number (in_bulk would split it into batches on SQLite).
    reports = {r.pk: r for r in StatusReport.objects.filter(pk__in=wanted)} if wanted else {}
    result = []
    for project in rows:
        latest = reports.get(project._latest_id)
        previous = reports.get(project._previous_id)
        due = next_report_due(project, latest.period_end if latest else None)
        late = project.is_active and due is not None and due < today
        result.append(ProjectStatus(project, latest, previous, due, late))
    return result


# --- Reading in SQL: the latest colour and lateness of any number of projects ---------------


class AddDays(Func):
    """`date + days` in SQL, `days` a column: the day a project's next report is due."""

    arity = 2
    output_field = DateField()

    def _parts(self, compiler):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return date_sql, days_sql, [*date_params, *days_params]

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL: date + integer
        date_sql, days_sql, params = self._parts(compiler)
        return f"({date_sql} + CAST({days_sql} AS integer))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        date_sql, days_sql, params = self._parts(compiler)
        return f"date({date_sql}, '+' || {days_sql} || ' days')", params


def report_colour() -> models.Case:
    """A status report's colour in force (`StatusReport.colour`) as an SQL expression: the
    overall colour, else the worst of the five lights."""

    def any_light(colour: str) -> Q:
        q = Q()
        for name in COLOUR_FIELDS:
            q |= Q(**{name: colour})
        return q

    suggested = models.Case(
        When(any_light(Colour.RED), then=Value(Colour.RED.value)),
        When(any_light(Colour.YELLOW), then=Value(Colour.YELLOW.value)),
        default=Value(Colour.GREEN.value),
        output_field=CharField(),
    )
    return models.Case(
        When(overall__in=Colour.values, then=F("overall")),
        default=suggested,
        output_field=CharField(),
    )


def with_latest_status(projects, today: datetime.date | None = None):
    """The projects annotated with `latest_colour` (the colour in force of the latest report,
    None without one) and `report_late` (as `ProjectStatus.late`), computed in SQL: a
    portfolio of any size is filtered by them in the database and read as small rows (the
    project board), without its reports as objects (`statuses`)."""
    today = today or timezone.localdate()
    # The base manager: the reports are those of the (scoped) projects already, and SQLite
    # then finds them in the index without reading each row to compare the municipality.
    newest = StatusReport._base_manager.filter(project_id=OuterRef("pk")).order_by(
        "-period_end", "-pk"
    )
    due = AddDays(Coalesce(F("latest_end"), F("start_date")), F("report_cycle"))
    return projects.alias(
        latest_end=Subquery(newest.values("period_end")[:1], output_field=DateField()),
    ).annotate(
        latest_colour=Subquery(
            newest.annotate(colour_in_force=report_colour()).values("colour_in_force")[:1],
            output_field=CharField(),
        ),
        report_late=models.Case(
            When(~Q(phase=Phase.CLOSED) & LessThan(due, Value(today)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )
