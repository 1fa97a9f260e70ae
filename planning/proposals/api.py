"""The proposals API: needs and ideas, their assessment, and making one a project.

Everyone logged in to the municipality reads proposals; another municipality's proposal
answers 404, and naming another municipality's unit, body or person in a write 400. Who may
write is named in planning/rules.py:

- create: everyone who takes part (`planning.submit_proposal`: not read-only users);
- change: those who run planning, or the creator while the proposal is new
  (`planning.edit_proposal`); only those who run planning change the status
  (`planning.assess_proposal`; a rejection needs `status_note`); "project" is set by the
  `make-project` action (`planning.assess_proposal`), which creates the project (phase idea)
  and links it, once.

Proposals are not deleted (405): a rejected proposal keeps its reason on record. A write is
checked in this order: 401 without a login, 404 for a row the user cannot see, 403 when the
user may not write it, then 400 for bad input.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import (
    ModelCleanSerializer,
    StrictSerializer,
    TenantPagination,
    TenantViewSetMixin,
    query_param,
    query_value,
)
from core.permissions import has_perm
from meetings.serializers import ServiceErrors
from planning.models import Proposal, ProposalSource, ProposalStatus
from planning.proposals import services
from portfolio.models import Category
from portfolio.serializers import DATES


class ProposalSerializer(ModelCleanSerializer):
    """A need or an idea. `project` is the project it became (set by `make-project`);
    `plan_entries` the action plans' entries that refer to it."""

    serializer_field_mapping = DATES
    status = serializers.ChoiceField(
        choices=ProposalStatus.choices,
        required=False,
        help_text="Set by those who run planning; “project” only by `make-project`.",
    )
    plan_entries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "source",
            "body",
            "unit",
            "contact",
            "received_on",
            "description",
            "expected_benefit",
            "estimated_hours",
            "estimated_amount",
            "status",
            "status_note",
            "project",
            "plan_entries",
            "created_by",
        ]
        read_only_fields = ["project"]
        extra_kwargs = {
            "estimated_hours": {"max_value": services.MAX_HOURS},
            "estimated_amount": {"min_value": 0},
        }

    def get_created_by(self, proposal) -> str:
        user = proposal.created_by
        if user is None:
            return ""
        return user.get_full_name() or user.get_username()

    def validate(self, attrs):
        new_status = attrs.get("status")
        instance = self.instance
        current = instance.status if instance is not None else ProposalStatus.NEW
        if new_status is not None and new_status != current:
            request = self.context.get("request")
            user = getattr(request, "user", None)
            if not has_perm(user, "planning.assess_proposal", instance):
                raise PermissionDenied(
                    "Only those who run planning change the status of a proposal."
                )
        return super().validate(attrs)

    def create(self, validated_data):
        return self.update(Proposal(), validated_data)

    def update(self, proposal, validated_data):
        for name, value in validated_data.items():
            setattr(proposal, name, value)
        with ServiceErrors():
            return services.save_proposal(proposal)


class MakeProjectSerializer(StrictSerializer):
    """The project the proposal becomes: its category, and its name (the proposal's title
    when left out)."""

    category = serializers.ChoiceField(choices=Category.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param(
                "status",
                OpenApiTypes.STR,
                "Only proposals with this status.",
                enum=ProposalStatus.values,
            ),
            query_param(
                "source",
                OpenApiTypes.STR,
                "Only proposals reported by this kind of source.",
                enum=ProposalSource.values,
            ),
            query_param("unit", OpenApiTypes.INT, "Only proposals of this unit."),
        ]
    ),
    create=extend_schema(
        description="Report a proposal (everyone but read-only users). It starts as “new”.",
        responses={
            201: ProposalSerializer,
            400: OpenApiResponse(description="Bad input: the errors per field."),
            403: OpenApiResponse(description="Read-only users do not report proposals."),
        },
    ),
)
class ProposalViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Proposals, newest first: needs from the local digitalisation organisations and ideas
    from the innovation group (IOD), with the project each became and the plan entries that
    refer to it."""

    # A change is asked of the proposal once it is found (404 before 403), so every user of
    # the municipality gets past the gate before the lookup ("write"); a write the routes do
    # not take (delete) is then answered 405.
    permissions = {
        "write": "core.view",
        "object": "planning.edit_proposal",
        "create": "planning.submit_proposal",
        "make_project": "planning.assess_proposal",
    }
    pagination_class = TenantPagination
    queryset = Proposal.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ProposalSerializer

    def get_queryset(self):
        queryset = (
            Proposal.objects.select_related("created_by")
            .prefetch_related("plan_entries")
            .order_by("-received_on", "-pk")
        )
        if self.action != "list":
            return queryset
        request = self.request
        state = query_value(request, "status", serializers.ChoiceField(ProposalStatus.choices))
        source = query_value(request, "source", serializers.ChoiceField(ProposalSource.choices))
        unit = query_value(
            request, "unit", serializers.IntegerField(min_value=-(2**63), max_value=2**63 - 1)
        )
        if state is not None:
            queryset = queryset.filter(status=state)
        if source is not None:
            queryset = queryset.filter(source=source)
        if unit is not None:
            queryset = queryset.filter(unit_id=unit)
        return queryset

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    def perform_update(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(
        request=MakeProjectSerializer,
        responses={
            201: ProposalSerializer,
            400: OpenApiResponse(
                description="Bad input, or the proposal already became a project or was rejected."
            ),
            403: OpenApiResponse(description="Only those who run planning."),
        },
    )
    @action(detail=True, methods=["post"], url_path="make-project")
    def make_project(self, request, pk=None):
        """Make the proposal a project: phase idea, its name (the proposal's title unless
        given), purpose and owning unit from the proposal; the proposal is linked to it and
        its status becomes “project”. Once only."""
        proposal = self.get_object()  # 404 and 403 before the input is looked at
        wanted = MakeProjectSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        data = wanted.validated_data
        with ServiceErrors():
            services.make_project(proposal, category=data["category"], name=data.get("name", ""))
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(
            ProposalSerializer(proposal, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


def register(router) -> None:
    """Add this area's viewsets to the project router."""
    router.register("proposals", ProposalViewSet, basename="proposal")
