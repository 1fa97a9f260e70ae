"""Serializers of the portfolio API: projects, status reports and risks.

The rules are the models' (`clean`, run by `ModelCleanSerializer`) and `portfolio.services`'
(filing a report, a gate, escalation); who may write is `portfolio.rules`' and is checked in
`portfolio.api`. What is added here: which fields are written when (a project's phase only
changes through a gate, a report is filed once, a risk's project is fixed), the read-only
summaries (a project's latest status, its milestones, budget and phase history) and a bound on
dates (`core.api.DATES`), so that a due date computed a cycle later is still a date.
"""

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from core.api import (
    DATES,
    BoundedDateField,
    ModelCleanSerializer,
    StrictModelSerializer,
    StrictSerializer,
)
from meetings.models import AgendaItem
from meetings.serializers import ServiceErrors
from organisation.models import Body
from portfolio import services
from portfolio.models import (
    BudgetYear,
    Colour,
    Milestone,
    Phase,
    PhaseChange,
    Project,
    Risk,
    StatusReport,
)
from strategy.models import SDG, FocusArea, Goal

MOVED = _("It cannot be moved to another project.")


def unchanged_project(serializer, attrs: dict) -> None:
    """A row stays with the project it was created for."""
    instance = serializer.instance
    if instance is not None and "project" in attrs:
        project = attrs["project"]
        if getattr(project, "pk", None) != instance.project_id:
            raise ValidationError({"project": [MOVED]})


@extend_schema_field(serializers.CharField(allow_null=True))
class CaseNumberField(serializers.Field):
    """The number of the case the row opened, or null. (A field with a `default` would be
    left out of the answer to a PATCH.)"""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row):
        return row.case.number if row.case_id else None


def _request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# --- Projects --------------------------------------------------------------------------------


class ReportSummarySerializer(StrictModelSerializer):
    """A status report in short: its period, the five colours and the colour in force."""

    colour = serializers.ChoiceField(
        choices=Colour.choices,
        read_only=True,
        help_text="The overall colour in force: the leader's choice, else the worst of the five.",
    )

    class Meta:
        model = StatusReport
        fields = [
            "id",
            "period_start",
            "period_end",
            "reported_on",
            "schedule",
            "budget",
            "scope",
            "benefits",
            "resources",
            "colour",
            "needs_decision",
        ]
        read_only_fields = fields


class ProjectStatusSerializer(StrictSerializer):
    """A project's latest status report, the trend against the one before, and whether the
    next report is late (`due` is one report cycle after the latest period ends)."""

    latest = ReportSummarySerializer(allow_null=True, read_only=True)
    trend = serializers.ChoiceField(
        choices=[
            services.Trend.NEW,
            services.Trend.BETTER,
            services.Trend.WORSE,
            services.Trend.SAME,
        ],
        read_only=True,
    )
    due = serializers.DateField(allow_null=True, read_only=True)
    late = serializers.BooleanField(read_only=True)


class MilestoneSerializer(StrictModelSerializer):
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "done_on", "overdue"]
        read_only_fields = fields


class BudgetYearSerializer(StrictModelSerializer):
    class Meta:
        model = BudgetYear
        fields = ["id", "year", "planned", "spent"]
        read_only_fields = fields


class PhaseChangeSerializer(StrictModelSerializer):
    """A gate: from which phase to which, when, and the meeting decision it rests on."""

    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PhaseChange
        fields = [
            "id",
            "from_phase",
            "to_phase",
            "decided_on",
            "decision",
            "note",
            "decided_by_name",
        ]
        read_only_fields = fields

    def get_decided_by_name(self, change) -> str:
        user = change.decided_by
        if user is None:
            return ""
        return user.get_full_name() or user.get_username()


# A project's links to what it serves (strategy.services keeps them, with one history record).
LINK_FIELDS = ("goals", "focus_areas", "sdgs")


def _links(validated_data: dict) -> dict:
    """The links the write gives, taken out of the card's fields."""
    return {name: validated_data.pop(name) for name in LINK_FIELDS if name in validated_data}


