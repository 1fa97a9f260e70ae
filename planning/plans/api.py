"""REST API of the annual action plan: `annual-plans` (with the actions `recommend`,
`approve` and `reopen`), `plan-criteria`, `plan-entries` (with the action `progress`) and
`plan-scores`.

Everyone logged in to the municipality reads every plan; another municipality's rows answer
404 (the scoped managers), and an id of another municipality in a write is answered 400 like
an id that does not exist. Writes need `planning.change` (administrators and secretaries),
except an entry's progress, which its responsible person records too. Every write is saved by
the pages' functions (`planning.plans.services`): only a draft's plan, criteria, entries and
scores change; the weights must not add up to zero; a score is from 1 to 5; a rank set by
hand is a place in the plan and needs a reason; a plan is recommended and approved by a
meeting decision, and an approval over capacity needs a reason. A refused write answers 400
with the message and writes nothing.
"""

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import (
    ModelCleanSerializer,
    StrictSerializer,
    TenantModelViewSet,
    TenantPagination,
    TenantViewSetMixin,
    id_field,
    query_param,
    query_value,
)
from meetings.models import AgendaItem
from meetings.serializers import ServiceErrors
from planning.models import (
    SCORE_MAX,
    SCORE_MIN,
    AnnualPlan,
    Criterion,
    PlanEntry,
    PlanState,
    Progress,
    Score,
)
from planning.plans import services

CHANGE = "planning.change"


PLAN_PARAM = query_param("plan", OpenApiTypes.INT, "Only rows of this plan.")
WRITE_RESPONSES = {
    400: OpenApiResponse(
        description="Bad input, or the plan is no longer a draft: the errors per field."
    ),
    403: OpenApiResponse(description="Only those who run the plans (planning.change)."),
}


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _draft(plan: AnnualPlan) -> None:
    if plan is not None and plan.state != PlanState.DRAFT:
        raise ValidationError({"plan": [str(services.LOCKED)]})


def _changed(instance, validated_data: dict):
    """The row with the validated values set, for a service to save (no many-to-many
    fields here)."""
    for name, value in validated_data.items():
        setattr(instance, name, value)
    return instance


def _unchanged_plan(serializer, attrs: dict, field: str = "plan") -> None:
    instance = serializer.instance
    if instance is not None and field in attrs:
        if getattr(attrs[field], "pk", None) != getattr(instance, f"{field}_id"):
            raise ValidationError({field: [gettext_lazy("It cannot be moved to another plan.")]})


# --- Plans ---------------------------------------------------------------------------------------


class DecisionLinkSerializer(StrictSerializer):
    """A decision a plan points to, as much as the user may read: a closed item the user may
    not read has the title “a closed item” and no decision text."""

    id = serializers.IntegerField(source="item.pk")
    meeting = serializers.IntegerField(source="meeting.pk")
    heading = serializers.CharField()
    title = serializers.CharField()
    decision = serializers.CharField()
    readable = serializers.BooleanField()


