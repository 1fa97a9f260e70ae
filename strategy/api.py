"""The strategy API: strategies, goals and the shared catalogues (focus areas, SDGs).

Everyone logged in to the municipality reads; strategies and goals are written by those with
`strategy.change` (administrators and secretaries). Another municipality's strategy or goal
answers 404, and naming it in a write 400. Strategies are not deleted (405): an old strategy
stays on record with the projects that served it. Deleting a goal removes its links, each
recorded in the project's history (`strategy.services.delete_goal`). The catalogues are read
only; their counts are of the municipality's own projects. A project's links are written on
the project (`projects`: `goals`, `focus_areas`, `sdgs`).
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from core.api import (
    TenantModelViewSet,
    TenantPagination,
    TenantViewSetMixin,
    id_field,
    query_param,
    query_value,
)
from strategy import services
from strategy.models import SDG, FocusArea, Goal, Strategy
from strategy.serializers import (
    FocusAreaSerializer,
    GoalSerializer,
    SDGSerializer,
    StrategySerializer,
)


class StrategyViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The municipality's strategies, newest first, each with its goals in order. The
    document is uploaded on the strategy's page; here it is read as its download address."""

    permissions = {"write": "strategy.change"}
    pagination_class = TenantPagination
    queryset = Strategy.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = StrategySerializer

    def get_queryset(self):
        return Strategy.objects.prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk"))
        ).order_by("-start_year", "title", "pk")

    def perform_update(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


@extend_schema_view(
    list=extend_schema(
        parameters=[query_param("strategy", OpenApiTypes.INT, "Only the goals of this strategy.")]
    ),
)
class GoalViewSet(TenantModelViewSet):
    """Goals of the municipality's strategies, in the strategy's order, each with the ids of
    the projects that serve it."""

    permissions = {"write": "strategy.change"}
    queryset = Goal.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = GoalSerializer

    def get_queryset(self):
        queryset = Goal.objects.prefetch_related(
            Prefetch("projects", queryset=services.projects().only("pk", "municipality_id"))
        ).order_by("strategy_id", "position", "pk")
        if self.action == "list":
            strategy = query_value(self.request, "strategy", id_field())
            if strategy is not None:
                queryset = queryset.filter(strategy_id=strategy)
        return queryset

    def perform_destroy(self, instance):
        services.delete_goal(instance)


class _CatalogueViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    permissions = {"write": "strategy.change"}  # a write by them is 405; anybody else's 403
    pagination_class = TenantPagination
    model = None

    def get_queryset(self):
        return self.model.objects.order_by("number")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = getattr(self.request, "user", None)
        municipality_id = getattr(user, "municipality_id", None)
        context["link_counts"] = (
            services.link_counts(self.model, municipality_id) if municipality_id else {}
        )
        return context


class FocusAreaViewSet(_CatalogueViewSet):
    """The 12 focus areas of the joint municipal digitalisation strategy (shared by every
    municipality), with the number of the municipality's projects linked to each."""

    model = FocusArea
    queryset = FocusArea.objects.none()  # for the schema
    serializer_class = FocusAreaSerializer


class SDGViewSet(_CatalogueViewSet):
    """The UN's 17 Sustainable Development Goals (shared), with the number of the
    municipality's projects linked to each."""

    model = SDG
    queryset = SDG.objects.none()  # for the schema
    serializer_class = SDGSerializer


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    router.register("strategies", StrategyViewSet, basename="strategy")
    router.register("goals", GoalViewSet, basename="goal")
    router.register("focus-areas", FocusAreaViewSet, basename="focusarea")
    router.register("sdgs", SDGViewSet, basename="sdg")
