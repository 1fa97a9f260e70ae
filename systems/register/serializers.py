"""Serializers of the register's API: suppliers, systems, the municipality's use of them
(with a summary of their contracts, agreements and assessments), their projects, contracts,
data-processing agreements with their supervisions, and assessments.

Every write runs the model's own `clean()` (`ModelCleanSerializer`), so the API refuses what
the pages refuse, in the same (Danish) words. A row read from KITOS keeps the fields KITOS
owns (`systems.kitos.owned.kitos_owned_fields`): a write that changes one of them is refused (400, naming the field);
its other fields are the municipality's own and written as usual.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import DATES, ModelCleanSerializer, StrictSerializer
from core.dates import add_months
from systems.kitos.owned import kitos_owned_fields
from systems.models import (
    Assessment,
    AssessmentKind,
    Contract,
    DataProcessingAgreement,
    PersonalData,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)

KITOS_ROW_FIELDS = ["kitos_uuid", "kitos_synced_at", "from_kitos"]

# Intervals and notice periods in months: at most ten years, so that the dates computed from
# them (the last notice date, the next assessment or supervision due) are still dates.
MONTHS = {"min_value": 1, "max_value": 120}


def _stored(row, name: str):
    """The stored value of a field of `row`, comparable to a written one (`_written`)."""
    field = row._meta.get_field(name)
    if field.many_to_many:
        return {related.pk for related in getattr(row, name).all()}
    if field.is_relation:
        return getattr(row, field.attname)
    value = getattr(row, name)
    return set(value) if isinstance(value, list) else value


def _written(row, name: str, value):
    field = row._meta.get_field(name)
    if field.many_to_many:
        return {related.pk for related in value}
    if field.is_relation:
        return None if value is None else value.pk
    return set(value) if isinstance(value, list) else value


def kitos_changes(row, attrs: dict) -> list[str]:
    """The fields KITOS owns (`kitos_owned_fields`) that a write to `row` would change; none
    unless the row was read from KITOS. Writing a field's stored value again is no change (a
    PUT sends them all)."""
    if not getattr(row, "kitos_uuid", None):
        return []
    return [
        name
        for name in kitos_owned_fields(row)
        if name in attrs and _written(row, name, attrs[name]) != _stored(row, name)
    ]


class RegisterSerializer(ModelCleanSerializer):
    """The base of the register's serializers: bounded dates, and the fields KITOS owns
    read-only on a row read from KITOS (`systems.kitos.owned.kitos_owned_fields`)."""

    serializer_field_mapping = DATES

    def validate(self, attrs):
        if self.instance is not None:
            changed = kitos_changes(self.instance, attrs)
            if changed:
                message = _("It comes from KITOS: change it there.")
                raise serializers.ValidationError({name: [message] for name in changed})
        return super().validate(attrs)


class KitosRowSerializer(RegisterSerializer):
    """A row that may come from KITOS: its uuid there and when it was last read."""

    from_kitos = serializers.BooleanField(
        read_only=True,
        help_text="Read from KITOS: the fields KITOS owns are changed there, not here.",
    )


# --- Suppliers and systems -------------------------------------------------------------------


class SupplierSerializer(KitosRowSerializer):
    """A supplier (or data processor) of IT systems."""

    class Meta:
        model = Supplier
        fields = ["id", "name", "cvr", "country", *KITOS_ROW_FIELDS]


class SystemSerializer(KitosRowSerializer):
    """An IT system of the catalogue (KITOS's or a local one)."""

    class Meta:
        model = System
        fields = ["id", "name", "description", "supplier", "national", *KITOS_ROW_FIELDS]


# --- Summaries of a usage's contracts, agreements and assessments ------------------------------


class ContractSummarySerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    end = serializers.DateField(allow_null=True)
    last_notice_date = serializers.DateField(
        allow_null=True, help_text="The last day to give notice for it to end on its end date."
    )


class AgreementSummarySerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    processor = serializers.IntegerField(source="processor_id", allow_null=True)
    last_supervision = serializers.DateField(
        allow_null=True, help_text="When the processor was last supervised."
    )
    supervision_due = serializers.DateField(
        allow_null=True,
        help_text="When the next supervision is due: the agreement's interval after the "
        "last one (or after it was concluded); null without an interval or either date.",
    )


class LatestAssessmentSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(AssessmentKind.choices)
    done_on = serializers.DateField()
    outcome = serializers.CharField()
    due = serializers.DateField(allow_null=True, help_text="When the next one is due.")


# --- The register ------------------------------------------------------------------------------


class SystemUsageSerializer(KitosRowSerializer):
    """A system as the municipality uses it: one row of the register, with its contracts,
    data-processing agreements and the latest assessment of each kind (read-only; they are
    written through their own endpoints)."""

    name = serializers.CharField(read_only=True, help_text="The local name or the system's.")
    personal_data = serializers.ListField(
        child=serializers.ChoiceField(PersonalData.choices),
        required=False,
        help_text="The kinds of personal data it holds; none when empty.",
    )
    contracts = serializers.SerializerMethodField()
    agreements = serializers.SerializerMethodField()
    assessments = serializers.SerializerMethodField()

    class Meta:
        model = SystemUsage
        fields = [
            "id",
            "system",
            "name",
            "local_name",
            "purpose",
            "owner",
            "responsible_unit",
            "body",
            "criticality",
            "personal_data",
            "hosting",
            "lifecycle",
            "annual_cost",
            "risk_assessment_months",
            "kle_codes",
            "note",
            *KITOS_ROW_FIELDS,
            "contracts",
            "agreements",
            "assessments",
        ]
        extra_kwargs = {"risk_assessment_months": MONTHS}

    def validate_personal_data(self, kinds):
        return list(dict.fromkeys(kinds))  # each kind once, in the order given

    @extend_schema_field(ContractSummarySerializer(many=True))
    def get_contracts(self, usage) -> list:
        return ContractSummarySerializer(usage.contracts.all(), many=True).data

    @extend_schema_field(AgreementSummarySerializer(many=True))
    def get_agreements(self, usage) -> list:
        rows = []
        for agreement in usage.agreements.all():
            last = next(iter(agreement.supervisions.all()), None)
            rows.append(
                {
                    "id": agreement.pk,
                    "name": agreement.name,
                    "processor_id": agreement.processor_id,
                    "last_supervision": last.done_on if last else None,
                    "supervision_due": supervision_due(agreement, last),
                }
            )
        return AgreementSummarySerializer(rows, many=True).data

    @extend_schema_field(LatestAssessmentSerializer(many=True))
    def get_assessments(self, usage) -> list:
        """The latest assessment of each kind (the prefetch orders them newest first)."""
        latest: dict = {}
        for assessment in usage.assessments.all():
            latest.setdefault(assessment.kind, assessment)
        return LatestAssessmentSerializer(latest.values(), many=True).data


def supervision_due(agreement, last):
    """When the processor is next to be supervised: the interval after the last supervision
    (or after the agreement was concluded); None without an interval or either date."""
    since = last.done_on if last is not None else agreement.concluded_on
    if since is None or not agreement.supervision_months:
        return None
    return add_months(since, agreement.supervision_months)


class SystemProjectSerializer(RegisterSerializer):
    """A project that changes a system, and what it does to it."""

    class Meta:
        model = SystemProject
        fields = ["id", "usage", "project", "effect", "note"]


# --- Contracts and data processing ---------------------------------------------------------------


class ContractSerializer(KitosRowSerializer):
    """A contract about systems with a supplier. `last_notice_date` is the last day notice
    can be given for it to end on its end date."""

    last_notice_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The end date less the notice period; null without either.",
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "name",
            "usages",
            "supplier",
            "start",
            "end",
            "notice_months",
            "last_notice_date",
            "value",
            "note",
            *KITOS_ROW_FIELDS,
        ]
        extra_kwargs = {"notice_months": {**MONTHS, "min_value": 0}}