class AnnualPlanSerializer(ModelCleanSerializer):
    """A plan with its capacity and what its entries are allocated. The state, the decisions
    and the reason for going over capacity change only through the actions."""

    copy_previous = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On create: copy the criteria and the unfinished entries of the latest "
        "plan before the year (else the six default criteria).",
    )
    entry_count = serializers.SerializerMethodField()
    hours_allocated = serializers.SerializerMethodField()
    amount_allocated = serializers.SerializerMethodField()
    over_capacity = serializers.SerializerMethodField()
    recommended_decision = serializers.SerializerMethodField()
    approved_decision = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "year",
            "title",
            "introduction",
            "state",
            "capacity_hours",
            "capacity_amount",
            "over_capacity_reason",
            "recommended_by",
            "approved_by",
            "recommended_decision",
            "approved_decision",
            "created_at",
            "entry_count",
            "hours_allocated",
            "amount_allocated",
            "over_capacity",
            "copy_previous",
        ]
        read_only_fields = [
            "state",
            "over_capacity_reason",
            "recommended_by",
            "approved_by",
            "created_at",
        ]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}
        validators = []  # the year's uniqueness is the model's constraint (full_clean)

    def _totals(self, plan) -> dict:
        if hasattr(plan, "_count"):
            return {"count": plan._count, "hours": plan._hours or 0, "amount": plan._amount or 0}
        totals = plan.entries.aggregate(count=Count("pk"), hours=Sum("hours"), amount=Sum("amount"))
        plan._count, plan._hours, plan._amount = (
            totals["count"],
            totals["hours"] or 0,
            totals["amount"] or 0,
        )
        return self._totals(plan)

    def get_entry_count(self, plan) -> int:
        return self._totals(plan)["count"]

    def get_hours_allocated(self, plan) -> int:
        return self._totals(plan)["hours"]

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_amount_allocated(self, plan):
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(
            self._totals(plan)["amount"]
        )

    def get_over_capacity(self, plan) -> bool:
        totals = self._totals(plan)
        return totals["hours"] > plan.capacity_hours or totals["amount"] > plan.capacity_amount

    @extend_schema_field(DecisionLinkSerializer(allow_null=True))
    def get_recommended_decision(self, plan):
        link = services.decision_link(_user(self), plan.recommended_by)
        return DecisionLinkSerializer(link).data if link else None

    @extend_schema_field(DecisionLinkSerializer(allow_null=True))
    def get_approved_decision(self, plan):
        link = services.decision_link(_user(self), plan.approved_by)
        return DecisionLinkSerializer(link).data if link else None

    def validate(self, attrs):
        copy = attrs.pop("copy_previous", False)
        if self.instance is not None:
            _draft(self.instance)
        year = attrs.get("year", getattr(self.instance, "year", None))
        title = attrs.get("title", getattr(self.instance, "title", ""))
        if year and not (title or "").strip():
            attrs["title"] = services.default_title(year)
        self.copy_from = None
        if copy and self.instance is None and year:
            with ServiceErrors():
                self.copy_from = services.plan_to_copy(year)
        return super().validate(attrs)

    def create(self, validated_data):
        plan = AnnualPlan(**validated_data)
        plan.municipality_id = _user(self).municipality_id
        with ServiceErrors():
            return services.create_plan(plan, copy_from=self.copy_from)

    def update(self, plan, validated_data):
        with ServiceErrors():
            return services.save_plan(_changed(plan, validated_data))


class RecommendSerializer(StrictSerializer):
    decision = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects,
        required=False,
        allow_null=True,
        help_text="The agenda item whose decision recommends the plan: an item with a "
        "decision in approved minutes that the user may read.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:  # (the schema is made without a request)
            self.fields["decision"].queryset = services.decisions(user)


class ApproveSerializer(RecommendSerializer):
    over_capacity_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Needed when the entries are allocated more hours or kroner than the plan has.",
    )


class ReopenSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=services.REASON_MAX, help_text="Recorded in the plan's history."
    )


PLAN_ACTION = {
    200: AnnualPlanSerializer,
    400: OpenApiResponse(description="Not allowed now, or bad input (the message says why)."),
    403: OpenApiResponse(description="Only those who run the plans (planning.change)."),
}


