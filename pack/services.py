"""The steering-group pack (styregruppepakke): the portfolio status for one meeting of a body.

`build(meeting, scope)` gathers everything the pack shows, in a constant number of queries
whatever the number of projects, risks and benefits:

1. the status table: every active project with its latest colours, report date and late flag
   (`portfolio.services.statuses`);
2. what changed since the last pack, i.e. since the previous meeting of the same body (or the
   last 91 days when there is none): overall colours that changed (the latest report known on
   the previous meeting's date against the latest now), phase changes, new projects and new
   risks;
3. the ten highest-scoring open or mitigating risks;
4. the economic benefits planned against realised per year, and per project;
5. the decisions asked for: the portfolio's cases waiting in the body's backlog and the status
   reports that asked for a decision since the previous meeting.

The scope is the whole portfolio, or the projects governed by the body and the bodies below it
(`SCOPE_BODY`). The pack shows the status as it is today, whatever the meeting's date.

`attach(meeting, pdf, item)` puts the generated PDF on the meeting's agenda while it can still
change. No HTTP here: the views and `pack.documents` render the result.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.models import Benefit
from benefits.services import YearRow, benefit_queryset, economic_by_year, planned_by_year
from benefits.services import realised_by_year as benefit_realised_by_year
from core.charts import BarChart, Series, bar_chart
from meetings import services as meeting_services
from meetings.models import AGENDA_EDITABLE, AgendaItem, Attachment, CaseStep, ItemKind, Meeting
from organisation.models import Body
from portfolio.models import (
    COLOUR_FIELDS,
    Colour,
    Phase,
    PhaseChange,
    Project,
    Risk,
    RiskStatus,
    StatusReport,
)
from portfolio.services import ProjectStatus, statuses

SCOPE_ALL = "portefoelje"
SCOPE_BODY = "organ"
SCOPES = (SCOPE_ALL, SCOPE_BODY)
FALLBACK_DAYS = 91
TOP_RISKS = 10
TOP_BENEFIT_PROJECTS = 10


def colour_label(colour: str | None) -> str:
    """“Green”, or “–” for no colour (no report)."""
    return str(Colour(colour).label) if colour else "–"


@dataclass
class Light:
    """One traffic light: the colour's value (for the CSS class) and its word."""

    name: str
    colour: str

    @property
    def label(self) -> str:
        return colour_label(self.colour)

    @property
    def css(self) -> str:
        return self.colour or "none"


@dataclass
class StatusRow:
    status: ProjectStatus

    @property
    def project(self) -> Project:
        return self.status.project

    @property
    def overall(self) -> Light:
        latest = self.status.latest
        return Light(_("Overall"), latest.colour if latest else "")

    @property
    def dimensions(self) -> list[Light]:
        latest = self.status.latest
        return [
            Light(
                str(StatusReport._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                getattr(latest, name) if latest else "",
            )
            for name in COLOUR_FIELDS
        ]

    @property
    def lights(self) -> list[Light]:
        return [self.overall, *self.dimensions]

    @property
    def reported_on(self) -> datetime.date | None:
        return self.status.latest.reported_on if self.status.latest else None

    @property
    def late(self) -> bool:
        return self.status.late

    @property
    def leader(self) -> str:
        return self.project.leader.name if self.project.leader is not None else "–"


@dataclass
class ColourChange:
    project: Project
    before: str  # "" when the project had no report then
    after: str

    @property
    def before_label(self) -> str:
        return colour_label(self.before) if self.before else _("No report")

    @property
    def after_label(self) -> str:
        return colour_label(self.after)


@dataclass
class DecisionRequest:
    """A decision the body is asked for: a case from the portfolio, or a report's question."""

    title: str
    project: str
    question: str
    date: datetime.date | None
    case_number: str = ""
    body: str = ""


@dataclass
class ProjectBenefits:
    project: Project
    planned: Decimal
    realised: Decimal

    @property
    def share(self) -> int | None:
        if not self.planned:
            return None
        return round(self.realised / self.planned * 100)


@dataclass
class Pack:
    meeting: Meeting
    body: Body
    scope: str
    scope_offered: bool
    generated_on: datetime.date
    since: datetime.date
    previous_meeting: Meeting | None
    rows: list[StatusRow]
    colour_changes: list[ColourChange]
    phase_changes: list[PhaseChange]
    new_projects: list[Project]
    new_risks: list[Risk]
    top_risks: Sequence[Risk]
    benefit_years: list[YearRow]
    benefit_projects: list[ProjectBenefits]
    chart: BarChart
    decisions: list[DecisionRequest] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("Portfolio status for %(body)s %(date)s") % {
            "body": self.body.name,
            "date": f"{self.meeting.date:%d-%m-%Y}",
        }

    @property
    def since_label(self) -> str:
        if self.previous_meeting is not None:
            return _("Changes since the previous meeting of %(body)s on %(date)s") % {
                "body": self.body.name,
                "date": f"{self.since:%d-%m-%Y}",
            }
        return _("Changes in the last %(days)d days, since %(date)s") % {
            "days": FALLBACK_DAYS,
            "date": f"{self.since:%d-%m-%Y}",
        }

    @property
    def scope_label(self) -> str:
        if self.scope == SCOPE_BODY:
            return _("Projects governed by %(body)s and the bodies below it") % {
                "body": self.body.name
            }
        return _("The whole portfolio")

    @property
    def has_changes(self) -> bool:
        return bool(
            self.colour_changes or self.phase_changes or self.new_projects or self.new_risks
        )

    @property
    def late_count(self) -> int:
        return sum(1 for row in self.rows if row.late)


def attachment_title(meeting: Meeting) -> str:
    """“Porteføljestatus 18-09-2024”: the attachment's title, the same for every version."""
    return f"{item_title()} {meeting.date:%d-%m-%Y}"


def item_title() -> str:
    return _("Portfolio status")


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's latest meeting before this one's date: the one the last pack was for."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, date__lt=meeting.date)
        .order_by("-date", "-start", "-pk")
        .first()
    )


