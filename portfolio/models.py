"""The project portfolio: projects, their gates, milestones, budgets, status reports and risks.

A `Project` has a category, a phase (after the state IT project model), an owning unit, an
owner, a leader and a governing body. The leader files a `StatusReport` every cycle (14 days
for Project Board projects, quarterly otherwise): five traffic lights, an overall colour that
defaults to the worst of them and may only differ with a reason, and "needs a decision",
which opens a case in the governing body's backlog (`portfolio.services`). A `Risk` belongs to
a project, or to the portfolio as a whole when it has none; escalating it does the same.

Rules live here (`clean`) and in `portfolio.services`; views only translate HTTP.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from core.collation import Danish
from core.fields import PlausibleDateField, PlausibleYearField
from core.models import TenantModel
from organisation.models import Body, OrgUnit, Person


class Category(models.TextChoices):
    NATIONAL = "national", _("National / joint-municipal")
    CROSS_MUNICIPAL = "cross_municipal", _("Cross-municipal")
    CROSS_CUTTING = "cross_cutting", _("Cross-cutting")
    LOCAL = "local", _("Local")


class Phase(models.TextChoices):
    """The default project model, after the state IT project model."""

    IDEA = "idea", _("Idea")
    ANALYSIS = "analysis", _("Analysis")
    PROCUREMENT = "procurement", _("Procurement")
    IMPLEMENTATION = "implementation", _("Implementation")
    REALISATION = "realisation", _("Realisation")
    CLOSED = "closed", pgettext_lazy("project phase", "Closed")


PHASE_ORDER = list(Phase.values)
ACTIVE_PHASES = [phase for phase in Phase.values if phase != Phase.CLOSED]


class Colour(models.TextChoices):
    """A traffic light. The order is the severity: the worst colour is the last."""

    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


SEVERITY: dict[str, int] = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}


def worst(*colours: str) -> str:
    """The most severe of the colours given (green when none)."""
    present = [c for c in colours if c]
    return max(present, key=lambda c: SEVERITY[c]) if present else Colour.GREEN


class ReportCycle(models.IntegerChoices):
    BIWEEKLY = 14, _("Every 14 days")
    MONTHLY = 30, _("Monthly")
    QUARTERLY = 91, _("Quarterly")


class ProjectQuerySet(models.QuerySet):
    def active(self):
        """The projects that are not closed (`Project.is_active`). Also through the links of
        strategy's goals, focus areas and SDGs: `goal.projects.active()`."""
        return self.filter(phase__in=ACTIVE_PHASES)