class PlanViewSetMixin:
    permissions = {"write": CHANGE}
    pagination_class = TenantPagination


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param("year", OpenApiTypes.INT, "Only the plan of this year."),
            query_param(
                "state", OpenApiTypes.STR, "Only plans in this state.", enum=PlanState.values
            ),
        ]
    ),
    create=extend_schema(
        description="Create a draft plan for a year, with the six default criteria (or, with "
        "`copy_previous`, the criteria and unfinished entries of the plan before).",
        responses={201: AnnualPlanSerializer, **WRITE_RESPONSES},
    ),
    update=extend_schema(responses={200: AnnualPlanSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: AnnualPlanSerializer, **WRITE_RESPONSES}),
)
class AnnualPlanViewSet(
    PlanViewSetMixin,
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Action plans, newest year first. A draft is changed; the state moves through the
    actions `recommend`, `approve` and `reopen`. Plans are not deleted."""

    queryset = AnnualPlan.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AnnualPlanSerializer

    def get_queryset(self):
        queryset = (
            AnnualPlan.objects.select_related(
                "recommended_by__meeting__body", "approved_by__meeting__body"
            )
            .annotate(
                _count=Count("entries"),
                _hours=Sum("entries__hours"),
                _amount=Sum("entries__amount"),
            )
            .order_by("-year", "pk")
        )
        if self.action != "list":
            return queryset
        year = query_value(
            self.request, "year", serializers.IntegerField(min_value=0, max_value=32767)
        )
        state = query_value(self.request, "state", serializers.ChoiceField(PlanState.choices))
        if year is not None:
            queryset = queryset.filter(year=year)
        if state is not None:
            queryset = queryset.filter(state=state)
        return queryset

    def _answer(self, plan):
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(AnnualPlanSerializer(plan, context=self.get_serializer_context()).data)

    def perform_update(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(request=RecommendSerializer, responses=PLAN_ACTION)
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        """Draft → recommended by the programme group, pointing to its decision."""
        plan = self.get_object()  # 404 and 403 before the input is looked at
        data = RecommendSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with ServiceErrors():
            plan = services.recommend(plan, data.validated_data.get("decision"), request.user)
        return self._answer(plan)

    @extend_schema(request=ApproveSerializer, responses=PLAN_ACTION)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Recommended → approved by the steering group, pointing to its decision. An
        allocation over the capacity needs `over_capacity_reason`."""
        plan = self.get_object()
        data = ApproveSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with ServiceErrors():
            plan = services.approve(
                plan, values.get("decision"), values.get("over_capacity_reason", ""), request.user
            )
        return self._answer(plan)

    @extend_schema(request=ReopenSerializer, responses=PLAN_ACTION)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Back to draft, with the reason recorded in the plan's history."""
        plan = self.get_object()
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with ServiceErrors():
            plan = services.reopen(plan, data.validated_data["reason"], request.user)
        return self._answer(plan)


# --- Criteria ------------------------------------------------------------------------------------


class CriterionSerializer(ModelCleanSerializer):
    """A criterion of a draft plan with its weight (0–100). The weights of a plan must not add
    up to zero."""

    class Meta:
        model = Criterion
        fields = ["id", "plan", "name", "description", "weight", "lower_is_better", "position"]

    def validate(self, attrs):
        _unchanged_plan(self, attrs)
        _draft(attrs.get("plan") or getattr(self.instance, "plan", None))
        return super().validate(attrs)

    def create(self, validated_data):
        return self.update(Criterion(), validated_data)

    def update(self, criterion, validated_data):
        criterion = _changed(criterion, validated_data)
        with ServiceErrors():
            services.save_criteria(criterion.plan, saved=[criterion])
        return criterion


@extend_schema_view(
    list=extend_schema(parameters=[PLAN_PARAM]),
    create=extend_schema(responses={201: CriterionSerializer, **WRITE_RESPONSES}),
    update=extend_schema(responses={200: CriterionSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: CriterionSerializer, **WRITE_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_RESPONSES}),
)
class CriterionViewSet(PlanViewSetMixin, TenantModelViewSet):
    """The criteria of the plans, in their order."""

    queryset = Criterion.objects.none()
    serializer_class = CriterionSerializer

    def get_queryset(self):
        queryset = Criterion.objects.order_by("plan", "position", "pk")
        if self.action == "list":
            plan = query_value(self.request, "plan", id_field())
            if plan is not None:
                queryset = queryset.filter(plan_id=plan)
        return queryset

    def perform_destroy(self, criterion):
        _draft(criterion.plan)
        with ServiceErrors():
            services.save_criteria(criterion.plan, deleted=[criterion])


# --- Entries -------------------------------------------------------------------------------------


class PlanEntrySerializer(ModelCleanSerializer):
    """An effort of a plan with its computed weighted score and rank. The progress changes
    through the action `progress`; everything else only while the plan is a draft."""

    rank = serializers.SerializerMethodField()
    computed_rank = serializers.SerializerMethodField()
    weighted_score = serializers.SerializerMethodField()
    fully_scored = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta:
        model = PlanEntry
        fields = [
            "id",
            "plan",
            "title",
            "description",
            "project",
            "proposal",
            "responsible",
            "unit",
            "hours",
            "amount",
            "rank_override",
            "rank_reason",
            "rank",
            "computed_rank",
            "weighted_score",
            "fully_scored",
            "scores",
            "progress",
            "progress_note",
            "progress_updated_on",
            "position",
        ]
        read_only_fields = ["progress", "progress_note", "progress_updated_on"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}

    def _ranked(self, entry) -> "services.Ranked | None":
        found = self.context.get("rankings")
        if found is None or entry.plan_id not in found:
            found = services.rankings([entry.plan_id])
            self.context["rankings"] = {**self.context.get("rankings", {}), **found}
        return found[entry.plan_id][1].get(entry.pk)

    def get_rank(self, entry) -> int | None:
        ranked = self._ranked(entry)
        return ranked.rank if ranked else None

    def get_computed_rank(self, entry) -> int | None:
        ranked = self._ranked(entry)
        return ranked.computed_rank if ranked else None

    @extend_schema_field(serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True))
    def get_weighted_score(self, entry):
        ranked = self._ranked(entry)
        if ranked is None or ranked.score is None:
            return None
        return f"{ranked.score:.2f}"

    def get_fully_scored(self, entry) -> bool:
        ranked = self._ranked(entry)
        return bool(ranked and ranked.complete)

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_scores(self, entry):
        """{criterion id: score} of the criteria the entry is scored on."""
        ranked = self._ranked(entry)
        if ranked is None:
            return {}
        criteria = self.context["rankings"][entry.plan_id][0]
        return {
            str(c.pk): value
            for c, value in zip(criteria, ranked.values, strict=True)
            if value is not None
        }

    def validate(self, attrs):
        _unchanged_plan(self, attrs)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        _draft(plan)
        title = attrs.get("title", getattr(self.instance, "title", ""))
        if not (title or "").strip():
            with ServiceErrors():
                attrs["title"] = services.entry_title(
                    title,
                    attrs.get("project", getattr(self.instance, "project", None)),
                    attrs.get("proposal", getattr(self.instance, "proposal", None)),
                )
        return super().validate(attrs)

    def create(self, validated_data):
        position = validated_data.pop("position", None)
        entry = _changed(PlanEntry(), validated_data)
        with ServiceErrors():
            return services.save_entry(
                entry, position=position, rank_set="rank_override" in validated_data
            )

    def update(self, entry, validated_data):
        with ServiceErrors():
            return services.save_entry(
                _changed(entry, validated_data), rank_set="rank_override" in validated_data
            )


