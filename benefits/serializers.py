"""Serializers of the benefits API: benefits with their planned realisation, measurements.

The rules are the models' (`clean`, run by `ModelCleanSerializer`); the numbers are
`benefits.services`' (planned against realised per year, flags, the next measurement due),
computed from the prefetched rows of `benefit_queryset`. A benefit's plans are written with
it, in one transaction (`services.save_benefit`, as the page does): all of them or none.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from benefits import services
from benefits.models import Benefit, BenefitMeasurement, BenefitPlan
from core.api import ModelCleanSerializer, StrictModelSerializer, StrictSerializer
from portfolio.serializers import DATES, unchanged_project

FLAGS = [services.FLAG_NO_OWNER, services.FLAG_NO_TARGET, services.FLAG_OVERDUE]


def _amount(**kwargs) -> serializers.DecimalField:
    """A computed amount: sums are not bound by the columns' digits."""
    return serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True, **kwargs)


class BenefitPlanSerializer(StrictModelSerializer):
    """The realisation planned for one year, in the benefit's unit."""

    class Meta:
        model = BenefitPlan
        fields = ["year", "planned"]

    def validate(self, attrs):
        # Also in a PATCH of the benefit (DRF would skip a missing field there): a plan
        # replaces the stored ones, so it is given whole.
        missing = [name for name in self.Meta.fields if name not in attrs]
        if missing:
            message = self.fields[missing[0]].error_messages["required"]
            raise ValidationError({name: [message] for name in missing})
        return attrs


class YearSerializer(StrictSerializer):
    """Planned against realised in one year; `share` is realised in whole percent of planned."""

    year = serializers.IntegerField(read_only=True)
    planned = _amount(allow_null=True)
    realised = _amount(allow_null=True)
    share = serializers.IntegerField(read_only=True, allow_null=True)


class BenefitSerializer(ModelCleanSerializer):
    """A benefit of a project: type, unit, baseline and target, how and how often it is
    measured, the responsible leader and the realisation planned per year (`plans`).

    `plans`, when given, replaces all of the benefit's plans (at most one per year); a
    change without it keeps them. Read-only: `years` (planned against realised per year),
    `flags` (no responsible leader, no target, a measurement overdue), the latest
    measurement and when the next one is due. The project is fixed once created.
    """

    serializer_field_mapping = DATES
    plans = BenefitPlanSerializer(many=True, required=False)
    years = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    last_measured = serializers.SerializerMethodField()
    last_value = serializers.SerializerMethodField()
    next_due = serializers.SerializerMethodField()
    planned_total = serializers.SerializerMethodField()
    realised_total = serializers.SerializerMethodField()

    class Meta:
        model = Benefit
        fields = [
            "id",
            "project",
            "title",
            "description",
            "type",
            "unit",
            "accumulates",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "measurement_method",
            "frequency",
            "responsible",
            "first_due",
            "plans",
            "years",
            "flags",
            "last_measured",
            "last_value",
            "next_due",
            "planned_total",
            "realised_total",
        ]

    def validate_plans(self, plans):
        seen = set()
        for plan in plans:
            if plan["year"] in seen:
                raise ValidationError(
                    _("%(year)s is planned twice: give each year once.") % {"year": plan["year"]}
                )
            seen.add(plan["year"])
        return plans

    def validate_unit(self, unit):
        benefit = self.instance if self.instance is not None else Benefit()
        return services.benefit_unit(benefit, unit)

    def validate(self, attrs):
        unchanged_project(self, attrs)
        plans = attrs.pop("plans", None)
        attrs = super().validate(attrs)
        if plans is not None:
            attrs["plans"] = plans
        return attrs

    def create(self, validated_data):
        plans = validated_data.pop("plans", [])
        return _fresh(services.save_benefit(Benefit(**validated_data), _by_year(plans)))

    def update(self, benefit, validated_data):
        plans = validated_data.pop("plans", None)
        for name, value in validated_data.items():
            setattr(benefit, name, value)
        return _fresh(services.save_benefit(benefit, _by_year(plans)))

    # --- the summary ---

    def _summary(self, benefit) -> services.BenefitSummary:
        if getattr(benefit, "_api_summary", None) is None:
            benefit._api_summary = services.summarise(benefit)
        return benefit._api_summary

    @extend_schema_field(YearSerializer(many=True))
    def get_years(self, benefit):
        # One year serializer for the page's rows, not one built per benefit.
        if self._year_serializer is None:
            self._year_serializer = YearSerializer(context=self.context)
        year = self._year_serializer
        return [year.to_representation(row) for row in self._summary(benefit).rows]

    _year_serializer: YearSerializer | None = None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(FLAGS)))
    def get_flags(self, benefit):
        return list(self._summary(benefit).flags)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_last_measured(self, benefit):
        return _date(self._summary(benefit).last_measured)

    @extend_schema_field(_amount(allow_null=True))
    def get_last_value(self, benefit):
        return _money(self._summary(benefit).last_value)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_due(self, benefit):
        return _date(self._summary(benefit).due)

    @extend_schema_field(_amount())
    def get_planned_total(self, benefit):
        return _money(self._summary(benefit).planned_total)

    @extend_schema_field(_amount())
    def get_realised_total(self, benefit):
        return _money(self._summary(benefit).realised_total)


def _date(value):
    return None if value is None else serializers.DateField().to_representation(value)


def _money(value):
    return None if value is None else _amount().to_representation(value)


def _by_year(plans: list[dict] | None) -> dict | None:
    """The validated plans as `services.save_benefit` takes them: {year: planned}."""
    return None if plans is None else {plan["year"]: plan["planned"] for plan in plans}


def _fresh(benefit: Benefit) -> Benefit:
    """The benefit as stored, with what its summary needs."""
    return services.benefit_queryset(Benefit.objects.filter(pk=benefit.pk)).get()


class BenefitMeasurementSerializer(ModelCleanSerializer):
    """A measurement of a benefit: what was realised, on a date, in the benefit's unit
    (`unit` defaults to it). A measurement is a record: it is not changed."""

    serializer_field_mapping = DATES

    class Meta:
        model = BenefitMeasurement
        fields = ["id", "benefit", "measured_on", "value", "unit", "note", "recorded_by"]
        read_only_fields = ["recorded_by"]
        extra_kwargs = {
            "unit": {"required": False, "help_text": "The benefit's unit; it is the default."}
        }

    def validate(self, attrs):
        benefit = attrs.get("benefit")
        if benefit is not None:
            attrs["unit"] = services.measurement_unit(benefit, attrs.get("unit", benefit.unit))
        return super().validate(attrs)

    def create(self, validated_data):
        request = self.context.get("request")
        return services.record_measurement(
            BenefitMeasurement(**validated_data), getattr(request, "user", None)
        )
