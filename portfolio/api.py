"""REST API of the portfolio: projects and their gates, status reports and risks.

Everyone logged in to the municipality reads the whole portfolio; another municipality's
rows answer 404 (the scoped managers), and an id of another municipality in a write is
answered 400 like an id that does not exist. Who may write is `portfolio.rules`', asked by
`core.permissions.RulesPermission` through each viewset's `permissions`:

- projects: created by those who run the portfolio (`portfolio.change`), changed by the
  project's keepers (`portfolio.edit_project`). The phase changes only through the
  `change-phase` action (a gate, recorded in the phase history). Projects are not deleted
  (405): a project ends in the phase "closed", and its reports and benefits stay on record.
- status reports: filed by the project's keepers through `services.file_status_report` ("needs
  a decision" opens a case in the governing body's backlog). A filed report is a record: it
  is neither changed nor deleted (405).
- risks: a project's risks by its keepers, the portfolio's own risks (no project) by those
  who run the portfolio (`portfolio.edit_risk`); the `escalate` action puts a risk on a
  body's backlog.

A write is checked in this order: 401 without a login, 404 for a row the user cannot see,
403 when the user may not write it, then 400 for bad input, so a refused user learns nothing
from the validation. Every user of the municipality passes the gate before the row is found
(`"write": "core.view"`), so a row that does not exist is 404 and a method a route does not
take is 405 for all of them; the row's own permission (`"object"`) decides. A new row's
project (or benefit) is looked up first and asked about (`core.api.require_referenced`):
when the request names none, the user must at least keep some project
(`portfolio.keep_a_project`), or the answer is 403; a keeper gets the validation errors (400).
"""

from django.db.models import F, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import (
    TenantModelViewSet,
    TenantPagination,
    TenantViewSetMixin,
    id_field,
    query_param,
    query_value,
    require_referenced,
)
from core.collation import Danish
from core.permissions import require
from meetings.serializers import ServiceErrors
from portfolio import services
from portfolio.models import Category, Phase, PhaseChange, Project, Risk, RiskStatus, StatusReport
from portfolio.serializers import (
    EscalateSerializer,
    EscalationSerializer,
    PhaseChangeRequestSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    RiskSerializer,
    StatusReportSerializer,
)

# --- Shared pieces (benefits.api uses them too) ----------------------------------------------

PROJECT_PARAM = query_param("project", OpenApiTypes.INT, "Only rows of this project.")

WRITE_RESPONSES = {
    400: OpenApiResponse(description="Bad input: the errors per field."),
    403: OpenApiResponse(description="The user may not make this change."),
}


def require_keeper(request) -> None:
    """For a new row of a project (a status report, a benefit): 403 unless the user keeps the
    project the write names; when it names none (or one not found), unless the user keeps
    some project, so that a keeper hears what is missing (400)."""
    require_referenced(
        request, "project", Project.objects, "portfolio.edit_project", "portfolio.keep_a_project"
    )


def names(request, name: str) -> bool:
    """Does the write give a (non-empty) value for `name`?"""
    data = request.data
    return hasattr(data, "get") and data.get(name) not in (None, "")


# --- Projects --------------------------------------------------------------------------------

PROJECT_LIST_PARAMS = [
    query_param(
        "category", OpenApiTypes.STR, "Only projects of this category.", enum=Category.values
    ),
    query_param("phase", OpenApiTypes.STR, "Only projects in this phase.", enum=Phase.values),
    query_param("body", OpenApiTypes.INT, "Only projects governed by this body."),
    query_param("owning_unit", OpenApiTypes.INT, "Only projects owned by this unit."),
    query_param(
        "active",
        OpenApiTypes.BOOL,
        "true: only projects that are not closed; false: only closed projects.",
    ),
    query_param("q", OpenApiTypes.STR, "Only projects whose name or number holds this text."),
    query_param("goal", OpenApiTypes.INT, "Only projects that serve this strategy goal."),
    query_param("lighthouse", OpenApiTypes.BOOL, "Only lighthouse projects (or only others)."),
    query_param("kombit", OpenApiTypes.BOOL, "Only KOMBIT projects (or only others)."),
]