class ProgressSerializer(StrictSerializer):
    progress = serializers.ChoiceField(choices=Progress.choices)
    progress_note = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    progress_updated_on = serializers.DateField(
        required=False, help_text="As of which day; today when left out."
    )


@extend_schema_view(
    list=extend_schema(parameters=[PLAN_PARAM]),
    create=extend_schema(responses={201: PlanEntrySerializer, **WRITE_RESPONSES}),
    update=extend_schema(responses={200: PlanEntrySerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: PlanEntrySerializer, **WRITE_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_RESPONSES}),
)
class PlanEntryViewSet(PlanViewSetMixin, TenantModelViewSet):
    """The entries of the plans, in their plan's order, each with its computed rank."""

    # Writes need planning.change; the action `progress` planning.follow, asked of the
    # entry once it is found (404 before 403), which the entry's responsible person has too.
    permissions = {"write": CHANGE, "progress": "planning.follow"}
    queryset = PlanEntry.objects.none()
    serializer_class = PlanEntrySerializer

    def get_queryset(self):
        queryset = PlanEntry.objects.order_by("plan", "position", "pk")
        if self.action == "list":
            plan = query_value(self.request, "plan", id_field())
            if plan is not None:
                queryset = queryset.filter(plan_id=plan)
        return queryset

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = {
            **self.get_serializer_context(),
            "rankings": services.rankings({entry.plan_id for entry in page}),
        }
        return self.get_paginated_response(
            PlanEntrySerializer(page, many=True, context=context).data
        )

    def perform_destroy(self, entry):
        _draft(entry.plan)
        with ServiceErrors():
            services.delete_entry(entry)

    @extend_schema(
        request=ProgressSerializer,
        responses={
            200: PlanEntrySerializer,
            400: OpenApiResponse(description="Bad input."),
            403: OpenApiResponse(
                description="Only those who run the plans and the entry's responsible person."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Record the entry's progress during the year (in any state of the plan)."""
        entry = self.get_object()  # 404, then 403 without planning.follow
        data = ProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with ServiceErrors():
            entry = services.update_progress(
                entry,
                values["progress"],
                values.get("progress_note", ""),
                values.get("progress_updated_on"),
            )
        return Response(PlanEntrySerializer(entry, context=self.get_serializer_context()).data)


# --- Scores --------------------------------------------------------------------------------------


class ScoreSerializer(ModelCleanSerializer):
    """An entry's score on a criterion of the same draft plan, from 1 to 5."""

    value = serializers.IntegerField(
        min_value=-(2**31),
        max_value=2**31 - 1,
        help_text=f"From {SCORE_MIN} to {SCORE_MAX}.",
    )

    class Meta:
        model = Score
        fields = ["id", "entry", "criterion", "value"]

    def validate(self, attrs):
        instance = self.instance
        entry = attrs.get("entry", getattr(instance, "entry", None))
        criterion = attrs.get("criterion", getattr(instance, "criterion", None))
        if instance is not None and (
            entry.pk != instance.entry_id or criterion.pk != instance.criterion_id
        ):
            raise ValidationError([_("A score stays with its entry and criterion.")])
        if entry.plan_id != criterion.plan_id:
            raise ValidationError({"criterion": [_("The criterion belongs to another plan.")]})
        _draft(entry.plan)
        value = attrs.get("value", getattr(instance, "value", None))
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationError({"value": [services.score_error(entry, criterion)]})
        return super().validate(attrs)

    def create(self, validated_data):
        entry, criterion = validated_data["entry"], validated_data["criterion"]
        with ServiceErrors():
            services.save_scores(entry.plan, {(entry.pk, criterion.pk): validated_data["value"]})
        return Score.objects.get(entry=entry, criterion=criterion)

    def update(self, score, validated_data):
        score.value = validated_data.get("value", score.value)
        with ServiceErrors():
            services.save_scores(
                score.entry.plan, {(score.entry_id, score.criterion_id): score.value}
            )
        return score


@extend_schema_view(
    list=extend_schema(
        parameters=[
            PLAN_PARAM,
            query_param("entry", OpenApiTypes.INT, "Only the scores of this entry."),
        ]
    ),
    create=extend_schema(responses={201: ScoreSerializer, **WRITE_RESPONSES}),
    update=extend_schema(responses={200: ScoreSerializer, **WRITE_RESPONSES}),
    partial_update=extend_schema(responses={200: ScoreSerializer, **WRITE_RESPONSES}),
    destroy=extend_schema(responses={204: None, **WRITE_RESPONSES}),
)
class ScoreViewSet(PlanViewSetMixin, TenantModelViewSet):
    """The scores of the plans' entries."""

    queryset = Score.objects.none()
    serializer_class = ScoreSerializer

    def get_queryset(self):
        queryset = Score.objects.select_related("entry__plan", "criterion").order_by(
            "entry__plan", "entry__position", "entry", "criterion__position", "criterion"
        )
        if self.action == "list":
            plan = query_value(self.request, "plan", id_field())
            entry = query_value(self.request, "entry", id_field())
            if plan is not None:
                queryset = queryset.filter(entry__plan_id=plan)
            if entry is not None:
                queryset = queryset.filter(entry_id=entry)
        return queryset

    def perform_destroy(self, score):
        _draft(score.entry.plan)
        with ServiceErrors():
            services.save_scores(score.entry.plan, {(score.entry_id, score.criterion_id): None})


def register(router) -> None:
    """Add this area's viewsets to the project router."""
    router.register("annual-plans", AnnualPlanViewSet, basename="annualplan")
    router.register("plan-criteria", CriterionViewSet, basename="plancriterion")
    router.register("plan-entries", PlanEntryViewSet, basename="planentry")
    router.register("plan-scores", ScoreViewSet, basename="planscore")