class Project(TenantModel):
    """A project of the portfolio, with its start document."""

    # Set by `strategy.services` while it changes the links, so that django-simple-history
    # records them once (an attribute, not a column).
    skip_history_when_saving: bool

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("project number"),
        max_length=30,
        blank=True,
        help_text=_("The municipality's own number for the project, if it has one."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    kombit = models.BooleanField(_("KOMBIT project"), default=False)
    lighthouse = models.BooleanField(_("lighthouse project"), default=False)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.IDEA)
    owning_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("project owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_projects",
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("project leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("governing body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    start_date = PlausibleDateField(
        _("start date"),
        null=True,
        blank=True,
    )
    end_date = PlausibleDateField(_("end date"), null=True, blank=True)
    report_cycle = models.PositiveSmallIntegerField(
        _("status report cycle"),
        choices=ReportCycle.choices,
        default=ReportCycle.QUARTERLY,
        help_text=_("Project Board projects report every 14 days, others quarterly."),
    )
    # The start document
    purpose = models.TextField(_("purpose"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    success_criteria = models.TextField(_("success criteria"), blank=True)

    # What the project serves: the strategy's goals and the shared catalogues.
    goals = models.ManyToManyField(
        "strategy.Goal", verbose_name=_("strategy goals"), blank=True, related_name="projects"
    )
    focus_areas = models.ManyToManyField(
        "strategy.FocusArea",
        verbose_name=_("KL focus areas"),
        blank=True,
        related_name="projects",
    )
    sdgs = models.ManyToManyField(
        "strategy.SDG",
        verbose_name=_("Sustainable Development Goals"),
        blank=True,
        related_name="projects",
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(ProjectQuerySet), municipality="municipality"
    )
    history = HistoricalRecords(m2m_fields=[goals, focus_areas, sdgs])

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = [Danish("name")]
        indexes = [
            models.Index(fields=["municipality", "phase"]),
            models.Index(fields=["municipality", "category"]),
        ]

    detail_url_name = "portfolio:project_detail"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.phase != Phase.CLOSED

    def clean(self):
        errors = {}
        for field in ("owning_unit", "owner", "leader", "body"):
            related = getattr(self, field) if getattr(self, f"{field}_id") else None
            if (
                related is not None
                and self.municipality_id
                and (related.municipality_id != self.municipality_id)
            ):
                errors[field] = _("It belongs to another municipality.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.kombit and self.category and self.category != Category.NATIONAL:
            errors["kombit"] = _("A KOMBIT project is national / joint-municipal.")
        if errors:
            raise ValidationError(errors)


class PhaseChange(TenantModel):
    """A gate decision: the project moved from one phase to another, perhaps by a decision."""

    tenant_parent = "project"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.CharField(_("from phase"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to phase"), max_length=20, choices=Phase.choices)
    decided_on = PlausibleDateField(
        _("decided on"),
        default=timezone.localdate,
    )
    decision = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("meeting decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gate_decisions",
    )
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["project", "-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_from_phase_display()} → {self.get_to_phase_display()}"

    def clean(self):
        errors = {}
        if self.from_phase == self.to_phase:
            errors["to_phase"] = _("Choose another phase than the present one.")
        if (
            self.decision_id
            and self.project_id
            and (self.decision.municipality_id != self.project.municipality_id)
        ):
            errors["decision"] = _("The decision belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


class Milestone(TenantModel):
    tenant_parent = "project"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = PlausibleDateField(_("due date"))
    done_on = PlausibleDateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.due_date < timezone.localdate()


class BudgetYear(TenantModel):
    """The budget of a project for one year: planned and spent, in DKK."""

    tenant_parent = "project"

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_years"
    )
    year = PlausibleYearField(_("year"))
    planned = models.DecimalField(_("planned (DKK)"), max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(_("spent (DKK)"), max_digits=14, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget year")
        verbose_name_plural = _("budget")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="budgetyear_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    def clean(self):
        errors = {}
        if self.planned is not None and self.planned < 0:
            errors["planned"] = _("The amount cannot be negative.")
        if self.spent is not None and self.spent < 0:
            errors["spent"] = _("The amount cannot be negative.")
        if errors:
            raise ValidationError(errors)


COLOUR_FIELDS = ["schedule", "budget", "scope", "benefits", "resources"]


class StatusReport(TenantModel):
    """The project's status for one period (one cycle)."""

    tenant_parent = "project"

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    period_start = PlausibleDateField(_("period from"))
    period_end = PlausibleDateField(_("period to"))
    reported_on = PlausibleDateField(
        _("reported on"),
        default=timezone.localdate,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    schedule = models.CharField(_("schedule"), max_length=10, choices=Colour.choices)
    budget = models.CharField(_("budget"), max_length=10, choices=Colour.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Colour.choices)
    benefits = models.CharField(_("benefits"), max_length=10, choices=Colour.choices)
    resources = models.CharField(_("resources"), max_length=10, choices=Colour.choices)
    overall = models.CharField(
        _("overall status"),
        max_length=10,
        choices=Colour.choices,
        blank=True,
        help_text=_("Empty: the worst of the five colours."),
    )
    override_reason = models.TextField(_("reason for another overall colour"), blank=True)
    progress = models.TextField(_("progress"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    barriers = models.TextField(_("barriers"), blank=True)
    needs_decision = models.BooleanField(_("needs a decision"), default=False)
    decision_request = models.TextField(
        _("the decision asked for"),
        blank=True,
        help_text=_("Opens a case in the governing body's backlog for its next agenda."),
    )
    case = models.ForeignKey(
        "meetings.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_reports",
    )
    barrier_case = models.ForeignKey(
        "meetings.Case",
        verbose_name=_("case about the barriers"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="barrier_reports",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["project", "-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start"], name="report_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
        ]
        indexes = [models.Index(fields=["project", "-period_end"])]

    def __str__(self) -> str:
        return f"{self.project} {self.period_start:%d-%m-%Y}–{self.period_end:%d-%m-%Y}"

    @property
    def suggested(self) -> str:
        """The worst of the five colours: the overall colour unless the leader says otherwise."""
        return worst(*(getattr(self, f) for f in COLOUR_FIELDS))

    @property
    def colour(self) -> str:
        """The overall colour in force: the leader's choice, else the suggested one."""
        return self.overall or self.suggested

    @property
    def overridden(self) -> bool:
        return bool(self.overall) and self.overall != self.suggested

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period ends before it starts.")
        if self.overridden and not self.override_reason.strip():
            errors["override_reason"] = _(
                "Give the reason why the overall colour differs from the suggested one."
            )
        if self.needs_decision and not self.decision_request.strip():
            errors["decision_request"] = _("Describe the decision the project needs.")
        if self.project_id and self.period_start and self.period_end and not errors:
            overlapping = (
                StatusReport.within(self.project)
                .filter(
                    project_id=self.project_id,
                    period_start__lte=self.period_end,
                    period_end__gte=self.period_start,
                )
                .exclude(pk=self.pk)
                .order_by("period_start")
                .first()
            )
            if overlapping:
                errors["period_start"] = _("The period %(start)s–%(end)s is already reported.") % {
                    "start": overlapping.period_start.strftime("%d-%m-%Y"),
                    "end": overlapping.period_end.strftime("%d-%m-%Y"),
                }
        if errors:
            raise ValidationError(errors)


class RiskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk status", "Open")
    MITIGATING = "mitigating", _("Being mitigated")
    CLOSED = "closed", pgettext_lazy("risk status", "Closed")


RISK_SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(TenantModel):
    """A risk of a project, or of the portfolio as a whole when it has no project."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risks",
        help_text=_("Empty: a risk of the whole portfolio."),
    )
    title = models.CharField(_("risk"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    probability = models.PositiveSmallIntegerField(_("probability (1–5)"), validators=RISK_SCALE)
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), validators=RISK_SCALE)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("risk owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    identified_on = PlausibleDateField(
        _("identified on"),
        default=timezone.localdate,
    )
    escalated_to = models.ForeignKey(
        Body,
        verbose_name=_("escalated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated_risks",
    )
    case = models.ForeignKey(
        "meetings.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=5), name="risk_probability_1_5"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return (self.probability or 0) * (self.impact or 0)

    @property
    def level(self) -> str:
        """The heat-map colour of the score: green up to 4, yellow up to 14, red from 15."""
        return level(self.score)

    def save(self, *args, **kwargs):
        if self.project_id:
            self.municipality_id = self.project.municipality_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        for field, label in (("probability", _("probability")), ("impact", _("impact"))):
            value = getattr(self, field)
            if value is not None and not 1 <= value <= 5:
                errors[field] = _("The %(field)s must be from 1 to 5.") % {"field": label}
        for field in ("owner", "escalated_to"):
            related = getattr(self, field) if getattr(self, f"{field}_id") else None
            if (
                related is not None
                and self.municipality_id
                and (related.municipality_id != self.municipality_id)
            ):
                errors[field] = _("It belongs to another municipality.")
        if errors:
            raise ValidationError(errors)


def level(score: int) -> str:
    if score >= 15:
        return Colour.RED
    if score >= 5:
        return Colour.YELLOW
    return Colour.GREEN


def next_report_due(project: Project, latest_end: datetime.date | None) -> datetime.date | None:
    """When the next report is due: one cycle after the last reported period ends, or one
    cycle after the project starts when it has never reported."""
    base = latest_end or project.start_date
    if base is None:
        return None
    return base + datetime.timedelta(days=project.report_cycle)