def body_and_below(body: Body) -> set[int]:
    """The ids of the body and every body below it (one query)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Body.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [body.pk]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.add(pk)
        todo.extend(children.get(pk, []))
    return found


def _scoped_projects(body_ids: set[int] | None):
    projects = Project.objects.all()
    if body_ids is not None:
        projects = projects.filter(body_id__in=body_ids)
    return projects


def _colour_changes(rows: list[ProjectStatus], since: datetime.date) -> list[ColourChange]:
    """Overall colours that differ from the latest report known on `since` (one query)."""
    # `_before_id`: annotated by the query below (phase_changes_since)
    wanted = {row.project._before_id for row in rows} - {None}  # type: ignore[attr-defined]
    before = StatusReport.objects.in_bulk(wanted) if wanted else {}
    changes = []
    for row in rows:
        if row.latest is None:
            continue
        earlier = before.get(row.project._before_id)  # type: ignore[attr-defined]
        if earlier is None:
            if row.latest.reported_on > since:
                changes.append(ColourChange(row.project, "", row.latest.colour))
        elif earlier.pk != row.latest.pk and earlier.colour != row.latest.colour:
            changes.append(ColourChange(row.project, earlier.colour, row.latest.colour))
    return changes


def _benefits(projects) -> tuple[list[YearRow], list[ProjectBenefits]]:
    benefits = list(benefit_queryset(Benefit.objects.filter(project__in=projects)))
    per_project: dict[int, ProjectBenefits] = {}
    for benefit in benefits:
        if not benefit.is_economic:
            continue
        entry = per_project.setdefault(
            benefit.project_id, ProjectBenefits(benefit.project, Decimal(0), Decimal(0))
        )
        entry.planned += sum(planned_by_year(benefit).values(), Decimal(0))
        entry.realised += sum(benefit_realised_by_year(benefit).values(), Decimal(0))
    top = sorted(per_project.values(), key=lambda e: (-e.planned, -e.realised, e.project.name))
    return economic_by_year(benefits), top[:TOP_BENEFIT_PROJECTS]


def _chart(years: list[YearRow]) -> BarChart:
    return bar_chart(
        _("Economic benefits planned and realised per year"),
        categories=[str(row.year) for row in years],
        series=[
            Series(_("Planned"), "planned", [row.planned for row in years]),
            Series(_("Realised"), "realised", [row.realised for row in years]),
        ],
        unit="kr.",
    )


def _decisions(body: Body, projects, since: datetime.date) -> list[DecisionRequest]:
    """The portfolio's open cases in the body's backlog, then reports' questions since."""
    steps: list[CaseStep] = [
        step
        for step in meeting_services.backlog(body).cases
        if step.case.origin_url and not step.case.closed
    ]
    result = [
        DecisionRequest(
            title=step.case.title,
            project=step.case.origin_label,
            question=step.case.description.strip(),
            date=step.arrived_on,
            case_number=step.case.number,
            body=body.name,
        )
        for step in steps
    ]
    listed = {step.case_id for step in steps}
    reports = (
        StatusReport.objects.filter(
            project__in=projects, needs_decision=True, reported_on__gt=since
        )
        .select_related("project__body", "case")
        .order_by("-reported_on", "-pk")
    )
    for report in reports:
        if report.case_id in listed and report.case_id is not None:
            continue
        if report.case is not None and report.case.closed:
            continue
        result.append(
            DecisionRequest(
                title=_("Status report %(period)s") % {"period": f"{report.period_end:%d-%m-%Y}"},
                project=report.project.name,
                question=report.decision_request.strip(),
                date=report.reported_on,
                case_number=report.case.number if report.case is not None else "",
                body=report.project.body.name if report.project.body is not None else "",
            )
        )
    return result