@extend_schema_view(
    list=extend_schema(parameters=PROJECT_LIST_PARAMS),
    create=extend_schema(
        description="Create a project (those who run the portfolio). It starts in the "
        "phase “idea”.",
        responses={201: ProjectDetailSerializer, **WRITE_RESPONSES},
    ),
    update=extend_schema(responses={200: ProjectDetailSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: ProjectDetailSerializer, **WRITE_RESPONSES}),
)
class ProjectViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Projects of the portfolio, each with its latest status. A project is changed by its
    keepers (its leader and owner, and those who run the portfolio); its phase only by a
    gate (`change-phase`). Projects are not deleted: a project ends in the phase “closed”."""

    queryset = Project.objects.none()  # for the schema; requests use get_queryset()
    pagination_class = TenantPagination
    permissions = {
        "write": "core.view",  # the row decides; a project is not deleted (405)
        "create": "portfolio.change",
        "object": "portfolio.edit_project",  # also the gate (`change-phase`)
    }

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def get_queryset(self):
        queryset = Project.objects.order_by(Danish("name"), "pk")
        if self.detail:
            return queryset.prefetch_related(
                "milestones",
                "budget_years",
                Prefetch(
                    "phase_changes",
                    queryset=PhaseChange.objects.select_related("decided_by").order_by(
                        "-decided_on", "-pk"
                    ),
                ),
            )
        if self.action != "list":
            return queryset
        request = self.request
        category = query_value(request, "category", serializers.ChoiceField(Category.choices))
        phase = query_value(request, "phase", serializers.ChoiceField(Phase.choices))
        body = query_value(request, "body", id_field())
        unit = query_value(request, "owning_unit", id_field())
        active = query_value(request, "active", serializers.BooleanField())
        text = query_value(request, "q", serializers.CharField(max_length=200))
        goal = query_value(request, "goal", id_field())
        lighthouse = query_value(request, "lighthouse", serializers.BooleanField())
        kombit = query_value(request, "kombit", serializers.BooleanField())
        if text is not None:
            queryset = queryset.filter(Q(name__icontains=text) | Q(code__icontains=text))
        if goal is not None:
            queryset = queryset.filter(goals=goal)
        if lighthouse is not None:
            queryset = queryset.filter(lighthouse=lighthouse)
        if kombit is not None:
            queryset = queryset.filter(kombit=kombit)
        if category is not None:
            queryset = queryset.filter(category=category)
        if phase is not None:
            queryset = queryset.filter(phase=phase)
        if body is not None:
            queryset = queryset.filter(body_id=body)
        if unit is not None:
            queryset = queryset.filter(owning_unit_id=unit)
        if active is not None:
            queryset = (queryset.exclude if active else queryset.filter)(phase=Phase.CLOSED)
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = services.statuses(queryset.filter(pk__in=[project.pk for project in page]))
        context = {**self.get_serializer_context(), "statuses": {r.project.pk: r for r in rows}}
        return self.get_paginated_response(ProjectSerializer(page, many=True, context=context).data)

    def perform_update(self, serializer):
        serializer.save()
        # The answer shows the project as stored, with its fresh relations.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        request=PhaseChangeRequestSerializer,
        responses={
            200: ProjectDetailSerializer,
            400: OpenApiResponse(description="Bad input, or the project is in that phase."),
            403: OpenApiResponse(description="Only the project's keepers."),
        },
    )
    @action(detail=True, methods=["post"], url_path="change-phase")
    def change_phase(self, request, pk=None):
        """A gate: move the project to another phase, perhaps pointing to the agenda item
        whose decision moved it. The change is recorded in the phase history."""
        project = self.get_object()  # 404 and 403 before the input is looked at
        gate = PhaseChangeRequestSerializer(data=request.data)
        gate.is_valid(raise_exception=True)
        data = gate.validated_data
        with ServiceErrors():
            services.change_phase(
                project,
                data["to_phase"],
                decided_on=data.get("decided_on"),
                decision=data.get("decision"),
                note=data.get("note", ""),
                user=request.user,
            )
        project = self.get_queryset().get(pk=project.pk)
        return Response(
            ProjectDetailSerializer(project, context=self.get_serializer_context()).data
        )


# --- Status reports --------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[PROJECT_PARAM]),
    create=extend_schema(
        description="File a status report (the project's keepers). “needs_decision” opens a "
        "case in the governing body's backlog; the answer names it in `case`.",
        responses={201: StatusReportSerializer, **WRITE_RESPONSES},
    ),
)
class StatusReportViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Status reports of the projects, newest period first. Filed by the project's keepers;
    a filed report is a record and is neither changed nor deleted (405)."""

    queryset = StatusReport.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = StatusReportSerializer
    pagination_class = TenantPagination
    # New reports: their project's keepers (`create`). No write reaches a filed report (405).
    permissions = {"write": "core.view", "object": "portfolio.change_report"}

    def get_queryset(self):
        queryset = StatusReport.objects.select_related("case").order_by("-period_end", "-pk")
        if self.action == "list":
            project = query_value(self.request, "project", id_field())
            if project is not None:
                queryset = queryset.filter(project_id=project)
        return queryset

    def create(self, request, *args, **kwargs):
        require_keeper(request)
        return super().create(request, *args, **kwargs)


# --- Risks -----------------------------------------------------------------------------------


