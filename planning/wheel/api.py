"""REST API of the annual wheel (årshjul).

- `wheel-activities`: the recurring activities (CRUD). Everyone in the municipality reads
  them; `planning.change` (administrators and secretaries) writes. A write is saved by
  `planning.wheel.services.save_activity`, as the page's: the recurrence's rules (`check`)
  and the model's. A field the frequency needs, and a recurrence that never occurs
  (31 February), answer 400 and nothing is written. The fields the frequency does not use
  are emptied.
- `wheel`: a wheel year, read-only: the occurrences of every active activity in the twelve
  months from a first month, with the actual meetings merged in (a planned meeting close to
  a real meeting of the same body is that meeting), and the bodies (rings) in it.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.api import (
    ModelCleanSerializer,
    StrictSerializer,
    TenantModelViewSet,
    TenantViewSetMixin,
    id_field,
    query_param,
    query_value,
)
from core.api_schema import AutoSchema
from core.collation import Danish
from meetings.serializers import ServiceErrors
from planning.models import ActivityKind, Frequency, WheelActivity
from planning.wheel import services
from portfolio.serializers import DATES

# --- Activities ----------------------------------------------------------------------------------


class WheelActivitySerializer(ModelCleanSerializer):
    """An activity on the annual wheel and its recurrence. `body` empty: the whole
    organisation. `recurrence` says it in words."""

    serializer_field_mapping = DATES
    recurrence = serializers.SerializerMethodField(help_text="The recurrence in words.")

    class Meta:
        model = WheelActivity
        fields = [
            "id",
            "body",
            "title",
            "kind",
            "description",
            "responsible",
            "frequency",
            "interval",
            "month",
            "day",
            "weekday",
            "week_of_month",
            "starts_on",
            "ends_on",
            "active",
            "recurrence",
        ]

    def get_recurrence(self, activity) -> str:
        return services.describe(activity)

    def create(self, validated_data):
        return self.update(WheelActivity(), validated_data)

    def update(self, activity, validated_data):
        for name, value in validated_data.items():
            setattr(activity, name, value)
        with ServiceErrors():
            return services.save_activity(activity)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param("body", OpenApiTypes.INT, "Only activities of this body."),
            query_param(
                "whole_organisation",
                OpenApiTypes.BOOL,
                "true: only the activities of the whole organisation (no body).",
            ),
            query_param(
                "kind", OpenApiTypes.STR, "Only activities of this kind.", enum=ActivityKind.values
            ),
            query_param(
                "frequency",
                OpenApiTypes.STR,
                "Only activities that repeat so.",
                enum=Frequency.values,
            ),
            query_param(
                "active", OpenApiTypes.BOOL, "Only active (true) or inactive (false) ones."
            ),
        ]
    ),
)
class WheelActivityViewSet(TenantModelViewSet):
    """The recurring activities of the annual wheel, by body and title."""

    permissions = {"write": "planning.change"}
    queryset = WheelActivity.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = WheelActivitySerializer

    def get_queryset(self):
        queryset = WheelActivity.objects.order_by(Danish("body__name"), Danish("title"), "pk")
        if self.action != "list":
            return queryset
        request = self.request
        body = query_value(request, "body", id_field())
        organisation = query_value(request, "whole_organisation", serializers.BooleanField())
        kind = query_value(request, "kind", serializers.ChoiceField(ActivityKind.choices))
        frequency = query_value(request, "frequency", serializers.ChoiceField(Frequency.choices))
        active = query_value(request, "active", serializers.BooleanField())
        if body is not None:
            queryset = queryset.filter(body_id=body)
        if organisation is not None:
            queryset = queryset.filter(body__isnull=organisation)
        if kind is not None:
            queryset = queryset.filter(kind=kind)
        if frequency is not None:
            queryset = queryset.filter(frequency=frequency)
        if active is not None:
            queryset = queryset.filter(active=active)
        return queryset


# --- The wheel year ------------------------------------------------------------------------------


class WheelRingSerializer(StrictSerializer):
    ring = serializers.IntegerField(source="number", help_text="1 is the outermost ring.")
    body = serializers.IntegerField(
        source="body_id", allow_null=True, help_text="Null: the whole organisation."
    )
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Occurrences and meetings in the ring.")


class WheelEntrySerializer(StrictSerializer):
    date = serializers.DateField()
    last = serializers.DateField(
        help_text="The last day: the date itself, or the last day of "
        "the month for an activity that lasts the whole month."
    )
    whole_month = serializers.BooleanField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    body = serializers.IntegerField(source="body_id", allow_null=True)
    body_name = serializers.CharField(help_text="Empty for the whole organisation.")
    ring = serializers.SerializerMethodField()
    activity = serializers.SerializerMethodField(help_text="The activity, for a planned date.")
    meeting = serializers.SerializerMethodField(help_text="The meeting, for a real meeting.")
    planned_activity = serializers.SerializerMethodField(
        help_text="For a real meeting: the planned activity it was merged with."
    )
    deadline = serializers.BooleanField(
        source="is_deadline",
        help_text="A deadline of the IT system register (kind deadline), not an activity.",
    )

    def get_ring(self, entry) -> int:
        return entry.ring + 1

    def get_activity(self, entry) -> int | None:
        return entry.activity.pk if entry.activity is not None else None

    def get_meeting(self, entry) -> int | None:
        return entry.meeting.pk if entry.meeting is not None else None

    def get_planned_activity(self, entry) -> int | None:
        return entry.planned.pk if entry.planned is not None else None


class WheelYearSerializer(StrictSerializer):
    year = serializers.IntegerField(help_text="The year of the first month.")
    first_month = serializers.IntegerField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    rings = WheelRingSerializer(many=True)
    occurrences = WheelEntrySerializer(many=True, source="entries")


class OneObject(AutoSchema):
    """The wheel answers one object (a year), not a list, though the action is `list`."""

    def _is_list_view(self, serializer=None):
        return False


class WheelViewSet(TenantViewSetMixin, viewsets.ViewSet):
    """The annual wheel of a year, read-only."""

    # There is no write: the route takes GET only, so a write by anyone of the municipality
    # passes this gate and is answered 405 (and anonymous 401/403).
    permissions = {"write": "core.view"}
    schema = OneObject()

    @extend_schema(
        parameters=[
            query_param(
                "year",
                OpenApiTypes.INT,
                "The year of the first month (default: the wheel year of today).",
            ),
            query_param("first_month", OpenApiTypes.INT, "1–12 (default: the municipality's)."),
            query_param("body", OpenApiTypes.INT, "Only this body's activities and meetings."),
            query_param(
                "whole_organisation",
                OpenApiTypes.BOOL,
                "true: only the activities of the whole organisation.",
            ),
            query_param(
                "kind",
                OpenApiTypes.STR,
                "Only this kind (real meetings are “meeting”).",
                enum=ActivityKind.values,
            ),
        ],
        responses={200: WheelYearSerializer},
    )
    def list(self, request):
        """The twelve months from the first month: every occurrence of the active activities
        and the meetings of the bodies, by date."""
        first_month = (
            query_value(request, "first_month", serializers.IntegerField(min_value=1, max_value=12))
            or request.user.municipality.wheel_first_month
        )
        year = query_value(
            request, "year", serializers.IntegerField(min_value=1900, max_value=2998)
        )
        if year is None:
            year = services.year_of(timezone.localdate(), first_month)
        body = query_value(request, "body", id_field())
        if query_value(request, "whole_organisation", serializers.BooleanField()):
            body = services.WHOLE_ORGANISATION
        kind = query_value(request, "kind", serializers.ChoiceField(ActivityKind.choices))
        result = services.wheel_year(year, first_month, body=body, kind=kind)
        return Response(WheelYearSerializer(result).data)


def register(router) -> None:
    """Add this area's viewsets to the project router."""
    router.register("wheel-activities", WheelActivityViewSet, basename="wheelactivity")
    router.register("wheel", WheelViewSet, basename="wheel")