class ProjectListSerializer(serializers.ListSerializer):
    """A page of projects: their links fetched in one query per kind, not one per project."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, models.Manager) else data)
        prefetch_related_objects(rows, *LINK_FIELDS)
        return super().to_representation(rows)


class ProjectSerializer(ModelCleanSerializer):
    """A project of the portfolio with its start document.

    `phase` is read-only: it changes through the `change-phase` action (a gate), which
    records the phase history. `status` is the latest status report in short. `goals`,
    `focus_areas` and `sdgs` are the ids of what the project serves: goals of the
    municipality's strategies (another municipality's goal is refused), focus areas and SDGs
    of the shared catalogues.
    """

    serializer_field_mapping = DATES
    status = serializers.SerializerMethodField()
    goals = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Goal.objects,
        help_text="Ids of the strategy goals the project serves.",
    )
    focus_areas = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=FocusArea.objects.all(),
        help_text="Ids of the KL focus areas the project serves.",
    )
    sdgs = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=SDG.objects.all(),
        help_text="Ids of the Sustainable Development Goals the project serves.",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "code",
            "category",
            "kombit",
            "lighthouse",
            "phase",
            "owning_unit",
            "owner",
            "leader",
            "body",
            "start_date",
            "end_date",
            "report_cycle",
            "purpose",
            "scope",
            "deliverables",
            "success_criteria",
            "goals",
            "focus_areas",
            "sdgs",
            "created_at",
            "status",
        ]
        read_only_fields = ["phase", "created_at"]
        list_serializer_class = ProjectListSerializer

    def validate(self, attrs):
        if self.instance is None and "report_cycle" not in attrs:
            # Left out: the governing body's cycle, as the page's "by the governing body".
            attrs["report_cycle"] = services.report_cycle_for(attrs.get("body"))
        return super().validate(attrs)

    def create(self, validated_data):
        links = _links(validated_data)
        with ServiceErrors():
            return services.save_project(Project(**validated_data), links=links)

    def update(self, instance, validated_data):
        links = _links(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with ServiceErrors():
            # Only links: no save of the card (its history would get an empty record).
            return services.save_project(instance, links=links, card=bool(validated_data))

    @extend_schema_field(ProjectStatusSerializer)
    def get_status(self, project):
        found = self.context.get("statuses", {}).get(project.pk)
        if found is None:
            found = services.statuses(Project.objects.filter(pk=project.pk))[0]
        # One status serializer for the page's rows: a nested model serializer builds its
        # fields when it is made (about 1 ms), so one per row costed more than the row.
        if self._status_serializer is None:
            self._status_serializer = ProjectStatusSerializer(context=self.context)
        return self._status_serializer.to_representation(found)

    _status_serializer: ProjectStatusSerializer | None = None


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its milestones, budget per year and phase history (newest first)."""

    milestones = MilestoneSerializer(many=True, read_only=True)
    budget_years = BudgetYearSerializer(many=True, read_only=True)
    phase_changes = PhaseChangeSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "milestones", "budget_years", "phase_changes"]


class PhaseChangeRequestSerializer(StrictSerializer):
    """A gate: the phase the project moves to, when it was decided, and perhaps the agenda
    item whose decision it rests on."""

    to_phase = serializers.ChoiceField(choices=Phase.choices)
    decided_on = BoundedDateField(
        required=False, help_text="When the gate was decided; today when left out."
    )
    decision = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects,
        required=False,
        allow_null=True,
        help_text="The agenda item whose decision moved the project.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


# --- Status reports --------------------------------------------------------------------------


class StatusReportSerializer(ModelCleanSerializer):
    """A status report: five traffic lights, an overall colour that is the worst of them
    unless a reason is given, and "needs a decision", which opens a case in the governing
    body's backlog (`case`). Filed once; a report is a record and is not changed."""

    serializer_field_mapping = DATES
    suggested = serializers.ChoiceField(
        choices=Colour.choices, read_only=True, help_text="The worst of the five colours."
    )
    colour = serializers.ChoiceField(
        choices=Colour.choices, read_only=True, help_text="The overall colour in force."
    )
    overridden = serializers.BooleanField(read_only=True)
    case_number = CaseNumberField()

    class Meta:
        model = StatusReport
        fields = [
            "id",
            "project",
            "period_start",
            "period_end",
            "reported_on",
            "reported_by",
            "schedule",
            "budget",
            "scope",
            "benefits",
            "resources",
            "overall",
            "suggested",
            "colour",
            "overridden",
            "override_reason",
            "progress",
            "next_steps",
            "barriers",
            "needs_decision",
            "decision_request",
            "case",
            "case_number",
        ]
        read_only_fields = ["reported_on", "reported_by", "case"]
        # The model says which period is already reported (`clean`), with its dates.
        validators = []

    def create(self, validated_data):
        report = StatusReport(**validated_data)
        report.municipality_id = report.project.municipality_id
        with ServiceErrors():
            return services.file_status_report(report, _request_user(self))


# --- Risks -----------------------------------------------------------------------------------


class RiskSerializer(ModelCleanSerializer):
    """A risk of a project, or of the whole portfolio when `project` is null. The project is
    fixed once created; `escalated_to` and `case` are set by the `escalate` action."""

    serializer_field_mapping = DATES
    score = serializers.IntegerField(read_only=True, help_text="Probability × impact.")
    level = serializers.ChoiceField(
        choices=Colour.choices,
        read_only=True,
        help_text="The heat-map colour of the score: green up to 4, yellow up to 14, red from 15.",
    )
    case_number = CaseNumberField()

    class Meta:
        model = Risk
        fields = [
            "id",
            "project",
            "title",
            "description",
            "probability",
            "impact",
            "score",
            "level",
            "owner",
            "mitigation",
            "status",
            "identified_on",
            "escalated_to",
            "case",
            "case_number",
        ]
        read_only_fields = ["escalated_to", "case"]

    def validate(self, attrs):
        unchanged_project(self, attrs)
        return super().validate(attrs)


class EscalateSerializer(StrictSerializer):
    """The body whose backlog the risk goes to."""

    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects)


class EscalationSerializer(StrictSerializer):
    """The case opened in the body's backlog."""

    case = serializers.IntegerField()
    case_number = serializers.CharField()
    body = serializers.IntegerField()
    risk = RiskSerializer()
