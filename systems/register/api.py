"""REST API of the register of IT systems.

- `suppliers`, `systems`: the catalogue of systems and who makes or runs them.
- `system-usages`: the register itself, the municipality's use of a system, filtered as the
  register's page filters (`q`, `criticality`, `lifecycle`, `personal_data`, `body`, `unit`,
  `owner`, `hosting`); each row with a read-only summary of its contracts (their last notice
  date), its data-processing agreements (when the processor is next to be supervised) and
  the latest assessment of each kind (when the next is due).
- `system-projects`: the projects that change a system.
- `contracts` (with the read-only `last_notice_date`), `data-processing-agreements` and their
  `supervisions`, and `assessments` (the document is uploaded on the page; here its address).

Everyone of the municipality reads the register (`core.view`); those who keep it write
(`systems.change`: administrators, the data protection officer, the IT security group and
the secretaries); a refusal (403) names the permission. Another municipality's rows answer
404, and naming one in a write is 400 like a row that does not exist. Every write runs the
model's validation, answered in Danish per field. A row read from KITOS keeps the fields
KITOS owns (a change to one is 400, naming it; `systems.kitos.owned`) and is removed in
KITOS, not here (409).
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from core.api import TenantModelViewSet, id_field, query_param, query_value
from core.collation import Danish
from systems.models import (
    Assessment,
    AssessmentKind,
    Contract,
    Criticality,
    DataProcessingAgreement,
    Hosting,
    Lifecycle,
    PersonalData,
    Supervision,
    Supplier,
    System,
    SystemProject,
    SystemUsage,
)
from systems.register.serializers import (
    AssessmentSerializer,
    ContractSerializer,
    DataProcessingAgreementSerializer,
    SupervisionSerializer,
    SupplierSerializer,
    SystemProjectSerializer,
    SystemSerializer,
    SystemUsageSerializer,
)

WRITE = {"write": "systems.change"}


class FromKitos(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("It comes from KITOS: remove it there.")
    default_code = "from_kitos"


class RegisterViewSet(TenantModelViewSet):
    """A viewset of the register: kept by `systems.change`; a row read from KITOS is not
    deleted here (409)."""

    permissions = WRITE

    def perform_destroy(self, instance):
        if getattr(instance, "kitos_uuid", None):
            raise FromKitos()
        super().perform_destroy(instance)


def _id(request, name):
    return query_value(request, name, id_field())


def _text(request):
    return query_value(request, "q", serializers.CharField(max_length=200))


def _choice(request, name, choices):
    return query_value(request, name, serializers.ChoiceField(choices))


Q_PARAM = query_param("q", OpenApiTypes.STR, "Only rows whose name holds this text.")
USAGE_PARAM = query_param("usage", OpenApiTypes.INT, "Only rows of this system usage.")


# --- Suppliers and systems -------------------------------------------------------------------


@extend_schema_view(list=extend_schema(parameters=[Q_PARAM]))
class SupplierViewSet(RegisterViewSet):
    """Suppliers of IT systems, and data processors."""

    queryset = Supplier.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = SupplierSerializer

    def get_queryset(self):
        queryset = Supplier.objects.order_by(Danish("name"), "pk")
        if self.action == "list":
            text = _text(self.request)
            if text is not None:
                queryset = queryset.filter(name__icontains=text)
        return queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_PARAM,
            query_param("supplier", OpenApiTypes.INT, "Only systems of this supplier."),
        ]
    )
)
class SystemViewSet(RegisterViewSet):
    """IT systems: entries of KITOS's national catalogue, or local ones."""

    queryset = System.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = SystemSerializer

    def get_queryset(self):
        queryset = System.objects.order_by(Danish("name"), "pk")
        if self.action == "list":
            text = _text(self.request)
            supplier = _id(self.request, "supplier")
            if text is not None:
                queryset = queryset.filter(name__icontains=text)
            if supplier is not None:
                queryset = queryset.filter(supplier_id=supplier)
        return queryset


# --- The register ------------------------------------------------------------------------------


