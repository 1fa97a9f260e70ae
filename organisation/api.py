"""REST API of the organisation app, scoped and permission-checked like the pages."""

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ModelCleanSerializer, TenantModelViewSet, id_field, query_param, query_value
from core.collation import Danish
from core.models import current_municipality_id
from organisation import services
from organisation.forms import BODY_FIELDS
from organisation.models import (
    Body,
    BodyKind,
    CompositionRule,
    Mandate,
    Membership,
    OrgUnit,
    Person,
    held_on,
)


class OrgUnitSerializer(ModelCleanSerializer):
    """A unit of the organisation; `parent` is the unit it is part of."""

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "parent"]


class PersonSerializer(ModelCleanSerializer):
    """A person who can sit in bodies."""

    class Meta:
        model = Person
        fields = ["id", "name", "title", "unit", "email", "active"]


class BodySerializer(ModelCleanSerializer):
    """A governance body; `parent` is the body it reports to. Giving an existing body a
    `closed_on` closes it as the page does: the memberships still running end then."""

    class Meta:
        model = Body
        fields = ["id", *BODY_FIELDS, "closed_on", "closing_summary"]

    def validate(self, attrs):
        body, closed_on = self.instance, attrs.get("closed_on")
        # Asked before the model's validation puts the new values on the instance.
        self.closes = body is not None and closed_on is not None and closed_on != body.closed_on
        return super().validate(attrs)

    def update(self, body, validated_data):
        if not self.closes:
            return super().update(body, validated_data)
        for name, value in validated_data.items():
            setattr(body, name, value)
        return services.close_body(body, body.closed_on, body.closing_summary)


class CompositionRuleSerializer(ModelCleanSerializer):
    """A rule of a mandate about who must sit in the body."""

    class Meta:
        model = CompositionRule
        fields = [
            "id",
            "mandate",
            "description",
            "role",
            "min_count",
            "unit",
            "title_contains",
            "position",
        ]


class MandateSerializer(ModelCleanSerializer):
    """A version of a body's mandate (kommissorium); the version is assigned on creation."""

    rules = CompositionRuleSerializer(many=True, read_only=True)

    class Meta:
        model = Mandate
        fields = [
            "id",
            "body",
            "version",
            "title",
            "purpose",
            "duties",
            "composition",
            "cadence",
            "meetings_per_year",
            "plan_role",
            "approved_by",
            "approved_on",
            "rules",
        ]
        read_only_fields = ["version"]

    def clean_exclude(self):
        # A new mandate gets its version on save; an existing one keeps it, so then the
        # (body, version) constraint is checked too (moving it to another body may clash).
        return ["version"] if self.instance is None else []

    def create(self, validated_data):
        # Published as on the page; its composition rules are rows of their own here.
        mandate = Mandate(municipality_id=current_municipality_id(), **validated_data)
        return services.publish_mandate(mandate, [])


class MembershipSerializer(ModelCleanSerializer):
    """A person's seat in a body, with a role and a period."""

    class Meta:
        model = Membership
        fields = ["id", "person", "body", "role", "start", "end", "note"]


