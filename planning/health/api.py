"""The governance health API: `GET /api/v1/governance-health/` (read-only).

The findings of `planning.health.services` for a year (`?year=`, default this year), for everyone in
the municipality or only what the user can act on (`?mine=1`), with at most `?limit=`
findings listed per check (the counts are always complete). The same rules as the page: a
follow-up the user may not read in full shows no text.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.api import StrictSerializer, TenantViewSetMixin, query_param, query_value
from core.api_schema import AutoSchema
from planning.health import services

MAX_LIMIT = 500


class FindingSerializer(StrictSerializer):
    check = serializers.ChoiceField(choices=services.CHECKS, help_text="The rule that is broken.")
    severity = serializers.ChoiceField(choices=list(services.SEVERITY_LABELS))
    severity_label = serializers.CharField()
    subject = serializers.CharField(help_text="The body, project, benefit or follow-up's body.")
    message = serializers.CharField(help_text="What is wrong, in the request's language.")
    url = serializers.CharField(help_text="Where it is fixed (or seen, for who cannot fix it).")
    action = serializers.CharField()
    mine = serializers.BooleanField(help_text="Whether the user can act on it.")
    date = serializers.DateField(allow_null=True, help_text="The due date, where there is one.")
    who = serializers.CharField(help_text="The owner or responsible, empty when none.")


class GroupSerializer(StrictSerializer):
    check = serializers.ChoiceField(choices=services.CHECKS)
    title = serializers.CharField()
    count = serializers.IntegerField(help_text="Findings in the scope asked for (`mine`).")
    all_count = serializers.IntegerField(help_text="Findings for the whole municipality.")
    mine_count = serializers.IntegerField(help_text="Findings the user can act on.")
    more_url = serializers.CharField(help_text="The full, filtered list.")
    findings = FindingSerializer(many=True, help_text="The first `limit` findings.")


class BodyRowSerializer(StrictSerializer):
    body = serializers.IntegerField(source="body.pk")
    name = serializers.CharField(source="body.name")
    meetings_per_year = serializers.IntegerField(source="per_year", allow_null=True)
    held = serializers.IntegerField()
    expected_so_far = serializers.IntegerField(source="expected", allow_null=True)
    planned = serializers.IntegerField(help_text="Meetings planned for the rest of the year.")
    cadence = serializers.ChoiceField(
        choices=list(services.CADENCE_LABELS),
        allow_null=True,
        help_text="on_track, behind or too_few; null without a cadence.",
    )
    composition_met = serializers.BooleanField(
        allow_null=True, help_text="Null without a current mandate with rules."
    )
    unmet_rules = serializers.SerializerMethodField()
    mine = serializers.BooleanField()

    def get_unmet_rules(self, row) -> list[str]:
        return [r.rule.description for r in row.unmet_rules]


class HealthSerializer(StrictSerializer):
    year = serializers.IntegerField()
    on = serializers.DateField(help_text="The day the year's cadence is counted to.")
    mine = serializers.BooleanField()
    count = serializers.IntegerField()
    all_count = serializers.IntegerField()
    mine_count = serializers.IntegerField()
    bodies = BodyRowSerializer(many=True)
    groups = serializers.SerializerMethodField()

    @extend_schema_field(GroupSerializer(many=True))
    def get_groups(self, report):
        return GroupSerializer([report.groups[c] for c in services.CHECKS], many=True).data


class OneReportSchema(AutoSchema):
    """The answer is one report, not a list, though the route is the collection's."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class GovernanceHealthViewSet(TenantViewSetMixin, viewsets.ViewSet):
    """Governance health: the rules the product checks by itself, with their findings."""

    # Read-only: a write by those who may change planning is 405, by others 403.
    permissions = {"write": "planning.change"}
    serializer_class = HealthSerializer
    schema = OneReportSchema()

    @extend_schema(
        parameters=[
            query_param("year", OpenApiTypes.INT, "The year (default: this year)."),
            query_param("mine", OpenApiTypes.BOOL, "Only what the user can act on."),
            query_param(
                "limit",
                OpenApiTypes.INT,
                f"Findings listed per check, 0–{MAX_LIMIT} (default {services.LIMIT}).",
            ),
        ],
        responses={200: HealthSerializer},
    )
    def list(self, request):
        today = timezone.localdate()
        year = query_value(
            request,
            "year",
            serializers.IntegerField(min_value=services.FIRST_YEAR, max_value=today.year + 10),
        )
        mine = query_value(request, "mine", serializers.BooleanField())
        limit = query_value(
            request, "limit", serializers.IntegerField(min_value=0, max_value=MAX_LIMIT)
        )
        report = services.governance_health(
            request.user,
            year or today.year,
            mine=bool(mine),
            limit=services.LIMIT if limit is None else limit,
            today=today,
        )
        return Response(HealthSerializer(report).data)


def register(router) -> None:
    """Add this area's viewsets to the project router."""
    router.register("governance-health", GovernanceHealthViewSet, basename="governance-health")
