"""Shared pieces of the REST API: tenant scoping, the role permission, model validation, the
bounded date field, strict JSON types, query parameters and the row a new row names. (Paging
is in `core.pagination`, the documented errors in `core.api_schema`.)"""

import datetime
import re
from collections.abc import Mapping

import rules
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.fields import empty
from rest_framework.settings import api_settings

# Paging lives in core.pagination (DRF imports the default paging class while it is itself
# being imported, before this module could be); the viewsets import it from here.
from core.pagination import TenantPagination  # noqa: F401
from core.permissions import require


class TenantViewSetMixin:
    """Activates the municipality scope once DRF has authenticated the request.

    Session users already have a scope from the middleware; token users are only known
    here. Every queryset below goes through the scoped default manager.
    """

    # A row's id in a URL is anything up to the next slash: `/persons/1.5/` is then a row
    # that does not exist (404 in JSON), not an address that does not (Django's 404 page).
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if user and user.is_authenticated and user.municipality_id:
            request.municipality = user.municipality
            self._tenant_scope = scope(municipality=user.municipality_id)
            self._tenant_scope.__enter__()

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
            # Render while the scope is active: the browsable API lists related objects.
            if getattr(self, "_tenant_scope", None) is not None and hasattr(response, "render"):
                response.render()
            return response
        finally:
            # Also when the view raised an exception that DRF does not handle: the scope
            # must never outlive the request on this thread.
            tenant_scope = getattr(self, "_tenant_scope", None)
            if tenant_scope is not None:
                self._tenant_scope = None
                tenant_scope.__exit__(None, None, None)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The object cannot be deleted because other data refers to it.")
    default_code = "protected"


class TenantModelViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    """A model viewset over a tenant model; `permissions` names what reads and writes need
    (`core.permissions.RulesPermission`)."""

    permissions = {"write": "organisation.change"}
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    pagination_class = TenantPagination

    @extend_schema(
        responses={
            204: None,
            409: OpenApiResponse(description="Other data refers to the object (protected)."),
        }
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict() from exc


# --- Strict JSON types -----------------------------------------------------------------------

# A decimal as the schema gives it: digits, perhaps a sign and a fraction, nothing else.
DECIMAL = re.compile(r"^-?\d*(\.\d*)?$")


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_json_type(field: serializers.Field, value) -> None:
    """Refuse a JSON value whose type is not the field's, as the schema gives it: a string
    for text, a choice of the choices' own type, `true`/`false` for a yes/no, a whole number
    (not `true`, `1.0` or `"12"`) for a number or a row's id, a list for several. DRF turns
    `0` into the text "0" and `0` into False; here they are answered with the field's own
    message (DRF's, translated). `null` is left to the field (`allow_null`)."""
    if value is None:
        return
    if isinstance(field, serializers.ManyRelatedField):
        if not isinstance(value, list):
            field.fail("not_a_list", input_type=type(value).__name__)
        for item in value:
            check_json_type(field.child_relation, item)
    elif isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            field.fail("not_a_list", input_type=type(value).__name__)
        errors: dict = {}
        for index, item in enumerate(value):
            try:
                check_json_type(field.child, item)
            except ValidationError as exc:
                errors[index] = exc.detail
        if errors:
            raise ValidationError(errors)
    elif isinstance(field, serializers.MultipleChoiceField):
        return
    elif isinstance(field, serializers.ChoiceField):
        kinds = {type(choice) for choice in field.choices}
        if type(value) not in kinds and not (value == "" and field.allow_blank):
            field.fail("invalid_choice", input=value)
    elif isinstance(field, serializers.BooleanField):
        if not isinstance(value, bool):
            field.fail("invalid")
    elif isinstance(field, serializers.CharField):  # also e-mail, URL, slug and pattern fields
        if not isinstance(value, str):
            field.fail("invalid")
    elif isinstance(field, serializers.IntegerField):
        if not _whole_number(value):
            field.fail("invalid")
    elif isinstance(field, serializers.DecimalField):
        # The schema's decimal is a string ("12.50"), so that no digit is lost on the way.
        if not isinstance(value, str) or not DECIMAL.match(value):
            field.fail("invalid")
    elif isinstance(field, serializers.FloatField):
        if not isinstance(value, int | float) or isinstance(value, bool):
            field.fail("invalid")
    elif isinstance(field, serializers.PrimaryKeyRelatedField):
        queryset = getattr(field, "queryset", None)
        pk = queryset.model._meta.pk if queryset is not None else None
        if isinstance(pk, models.IntegerField) and not _whole_number(value):
            field.fail("incorrect_type", data_type=type(value).__name__)


def from_json(serializer: serializers.BaseSerializer) -> bool:
    """Was the request body this serializer reads JSON (not a form)? A form sends only text,
    so its values are read as DRF reads them."""
    data = getattr(serializer.root, "initial_data", None)
    return data is not None and not isinstance(data, QueryDict)


class StrictTypes:
    """For serializers: a JSON value of the wrong type is refused (`check_json_type`), with
    the other fields' errors in the same answer."""

    def to_internal_value(self, data):
        type_errors = {}
        if isinstance(data, Mapping) and from_json(self):
            for field in self._writable_fields:
                value = field.get_value(data)
                if value is empty:
                    continue
                try:
                    check_json_type(field, value)
                except ValidationError as exc:
                    type_errors[field.field_name] = exc.detail
        try:
            internal = super().to_internal_value(data)
        except ValidationError as exc:
            if not type_errors:
                raise
            errors = exc.detail
            if not isinstance(errors, dict):
                errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
            raise ValidationError({**errors, **type_errors}) from exc
        if type_errors:
            raise ValidationError(type_errors)
        return internal


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a choice field's value (`ChoiceLabels`): filled in from the code the
    answer gives, so a code the serializer withholds (blanks) has no label either."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return None

    def to_representation(self, value):  # pragma: no cover - never called for None
        return None


class ChoiceLabels:
    """For serializers: every choice field that answers (`kind`) is followed by its label
    (`kind_label`), in the language of the request (Danish unless the user chose English), so
    an API client shows what the pages show without its own table of the codes.

    The labels are written from the codes of the finished answer, after a serializer's own
    `to_representation` (which may withhold a code from a user who may not see it)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("to_representation")
        if own is not None and not getattr(own, "labels_choices", False):

            def to_representation(self, instance, _own=own):
                return self.label_choices(_own(self, instance))

            to_representation.labels_choices = True
            cls.to_representation = to_representation

    def get_fields(self):
        fields = super().get_fields()
        labelled = {}
        self._choice_labels = {}
        for name, field in fields.items():
            labelled[name] = field
            if (
                isinstance(field, serializers.ChoiceField)
                and not isinstance(field, serializers.MultipleChoiceField)
                and not field.write_only
                and f"{name}_label" not in fields
            ):
                labelled[f"{name}_label"] = ChoiceLabelField(
                    help_text=f"The label of `{name}` in the user's language, as the pages "
                    "show it; null when it is empty."
                )
                self._choice_labels[name] = dict(field.choices)
        return labelled

    def to_representation(self, instance):
        return self.label_choices(super().to_representation(instance))

    def label_choices(self, data):
        self.fields  # noqa: B018 - builds the fields and their labels once
        for name, labels in self._choice_labels.items():
            if name in data:
                code = data[name]
                label = labels.get(code) if code not in ("", None) else None
                data[f"{name}_label"] = None if label is None else str(label)
        return data


class StrictSerializer(ChoiceLabels, StrictTypes, serializers.Serializer):
    """The base of the API's serializers that are not of a model."""


class StrictModelSerializer(ChoiceLabels, StrictTypes, serializers.ModelSerializer):
    """The base of the API's model serializers (those without `ModelCleanSerializer`'s
    validation)."""


class ModelCleanSerializer(StrictModelSerializer):
    """Runs the model's own `full_clean()` so the API enforces the same rules as the forms."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = self.instance if self.instance is not None else model()
        for name, value in attrs.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                continue
            setattr(instance, name, value)
        request = self.context.get("request")
        if instance.municipality_id is None and request is not None:
            instance.municipality_id = request.user.municipality_id
        try:
            instance.full_clean(exclude=self.clean_exclude())
        except DjangoValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise ValidationError(exc.messages) from exc
            errors = dict(exc.message_dict)
            if NON_FIELD_ERRORS in errors:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
            raise ValidationError(errors) from exc
        return attrs

    def clean_exclude(self) -> list[str]:
        return []


class WithheldCharField(serializers.CharField):
    """A text written as usual, which the answer gives as null to a user who may not read
    it (the serializer decides whom); the schema says so (`nullable` in answers only,
    `core.api_schema`)."""


EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


class BoundedDateField(serializers.DateField):
    """A date from 1900 to 2999: what comes later from it (the next report or measurement
    due) is then still a date."""

    default_error_messages = {"range": _("Give a date from 1900 to 2999.")}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            self.fail("range")
        return day


DATES = {**serializers.ModelSerializer.serializer_field_mapping, models.DateField: BoundedDateField}


# --- Query parameters and the row a write names ----------------------------------------------


def id_field() -> serializers.IntegerField:
    """A row's id as a query parameter: any 64-bit integer (an id that does not exist finds
    nothing; a number no database column holds is 400, not an error of the database)."""
    return serializers.IntegerField(min_value=-(2**63), max_value=2**63 - 1)


def query_param(name: str, kind, description: str, enum=None) -> OpenApiParameter:
    """A query parameter of a list, for the schema."""
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, enum=enum)


def query_value(request, name: str, field: serializers.Field):
    """A query parameter validated by a serializer field; None when absent (or an empty
    text); 400 when bad, an empty value of any other kind too (`?year=` is not a year)."""
    raw = request.query_params.get(name)
    if raw is None or (raw == "" and type(field) is serializers.CharField):
        return None
    try:
        return field.run_validation(raw)
    except ValidationError as exc:
        raise ValidationError({name: exc.detail}) from exc


def referenced(request, name: str, queryset):
    """The row a write names in `name`, or None when it names none or one the user cannot
    see (the serializer then answers why)."""
    data = request.data
    value = data.get(name) if hasattr(data, "get") else None
    if value is None or value == "":
        return None
    if not isinstance(data, QueryDict) and not _whole_number(value):
        return None  # JSON names a row by its id, a whole number (`check_json_type`)
    try:
        return serializers.PrimaryKeyRelatedField(queryset=queryset).to_internal_value(value)
    except ValidationError:
        return None


def require_referenced(request, name: str, queryset, perm: str, otherwise: str):
    """For a new row whose permission is about the row it names in `name` (a status report's
    project, a measurement's benefit): 403 unless the user has `perm` on that row. A write
    that names none, or one the user cannot see, asks `otherwise` instead (a permission
    without a row): whoever could write such rows hears what is missing (400), anybody else
    gets 403. Returns the row named, or None."""
    row = referenced(request, name, queryset)
    if row is not None:
        require(request, perm, row)
    else:
        require(request, otherwise)
    return row


# --- Errors ------------------------------------------------------------------------------------


def exception_handler(exc, context):
    """DRF's answer to an error (`EXCEPTION_HANDLER`), and for a refusal the permission the
    user lacks: `{"detail": "Kun et organs sekretær …", "permission": "meetings.edit"}`."""
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, PermissionDenied):
        code = getattr(exc.detail, "code", None)
        if isinstance(code, str) and rules.perm_exists(code):
            response.data["permission"] = code
    return response