class DataProcessingAgreementSerializer(KitosRowSerializer):
    """A data-processing agreement with a processor. A transfer to a third country needs
    its legal basis (`transfer_basis`)."""

    class Meta:
        model = DataProcessingAgreement
        fields = [
            "id",
            "name",
            "usages",
            "processor",
            "sub_processors",
            "concluded_on",
            "third_countries",
            "transfer_basis",
            "supervision_months",
            "note",
            *KITOS_ROW_FIELDS,
        ]
        extra_kwargs = {"supervision_months": MONTHS}


class SupervisionSerializer(RegisterSerializer):
    """A supervision of a data processor under an agreement; not dated in the future."""

    class Meta:
        model = Supervision
        fields = ["id", "agreement", "done_on", "method", "outcome", "note", "recorded_by"]
        read_only_fields = ["recorded_by"]


class AssessmentSerializer(RegisterSerializer):
    """A risk assessment, impact assessment (DPIA) or yearly review of a system. `due` is
    when the next one of its kind is due (`next_due`, or for a risk assessment the system's
    interval after this one). The document is uploaded on the page; here its address."""

    due = serializers.DateField(
        read_only=True, allow_null=True, help_text="When the next one of its kind is due."
    )
    document = serializers.FileField(
        read_only=True, allow_null=True, use_url=True, help_text="The document's address."
    )
    from_kitos = serializers.BooleanField(read_only=True, help_text="Read from KITOS.")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "usage",
            "kind",
            "done_on",
            "outcome",
            "next_due",
            "due",
            "summary",
            "document",
            "recorded_by",
            "from_kitos",
        ]
        read_only_fields = ["recorded_by"]