def scope_offered(body: Body, body_ids: set[int] | None = None) -> bool:
    """The body-scope is offered when the body (or one below it) governs projects."""
    ids = body_ids if body_ids is not None else body_and_below(body)
    return Project.objects.filter(body_id__in=ids).exists()


def build(meeting: Meeting, scope: str = SCOPE_ALL, today: datetime.date | None = None) -> Pack:
    """Everything the pack for `meeting` shows, for the scope asked (constant queries)."""
    today = today or timezone.localdate()
    body = meeting.body
    below = body_and_below(body)
    offered = scope_offered(body, below)
    if scope != SCOPE_BODY or not offered:
        scope = SCOPE_ALL
    body_ids = below if scope == SCOPE_BODY else None
    previous = previous_meeting(meeting)
    since = previous.date if previous else meeting.date - datetime.timedelta(days=FALLBACK_DAYS)

    scoped = _scoped_projects(body_ids)
    known_then = StatusReport.objects.filter(
        project_id=OuterRef("pk"), reported_on__lte=since
    ).order_by("-period_end", "-pk")
    active = (
        scoped.exclude(phase=Phase.CLOSED)
        .select_related("leader")
        .annotate(_before_id=Subquery(known_then.values("pk")[:1]))
    )
    project_statuses = statuses(active, today=today)

    phase_changes = list(
        PhaseChange.objects.filter(project__in=scoped, decided_on__gt=since)
        .select_related("project", "decision__meeting__body")
        .order_by("-decided_on", "-pk")
    )
    new_projects = list(
        scoped.filter(created_at__date__gt=since)
        .exclude(phase=Phase.CLOSED)
        .select_related("leader", "body")
    )
    open_risks = Risk.objects.filter(
        status__in=[RiskStatus.OPEN, RiskStatus.MITIGATING]
    ).select_related("project", "owner")
    if body_ids is not None:
        open_risks = open_risks.filter(Q(project__in=scoped) | Q(project__isnull=True))
    new_risks = list(open_risks.filter(identified_on__gt=since).order_by("-identified_on", "-pk"))
    top_risks = list(
        open_risks.annotate(_score=F("probability") * F("impact")).order_by(
            "-_score", "-impact", "-identified_on", "-pk"
        )[:TOP_RISKS]
    )
    years, per_project = _benefits(scoped)
    return Pack(
        meeting=meeting,
        body=body,
        scope=scope,
        scope_offered=offered,
        generated_on=today,
        since=since,
        previous_meeting=previous,
        rows=[StatusRow(status) for status in project_statuses],
        colour_changes=_colour_changes(project_statuses, since),
        phase_changes=phase_changes,
        new_projects=new_projects,
        new_risks=new_risks,
        top_risks=top_risks,
        benefit_years=years,
        benefit_projects=per_project,
        chart=_chart(years),
        decisions=_decisions(body, scoped, since),
    )


# --- Attaching the pack to the meeting's agenda -------------------------------------------------

PDF = "application/pdf"


def attachment_filename(meeting: Meeting) -> str:
    return f"portefoeljestatus-{meeting.date:%Y-%m-%d}.pdf"


@transaction.atomic
def attach(meeting: Meeting, content: bytes, item: AgendaItem | None = None) -> Attachment:
    """Attach the pack's PDF to an item of the meeting's agenda, or to a new information item
    “Portfolio status” at its end. An attachment of the same title on the item gets a new
    version instead of a second attachment. Refused (ValidationError) once the agenda is sent.
    """
    state = (
        Meeting.within(meeting)
        .select_for_update()
        .filter(pk=meeting.pk)
        .values_list("state", flat=True)
        .first()
    )
    if state not in AGENDA_EDITABLE:
        raise ValidationError(_("The agenda has been sent and can no longer be changed."))
    if item is None:
        item = meeting_services.add_item(
            meeting, AgendaItem(title=item_title(), kind=ItemKind.INFORMATION, duration=10)
        )
    elif item.meeting_id != meeting.pk or item.is_break:
        raise ValidationError(_("Choose an item of this meeting's agenda."))
    title = attachment_title(meeting)
    attachment = (
        Attachment.objects.select_for_update().filter(item=item, title=title).order_by("pk").first()
    )
    if attachment is None:
        last = Attachment.objects.filter(item=item).aggregate(m=Max("position"))["m"]
        attachment = Attachment(
            item=item,
            title=title,
            municipality_id=item.municipality_id,
            position=0 if last is None else last + 1,
        )
    else:
        attachment.version += 1
    attachment.content_type = PDF
    attachment.size = len(content)
    attachment.file.save(attachment_filename(meeting), ContentFile(content), save=False)
    attachment.full_clean()
    attachment.save()
    return attachment
