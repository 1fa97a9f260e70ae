"""Shared pieces of the REST API: tenant scoping, the role permission, model validation, the
bounded date field, query parameters and the row a new row names."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.settings import api_settings

from core.permissions import require


class TenantViewSetMixin:
    """Activates the municipality scope once DRF has authenticated the request.

    Session users already have a scope from the middleware; token users are only known
    here. Every queryset below goes through the scoped default manager.
    """

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


class TenantPagination(LimitOffsetPagination):
    """Limit/offset paging with bounds, so huge numbers never reach the database."""

    max_limit = 500
    max_offset = 2**31 - 1

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)


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


class ModelCleanSerializer(serializers.ModelSerializer):
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
    """A query parameter validated by a serializer field; None when absent; 400 when bad."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
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
