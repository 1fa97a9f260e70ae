"""Planning: proposals, the annual action plan (indsatsplan) and the annual wheel (årshjul).

- A `Proposal` is a need reported by a local digitalisation organisation or an idea from the
  innovation group (IOD). It may be taken into a plan and may become a project.
- An `AnnualPlan` is the action plan for one year. The programme group drafts it and
  recommends it; the steering group approves it. Each step points to the decision in a
  meeting (`recommended_by`, `approved_by`). Its `Criterion` rows carry weights; each
  `PlanEntry` gets a `Score` per criterion on a 1–5 scale, and the weighted score gives the
  rank, which may be overridden with a reason. Capacity (hours and kroner) is compared with
  what the entries are allocated; an approval over capacity needs a reason.
- A `WheelActivity` is a recurring activity of a body (or of the whole organisation) on the
  annual wheel: a meeting series, a deadline, the seminar, a report, a dialogue meeting.
  `planning.wheel` turns its recurrence into dates and merges the actual meetings in.

Rules live in the models' `clean` and in `planning.services`; views only translate HTTP.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import PlausibleDateField, PlausibleYearField
from core.models import TenantModel
from organisation.models import Body, OrgUnit, Person

SCORE_MIN = 1
SCORE_MAX = 5


def _other_municipality(instance, fields) -> dict:
    """Errors for related rows (by field name) that belong to another municipality."""
    errors = {}
    for field in fields:
        if not getattr(instance, f"{field}_id"):
            continue
        related = getattr(instance, field)
        if instance.municipality_id and related.municipality_id != instance.municipality_id:
            errors[field] = _("It belongs to another municipality.")
    return errors


# --- Proposals ---------------------------------------------------------------------------------


class ProposalSource(models.TextChoices):
    LOCAL = "local", _("Local digitalisation organisation")
    INNOVATION = "innovation", _("Innovation group (IOD)")
    PROGRAMME = "programme", _("Programme group")
    OTHER = "other", _("Other")


class ProposalStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSESSING = "assessing", _("Being assessed")
    PLANNED = "planned", _("In the action plan")
    PROJECT = "project", _("Became a project")
    REJECTED = "rejected", _("Rejected")


class Proposal(TenantModel):
    """A need or an idea for a digitalisation effort, before it is a project."""

    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(
        _("reported by"),
        max_length=20,
        choices=ProposalSource.choices,
        default=ProposalSource.LOCAL,
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("reporting body"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    received_on = PlausibleDateField(_("received on"), default=timezone.localdate)
    description = models.TextField(_("description of the need"))
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    estimated_hours = models.PositiveIntegerField(_("estimated hours"), null=True, blank=True)
    estimated_amount = models.DecimalField(
        _("estimated cost (kr.)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.NEW
    )
    status_note = models.TextField(
        _("note on the status"), blank=True, help_text=_("Why it was rejected, for example.")
    )
    project = models.OneToOneField(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    created_by = models.ForeignKey(
        "core.User",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "status"])]

    detail_url_name = "planning:proposal_detail"

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = _other_municipality(self, ("body", "unit", "contact", "project"))
        if self.status == ProposalStatus.REJECTED and not self.status_note.strip():
            errors["status_note"] = _("Give the reason the proposal was rejected.")
        if errors:
            raise ValidationError(errors)


# --- The annual action plan --------------------------------------------------------------------


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECOMMENDED = "recommended", _("Recommended by the programme group")
    APPROVED = "approved", _("Approved by the steering group")


# The criteria a new plan starts with: (name, weight, lower is better).
DEFAULT_CRITERIA = [
    (_("Strategic fit"), 25, False),
    (_("Expected benefit"), 25, False),
    (_("Risk"), 15, True),
    (_("Cost"), 15, True),
    (_("Legal necessity"), 10, False),
    (_("Urgency"), 10, False),
]


class AnnualPlan(TenantModel):
    """The action plan (indsatsplan) for a year: a prioritised list of efforts."""

    year = PlausibleYearField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    capacity_hours = models.PositiveIntegerField(_("hours available"), default=0)
    capacity_amount = models.DecimalField(
        _("kroner available"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    over_capacity_reason = models.TextField(
        _("reason for allocating more than the capacity"), blank=True
    )
    recommended_by = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("recommended by the decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommended_plans",
    )
    approved_by = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("approved by the decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_plans",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual action plan")
        verbose_name_plural = _("annual action plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="planning_one_plan_per_year",
                violation_error_message=_("The municipality already has a plan for that year."),
            )
        ]

    detail_url_name = "planning:plan_detail"

    def __str__(self) -> str:
        return self.title or str(self.year)

    @property
    def is_draft(self) -> bool:
        return self.state == PlanState.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.state == PlanState.APPROVED

    def clean(self):
        errors = _other_municipality(self, ("recommended_by", "approved_by"))
        if errors:
            raise ValidationError(errors)


class Criterion(TenantModel):
    """A prioritisation criterion of a plan, with its weight. Scores run from 1 to 5; for a
    criterion where less is better (risk, cost) a 1 counts the most."""

    tenant_parent = "plan"

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=10, validators=[MaxValueValidator(100)]
    )
    lower_is_better = models.BooleanField(
        _("a low score is best"),
        default=False,
        help_text=_("For risk and cost: a score of 1 counts as the best."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanEntry(TenantModel):
    """An effort in a plan: a project, a proposal or another activity, with its scores."""

    tenant_parent = "plan"

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="entries"
    )
    title = models.CharField(_("effort"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_entries",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_entries",
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_entries",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_entries",
    )
    hours = models.PositiveIntegerField(_("hours allocated"), default=0)
    amount = models.DecimalField(
        _("kroner allocated"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    rank_override = models.PositiveSmallIntegerField(
        _("rank set by hand"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    rank_reason = models.TextField(_("reason for the rank set by hand"), blank=True)
    progress = models.CharField(
        _("progress"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress_note = models.TextField(_("note on the progress"), blank=True)
    progress_updated_on = PlausibleDateField(_("progress updated on"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan entry")
        verbose_name_plural = _("plan entries")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = _other_municipality(self, ("project", "proposal", "responsible", "unit"))
        if self.rank_override and not self.rank_reason.strip():
            errors["rank_reason"] = _("Give the reason for setting the rank by hand.")
        if errors:
            raise ValidationError(errors)


class Score(TenantModel):
    """An entry's score on one criterion, 1–5."""

    tenant_parent = "entry"

    entry = models.ForeignKey(
        PlanEntry, verbose_name=_("plan entry"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["entry", "criterion"], name="planning_one_score"),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN) & Q(value__lte=SCORE_MAX),
                name="planning_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry}: {self.criterion} = {self.value}"


