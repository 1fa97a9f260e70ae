"""The breaches API's serializer: the model's `clean()` decides (`ModelCleanSerializer`);
the closed fields (`Breach.CLOSED_FIELDS`) are null in the answer for those outside the
circle (`systems.read_breach`)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from core.api import DATES, ModelCleanSerializer, WithheldCharField
from core.permissions import has_perm
from core.validators import PlausibleDate
from meetings.serializers import ServiceErrors
from systems.breaches import services
from systems.models import Breach, PersonalData


class WithheldKindsField(serializers.ListField):
    """The kinds of personal data: a list written as usual, null in the answer for those who
    may not read it."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ChoiceField(choices=PersonalData.choices), **kwargs)


class _WithheldSchema(OpenApiSerializerFieldExtension):
    target_class = "systems.breaches.serializers.WithheldKindsField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema["nullable"] = True
        return schema


def _text(name: str, help_text: str) -> WithheldCharField:
    return WithheldCharField(
        required=False,
        allow_blank=True,
        max_length=Breach._meta.get_field(name).max_length,
        help_text=help_text,
    )


class BreachSerializer(ModelCleanSerializer):
    """A personal-data breach. `notify_by` is 72 hours after its discovery; `state` is open,
    notified, notified_late or closed. `description`, `persons_affected`, `personal_data`,
    `not_notified_reason`, `authority_reference` and `measures` are null for users outside
    the circle of the data protection officer, the IT security group and administrators."""

    serializer_field_mapping = DATES
    description = _text("description", "What happened (closed content).")
    not_notified_reason = _text(
        "not_notified_reason",
        "Why it was not notified within 72 hours; required when notified late or closed "
        "unnotified (closed content).",
    )
    authority_reference = _text("authority_reference", "Datatilsynet's reference (closed).")
    measures = _text("measures", "The measures taken (closed content).")
    personal_data = WithheldKindsField(
        required=False, help_text="The kinds of personal data concerned (closed content)."
    )
    notify_by = serializers.DateTimeField(read_only=True)
    notified_late = serializers.BooleanField(read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = [
            "id",
            "title",
            "discovered_at",
            "occurred_at",
            "usage",
            "severity",
            "description",
            "persons_affected",
            "personal_data",
            "notified_at",
            "not_notified_reason",
            "authority_reference",
            "persons_informed_on",
            "measures",
            "closed_on",
            "notify_by",
            "notified_late",
            "state",
        ]
        extra_kwargs = {
            "discovered_at": {"validators": [PlausibleDate("discovered_at")]},
            "occurred_at": {"validators": [PlausibleDate("occurred_at")]},
            "notified_at": {"validators": [PlausibleDate("notified_at")]},
            "persons_affected": {"max_value": 2**31 - 1},
        }

    def validate_closed_on(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("A breach cannot be closed in the future."))
        return value

    def create(self, validated_data):
        with ServiceErrors():
            return services.record(Breach(**validated_data), self._user())

    def update(self, breach, validated_data):
        with ServiceErrors():
            return services.change(breach, self._user(), **validated_data)

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_state(self, breach) -> str:
        return services.state_of(breach)

    def to_representation(self, breach):
        data = super().to_representation(breach)
        request = self.context.get("request")
        if not has_perm(getattr(request, "user", None), "systems.read_breach", breach):
            for name in Breach.CLOSED_FIELDS:
                data[name] = None
        return data
