"""The breaches API (`/api/v1/breaches/`): everyone of the municipality lists and reads the
breaches, with the closed fields null outside the circle; the circle
(`systems.change_breach`) records and changes them (403 naming the permission for anyone
else). Breaches are not deleted (405): the register keeps them. Another municipality's
breach is 404."""

from rest_framework import mixins, viewsets

from core.api import TenantPagination, TenantViewSetMixin
from systems.breaches.serializers import BreachSerializer
from systems.models import Breach


class BreachViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Personal-data breaches, newest discovered first, with the 72-hour clock's deadline
    (`notify_by`) and whether they were notified late."""

    permissions = {"write": "systems.change_breach"}
    pagination_class = TenantPagination
    queryset = Breach.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = BreachSerializer

    def get_queryset(self):
        return Breach.objects.order_by("-discovered_at", "-pk")


def register(router) -> None:
    """Add this domain's viewsets to the project router."""
    router.register("breaches", BreachViewSet, basename="breach")