def _scale() -> serializers.IntegerField:
    """A probability or an impact, 1–5, as a query parameter."""
    return serializers.IntegerField(min_value=1, max_value=5)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            PROJECT_PARAM,
            query_param(
                "portfolio",
                OpenApiTypes.BOOL,
                "true: only the portfolio's own risks (no project); false: only projects'.",
            ),
            query_param(
                "status", OpenApiTypes.STR, "Only risks with this status.", enum=RiskStatus.values
            ),
            query_param("owner", OpenApiTypes.INT, "Only risks this person owns."),
            query_param(
                "escalated",
                OpenApiTypes.BOOL,
                "true: only risks escalated to a body; false: only those that are not.",
            ),
            query_param(
                "min_score",
                OpenApiTypes.INT,
                "Only risks whose score (probability × impact, 1–25) is at least this.",
            ),
            query_param("probability", OpenApiTypes.INT, "Only risks of this probability (1–5)."),
            query_param("impact", OpenApiTypes.INT, "Only risks of this impact (1–5)."),
        ]
    ),
    create=extend_schema(
        description="Add a risk: to a project (its keepers) or, without a project, to the "
        "portfolio as a whole (those who run the portfolio).",
        responses={201: RiskSerializer, **WRITE_RESPONSES},
    ),
    update=extend_schema(responses={200: RiskSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: RiskSerializer, **WRITE_RESPONSES}),
    destroy=extend_schema(
        responses={204: None, 403: OpenApiResponse(description="Only those who may keep the risk.")}
    ),
)
class RiskViewSet(TenantModelViewSet):
    """The risk register: the risks of every project and of the portfolio as a whole,
    highest score first. Kept by the project's keepers; the portfolio's own risks by those
    who run the portfolio."""

    queryset = Risk.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = RiskSerializer
    # New risks: by their project (`create`); existing ones and `escalate`: the risk's keepers.
    permissions = {"write": "core.view", "object": "portfolio.edit_risk"}

    def get_queryset(self):
        queryset = Risk.objects.select_related("project", "case").order_by(
            (F("probability") * F("impact")).desc(), "-pk"
        )
        if self.action != "list":
            return queryset
        request = self.request
        project = query_value(request, "project", id_field())
        portfolio = query_value(request, "portfolio", serializers.BooleanField())
        state = query_value(request, "status", serializers.ChoiceField(RiskStatus.choices))
        owner = query_value(request, "owner", id_field())
        escalated = query_value(request, "escalated", serializers.BooleanField())
        minimum = query_value(
            request, "min_score", serializers.IntegerField(min_value=1, max_value=25)
        )
        probability = query_value(request, "probability", _scale())
        impact = query_value(request, "impact", _scale())
        if owner is not None:
            queryset = queryset.filter(owner_id=owner)
        if escalated is not None:
            queryset = queryset.filter(escalated_to__isnull=not escalated)
        if minimum is not None:
            queryset = queryset.alias(score=F("probability") * F("impact")).filter(
                score__gte=minimum
            )
        if probability is not None:
            queryset = queryset.filter(probability=probability)
        if impact is not None:
            queryset = queryset.filter(impact=impact)
        if project is not None:
            queryset = queryset.filter(project_id=project)
        if portfolio is not None:
            queryset = queryset.filter(project__isnull=portfolio)
        if state is not None:
            queryset = queryset.filter(status=state)
        return queryset

    def create(self, request, *args, **kwargs):
        if names(request, "project"):
            require_keeper(request)  # an unknown project: the validation says so
        else:
            require(request, "portfolio.change")  # a risk of the whole portfolio
        return super().create(request, *args, **kwargs)

    @extend_schema(
        request=EscalateSerializer,
        responses={
            201: EscalationSerializer,
            400: OpenApiResponse(
                description="Bad input, a closed risk or body, or the risk "
                "is already escalated to the body."
            ),
            403: OpenApiResponse(description="Only those who may keep the risk."),
        },
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """Put the risk on a body's backlog: a case is opened there, with a link back, and
        the risk records where it went."""
        risk = self.get_object()  # 404 and 403 before the input is looked at
        target = EscalateSerializer(data=request.data)
        target.is_valid(raise_exception=True)
        body = target.validated_data["body"]
        with ServiceErrors():
            case = services.escalate_risk(risk, body, request.user)
        risk = self.get_queryset().get(pk=risk.pk)
        data = {"case": case.pk, "case_number": case.number, "body": body.pk, "risk": risk}
        return Response(
            EscalationSerializer(data, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    router.register("projects", ProjectViewSet, basename="project")
    router.register("status-reports", StatusReportViewSet, basename="statusreport")
    router.register("risks", RiskViewSet, basename="risk")
