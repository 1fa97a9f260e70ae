"""The KLE API: the national catalogue of KLE numbers, read only (`kle-codes`).

Everyone logged in to a municipality reads it; a write is 405 for those who keep the
register (`systems.change`) and 403 for everyone else. `?q=` finds numbers by their
beginning (00.01) or words of the title, `?level=` one level (1 main group, 2 group, 3 task).
The KLE numbers of a usage and of a case are written on their own pages.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from core.api import (
    StrictModelSerializer,
    TenantPagination,
    TenantViewSetMixin,
    query_param,
    query_value,
)
from systems.kle import services
from systems.models import KleCode


class KleCodeSerializer(StrictModelSerializer):
    """A KLE number: a main group (00), a group (00.01) or a task (00.01.00)."""

    parent = serializers.SlugRelatedField(
        slug_field="number", read_only=True, help_text="The number it is part of."
    )

    class Meta:
        model = KleCode
        fields = ["id", "number", "title", "level", "parent", "valid_from", "valid_to"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param("q", OpenApiTypes.STR, "A number's beginning (00.01) or title words."),
            query_param(
                "level",
                OpenApiTypes.INT,
                "Only this level: 1 main group, 2 group, 3 task.",
                enum=KleCode.Level.values,
            ),
        ]
    ),
)
class KleCodeViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The national catalogue of KLE numbers (KL's Emnesystematik), in number order."""

    permissions = {"write": "systems.change"}  # a write by them is 405; anybody else's 403
    pagination_class = TenantPagination
    queryset = KleCode.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = KleCodeSerializer

    def get_queryset(self):
        codes = KleCode.objects.select_related("parent").order_by("number")
        if self.action != "list":
            return codes
        query = query_value(self.request, "q", serializers.CharField(max_length=100))
        if query:
            codes = services.search(codes, query)
        level = query_value(
            self.request, "level", serializers.ChoiceField(choices=KleCode.Level.values)
        )
        if level is not None:
            codes = codes.filter(level=level)
        return codes


def register(router) -> None:
    """Add this domain's viewsets to the project router."""
    router.register("kle-codes", KleCodeViewSet, basename="klecode")