# --- The annual wheel --------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    DEADLINE = "deadline", _("Deadline")
    SEMINAR = "seminar", _("Seminar")
    DECISION = "decision", _("Decision")
    REPORT = "report", _("Report")
    DIALOGUE = "dialogue", _("Dialogue meeting")
    REVIEW = "review", _("Review")
    BUDGET = "budget", _("Budget process")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every N weeks")
    MONTHLY = "monthly", _("Every N months on a day")
    QUARTERLY = "quarterly", _("Quarterly")
    NTH_WEEKDAY = "nth_weekday", _("The nth weekday of the month")
    YEARLY = "yearly", _("Yearly in a month")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


class WheelActivity(TenantModel):
    """A recurring activity on the annual wheel.

    The recurrence: `frequency` with `interval` (every N weeks or months), counted from
    `starts_on`, until `ends_on` if set. `month` picks the month of a yearly activity (and
    the first month of a quarterly one); `day` the day of the month (a month without that day
    is skipped, as in iCalendar); `weekday` and `week_of_month` the nth weekday. A yearly
    activity without a day lasts the whole month ("the budget process in May").
    """

    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wheel_activities",
        help_text=_("Leave empty for an activity of the whole digitalisation organisation."),
    )
    title = models.CharField(_("activity"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.MEETING
    )
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wheel_activities",
    )
    frequency = models.CharField(
        _("repeats"), max_length=20, choices=Frequency.choices, default=Frequency.YEARLY
    )
    interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Every N weeks or months."),
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"), choices=WeekOfMonth.choices, null=True, blank=True
    )
    starts_on = PlausibleDateField(_("from"))
    ends_on = PlausibleDateField(_("until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual wheel activity")
        verbose_name_plural = _("annual wheel activities")
        ordering = ["body__name", "title", "pk"]

    detail_url_name = "planning:activity_detail"

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = _other_municipality(self, ("body", "responsible"))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end is before the start.")
        if errors:
            raise ValidationError(errors)
