"""Serializers of the strategy API: strategies, their goals and the two shared catalogues.

The rules are the models' (`clean`, run by `ModelCleanSerializer`). What is added here: the
strategy a goal belongs to is fixed once it is created, the uploaded document is read as the
address of its download (upload it on the strategy's page), and the catalogues count the
municipality's own projects only.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from core.api import DATES, ModelCleanSerializer, StrictModelSerializer
from strategy import services
from strategy.models import SDG, FocusArea, Goal, Strategy

SMALL_MAX = services.MAX_POSITION  # the largest PositiveSmallIntegerField on every database


class GoalSummarySerializer(StrictModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "number", "title", "position"]
        read_only_fields = fields


class StrategySerializer(ModelCleanSerializer):
    """A strategy for a period, with its goals in order. `document` is the address of the
    uploaded document's download, or null; `document_url` a link to where it is published."""

    serializer_field_mapping = DATES
    period = serializers.CharField(read_only=True)
    is_current = serializers.SerializerMethodField(
        help_text="Does this year lie in the strategy's period?"
    )
    document = serializers.SerializerMethodField()
    goals = GoalSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "title",
            "start_year",
            "end_year",
            "period",
            "is_current",
            "vision",
            "approved_by",
            "approved_on",
            "document",
            "document_url",
            "goals",
        ]

    def get_is_current(self, strategy) -> bool:
        return strategy.is_current(timezone.localdate().year)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_document(self, strategy):
        if not strategy.document:
            return None
        return reverse("strategy:strategy_document", args=[strategy.pk])


class GoalSerializer(ModelCleanSerializer):
    """A goal of a strategy, with the ids of the municipality's projects that serve it."""

    strategy = serializers.PrimaryKeyRelatedField(queryset=Strategy.objects)
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "strategy", "number", "title", "description", "position", "projects"]
        extra_kwargs = {"position": {"min_value": 0, "max_value": SMALL_MAX}}

    def validate(self, attrs):
        instance = self.instance
        if (
            instance is not None
            and "strategy" in attrs
            and attrs["strategy"].pk != instance.strategy_id
        ):
            raise ValidationError({"strategy": [_("A goal cannot be moved to another strategy.")]})
        if instance is None and "position" not in attrs and attrs.get("strategy") is not None:
            # Left out: after the strategy's last goal, as the page proposes.
            attrs["position"] = services.next_goal_position(attrs["strategy"])
        return super().validate(attrs)


class CatalogueCount(serializers.IntegerField):
    """A count of the municipality's projects linked to a catalogue row, read from the
    `link_counts` the view puts in the context ({row id: (linked, active)}), computed once per
    request (`strategy.services.link_counts`)."""

    def __init__(self, *, active: bool, **kwargs):
        self.active = active
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, value):
        linked, active = self.context["link_counts"].get(value.pk, (0, 0))
        return active if self.active else linked


class FocusAreaSerializer(StrictModelSerializer):
    """A focus area of the joint municipal digitalisation strategy (shared by every
    municipality), with the number of the municipality's projects linked to it."""

    project_count = CatalogueCount(
        active=False, help_text="The municipality's projects linked to it."
    )
    active_count = CatalogueCount(
        active=True, help_text="Of those, the projects that are not closed."
    )

    class Meta:
        model = FocusArea
        fields = ["id", "number", "name", "description", "source", "project_count", "active_count"]
        read_only_fields = fields


class SDGSerializer(StrictModelSerializer):
    """One of the UN's 17 Sustainable Development Goals (shared), with the number of the
    municipality's projects linked to it."""

    project_count = CatalogueCount(
        active=False, help_text="The municipality's projects linked to it."
    )
    active_count = CatalogueCount(
        active=True, help_text="Of those, the projects that are not closed."
    )

    class Meta:
        model = SDG
        fields = ["id", "number", "name", "name_en", "project_count", "active_count"]
        read_only_fields = fields
