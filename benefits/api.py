"""REST API of benefit realisation: benefits with their planned realisation, and measurements.

Everyone logged in to the municipality reads; another municipality's rows answer 404 and
its ids in a write 400. Who may write is `benefits.rules`' (and `portfolio.rules`'):

- benefits: kept by the project's keepers (`portfolio.edit_project` for a new one,
  `benefits.edit` for an existing one), with their plans per year in the same request and
  transaction. A benefit that has measurements is not deleted (409): the measurements are a
  record.
- measurements: recorded by the project's keepers and the benefit's responsible leader
  (`benefits.measure`). A measurement is a record: it is not changed (405); a wrong one is
  deleted by those who run the portfolio (`portfolio.change`) and recorded again.

The order of the checks is `portfolio.api`'s: 404, then 403, then 400.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from benefits import services
from benefits.models import Benefit, BenefitMeasurement, BenefitType
from benefits.serializers import BenefitMeasurementSerializer, BenefitSerializer
from core.api import (
    Conflict,
    TenantModelViewSet,
    TenantPagination,
    TenantViewSetMixin,
    id_field,
    query_param,
    query_value,
    require_referenced,
)
from portfolio.api import PROJECT_PARAM, WRITE_RESPONSES, require_keeper
from portfolio.models import Phase

MEASURED = _("The benefit has measurements; they are a record, so it cannot be deleted.")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            PROJECT_PARAM,
            query_param(
                "type", OpenApiTypes.STR, "Only benefits of this type.", enum=BenefitType.values
            ),
            query_param(
                "responsible", OpenApiTypes.INT, "Only benefits this person is responsible for."
            ),
            query_param(
                "phase",
                OpenApiTypes.STR,
                "Only benefits of projects in this phase.",
                enum=Phase.values,
            ),
        ]
    ),
    create=extend_schema(
        description="Add a benefit to a project (its keepers), with its plans per year.",
        responses={201: BenefitSerializer, **WRITE_RESPONSES},
    ),
    update=extend_schema(responses={200: BenefitSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: BenefitSerializer, **WRITE_RESPONSES}),
    destroy=extend_schema(
        responses={
            204: None,
            403: OpenApiResponse(description="Only the project's keepers."),
            409: OpenApiResponse(description="The benefit has measurements."),
        }
    ),
)
class BenefitViewSet(TenantModelViewSet):
    """The benefits of the projects with planned against realised per year. Kept by the
    project's keepers; a benefit with measurements is not deleted (409)."""

    queryset = Benefit.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = BenefitSerializer
    # New benefits: their project's keepers (`create`); existing ones: the same, by the benefit.
    permissions = {"write": "core.view", "object": "benefits.edit"}

    def get_queryset(self):
        queryset = services.benefit_queryset(Benefit.objects.order_by("project_id", "pk"))
        if self.action != "list":
            return queryset
        request = self.request
        project = query_value(request, "project", id_field())
        kind = query_value(request, "type", serializers.ChoiceField(BenefitType.choices))
        responsible = query_value(request, "responsible", id_field())
        phase = query_value(request, "phase", serializers.ChoiceField(Phase.choices))
        if phase is not None:
            queryset = queryset.filter(project__phase=phase)
        if project is not None:
            queryset = queryset.filter(project_id=project)
        if kind is not None:
            queryset = queryset.filter(type=kind)
        if responsible is not None:
            queryset = queryset.filter(responsible_id=responsible)
        return queryset

    def create(self, request, *args, **kwargs):
        require_keeper(request)
        return super().create(request, *args, **kwargs)

    def perform_destroy(self, benefit):
        if benefit.measurements.all():
            raise Conflict(MEASURED)
        super().perform_destroy(benefit)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param("benefit", OpenApiTypes.INT, "Only measurements of this benefit."),
            PROJECT_PARAM,
        ]
    ),
    create=extend_schema(
        description="Record a measurement (the project's keepers and the benefit's "
        "responsible leader).",
        responses={201: BenefitMeasurementSerializer, **WRITE_RESPONSES},
    ),
    destroy=extend_schema(
        description="Delete a wrong measurement (those who run the portfolio).",
        responses={
            204: None,
            403: OpenApiResponse(description="Only those who run the portfolio."),
        },
    ),
)
class BenefitMeasurementViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Measurements of benefits, newest first. A measurement is a record: it is not changed
    (405); those who run the portfolio may delete a wrong one."""

    queryset = BenefitMeasurement.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = BenefitMeasurementSerializer
    pagination_class = TenantPagination
    # New measurements: by their benefit (`create`); deleting a wrong one: those who run the
    # portfolio. A measurement is not changed (405).
    permissions = {"write": "core.view", "object": "portfolio.change"}

    def get_queryset(self):
        queryset = BenefitMeasurement.objects.order_by("-measured_on", "-pk")
        if self.action != "list":
            return queryset
        benefit = query_value(self.request, "benefit", id_field())
        project = query_value(self.request, "project", id_field())
        if benefit is not None:
            queryset = queryset.filter(benefit_id=benefit)
        if project is not None:
            queryset = queryset.filter(benefit__project_id=project)
        return queryset

    def create(self, request, *args, **kwargs):
        # no benefit named (or one not found): who measures some benefit hears what is
        # missing (400)
        require_referenced(
            request,
            "benefit",
            Benefit.objects.select_related("project"),
            "benefits.measure",
            "benefits.measure_a_benefit",
        )
        return super().create(request, *args, **kwargs)


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    router.register("benefits", BenefitViewSet, basename="benefit")
    router.register(
        "benefit-measurements", BenefitMeasurementViewSet, basename="benefitmeasurement"
    )