def personal_data_filter(kind: str) -> Q:
    """Usages whose personal data holds `kind`: the code as it stands, quoted, in the JSON
    list (a JSON `contains` is not on every database)."""
    return Q(personal_data__icontains=f'"{kind}"')


@extend_schema_view(
    list=extend_schema(
        parameters=[
            query_param(
                "q", OpenApiTypes.STR, "Only systems whose (local or catalogue) name holds this."
            ),
            query_param(
                "criticality",
                OpenApiTypes.STR,
                "Only systems of this business criticality.",
                enum=Criticality.values,
            ),
            query_param(
                "lifecycle",
                OpenApiTypes.STR,
                "Only systems in this stage of their lifecycle.",
                enum=Lifecycle.values,
            ),
            query_param(
                "personal_data",
                OpenApiTypes.STR,
                "Only systems holding this kind of personal data.",
                enum=PersonalData.values,
            ),
            query_param("body", OpenApiTypes.INT, "Only systems governed by this body."),
            query_param("unit", OpenApiTypes.INT, "Only systems this unit is responsible for."),
            query_param("owner", OpenApiTypes.INT, "Only systems this person owns."),
            query_param(
                "hosting", OpenApiTypes.STR, "Only systems running there.", enum=Hosting.values
            ),
        ]
    )
)
class SystemUsageViewSet(RegisterViewSet):
    """The register: the systems the municipality uses, by name, with the summary of their
    contracts, data-processing agreements and latest assessments."""

    queryset = SystemUsage.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = SystemUsageSerializer

    def get_queryset(self):
        queryset = (
            SystemUsage.objects.select_related("system")
            .prefetch_related(
                "kle_codes",
                Prefetch("contracts", queryset=Contract.objects.order_by("end", "name", "pk")),
                Prefetch(
                    "agreements",
                    queryset=DataProcessingAgreement.objects.order_by(
                        Danish("name"), "pk"
                    ).prefetch_related(
                        Prefetch(
                            "supervisions",
                            queryset=Supervision.objects.order_by("-done_on", "-pk"),
                        )
                    ),
                ),
                Prefetch(
                    "assessments",
                    queryset=Assessment.objects.order_by("kind", "-done_on", "-pk"),
                ),
            )
            .order_by(Danish("system__name"), "pk")
        )
        if self.action != "list":
            return queryset
        request = self.request
        text = query_value(request, "q", serializers.CharField(max_length=200))
        criticality = _choice(request, "criticality", Criticality.choices)
        lifecycle = _choice(request, "lifecycle", Lifecycle.choices)
        kind = _choice(request, "personal_data", PersonalData.choices)
        hosting = _choice(request, "hosting", Hosting.choices)
        body, unit, owner = (_id(request, name) for name in ("body", "unit", "owner"))
        if text is not None:
            queryset = queryset.filter(
                Q(local_name__icontains=text) | Q(system__name__icontains=text)
            )
        if criticality is not None:
            queryset = queryset.filter(criticality=criticality)
        if lifecycle is not None:
            queryset = queryset.filter(lifecycle=lifecycle)
        if kind is not None:
            queryset = queryset.filter(personal_data_filter(kind))
        if hosting is not None:
            queryset = queryset.filter(hosting=hosting)
        if body is not None:
            queryset = queryset.filter(body_id=body)
        if unit is not None:
            queryset = queryset.filter(responsible_unit_id=unit)
        if owner is not None:
            queryset = queryset.filter(owner_id=owner)
        return queryset

    def perform_update(self, serializer):
        serializer.save()
        # The answer shows the row as stored, with its fresh summary.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        self.perform_update(serializer)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            USAGE_PARAM,
            query_param("project", OpenApiTypes.INT, "Only links of this project."),
        ]
    )
)
class SystemProjectViewSet(RegisterViewSet):
    """The projects that change a system, and what they do to it."""

    queryset = SystemProject.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = SystemProjectSerializer

    def get_queryset(self):
        queryset = SystemProject.objects.order_by("usage_id", Danish("project__name"), "pk")
        if self.action == "list":
            usage = _id(self.request, "usage")
            project = _id(self.request, "project")
            if usage is not None:
                queryset = queryset.filter(usage_id=usage)
            if project is not None:
                queryset = queryset.filter(project_id=project)
        return queryset