class OrgUnitViewSet(TenantModelViewSet):
    """The municipality's organisational units (forvaltning, afdeling …)."""

    queryset = OrgUnit.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = OrgUnitSerializer

    def get_queryset(self):
        return OrgUnit.objects.order_by(Danish("name"), "pk")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param("q", OpenApiTypes.STR, "Only people whose name or title holds this text.")
        ]
    )
)
class PersonViewSet(TenantModelViewSet):
    """People who sit in bodies."""

    queryset = Person.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = PersonSerializer

    def get_queryset(self):
        people = Person.objects.order_by(Danish("name"), "pk")
        if self.action == "list":
            text = query_value(self.request, "q", serializers.CharField(max_length=200))
            if text is not None:
                people = people.filter(Q(name__icontains=text) | Q(title__icontains=text))
        return people


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param(
                "active",
                OpenApiTypes.BOOL,
                "true: only bodies established and not closed today; false: only closed ones.",
            ),
            query_param(
                "kind", OpenApiTypes.STR, "Only bodies of this kind.", enum=BodyKind.values
            ),
        ]
    )
)
class BodyViewSet(TenantModelViewSet):
    """Governance bodies: the executive board, steering groups, project groups …"""

    queryset = Body.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = BodySerializer

    def get_queryset(self):
        bodies = Body.objects.order_by(Danish("name"), "pk")
        if self.action == "list":
            today = timezone.localdate()
            active = query_value(self.request, "active", serializers.BooleanField())
            kind = query_value(self.request, "kind", serializers.ChoiceField(BodyKind.choices))
            if active is True:
                bodies = bodies.active_on(today)
            elif active is False:
                bodies = bodies.filter(closed_on__lte=today)
            if kind is not None:
                bodies = bodies.filter(kind=kind)
        return bodies

    @extend_schema(
        responses=inline_serializer(
            "CompositionCheck",
            {
                "satisfied": serializers.BooleanField(),
                "mandate": serializers.IntegerField(allow_null=True),
                "rules": inline_serializer(
                    "CompositionRuleResult",
                    {
                        "rule": serializers.IntegerField(),
                        "description": serializers.CharField(),
                        "satisfied": serializers.BooleanField(),
                        "reason": serializers.CharField(),
                        "members": serializers.ListField(child=serializers.IntegerField()),
                    },
                    many=True,
                ),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def composition(self, request, pk=None):
        """Whether the body's members satisfy its current mandate's composition rules."""
        body = self.get_object()
        today = timezone.localdate()
        memberships = list(Membership.objects.filter(body=body).select_related("person"))
        check = services.check_composition(
            body, today, memberships, services.current_mandate(body, today)
        )
        return Response(
            {
                "satisfied": check.satisfied,
                "mandate": check.mandate.pk if check.mandate else None,
                "rules": [
                    {
                        "rule": r.rule.pk,
                        "description": r.rule.description,
                        "satisfied": r.satisfied,
                        "reason": r.reason,
                        "members": [m.person_id for m in r.matched],
                    }
                    for r in check.results
                ],
            }
        )


class MandateViewSet(TenantModelViewSet):
    """Versions of the bodies' mandates; a new one gets the body's next version number."""

    queryset = Mandate.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = MandateSerializer

    def get_queryset(self):
        return Mandate.objects.prefetch_related("rules").order_by("body", "-version", "pk")


class CompositionRuleViewSet(TenantModelViewSet):
    """The composition rules of mandates: who must sit in the body."""

    queryset = CompositionRule.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = CompositionRuleSerializer

    def get_queryset(self):
        return CompositionRule.objects.order_by("mandate", "position", "pk")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param("body", OpenApiTypes.INT, "Only the seats of this body."),
            query_param("person", OpenApiTypes.INT, "Only the seats of this person."),
            query_param(
                "current",
                OpenApiTypes.BOOL,
                "true: only the seats held today (as the body's page lists its members); "
                "false: only those ended or not begun.",
            ),
        ]
    )
)
class MembershipViewSet(TenantModelViewSet):
    """People's seats in bodies, with a role and a period."""

    queryset = Membership.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = MembershipSerializer

    def get_queryset(self):
        queryset = Membership.objects.order_by("body", "start", "pk")
        if self.action != "list":
            return queryset
        body = query_value(self.request, "body", id_field())
        person = query_value(self.request, "person", id_field())
        current = query_value(self.request, "current", serializers.BooleanField())
        if body is not None:
            queryset = queryset.filter(body_id=body)
        if person is not None:
            queryset = queryset.filter(person_id=person)
        if current is not None:
            held = held_on(timezone.localdate())
            queryset = queryset.filter(held) if current else queryset.exclude(held)
        return queryset


def register(router) -> None:
    """Add this app's viewsets to the project router (digistyr.api)."""
    router.register("orgunits", OrgUnitViewSet, basename="orgunit")
    router.register("persons", PersonViewSet, basename="person")
    router.register("bodies", BodyViewSet, basename="body")
    router.register("mandates", MandateViewSet, basename="mandate")
    router.register("composition-rules", CompositionRuleViewSet, basename="compositionrule")
    router.register("memberships", MembershipViewSet, basename="membership")