# --- Contracts and data processing ---------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_PARAM,
            USAGE_PARAM,
            query_param("supplier", OpenApiTypes.INT, "Only contracts with this supplier."),
        ]
    )
)
class ContractViewSet(RegisterViewSet):
    """Contracts about the systems, the soonest ending first."""

    queryset = Contract.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = ContractSerializer

    def get_queryset(self):
        queryset = Contract.objects.prefetch_related("usages").order_by("end", "name", "pk")
        if self.action == "list":
            text = _text(self.request)
            usage = _id(self.request, "usage")
            supplier = _id(self.request, "supplier")
            if text is not None:
                queryset = queryset.filter(name__icontains=text)
            if usage is not None:
                queryset = queryset.filter(usages=usage)
            if supplier is not None:
                queryset = queryset.filter(supplier_id=supplier)
        return queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[
            Q_PARAM,
            USAGE_PARAM,
            query_param("processor", OpenApiTypes.INT, "Only agreements with this processor."),
        ]
    )
)
class DataProcessingAgreementViewSet(RegisterViewSet):
    """Data-processing agreements with the processors of the systems."""

    queryset = DataProcessingAgreement.objects.none()  # for the schema
    serializer_class = DataProcessingAgreementSerializer

    def get_queryset(self):
        queryset = DataProcessingAgreement.objects.prefetch_related(
            "usages", "sub_processors"
        ).order_by(Danish("name"), "pk")
        if self.action == "list":
            text = _text(self.request)
            usage = _id(self.request, "usage")
            processor = _id(self.request, "processor")
            if text is not None:
                queryset = queryset.filter(name__icontains=text)
            if usage is not None:
                queryset = queryset.filter(usages=usage)
            if processor is not None:
                queryset = queryset.filter(processor_id=processor)
        return queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[query_param("agreement", OpenApiTypes.INT, "Only those of this agreement.")]
    )
)
class SupervisionViewSet(RegisterViewSet):
    """Supervisions of the data processors, the newest first."""

    queryset = Supervision.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = SupervisionSerializer

    def get_queryset(self):
        queryset = Supervision.objects.order_by("-done_on", "-pk")
        if self.action == "list":
            agreement = _id(self.request, "agreement")
            if agreement is not None:
                queryset = queryset.filter(agreement_id=agreement)
        return queryset

    def perform_create(self, serializer):
        serializer.save(recorded_by=self.request.user)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            USAGE_PARAM,
            query_param(
                "kind",
                OpenApiTypes.STR,
                "Only assessments of this kind.",
                enum=AssessmentKind.values,
            ),
        ]
    )
)
class AssessmentViewSet(RegisterViewSet):
    """Risk assessments, impact assessments (DPIA) and yearly reviews of the systems, the
    newest first."""

    queryset = Assessment.objects.none()  # for the schema; requests use get_queryset()
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        queryset = Assessment.objects.select_related("usage").order_by("-done_on", "-pk")
        if self.action == "list":
            usage = _id(self.request, "usage")
            kind = _choice(self.request, "kind", AssessmentKind.choices)
            if usage is not None:
                queryset = queryset.filter(usage_id=usage)
            if kind is not None:
                queryset = queryset.filter(kind=kind)
        return queryset

    def perform_create(self, serializer):
        serializer.save(recorded_by=self.request.user)


def register(router) -> None:
    """Add this domain's viewsets to the project router."""
    router.register("suppliers", SupplierViewSet, basename="supplier")
    router.register("systems", SystemViewSet, basename="system")
    router.register("system-usages", SystemUsageViewSet, basename="systemusage")
    router.register("system-projects", SystemProjectViewSet, basename="systemproject")
    router.register("contracts", ContractViewSet, basename="contract")
    router.register(
        "data-processing-agreements",
        DataProcessingAgreementViewSet,
        basename="dataprocessingagreement",
    )
    router.register("supervisions", SupervisionViewSet, basename="supervision")
    router.register("assessments", AssessmentViewSet, basename="assessment")
